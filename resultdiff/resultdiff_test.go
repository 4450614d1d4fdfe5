package resultdiff

import (
	"math"
	"testing"

	"scensim/results"
)

// Newcombe (1998), "Interval estimation for the difference between
// independent proportions", example (a): 56/70 vs 48/80, method 10 gives
// 0.0524 to 0.3339 for the difference 0.2.
func TestIndependentNewcombeExample(t *testing.T) {
	d, lo, hi := Independent(results.NewProportion(48, 80), results.NewProportion(56, 70))
	if math.Abs(d-0.2) > 1e-12 || math.Abs(lo-0.0524) > 1e-4 || math.Abs(hi-0.3339) > 1e-4 {
		t.Errorf("got %.4f [%.4f, %.4f], want 0.2000 [0.0524, 0.3339]", d, lo, hi)
	}
}

func TestCompareMaterialRule(t *testing.T) {
	mk := func(k, n int64) *results.Result {
		return &results.Result{Outcomes: []results.OutcomeRow{{Name: "x", Estimate: results.NewProportion(k, n)}}}
	}
	// 56/70 vs 48/80: the interval [5.2, 33.4] pp lies beyond ±1 pp but
	// not beyond ±6 pp.
	for _, c := range []struct {
		min  float64
		want bool
	}{{0.01, true}, {0.06, false}} {
		d, err := Compare("a", mk(48, 80), "b", mk(56, 70), c.min)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(d.Material) == 1; got != c.want || len(d.Material)+len(d.Unchanged) != 1 {
			t.Errorf("min %g: material %v, want %v", c.min, d.Material, c.want)
		}
	}
	if _, err := Compare("a", mk(1, 2), "b", mk(1, 2), -0.1); err == nil {
		t.Error("a negative threshold was accepted")
	}
}

// A nested result's range over the assumptions is carried to each side
// and shown beside its estimate.
func TestCompareCarriesRange(t *testing.T) {
	mk := func(k int64, lo, hi float64) *results.Result {
		return &results.Result{Outcomes: []results.OutcomeRow{{Name: "x", Estimate: results.NewProportion(k, 1000),
			Range: &results.Spread{Draws: 10, P5: lo, P50: (lo + hi) / 2, P95: hi}}}}
	}
	d, err := Compare("a", mk(200, 0.1, 0.3), "b", mk(400, 0.3, 0.5), DefaultMinDiff)
	if err != nil || len(d.Material) != 1 {
		t.Fatalf("%v, %+v", err, d)
	}
	c := d.Material[0]
	if *c.Old.RangeLo != 0.1 || *c.New.RangeHi != 0.5 {
		t.Errorf("ranges %v–%v, %v–%v", *c.Old.RangeLo, *c.Old.RangeHi, *c.New.RangeLo, *c.New.RangeHi)
	}
	if got := est(c.Old); got != "20.0% [17.6, 22.6], range 10.0–30.0%" {
		t.Errorf("est = %q", got)
	}
}
