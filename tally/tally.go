// Package tally holds Counts, the mergeable integer counts of a scensim
// run: the simulator fills them, the results package renders them, and
// shards and workers merge them. It imports nothing of the project, so
// both sides share the one type without depending on each other.
package tally

import "fmt"

// Counts are the mergeable integer tallies of a run. Because they are
// integers, merging the counts of disjoint sets of trials is exact and
// independent of order and of how trials were split among workers.
//
// With P points on the time grid, S states and the global state index g
// running over tracks in order, then states in order:
//
//   - Trials: number of trials counted.
//   - Hits[i]: trials where outcome i's `when` (and its `given`, if any) held.
//   - Given[i]: trials where outcome i's `given` held; == Trials for an
//     unconditional outcome.
//   - Entry[g*(P+1)+k]: trials whose first entry into state g is at point k
//     (k < P); k == P counts the trials that never entered g. A track's initial
//     state is entered at point 0.
//   - Occupancy[k*S+g]: trials in state g at point k.
//   - ParamHist: for each sampled param i in order, a block of Bins_i+2
//     counters: underflow, Bins_i equal bins on [Lo, Hi), overflow.
type Counts struct {
	Trials    int64   `json:"trials"`
	Hits      []int64 `json:"hits"`
	Given     []int64 `json:"given"`
	Entry     []int64 `json:"entry"`
	Occupancy []int64 `json:"occupancy"`
	ParamHist []int64 `json:"param_hist"`
	// Values holds one tally per value outcome, in file order (see Value).
	Values []Value `json:"values,omitempty"`
}

// New returns zeroed counts for the given number of outcomes, states and
// points, with paramHist histogram counters in all.
func New(outcomes, states, points, paramHist int) *Counts {
	return &Counts{
		Hits:      make([]int64, outcomes),
		Given:     make([]int64, outcomes),
		Entry:     make([]int64, states*(points+1)),
		Occupancy: make([]int64, points*states),
		ParamHist: make([]int64, paramHist),
	}
}

// Merge adds o into c elementwise (Trials included). The sum is exact (no
// overflow check: int64 tallies of trial counts cannot realistically
// overflow). It panics if the slice lengths of c and o differ, which is a
// programming error (counts of different runs); c is then unchanged.
func (c *Counts) Merge(o *Counts) {
	fields := [...]struct {
		name     string
		dst, src []int64
	}{
		{"hits", c.Hits, o.Hits},
		{"given", c.Given, o.Given},
		{"entry", c.Entry, o.Entry},
		{"occupancy", c.Occupancy, o.Occupancy},
		{"param_hist", c.ParamHist, o.ParamHist},
	}
	// Check every length first so that a panic leaves c unchanged.
	for _, f := range fields {
		if len(f.dst) != len(f.src) {
			panic(fmt.Sprintf("tally: Counts.Merge: %s has length %d, other has %d", f.name, len(f.dst), len(f.src)))
		}
	}
	if err := checkValues(c.Values, o.Values); err != nil {
		panic("tally: Counts.Merge: " + err.Error())
	}
	for i := range o.Values {
		c.Values[i].Merge(&o.Values[i])
	}
	c.Trials += o.Trials
	for _, f := range fields {
		for i, v := range f.src {
			f.dst[i] += v
		}
	}
}

// Clone returns a deep copy of c whose slices are never nil.
func (c *Counts) Clone() *Counts {
	return &Counts{
		Trials:    c.Trials,
		Hits:      cloneInts(c.Hits),
		Given:     cloneInts(c.Given),
		Entry:     cloneInts(c.Entry),
		Occupancy: cloneInts(c.Occupancy),
		ParamHist: cloneInts(c.ParamHist),
		Values:    cloneValues(c.Values),
	}
}

func cloneInts(s []int64) []int64 { return append(make([]int64, 0, len(s)), s...) }
