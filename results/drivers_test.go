package results

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// binomialDraws returns K draws of n trials each whose hits are binomial
// with probability f(θ_k), θ_k uniform on [0, 1)^d from a fixed seed.
func binomialDraws(K int, n int64, d int, f func(th []float64) float64) (h, ns []int64, theta [][]float64) {
	rng := rand.New(rand.NewPCG(3, 4))
	theta = make([][]float64, d)
	for j := range theta {
		theta[j] = make([]float64, K)
	}
	for k := range K {
		th := make([]float64, d)
		for j := range th {
			th[j] = rng.Float64()
			theta[j][k] = th[j]
		}
		p := f(th)
		var hits int64
		for range n {
			if rng.Float64() < p {
				hits++
			}
		}
		h, ns = append(h, hits), append(ns, n)
	}
	return h, ns, theta
}

// A product effect f = 0.2 + 0.6·a·b has exact first-order shares
// Var(E[f|a])/Var(f) = (1/12·1/4)/(1/9−1/16) = 3/7 for each of a and b
// (the rest is their interaction); 900 draws of 300 trials give each within
// 0.05 (about two jackknife standard errors) and an interval covering it.
func TestFirstOrderSharesInteraction(t *testing.T) {
	h, n, theta := binomialDraws(900, 300, 3, func(th []float64) float64 { return 0.2 + 0.6*th[0]*th[1] })
	shares, K, bins, note, ok := FirstOrderShares(h, n, theta)
	if !ok || K != 900 || bins != 30 {
		t.Fatalf("ok %v, %d draws, %d bins (%s), want 900 draws in 30 bins", ok, K, bins, note)
	}
	for j, want := range []float64{3.0 / 7, 3.0 / 7, 0} {
		s := shares[j]
		if math.Abs(s.Share-want) > 0.05 || s.Lo > want || s.Hi < want {
			t.Errorf("param %d: share %.3f [%.3f, %.3f], want %.3f within 0.05 and inside", j, s.Share, s.Lo, s.Hi, want)
		}
	}
}

// Too few draws, or draws that differ only by their noise, give no shares
// and a note that says why.
func TestFirstOrderSharesRefuses(t *testing.T) {
	h, n, theta := binomialDraws(19, 100, 1, func(th []float64) float64 { return th[0] })
	if _, K, _, note, ok := FirstOrderShares(h, n, theta); ok || K != 19 || !strings.Contains(note, "too few parameter draws to rank drivers (19; need 20)") {
		t.Errorf("19 draws: ok %v, K %d, note %q", ok, K, note)
	}
	h, n, theta = binomialDraws(400, 50, 2, func(th []float64) float64 { return 0.3 })
	if _, _, _, note, ok := FirstOrderShares(h, n, theta); ok || !strings.Contains(note, "barely differ beyond their Monte Carlo noise") {
		t.Errorf("no effect: ok %v, note %q", ok, note)
	}
}

// A param that takes two values gets two bins, never one split across
// them; a param that does not vary gets share 0.
func TestFirstOrderSharesTiesAndConstants(t *testing.T) {
	h, n, theta := binomialDraws(400, 200, 1, func(th []float64) float64 { return 0.2 + 0.6*th[0] })
	coin := make([]float64, len(h))
	for k := range coin {
		coin[k] = float64(k % 2)
	}
	constant := make([]float64, len(h))
	for k := range constant {
		constant[k] = 0.5
	}
	shares, _, _, note, ok := FirstOrderShares(h, n, [][]float64{theta[0], coin, constant})
	if !ok {
		t.Fatal(note)
	}
	// The coin's draws in the order of its values: the even draws, then
	// the odd ones; 20 bins asked for, two formed.
	var d sortedDraws
	for k := range 2 * len(h) {
		if i := k % len(h); i%2 == k/len(h) {
			d.x, d.v, d.g = append(d.x, float64(h[i])/float64(n[i])), append(d.v, coin[i]), append(d.g, i%driverGroups)
		}
	}
	if _, bs := betweenBinVariance(d, -1, 20, nil); len(bs) != 2 || bs[0].n != 200 || bs[1].n != 200 {
		t.Errorf("two values: bins %+v, want two of 200", bs)
	}
	if shares[0].Share < 0.9 || shares[1].Share > 0.05 || shares[2] != (DriverShare{}) {
		t.Errorf("shares %+v, want θ near 1, the coin near 0 and the constant exactly 0", shares)
	}
}

