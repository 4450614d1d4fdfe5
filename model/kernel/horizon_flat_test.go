package kernel

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFlatJudgesLikeLists requires the flat judgement to give, bit for
// bit, the verdict of the per-word lists of terms on random horizons of
// up to 60 conditions (one input, products and their complements,
// several keys, duplicates, constants) and random frames, and requires
// the random horizons to include flat ones with products, several-key
// conditions, duplicates and groups of several inputs.
func TestFlatJudgesLikeLists(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	f := &Frame{State: make([]int32, len(testTracks)), Entry: make([]int32, testStates)}
	kinds := map[string]int{}
	for round := range 600 {
		conds := make([]*Test, 1+rng.IntN(60))
		for i := range conds {
			switch r := rng.IntN(10); {
			case r == 0:
			case r == 1 && i > 0:
				conds[i] = conds[rng.IntN(i)]
			default:
				conds[i] = randomTest(rng, 1+rng.IntN(3))
			}
		}
		h := NewHorizon(conds)
		if h.flat == nil {
			kinds["lists"]++
			continue
		}
		kinds["flat"]++
		kinds["products"] += len(h.andTerms[0])
		kinds["multi"] += len(h.flat.multi)
		kinds["more"] += len(h.flat.multi) - len(h.multi)
		for _, in := range h.flat.entries {
			if !in.last {
				kinds["groups"]++
			}
		}
		flat, lists := h.NewVerdict(), h.NewVerdict()
		for range 100 {
			randomFrame(rng, f)
			h.Judge(f, flat)
			h.judgeLists(f, lists)
			if !slices.Equal(flat.Bits, lists.Bits) {
				t.Fatalf("round %d: flat %x, lists %x (entry %v, state %v)", round, flat.Bits, lists.Bits, f.Entry, f.State)
			}
		}
	}
	for _, k := range []string{"flat", "lists", "products", "multi", "more", "groups"} {
		if kinds[k] == 0 {
			t.Errorf("no %s among the random horizons: %v", k, kinds)
		}
	}
}
