package score

import (
	"math"
	"math/rand/v2"
	"testing"
)

const tol = 1e-12

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.15g, want %.15g (±%g)", what, got, want, tol)
	}
}

// handExample is six forecasts scored by hand below; with 10 bins they fall
// in bin 8 (0.8, 0.8), bin 3 (0.3, 0.35) and bin 2 (0.2, 0.2).
var handExample = []Forecast{
	{0.8, true}, {0.8, true}, {0.3, false}, {0.35, true}, {0.2, false}, {0.2, false},
}

// TestHandExample compares every score of handExample with its value
// computed by hand.
//
// Brier terms (p − o)²: 0.2² = 0.04, 0.04, 0.3² = 0.09, 0.65² = 0.4225,
// 0.2² = 0.04, 0.04; sum 0.6725, so Brier = 0.6725/6 = 0.112083333...
//
// Log terms −ln q with q the probability given to what happened: −ln 0.8
// (yes at 0.8), −ln 0.8, −ln 0.7 (no at 0.3), −ln 0.35 (yes at 0.35), −ln 0.8
// (no at 0.2), −ln 0.8; mean (−4 ln 0.8 − ln 0.7 − ln 0.35)/6 = 0.383178545...
//
// Decomposition, N = 6, ō = 3/6 = 0.5:
//
//	bin 8: n = 2, f̄ = 0.8,   ō_k = 1   → n(f̄−ō_k)² = 2·0.04     = 0.08,    n(ō_k−ō)² = 2·0.25 = 0.5
//	bin 3: n = 2, f̄ = 0.325, ō_k = 0.5 → 2·0.175² = 2·0.030625 = 0.06125, 2·0 = 0
//	bin 2: n = 2, f̄ = 0.2,   ō_k = 0   → 2·0.04                 = 0.08,    2·0.25 = 0.5
//
// Reliability = 0.22125/6 = 0.036875; Resolution = 1/6; Uncertainty =
// 0.5·0.5 = 0.25. Residual: only bin 3 has unequal forecasts, deviations
// −0.025 (o = 0) and +0.025 (o = 1): Σd² − 2Σd·o = 0.00125 − 0.05 =
// −0.04875, over 6: −0.008125. Check: 0.036875 − 0.1666... + 0.25 − 0.008125
// = 0.1120833... = Brier.
func TestHandExample(t *testing.T) {
	near(t, "Brier", Brier(handExample), 0.6725/6)
	near(t, "Log", Log(handExample), (-4*math.Log(0.8)-math.Log(0.7)-math.Log(0.35))/6)
	d, err := Decompose(handExample, 10)
	if err != nil {
		t.Fatal(err)
	}
	if d.N != 6 {
		t.Errorf("N = %d, want 6", d.N)
	}
	near(t, "Decompose Brier", d.Brier, 0.6725/6)
	near(t, "Reliability", d.Reliability, 0.22125/6)
	near(t, "Resolution", d.Resolution, 1.0/6)
	near(t, "Uncertainty", d.Uncertainty, 0.25)
	near(t, "Residual", d.Residual, -0.04875/6)
	want := map[int][3]float64{8: {2, 0.8, 1}, 3: {2, 0.325, 0.5}, 2: {2, 0.2, 0}}
	for k, b := range d.Bins {
		w, ok := want[k]
		if !ok {
			if b.N != 0 || !math.IsNaN(b.Forecast) || !math.IsNaN(b.Observed) {
				t.Errorf("bin %d = %+v, want empty with NaN means", k, b)
			}
			continue
		}
		if b.N != int(w[0]) {
			t.Errorf("bin %d has %d forecasts, want %v", k, b.N, w[0])
		}
		near(t, "bin mean forecast", b.Forecast, w[1])
		near(t, "bin observed", b.Observed, w[2])
		near(t, "bin lo", b.Lo, float64(k)/10)
	}
}

