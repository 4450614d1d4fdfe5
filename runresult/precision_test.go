package runresult

import (
	"math"
	"testing"

	"scensim/results"
	"scensim/sim"
)

// A flat tally's worst half-width is that of its widest Wilson interval
// (the outcome at 50%).
func TestWorstHalfWidth(t *testing.T) {
	tl := &sim.Tally{Trials: 100, Hits: []int64{50, 0}, Given: []int64{100, 100}}
	lo, hi := results.Wilson(50, 100, results.Z95)
	if got := WorstHalfWidth(tl); math.Abs(got-(hi-lo)/2) > 1e-15 {
		t.Errorf("WorstHalfWidth %g", got)
	}
}

// A nested tally's worst half-width is that of the widest cluster interval
// over the draws (results.ClusterProportion of each outcome's per-draw
// counts), not the Wilson interval of the pooled counts, which ignores how
// much the draws differ.
func TestWorstHalfWidthNested(t *testing.T) {
	tl := &sim.Tally{Trials: 400, Hits: []int64{200, 40}, Given: []int64{400, 400}}
	tl.SetNested(100, 4, 0)
	// outcome 0: the draws disagree (10, 90, 20, 80 of 100); outcome 1:
	// they agree (10 of 100 each).
	for k, h := range [][2]int64{{10, 10}, {90, 10}, {20, 10}, {80, 10}} {
		tl.DrawTrials[k] = 100
		for i := range 2 {
			tl.DrawHits[k*2+i], tl.DrawGiven[k*2+i] = h[i], 100
		}
	}
	want := 0.0
	for i := range 2 {
		h, n := make([]int64, 4), make([]int64, 4)
		for k := range 4 {
			h[k], n[k] = tl.DrawHits[k*2+i], tl.DrawGiven[k*2+i]
		}
		e := results.ClusterProportion(h, n)
		want = math.Max(want, (e.Hi-e.Lo)/2)
	}
	lo, hi := results.Wilson(200, 400, results.Z95)
	if pooled := (hi - lo) / 2; want <= 2*pooled {
		t.Fatalf("the draws' spread should widen the interval: cluster %g, pooled Wilson %g", want, pooled)
	}
	if got := WorstHalfWidth(tl); math.Abs(got-want) > 1e-15 {
		t.Errorf("WorstHalfWidth %g, want %g", got, want)
	}
}
