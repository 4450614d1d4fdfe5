package runresult

import (
	"math"

	"scensim/results"
	"scensim/sim"
)

// WorstHalfWidth returns the largest 95% half-width over t's outcomes: of
// the Wilson interval, or in a nested run of the simulation-error interval
// from the variance between draws (results.ClusterProportion). Runs and
// batch jobs that aim at a precision (--precision) stop when it is small
// enough.
func WorstHalfWidth(t *sim.Tally) float64 {
	worst := 0.0
	for i := range t.Hits {
		lo, hi := results.Wilson(t.Hits[i], t.Given[i], results.Z95)
		if t.Nested() {
			h, n := make([]int64, t.Draws()), make([]int64, t.Draws())
			for k := range h {
				h[k], n[k] = t.DrawHits[k*len(t.Hits)+i], t.DrawGiven[k*len(t.Hits)+i]
			}
			e := results.ClusterProportion(h, n)
			lo, hi = e.Lo, e.Hi
		}
		worst = math.Max(worst, (hi-lo)/2)
	}
	return worst
}