func TestFiftyPercentReference(t *testing.T) {
	fs := []Forecast{{0.5, true}, {0.5, false}, {0.5, false}}
	near(t, "Brier", Brier(fs), 0.25)
	near(t, "Log", Log(fs), math.Ln2)
	d, _ := Decompose(fs, 10)
	// One bin, f̄ = 0.5, ō = 1/3: reliability (0.5 − 1/3)², resolution 0,
	// uncertainty (1/3)(2/3), residual 0.
	near(t, "Reliability", d.Reliability, (0.5-1.0/3)*(0.5-1.0/3))
	near(t, "Resolution", d.Resolution, 0)
	near(t, "Uncertainty", d.Uncertainty, 2.0/9)
	near(t, "Residual", d.Residual, 0)
}

// Perfect forecasts (1 for a yes, 0 for a no) score 0 on both scores and
// have zero reliability; with at least 2 bins (so that 0 and 1 fall in
// different bins) their resolution equals the uncertainty.
func TestPerfectForecastsScoreZero(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		fs := make([]Forecast, 1+rng.IntN(30))
		for i := range fs {
			yes := rng.IntN(2) == 1
			fs[i] = Forecast{P: map[bool]float64{true: 1, false: 0}[yes], Yes: yes}
		}
		d, err := Decompose(fs, 2+rng.IntN(20))
		if err != nil {
			t.Fatal(err)
		}
		if b, l := Brier(fs), Log(fs); b != 0 || l != 0 {
			t.Fatalf("perfect forecasts: Brier %v, log %v, want 0", b, l)
		}
		near(t, "Reliability", d.Reliability, 0)
		near(t, "Resolution − Uncertainty", d.Resolution-d.Uncertainty, 0)
		near(t, "Residual", d.Residual, 0)
	}
}

// The identity Brier = Reliability − Resolution + Uncertainty + Residual
// holds for any forecasts and binning, and the residual is 0 when the
// forecasts within each bin are equal.
func TestDecompositionIdentity(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 200 {
		nbins := 1 + rng.IntN(12)
		fs := make([]Forecast, 1+rng.IntN(60))
		equal := trial%2 == 0
		for i := range fs {
			p := rng.Float64()
			if equal { // the centre of p's bin: one value per bin
				p = (float64(BinIndex(p, nbins)) + 0.5) / float64(nbins)
			}
			fs[i] = Forecast{P: p, Yes: rng.Float64() < p}
		}
		d, err := Decompose(fs, nbins)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "identity", d.Reliability-d.Resolution+d.Uncertainty+d.Residual, d.Brier)
		if equal {
			near(t, "residual with equal forecasts in each bin", d.Residual, 0)
		}
		n := 0
		for _, b := range d.Bins {
			n += b.N
		}
		if n != len(fs) {
			t.Fatalf("bins hold %d forecasts, want %d", n, len(fs))
		}
	}
}

func TestLogClip(t *testing.T) {
	wrong := Forecast{P: 0, Yes: true}
	near(t, "certain and wrong", LogOne(wrong), -math.Log(LogClip))
	if !Clipped(wrong) || Clipped(Forecast{P: 0, Yes: false}) {
		t.Error("Clipped: want true only for a forecast that gave what happened less than LogClip")
	}
	near(t, "Brier certain and wrong", BrierOne(wrong), 1)
}

func TestBadInput(t *testing.T) {
	for _, fs := range [][]Forecast{{{P: -0.1}}, {{P: 1.5}}, {{P: math.NaN()}}} {
		if _, err := Decompose(fs, 10); err == nil {
			t.Errorf("Decompose(%v): no error", fs)
		}
	}
	if _, err := Decompose(handExample, 0); err == nil {
		t.Error("Decompose with 0 bins: no error")
	}
	d, err := Decompose(nil, 10)
	if err != nil || d.N != 0 || !math.IsNaN(d.Brier) || !math.IsNaN(Log(nil)) {
		t.Errorf("no forecasts: %+v, %v; want N = 0 and NaN scores", d, err)
	}
}

func TestBinIndex(t *testing.T) {
	for _, c := range []struct {
		p    float64
		want int
	}{{0, 0}, {0.099, 0}, {0.1, 1}, {0.35, 3}, {0.7, 7}, {0.999, 9}, {1, 9}} {
		if got := BinIndex(c.p, 10); got != c.want {
			t.Errorf("BinIndex(%v, 10) = %d, want %d", c.p, got, c.want)
		}
	}
}
