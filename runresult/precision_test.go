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
