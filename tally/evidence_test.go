package tally

import (
	"reflect"
	"testing"
)

// The evidence counts merge like every count: sums, per draw extended to
// the longer side, and Clone copies them.
func TestMergeEvidenceCounts(t *testing.T) {
	a := New(1, 2, 2, 3)
	a.SetNested(4, 1, 2)
	a.Conditioned, a.Trials, a.Rejected = true, 3, 1
	a.DrawTrials[0], a.DrawRejected = 3, []int64{1}
	a.RejectedHist = []int64{0, 1, 0}
	b := New(1, 2, 2, 3)
	b.SetNested(4, 2, 2)
	b.Conditioned, b.Trials, b.Rejected = true, 2, 3
	b.DrawTrials[1], b.DrawRejected = 2, []int64{0, 3}
	b.RejectedHist = []int64{2, 0, 1}
	c := a.Clone()
	if !reflect.DeepEqual(c, a) {
		t.Fatal("Clone differs")
	}
	c.Merge(b)
	if c.Trials != 5 || c.Rejected != 4 || c.Ran() != 9 || !c.Conditioned {
		t.Errorf("merged trials %d rejected %d ran %d conditioned %v", c.Trials, c.Rejected, c.Ran(), c.Conditioned)
	}
	if !reflect.DeepEqual(c.DrawRejected, []int64{1, 3}) || !reflect.DeepEqual(c.RejectedHist, []int64{2, 1, 1}) {
		t.Errorf("merged draw_rejected %v rejected_hist %v", c.DrawRejected, c.RejectedHist)
	}
	if a.Rejected != 1 || !reflect.DeepEqual(a.DrawRejected, []int64{1}) {
		t.Error("Merge into a clone changed the original")
	}
	// Into empty counts (what merge of shards starts from).
	z := New(1, 2, 2, 3)
	z.Merge(a)
	z.Merge(b)
	if !reflect.DeepEqual(z, c) {
		t.Errorf("merging into empty counts: %+v, want %+v", z, c)
	}
}
