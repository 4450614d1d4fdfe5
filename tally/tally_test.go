package tally

import (
	"reflect"
	"testing"
)

func filled(seed int64) *Counts {
	c := New(2, 3, 4, 5)
	c.Trials = seed
	for _, s := range [][]int64{c.Hits, c.Given, c.Entry, c.Occupancy, c.ParamHist} {
		for i := range s {
			s[i] = seed*100 + int64(i)
		}
	}
	return c
}

func TestNewSizes(t *testing.T) {
	c := New(2, 3, 4, 5)
	got := []int{len(c.Hits), len(c.Given), len(c.Entry), len(c.Occupancy), len(c.ParamHist)}
	want := []int{2, 2, 3 * 5, 4 * 3, 5}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("lengths %v, want %v", got, want)
	}
}

func TestMergeIsElementwiseAndOrderFree(t *testing.T) {
	a, b := filled(1), filled(2)
	ab := a.Clone()
	ab.Merge(b)
	ba := b.Clone()
	ba.Merge(a)
	if !reflect.DeepEqual(ab, ba) {
		t.Fatal("a+b differs from b+a")
	}
	if ab.Trials != 3 || ab.Entry[7] != 100+7+200+7 {
		t.Fatalf("merged trials %d, entry[7] %d", ab.Trials, ab.Entry[7])
	}
	if a.Trials != 1 || a.Entry[7] != 107 {
		t.Fatal("Clone shares storage with its source")
	}
}

func TestMergeMismatchPanicsAndLeavesUnchanged(t *testing.T) {
	a := filled(1)
	before := a.Clone()
	b := New(2, 3, 4, 6) // one more histogram counter
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("no panic on mismatched lengths")
			}
		}()
		a.Merge(b)
	}()
	if !reflect.DeepEqual(a, before) {
		t.Fatal("a failed merge changed the counts")
	}
}
