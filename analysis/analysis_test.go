package analysis

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"scensim/model"
	"scensim/results"
	"scensim/sim"
)

// tiny reads testdata/tiny.yaml, whose answers are known exactly:
// P(a.y by point 4) = p/(p+r)·(1 − (1−p−r)^4), and so on.
func tiny(t *testing.T, sets ...model.Override) (*Source, *model.Plan) {
	t.Helper()
	data, err := os.ReadFile("testdata/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := &Source{File: "testdata/tiny.yaml", Data: data, Options: model.Options{Overrides: sets, Resolve: fileResolver}}
	p, err := src.Compile()
	if err != nil {
		t.Fatal(err)
	}
	return src, p
}

// fileResolver resolves extends: as a path beside the overlay.
func fileResolver(name, from string) (string, []byte, error) {
	f := filepath.Join(filepath.Dir(from), name)
	data, err := os.ReadFile(f)
	return f, data, err
}

// yBy4 is the exact P(a.y by point 4).
func yBy4(p, r float64) float64 { return p / (p + r) * (1 - math.Pow(1-p-r, 4)) }

func TestParseAxisAndErrors(t *testing.T) {
	a, err := ParseAxis("p=0.1:0.3:5")
	if err != nil || a.Param != "p" || a.N != 5 || !slices.Equal(a.Values(), []float64{0.1, 0.15, 0.2, 0.25, 0.3}) {
		t.Fatalf("ParseAxis: %+v %v %v", a, err, a.Values())
	}
	for _, bad := range []string{"p=0.3:0.1:5", "p=0.1:0.1:5", "p=0:1:1", "p=0:1:5000", "p=a:1:3", "p=0:1:x", "=0:1:3", "p=1"} {
		var ie *InputError
		if _, err := ParseAxis(bad); !errors.As(err, &ie) {
			t.Errorf("ParseAxis(%q) = %v, want an input error", bad, err)
		}
	}
	src, base := tiny(t)
	run := Run{Trials: 100, Seed: 1}
	cases := []struct {
		opts SweepOptions
		want string
	}{
		{SweepOptions{Axes: []Axis{{Param: "pp", Lo: 0, Hi: 1, N: 3}}}, `unknown param "pp" (did you mean "p"?)`},
		{SweepOptions{Axes: []Axis{{Param: "four", Lo: 0, Hi: 1, N: 3}}}, "is a date"},
		{SweepOptions{Axes: []Axis{{Param: "q", FromRange: true, N: 3}}}, "has no range"},
		{SweepOptions{Axes: []Axis{{Param: "p", Lo: 0, Hi: 0.1, N: 3}, {Param: "p", Lo: 0, Hi: 0.1, N: 3}}}, "given twice"},
		{SweepOptions{Axes: []Axis{{Param: "p", Lo: 0, Hi: 0.1, N: 200}, {Param: "r", Lo: 0, Hi: 0.1, N: 200}}}, "at most 10000"},
		{SweepOptions{Axes: []Axis{{Param: "p", Lo: 0, Hi: 0.1, N: 3}}, Outcomes: []string{"nope"}}, `unknown outcome "nope"`},
	}
	for _, c := range cases {
		_, err := RunSweep(context.Background(), src, base, c.opts, run)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an input error with %q", c.opts, err, c.want)
		}
	}
	_, err = RunSweep(context.Background(), src, base, SweepOptions{Axes: []Axis{{Param: "p", Lo: 0, Hi: 0.1, N: 3}}}, Run{Trials: 1e9, Seed: 1})
	if err == nil || !strings.Contains(err.Error(), "trials in all") {
		t.Errorf("too many trials: %v", err)
	}
	// A value that makes a probability exceed 1 fails to compile.
	_, err = RunSweep(context.Background(), src, base, SweepOptions{Axes: []Axis{{Param: "p", Lo: 0.5, Hi: 0.99, N: 3}}}, run)
	var ce *CompileError
	if !errors.As(err, &ce) || !strings.Contains(ce.Error(), "p=0.99") {
		t.Errorf("p + r > 1: %v, want a compile error naming p=0.99", err)
	}
}