// Draw params that do not fit the run are refused when set and when read
// from result.json, and a valid set survives the round trip with its
// drivers (here: a note that 4 draws are too few).
func TestDrawParamsChecked(t *testing.T) {
	r := nestedFixture(t)
	names := make([]string, len(r.Layout.Params))
	vals := make([][]float64, len(r.Layout.Params))
	for j, p := range r.Layout.Params {
		names[j], vals[j] = p.Name, []float64{0.1, 0.2, 0.3, 0.4}
	}
	if len(names) == 0 {
		t.Fatal("the fixture has no params with a dist")
	}
	for what, dp := range map[string]*DrawParams{
		"short row":  {Params: names, Values: append([][]float64{{0.1}}, vals[1:]...)},
		"wrong name": {Params: append([]string{"nope"}, names[1:]...), Values: vals},
		"NaN":        {Params: names, Values: append([][]float64{{0.1, math.NaN(), 0.3, 0.4}}, vals[1:]...)},
		"no rows":    {Params: names},
	} {
		if err := r.SetDrawParams(dp); err == nil {
			t.Errorf("%s: accepted", what)
		}
	}
	if err := r.SetDrawParams(&DrawParams{Params: names, Values: vals}); err != nil {
		t.Fatal(err)
	}
	if od := r.Drivers[r.Outcomes[0].Name]; len(od.Top) != 0 || !strings.Contains(od.Note, "too few parameter draws") {
		t.Errorf("drivers of 4 draws: %+v", od)
	}
	var b strings.Builder
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(strings.NewReader(b.String()))
	if err != nil || back.DrawParams == nil || len(back.Drivers) != len(r.Outcomes) {
		t.Fatalf("read back: %v, %+v", err, back)
	}
	bad := strings.Replace(b.String(), `"values": [`+"\n      [\n        0.1,", `"values": [`+"\n      [\n        0.1,\n        0.15,", 1)
	if bad == b.String() {
		t.Fatal("test did not change the file")
	}
	if _, err := ReadJSON(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "draw_params") {
		t.Errorf("a row with 5 values for 4 draws: %v", err)
	}
}

// DrawEstimates keeps the raw estimates' mean and shrinks their variance V
// to V·(V−N)/(V+J), the variance DrawRange gives its mixture's centres.
func TestDrawEstimatesRemoveNoise(t *testing.T) {
	h, n, _ := binomialDraws(300, 40, 1, func(th []float64) float64 { return 0.2 + 0.5*th[0] })
	raw, den := DrawEstimates(h, n)
	if len(raw) != 300 || len(den) != 300 {
		t.Fatalf("%d and %d estimates, want 300", len(raw), len(den))
	}
	variance := func(xs []float64) float64 {
		m := meanOf(xs)
		var v float64
		for _, x := range xs {
			v += (x - m) * (x - m)
		}
		return v / float64(len(xs)-1)
	}
	var nm, jm float64
	for _, x := range raw {
		nm += x * (1 - x) / 39
		jm += 1.0 / (12 * 40 * 40)
	}
	nm, jm = nm/300, jm/300
	v := variance(raw)
	if math.Abs(meanOf(den)-meanOf(raw)) > 1e-12 || math.Abs(variance(den)-v*(v-nm)/(v+jm)) > 1e-12 {
		t.Errorf("mean %v (raw %v), variance %v, want %v", meanOf(den), meanOf(raw), variance(den), v*(v-nm)/(v+jm))
	}
	if sp := DrawRange(h, n); math.Abs(sp.NoiseShare-nm/v) > 1e-12 {
		t.Errorf("noise share %v, DrawRange says %v", nm/v, sp.NoiseShare)
	}
}
