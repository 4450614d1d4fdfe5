package sim

import (
	"math/rand/v2"
	"testing"
)

// TestPlaneCounterCountsEveryBit adds random words of varied densities
// to a planeCounter, draining it when full as countOutcomes does, and
// requires every bit's count to equal the count kept one bit at a time.
func TestPlaneCounterCountsEveryBit(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for _, n := range []int{0, 1, 254, 255, 256, 1000, 5000} {
		var c planeCounter
		got, want := make([]int64, 64), make([]int64, 64)
		added := 0
		for range n {
			if added == 1<<planeCount-1 {
				c.drain(got)
				added = 0
			}
			b := rng.Uint64() & rng.Uint64() // about a quarter of the bits
			if rng.IntN(4) == 0 {
				b = ^uint64(0) // every bit: the longest carries
			}
			c.add(b)
			added++
			for i := range 64 {
				want[i] += int64(b >> i & 1)
			}
		}
		c.drain(got)
		for i := range 64 {
			if got[i] != want[i] {
				t.Fatalf("%d words: bit %d counted %d times, want %d", n, i, got[i], want[i])
			}
		}
		if c != (planeCounter{}) {
			t.Fatalf("%d words: the counter is not clear after drain: %v", n, c)
		}
	}
}

// TestOutcomeCountsDrainAtFlushAlone runs fewer trials than a counter
// holds, so that only flush drains the outcome counts, and more than it
// holds, so that countOutcomes drains them too, and requires the tally's
// hits and givens to equal the counts of the trials' outcomes one by one.
func TestOutcomeCountsDrainAtFlushAlone(t *testing.T) {
	p := refPlan(t)
	for _, n := range []int64{3, 600} {
		tr := NewTrialer(p, 5)
		hits, given := make([]int64, len(p.Outcomes)), make([]int64, len(p.Outcomes))
		for i := range n {
			out, err := tr.Trial(i)
			if err != nil {
				t.Fatal(err)
			}
			for j, o := range out {
				if o >= 0 {
					given[j]++
				}
				if o == 1 {
					hits[j]++
				}
			}
		}
		tl := tr.Tally()
		for j := range p.Outcomes {
			if tl.Hits[j] != hits[j] || tl.Given[j] != given[j] {
				t.Fatalf("%d trials, outcome %s: hits %d given %d, want %d and %d",
					n, p.Outcomes[j].Name, tl.Hits[j], tl.Given[j], hits[j], given[j])
			}
		}
		if again := tr.Tally(); again.Hits[0] != hits[0] {
			t.Fatalf("%d trials: a second flush changed the hits to %d, want %d", n, again.Hits[0], hits[0])
		}
	}
}