// With common random numbers a trial's first entry into a.y can only come
// earlier as p grows (and r is fixed), so the sweep's curve is monotone,
// exactly, even at a modest trial count; every point agrees with the exact
// value; and the result does not depend on the worker count.
func TestSweepMonotoneExactAndDeterministic(t *testing.T) {
	src, base := tiny(t)
	opts := SweepOptions{Axes: []Axis{{Param: "p", Lo: 0.02, Hi: 0.3, N: 29}}, Outcomes: []string{"y_by_four"}}
	var docs [][]byte
	for _, w := range []int{1, 3} {
		s, err := RunSweep(context.Background(), src, base, opts, Run{Trials: 2000, Seed: 11, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		prev := -1.0
		for k, pt := range s.Points {
			e := pt.P[0]
			if e.P < prev {
				t.Errorf("p=%g: %.4f after %.4f: the curve is not monotone", pt.At[0], e.P, prev)
			}
			prev = e.P
			if exact := yBy4(pt.At[0], 0.05); math.Abs(e.P-exact) > 4.5*math.Sqrt(exact*(1-exact)/float64(e.N)) {
				t.Errorf("point %d p=%g: %.4f, exact %.4f", k, pt.At[0], e.P, exact)
			}
		}
		r, err := s.Report("png")
		if err != nil {
			t.Fatal(err)
		}
		files, err := r.Files()
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"sweep.csv", "sweep.md", "sweep.json", "sweep.png"} {
			if len(files[name]) == 0 {
				t.Errorf("no %s", name)
			}
		}
		docs = append(docs, append(files["sweep.csv"], files["sweep.png"]...))
	}
	if !bytes.Equal(docs[0], docs[1]) {
		t.Error("the sweep's CSV and chart differ between 1 and 3 workers")
	}
	// 2-D: a heatmap per charted outcome.
	s, err := RunSweep(context.Background(), src, base, SweepOptions{Axes: []Axis{{Param: "p", Lo: 0.02, Hi: 0.3, N: 4}, {Param: "r", Lo: 0.01, Hi: 0.2, N: 3}}}, Run{Trials: 500, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Points) != 12 || s.Points[5].At[0] != s.Axes[0].Values[1] || s.Points[5].At[1] != s.Axes[1].Values[2] {
		t.Fatalf("2-D grid order: %+v", s.Points[5].At)
	}
	charts, err := s.Charts("png")
	if err != nil || len(charts) != len(s.Charted) || len(charts) == 0 {
		t.Fatalf("2-D charts: %v, %d for %v", err, len(charts), s.Charted)
	}
}

// The tornado's swings have the known signs and sizes: raising p raises
// P(y by 4), raising r lowers it, and q (used by nothing that matters) and
// u (another track) move it not at all: with common random numbers their
// swing is exactly 0 with a [0, 0] interval.
func TestTornadoKnownSwings(t *testing.T) {
	src, base := tiny(t)
	tor, err := RunTornado(context.Background(), src, base, TornadoOptions{Outcomes: []string{"y_by_four", "y_given_b"}, Pct: 20}, Run{Trials: 20000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	o := tor.Outcomes[0]
	if o.Name != "y_by_four" || o.Rows[0].Param != "p" || o.Rows[1].Param != "r" {
		t.Fatalf("order: %s %s %s", o.Name, o.Rows[0].Param, o.Rows[1].Param)
	}
	want := map[string]float64{
		"p": yBy4(0.3, 0.05) - yBy4(0.02, 0.05),
		"r": yBy4(0.1, 0.2) - yBy4(0.1, 0.01),
	}
	for _, row := range o.Rows {
		sw := row.Swing
		switch row.Param {
		case "p", "r":
			if math.Signbit(sw.D) != math.Signbit(want[row.Param]) || !sw.Significant() {
				t.Errorf("%s: swing %+.4f [%+.4f, %+.4f], want the sign of %+.4f", row.Param, sw.D, sw.Lo, sw.Hi, want[row.Param])
			}
			half := (sw.Hi - sw.Lo) / 2
			if math.Abs(sw.D-want[row.Param]) > 2.3*half {
				t.Errorf("%s: swing %+.4f, exact %+.4f (half-width %.4f)", row.Param, sw.D, want[row.Param], half)
			}
			if exact := yBy4(tor.param(row.Param).Low, 0.05); row.Param == "p" && math.Abs(row.PLow.P-exact) > 4.5*row.PLow.SE {
				t.Errorf("P(low p) = %.4f, exact %.4f", row.PLow.P, exact)
			}
		default:
			// No trial changes: the swing is exactly 0, and Newcombe's
			// interval for 0 discordant pairs in n is a few 1/n wide.
			if sw.D != 0 || sw.Lo > 0 || sw.Hi < 0 || sw.Hi-sw.Lo > 6.0/20000 {
				t.Errorf("%s: swing %+.5f [%+.5f, %+.5f], want exactly 0 in a tight interval", row.Param, sw.D, sw.Lo, sw.Hi)
			}
		}
	}
	if q := tor.param("q"); q.Source != "±20%" || q.Low != 0.4 || q.High != 0.6 {
		t.Errorf("q without range: %+v", q)
	}
	// The conditional outcome uses the delta method.
	if m := tor.Outcomes[1].Rows[0].Swing.Method; m != "delta-ratio" {
		t.Errorf("conditional outcome's interval method %q", m)
	}
	if _, err := RunTornado(context.Background(), src, base, TornadoOptions{Pct: 20}, Run{Trials: 10, Seed: 1}); err == nil || !strings.Contains(err.Error(), "Outcome: ") {
		t.Errorf("no outcome: %v", err)
	}
	r, err := tor.Report("png")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := r.Files()
	for _, name := range []string{"tornado.csv", "tornado_y_by_four.png", "tornado_y_given_b.png"} {
		if len(files[name]) == 0 {
			t.Errorf("no %s (have %v)", name, keysOf(files))
		}
	}
}

func keysOf(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Newcombe's interval for paired proportions: it contains the estimate,
// stays in [−1, 1], flips with the pair, agrees with the Wald interval for
// a large sample, and covers the true difference about 95% of the time.
func TestPairedIntervals(t *testing.T) {
	var c Pair
	set := func(a, b, cc, d int64) { c = Pair{}; c[3*2+2], c[3*2+1], c[3*1+2], c[3*1+1] = a, b, cc, d }
	set(400, 30, 90, 480) // first hit & second hit, first only, second only, neither
	d := PairedDiff(&c)
	n := 1000.0
	wald := math.Sqrt(30+90-sq(90-30)/n) / n * results.Z95
	if d.D != 0.06 || d.Lo >= d.D || d.Hi <= d.D || math.Abs((d.Hi-d.Lo)/2-wald) > 0.1*wald {
		t.Errorf("newcombe %+v, Wald half-width %.4f", d, wald)
	}
	set(400, 90, 30, 480)
	if e := PairedDiff(&c); math.Abs(e.D+d.D) > 1e-15 || math.Abs(e.Lo+d.Hi) > 1e-12 || math.Abs(e.Hi+d.Lo) > 1e-12 {
		t.Errorf("swapped pair %+v vs %+v", e, d)
	}
	set(0, 0, 0, 10)
	if e := PairedDiff(&c); e.D != 0 || e.Lo > 0 || e.Hi < 0 || e.Lo < -1 || e.Hi > 1 {
		t.Errorf("no hits: %+v", e)
	}
	// Newcombe (1998), Table II, method 10: (a, b, c, d) with b the second
	// run's hits alone here (our difference is second − first).
	for _, ex := range []struct {
		a, b, c, d int64
		lo, hi     float64
	}{{36, 12, 2, 0, 0.0569, 0.3404}, {18, 12, 2, 18, 0.0562, 0.3290}, {53, 0, 0, 1, -0.0729, 0.0729}} {
		set(ex.a, ex.c, ex.b, ex.d)
		if e := PairedDiff(&c); math.Abs(e.Lo-ex.lo) > 5e-5 || math.Abs(e.Hi-ex.hi) > 5e-5 {
			t.Errorf("Newcombe's example %+v: [%.4f, %.4f]", ex, e.Lo, e.Hi)
		}
	}
	// Coverage by simulation, with a counter-based generator.
	k := key(5, "coverage")
	covered, reps := 0, 2000
	for rep := range reps {
		c = Pair{}
		for i := range 150 {
			u := uniform(k, uint64(rep*150+i))
			// P(first) = 0.3, P(second) = 0.4, correlated.
			x, y := int8(0), int8(0)
			switch {
			case u < 0.25:
				x, y = 1, 1
			case u < 0.30:
				x = 1
			case u < 0.45:
				y = 1
			}
			c.add(x, y)
		}
		if e := PairedDiff(&c); e.Lo <= 0.1 && 0.1 <= e.Hi {
			covered++
		}
	}
	if cov := float64(covered) / float64(reps); cov < 0.93 || cov > 0.975 {
		t.Errorf("coverage %.3f, want about 0.95", cov)
	}
	// The delta method on unconditional data is the paired Wald interval.
	set(400, 30, 90, 480)
	e := deltaRatio(&c)
	if math.Abs((e.Hi-e.Lo)/2-wald) > 1e-12 || math.Abs(e.D-0.06) > 1e-15 {
		t.Errorf("delta %+v, Wald half-width %.6f", e, wald)
	}
}

func TestPermutationAndLatinHypercube(t *testing.T) {
	for _, n := range []uint64{1, 2, 3, 5, 64, 1000, 4097} {
		for _, k := range []uint64{0, 1, 0xdeadbeef} {
			p := newPermutation(n, k)
			seen := make([]bool, n)
			for i := range n {
				v := p.At(i)
				if v >= n || seen[v] {
					t.Fatalf("n=%d key=%d: π(%d) = %d repeats or is out of range", n, k, i, v)
				}
				seen[v] = true
			}
		}
	}
	// Each param's n values hold one draw per n-quantile.
	_, base := tiny(t)
	n := int64(997)
	d := LatinHypercube(base, 9, n)
	vals := make([]float64, len(base.Params))
	ui, _ := FindParam(base, "u")
	strata := make([]int, n)
	for i := range n {
		for j := range vals {
			vals[j] = math.NaN()
		}
		d(i, vals)
		u := (vals[ui] - 0.1) / 0.4 // uniform(0.1, 0.5) back to (0, 1)
		strata[int(u*float64(n))]++
		for j, v := range vals {
			if j != ui && !math.IsNaN(v) {
				t.Fatalf("the design set param %d, which has no dist", j)
			}
		}
	}
	for s, c := range strata {
		if c != 1 {
			t.Fatalf("stratum %d holds %d draws", s, c)
		}
	}
	d(n, vals) // outside the design: left alone
	for j := range vals {
		vals[j] = math.NaN()
	}
	d(n, vals)
	if !math.IsNaN(vals[ui]) {
		t.Error("trial n was given a value")
	}
	// A run with the design: the mean of P(b on) over u is exact far more
	// precisely than with independent draws, and workers do not matter.
	var hits []int64
	for _, w := range []int{1, 2} {
		tl, err := sim.Run(context.Background(), base, sim.Options{Trials: n, Seed: 9, Workers: w, Design: d})
		if err != nil {
			t.Fatal(err)
		}
		hits = append(hits, tl.Hits[2])
	}
	if hits[0] != hits[1] {
		t.Errorf("LHS run differs across workers: %v", hits)
	}
}

// PSA on the tiny scenario: P(b on by the horizon | u) = 1 − (1 − u)^10 with
// u ~ uniform(0.1, 0.5), so its mean, SD and quantiles are known.
func TestPSAKnownSpread(t *testing.T) {
	_, base := tiny(t)
	res, err := RunPSA(context.Background(), base, PSAOptions{Outer: 1000, Inner: 100, Sampling: SamplingLHS, Bootstrap: 300}, Run{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	f := func(u float64) float64 { return 1 - math.Pow(1-u, 10) }
	// Moments by the midpoint rule over u.
	m1, m2 := 0.0, 0.0
	const K = 100000
	for i := range K {
		v := f(0.1 + 0.4*(float64(i)+0.5)/K)
		m1, m2 = m1+v/K, m2+v*v/K
	}
	sd := math.Sqrt(m2 - m1*m1)
	o := res.Outcomes[2]
	if o.Name != "b_on" {
		t.Fatal(o.Name)
	}
	t.Logf("mean %.4f ±%.4f (exact %.4f), sd %.4f ±%.4f (exact %.4f), 2.5%% %.4f (exact %.4f), 97.5%% %.4f (exact %.4f), raw sd %.4f",
		o.Mean.V, o.Mean.SE, m1, o.SD.V, o.SD.SE, sd, o.P2_5.V, f(0.11), o.P97_5.V, f(0.49), o.RawSD)
	check := func(what string, got Stat, want, slack float64) {
		if math.Abs(got.V-want) > 4*got.SE+slack {
			t.Errorf("%s = %.4f ±%.4f, exact %.4f", what, got.V, got.SE, want)
		}
	}
	check("mean", o.Mean, m1, 0)
	check("sd", o.SD, sd, 0)
	check("median", o.Median, f(0.3), 0.005)
	check("2.5%", o.P2_5, f(0.11), 0.01)
	check("97.5%", o.P97_5, f(0.49), 0.01)
	if !(o.RawSD > o.SD.V) {
		t.Errorf("raw sd %.4f should exceed the noise-free sd %.4f", o.RawSD, o.SD.V)
	}
	// An outcome that no sampled param touches has no spread.
	if z := res.Outcomes[1]; z.SD.V > 0.01 {
		t.Errorf("z_by_four sd %.4f, want about 0", z.SD.V)
	}
	if _, err := RunPSA(context.Background(), base, PSAOptions{Outer: 10, Inner: 1, Sampling: "mc"}, Run{Seed: 1}); err == nil {
		t.Error("inner 1 accepted")
	}
	if _, err := RunPSA(context.Background(), base, PSAOptions{Outer: 10, Inner: 10, Sampling: "sobol"}, Run{Seed: 1}); err == nil {
		t.Error("sampling sobol accepted")
	}
}

// Sobol indices of P(b_or_c) = 1 − (1 − u)(1 − w), u ~ U(0.1, 0.5) from its
// dist, w ~ U(0, 1) over its range (a param with no dist, which the
// analysis must turn into a draw): with a = 1 − u, b = 1 − w,
// V = E[a²]E[b²] − E[a]²E[b]², V_u = Var(a)/4, V_w = E[a]²/12.
func TestSobolKnownIndices(t *testing.T) {
	src, base := tiny(t)
	res, err := RunSobol(context.Background(), src, base, SobolOptions{Params: []string{"u,w"}, Samples: 2000, Inner: 40, Sampling: SamplingMC, Bootstrap: 300}, Run{Seed: 21})
	if err != nil {
		t.Fatal(err)
	}
	va, ea := 0.4*0.4/12, 0.7
	V := (ea*ea+va)/3 - ea*ea/4
	Vu, Vw := va/4, ea*ea/12
	want := map[string][2]float64{"u": {Vu / V, (V - Vw) / V}, "w": {Vw / V, (V - Vu) / V}}
	var o SobolOutcome
	for _, x := range res.Outcomes {
		if x.Name == "b_or_c" {
			o = x
		}
	}
	if math.Abs(o.Var-V) > 0.15*V {
		t.Errorf("variance %.5f, exact %.5f", o.Var, V)
	}
	for _, x := range o.Indices {
		w := want[x.Param]
		t.Logf("%s: S1 %.3f ±%.3f (exact %.3f), ST %.3f ±%.3f (exact %.3f)", x.Param, x.S1, x.S1SE, w[0], x.ST, x.STSE, w[1])
		if math.Abs(x.S1-w[0]) > 4*x.S1SE || math.Abs(x.ST-w[1]) > 4*x.STSE {
			t.Errorf("%s: S1 %.3f ±%.3f, ST %.3f ±%.3f; exact %.3f, %.3f", x.Param, x.S1, x.S1SE, x.ST, x.STSE, w[0], w[1])
		}
	}
	// b_on depends on u alone: w's total index is exactly 0 (common random
	// numbers), u's about 1.
	for _, x := range res.Outcomes {
		if x.Name != "b_on" {
			continue
		}
		for _, ix := range x.Indices {
			if ix.Param == "w" && (ix.ST != 0 || ix.STHi != 0) {
				t.Errorf("w on b_on: ST %.4f [%.4f, %.4f], want exactly 0", ix.ST, ix.STLo, ix.STHi)
			}
			if ix.Param == "u" && math.Abs(ix.ST-1) > 4*ix.STSE {
				t.Errorf("u on b_on: ST %.3f ±%.3f, want 1", ix.ST, ix.STSE)
			}
		}
	}
	if res.Outcomes[len(res.Outcomes)-1].Skipped == "" {
		t.Error("the conditional outcome was not skipped")
	}
	for _, bad := range []SobolOptions{
		{Params: []string{"q"}, Samples: 100, Inner: 4, Sampling: "mc"},
		{Params: []string{"nope"}, Samples: 100, Inner: 4, Sampling: "mc"},
		{Samples: 100, Inner: 1, Sampling: "mc"},
		{Samples: 5, Inner: 4, Sampling: "mc"},
	} {
		var ie *InputError
		if _, err := RunSobol(context.Background(), src, base, bad, Run{Seed: 1}); !errors.As(err, &ie) {
			t.Errorf("%+v: %v, want an input error", bad, err)
		}
	}
}

// Calibration hits a target with a known solution: P(a.y by point 4) =
// 0.3 with r = 0 … here r stays 0.05 and the exact p solves yBy4(p, 0.05)
// = 0.3; the written overlay, compiled beside the scenario, reproduces the
// check run exactly.
func TestCalibrateKnownSolution(t *testing.T) {
	src, base := tiny(t)
	target := 0.3
	lo, hi := 0.02, 0.3
	for range 100 { // exact solution by bisection on the closed form
		if mid := (lo + hi) / 2; yBy4(mid, 0.05) < target {
			lo = mid
		} else {
			hi = mid
		}
	}
	exact := (lo + hi) / 2
	run := Run{Trials: 20000, Seed: 13, ToolVersion: "test"}
	cal, err := RunCalibrate(context.Background(), src, base, CalibrateOptions{Targets: []Target{{"y_by_four", target}}, Vary: []Vary{{Param: "p", FromRange: true}}, CheckSeed: 14, CheckTrials: 100000}, run)
	if err != nil {
		t.Fatal(err)
	}
	got := cal.Params[0]
	t.Logf("p = %.5f ±%.5f (exact %.5f), %s after %d evaluations; check %.4f [%.4f, %.4f]", got.Value, got.SE, exact, cal.Status, cal.Evaluations, cal.Targets[0].Check.P, cal.Targets[0].Check.Lo, cal.Targets[0].Check.Hi)
	if cal.Method != "bisection" || cal.Status != "converged" || math.Abs(got.Value-exact) > 4*got.SE || got.SE > 0.003 {
		t.Errorf("p = %.5f ±%.5f (%s, %s), exact %.5f", got.Value, got.SE, cal.Method, cal.Status, exact)
	}
	if !cal.Reached {
		t.Errorf("target not reached in the check: %+v", cal.Targets[0].Check)
	}
	// Two params, two targets: Nelder–Mead recovers p and r.
	p0, r0 := 0.08, 0.12
	zBy4 := func(p, r float64) float64 { return r / (p + r) * (1 - math.Pow(1-p-r, 4)) }
	cal2, err := RunCalibrate(context.Background(), src, base, CalibrateOptions{
		Targets: []Target{{"y_by_four", yBy4(p0, r0)}, {"z_by_four", zBy4(p0, r0)}},
		Vary:    []Vary{{Param: "p", FromRange: true}, {Param: "r", FromRange: true}}, CheckSeed: 14, CheckTrials: 100000}, run)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{p0, r0} {
		x := cal2.Params[i]
		t.Logf("%s = %.5f ±%.5f (exact %.5f)", x.Name, x.Value, x.SE, want)
		if math.Abs(x.Value-want) > 4*x.SE+1e-3 {
			t.Errorf("%s = %.5f ±%.5f, exact %.5f (%s, %d evaluations)", x.Name, x.Value, x.SE, want, cal2.Status, cal2.Evaluations)
		}
	}

	// The overlay, written beside a copy of the scenario, compiles and
	// gives exactly the check run's counts.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tiny.yaml"), src.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	os.MkdirAll(out, 0o755)
	src.File = filepath.Join(dir, "tiny.yaml")
	cal.base = &model.Plan{}
	*cal.base = *base
	cal.base.File = src.File
	r, err := cal.Report("", out)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(out, cal.ScenarioName+".yaml")
	if err := os.WriteFile(name, r.Extra[cal.ScenarioName+".yaml"], 0o644); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cal.Scenario, "extends: \"../tiny.yaml\"") {
		t.Errorf("overlay:\n%s", cal.Scenario)
	}
	p, errs := model.CompileWith(name, r.Extra[cal.ScenarioName+".yaml"], model.Options{Resolve: fileResolver})
	if p == nil {
		t.Fatalf("the calibrated scenario does not compile: %v\n%s", errs, cal.Scenario)
	}
	tl, err := sim.Run(context.Background(), p, sim.Options{Trials: cal.CheckTrials, Seed: cal.CheckSeed})
	if err != nil {
		t.Fatal(err)
	}
	if tl.Hits[0] != cal.Targets[0].Check.K {
		t.Errorf("re-running the calibrated scenario: %d hits, the check had %d", tl.Hits[0], cal.Targets[0].Check.K)
	}
	if e := results.NewProportion(tl.Hits[0], tl.Trials); math.Abs(e.P-target) > cal.Targets[0].Tolerance {
		t.Errorf("the calibrated scenario gives %.4f, target %.2f ± %.4f", e.P, target, cal.Targets[0].Tolerance)
	}
	js, err := r.JSONBytes()
	if err != nil || !json.Valid(js) {
		t.Errorf("calibrate.json: %v", err)
	}
}

func TestCalibrateErrors(t *testing.T) {
	src, base := tiny(t, model.Override{Name: "r", Value: "0.05"})
	for _, s := range []string{"y_by_four", "y_by_four=x", "y_by_four=inf", "=0.5"} {
		var ie *InputError
		if _, err := ParseTarget(s); !errors.As(err, &ie) {
			t.Errorf("ParseTarget(%q) = %v, want an input error", s, err)
		}
	}
	// A number that is no probability parses (it may be a value outcome's
	// mean) and is refused for a yes/no outcome.
	for _, s := range []string{"y_by_four=1.2", "y_by_four=0", "y_by_four=1", "y_by_four=100%"} {
		tg, err := ParseTarget(s)
		if err != nil {
			t.Fatalf("ParseTarget(%q): %v", s, err)
		}
		_, err = RunCalibrate(context.Background(), src, base, CalibrateOptions{Targets: []Target{tg}, Vary: []Vary{{Param: "p", FromRange: true}}}, Run{Trials: 100, Seed: 1})
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "strictly between 0 and 1") {
			t.Errorf("target %s: %v, want an input error", s, err)
		}
	}
	if tg, err := ParseTarget("y_by_four=25%"); err != nil || tg.P != 0.25 {
		t.Errorf("25%%: %+v %v", tg, err)
	}
	cases := []struct {
		opts CalibrateOptions
		want string
	}{
		{CalibrateOptions{Targets: []Target{{"nope", 0.3}}, Vary: []Vary{{Param: "p", FromRange: true}}}, `unknown outcome "nope"`},
		{CalibrateOptions{Targets: []Target{{"y_by_four", 0.3}}, Vary: []Vary{{Param: "pp", FromRange: true}}}, `unknown param "pp"`},
		{CalibrateOptions{Targets: []Target{{"y_by_four", 0.3}}, Vary: []Vary{{Param: "q", FromRange: true}}}, "has no range"},
		{CalibrateOptions{Targets: []Target{{"y_by_four", 0.3}}, Vary: []Vary{{Param: "r", FromRange: true}}}, "fixed by an override"},
		{CalibrateOptions{Targets: []Target{{"y_by_four", 0.3}}}, "Vary: "},
		{CalibrateOptions{Vary: []Vary{{Param: "p", FromRange: true}}}, "Targets: "},
		{CalibrateOptions{Targets: []Target{{"y_by_four", 0.3}}, Vary: []Vary{{Param: "p", Lo: 0.2, Hi: 0.1}}}, "empty range"},
	}
	for _, c := range cases {
		_, err := RunCalibrate(context.Background(), src, base, c.opts, Run{Trials: 100, Seed: 1})
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an input error with %q", c.opts, err, c.want)
		}
	}
	// A target the range cannot reach: reported, not an error.
	cal, err := RunCalibrate(context.Background(), src, base, CalibrateOptions{Targets: []Target{{"y_by_four", 0.95}}, Vary: []Vary{{Param: "p", FromRange: true}}, CheckSeed: 2, CheckTrials: 1000}, Run{Trials: 1000, Seed: 1})
	if err != nil || cal.Reached || !strings.HasPrefix(cal.Status, "not bracketed") || !cal.Params[0].AtBound {
		t.Errorf("unreachable target: %v %+v", err, cal)
	}
}
