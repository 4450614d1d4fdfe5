package tally

import (
	"reflect"
	"testing"
)

// nested returns counts of a nested run (2 outcomes, 3 states, 4 points,
// 2 reached-by counters per draw) whose draws from..to−1 hold values.
func nested(from, to int, seed int64) *Counts {
	c := New(2, 3, 4, 5)
	c.SetNested(10, to, 2)
	for d := from; d < to; d++ {
		c.DrawTrials[d] = seed + int64(d)
		c.Trials += c.DrawTrials[d]
		for i := range 2 {
			c.DrawHits[d*2+i], c.DrawGiven[d*2+i] = seed, seed+1
			c.DrawReached[d*2+i] = seed + 2
		}
	}
	return c
}

// Merge adds per-draw counts elementwise, extending the shorter to the
// longer, in any order; Clone copies them.
func TestMergeNestedGrowsAndIsOrderFree(t *testing.T) {
	a, b := nested(0, 2, 1), nested(1, 5, 7) // draw 1 is split between a and b
	ab, ba := a.Clone(), b.Clone()
	ab.Merge(b)
	ba.Merge(a)
	if !reflect.DeepEqual(ab, ba) {
		t.Fatal("merge order changes the counts")
	}
	if len(ab.DrawTrials) != 5 || ab.DrawTrials[1] != 1+1+7+1 || ab.DrawHits[2] != 1+7 || ab.DrawReached[9] != 7+2 {
		t.Fatalf("merged %+v", ab)
	}
	empty := New(2, 3, 4, 5) // a flat zero: takes the nesting of what it merges
	empty.Merge(a)
	if !reflect.DeepEqual(empty, a) {
		t.Fatalf("empty merged with a: %+v, want %+v", empty, a)
	}
	c := a.Clone()
	c.DrawHits[0]++
	if a.DrawHits[0] == c.DrawHits[0] {
		t.Fatal("Clone shares the per-draw counts")
	}
}

// Counts of different draw sizes, or flat counts with trials and nested
// ones, do not merge (a programming error: a panic, c unchanged).
func TestMergeNestedMismatchPanics(t *testing.T) {
	flat := New(2, 3, 4, 5)
	flat.Trials = 3
	other := nested(0, 1, 1)
	other.PerDraw = 11
	for _, c := range []struct{ dst, src *Counts }{{nested(0, 2, 1), other}, {flat, nested(0, 2, 1)}, {nested(0, 2, 1), flat}} {
		before := c.dst.Clone()
		func() {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			c.dst.Merge(c.src)
		}()
		if !reflect.DeepEqual(before, c.dst) {
			t.Error("a refused merge changed the counts")
		}
	}
}
