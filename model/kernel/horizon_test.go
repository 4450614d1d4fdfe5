package kernel

import (
	"math/rand/v2"
	"testing"
)

// A small world for random tests: three tracks of 2, 3 and 4 states
// (global states 0..8), judged at a horizon of steps steps.
var (
	testTracks = []struct{ first, size int }{{0, 2}, {2, 3}, {5, 4}}
	testStates = 9
)

const testSteps = 12

// randomKey returns a key of a random kind: a track's state, whether a
// state was reached, by when (a few bounds), or its exact entry point.
func randomKey(rng *rand.Rand) Key {
	switch rng.IntN(4) {
	case 0:
		k := rng.IntN(len(testTracks))
		tr := testTracks[k]
		return Key{Track: k, First: tr.first, Size: tr.size, Reached: -1}
	case 1:
		return Key{Track: -1, Reached: rng.IntN(testStates), Size: 2}
	case 2:
		var bounds []int32
		for b := int32(0); b < testSteps; b++ {
			if rng.IntN(4) == 0 {
				bounds = append(bounds, b)
			}
		}
		return Key{Track: -1, Reached: rng.IntN(testStates), Bounds: bounds, Size: len(bounds) + 2}
	}
	every := make([]int32, testSteps)
	for i := range every {
		every[i] = int32(i)
	}
	return Key{Track: -1, Reached: rng.IntN(testStates), Bounds: every, Size: testSteps + 2}
}

// randomTest returns a test of up to three distinct inputs with a random
// truth table: dense, sparse, a product of two keys, or its complement.
func randomTest(rng *rand.Rand, maxKeys int) *Test {
	var keys []Key
	n := rng.IntN(maxKeys + 1)
	for len(keys) < n {
		k := randomKey(rng)
		dup := false
		for _, x := range keys {
			dup = dup || (x.Track >= 0 && x.Track == k.Track) || (x.Track < 0 && k.Track < 0 && x.Reached == k.Reached)
		}
		if !dup {
			keys = append(keys, k)
		}
	}
	combos := CombosUpTo(keys, MaxTestCombos)
	if combos > MaxTestCombos {
		keys = keys[:1]
		combos = keys[0].Size
	}
	truth := make([]uint64, (combos+63)/64)
	var x, y []bool
	if len(keys) == 2 && rng.IntN(2) == 0 { // a product, perhaps complemented
		x, y = make([]bool, keys[0].Size), make([]bool, keys[1].Size)
		for i := range x {
			x[i] = rng.IntN(2) == 0
		}
		for i := range y {
			y[i] = rng.IntN(2) == 0
		}
	}
	flip := rng.IntN(2) == 0
	density := rng.IntN(5)
	for c := range combos {
		var on bool
		if x != nil {
			on = (x[c/keys[1].Size] && y[c%keys[1].Size]) != flip
		} else {
			on = rng.IntN(4) < density
		}
		if on {
			truth[c/64] |= 1 << (c % 64)
		}
	}
	if combos > 64 {
		return NewBigTest(keys, truth)
	}
	return NewTest(keys, truth[0])
}

// randomFrame sets f to a random horizon: each track in one of its
// states, each state entered at a random point or never.
func randomFrame(rng *rand.Rand, f *Frame) {
	for k, tr := range testTracks {
		f.State[k] = int32(tr.first + rng.IntN(tr.size))
	}
	for g := range f.Entry {
		f.Entry[g] = int32(rng.IntN(testSteps+2)) - 1 // −1 (never) .. the horizon
	}
}

// TestHorizonJudgesLikeTests is the oracle of the compiled verdict: on
// random sets of conditions (with gaps, constants, duplicates, products,
// big tables) and random frames, bit i of Judge's verdict is what
// condition i's Test.Holds says, and 0 for a condition without a test.
func TestHorizonJudgesLikeTests(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	f := &Frame{State: make([]int32, len(testTracks)), Entry: make([]int32, testStates)}
	kinds := map[string]int{}
	for round := range 200 {
		maxKeys := 3
		if round%4 == 0 { // one-input conditions only: Judge's direct path
			maxKeys = 1
		}
		conds := make([]*Test, 1+rng.IntN(150))
		for i := range conds {
			switch r := rng.IntN(10); {
			case r == 0: // no test: evaluated by the caller
			case r == 1 && i > 0: // the same condition as an earlier one
				conds[i] = conds[rng.IntN(i)]
			default:
				conds[i] = randomTest(rng, maxKeys)
			}
		}
		h := NewHorizon(conds)
		if h.Words() != (len(conds)+63)/64 {
			t.Fatalf("%d words for %d conditions", h.Words(), len(conds))
		}
		if h.direct != nil {
			kinds["direct"]++
		}
		kinds["multi"] += len(h.multi)
		kinds["and"] += len(h.andTerms[0])
		v := h.NewVerdict()
		for range 50 {
			randomFrame(rng, f)
			h.Judge(f, v)
			for i, c := range conds {
				want := c != nil && c.Holds(f)
				if got := v.Holds(i); got != want {
					t.Fatalf("round %d, condition %d (keys %+v): verdict %v, test %v (entry %v, state %v)", round, i, c.keysOrNil(), got, want, f.Entry, f.State)
				}
			}
		}
	}
	if kinds["multi"] == 0 || kinds["and"] == 0 || kinds["direct"] == 0 {
		t.Errorf("the random conditions made no general tests, no products or no direct horizon: %v", kinds)
	}
}

// TestTestFactors checks the product forms Test.factors finds.
func TestTestFactors(t *testing.T) {
	a := Key{Track: -1, Reached: 0, Size: 2}
	b := Key{Track: 1, First: 2, Size: 3, Reached: -1}
	// reached(0) and state ≠ 1: combinations (1, 0) and (1, 2).
	and := NewTest([]Key{a, b}, 1<<3|1<<5)
	if x, y, flip, ok := and.factors(); !ok || flip || x[0] || !x[1] || !y[0] || y[1] || !y[2] {
		t.Errorf("and: %v %v %v %v", x, y, flip, ok)
	}
	// not (reached(0) and state ≠ 1).
	nand := NewTest([]Key{a, b}, ^uint64(1<<3|1<<5)&(1<<6-1))
	if _, _, flip, ok := nand.factors(); !ok || !flip {
		t.Errorf("nand: %v %v", flip, ok)
	}
	// reached(0) xor state = 0 is no product, nor is its complement.
	xor := NewTest([]Key{a, b}, 1<<1|1<<2|1<<3)
	if _, _, _, ok := xor.factors(); ok {
		t.Error("xor taken for a product")
	}
}
