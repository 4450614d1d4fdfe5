package results

import (
	"fmt"
)

// Counts are the mergeable integer tallies of a run. Because they are
// integers, merging the counts of disjoint sets of trials is exact and
// independent of order and of how trials were split among workers.
//
// With P = len(Layout.Points), S = Layout.NumStates() and the global state
// index g running over tracks in order, then states in order:
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
//     counters: underflow, Bins_i equal bins on [Lo, Hi), overflow (see
//     [ParamLayout.Bin] and [Layout.ParamOffset]).
type Counts struct {
	Trials    int64   `json:"trials"`
	Hits      []int64 `json:"hits"`
	Given     []int64 `json:"given"`
	Entry     []int64 `json:"entry"`
	Occupancy []int64 `json:"occupancy"`
	ParamHist []int64 `json:"param_hist"`
}

// NewCounts returns zeroed counts sized for l.
func NewCounts(l *Layout) *Counts {
	p, s := len(l.Points), l.NumStates()
	return &Counts{
		Hits:      make([]int64, len(l.Outcomes)),
		Given:     make([]int64, len(l.Outcomes)),
		Entry:     make([]int64, s*(p+1)),
		Occupancy: make([]int64, p*s),
		ParamHist: make([]int64, l.paramHistLen()),
	}
}

// Merge adds o into c elementwise (Trials included). The sum is exact (no
// overflow check: int64 tallies of trial counts cannot realistically
// overflow). It panics if the slice lengths of c and o differ, which is a
// programming error (counts of different layouts); c is then unchanged.
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
			panic(fmt.Sprintf("results: Counts.Merge: %s has length %d, other has %d", f.name, len(f.dst), len(f.src)))
		}
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
		Hits:      cloneSlice(c.Hits),
		Given:     cloneSlice(c.Given),
		Entry:     cloneSlice(c.Entry),
		Occupancy: cloneSlice(c.Occupancy),
		ParamHist: cloneSlice(c.ParamHist),
	}
}

// ParamCounts returns the histogram block of sampled param i (underflow, Bins
// bins, overflow), sharing c's storage.
func (c *Counts) ParamCounts(l *Layout, i int) []int64 {
	off := l.ParamOffset(i)
	return c.ParamHist[off : off+l.Params[i].Bins+2]
}

// Check reports whether c is consistent with l, for counts loaded from a file.
// It checks, in order, that:
//
//   - every slice has the length l implies;
//   - Trials and every counter are >= 0;
//   - per outcome, Hits <= Given <= Trials, and Given == Trials when the
//     outcome is unconditional;
//   - per state, the Entry row (points and "never") sums to Trials;
//   - per point and track, the Occupancy of the track's states sums to Trials
//     (every trial is in exactly one state of each track);
//   - per sampled param, the histogram block sums to Trials.
//
// It does not validate l itself; see [Layout.Validate].
func (c *Counts) Check(l *Layout) error {
	if l == nil {
		return fmt.Errorf("counts: no layout")
	}
	p, s := len(l.Points), l.NumStates()
	for _, f := range [...]struct {
		name string
		got  []int64
		want int
	}{
		{"hits", c.Hits, len(l.Outcomes)},
		{"given", c.Given, len(l.Outcomes)},
		{"entry", c.Entry, s * (p + 1)},
		{"occupancy", c.Occupancy, p * s},
		{"param_hist", c.ParamHist, l.paramHistLen()},
	} {
		if len(f.got) != f.want {
			return fmt.Errorf("counts: %s has %d values, layout implies %d", f.name, len(f.got), f.want)
		}
		for i, v := range f.got {
			if v < 0 {
				return fmt.Errorf("counts: %s[%d] = %d is negative", f.name, i, v)
			}
		}
	}
	if c.Trials < 0 {
		return fmt.Errorf("counts: trials = %d is negative", c.Trials)
	}
	for i, o := range l.Outcomes {
		h, g := c.Hits[i], c.Given[i]
		switch {
		case !o.Conditional() && g != c.Trials:
			return fmt.Errorf("counts: outcome %s is unconditional but given = %d != trials = %d", o.Name, g, c.Trials)
		case g > c.Trials:
			return fmt.Errorf("counts: outcome %s: given = %d > trials = %d", o.Name, g, c.Trials)
		case h > g:
			return fmt.Errorf("counts: outcome %s: hits = %d > given = %d", o.Name, h, g)
		}
	}
	for g := range s {
		var sum int64
		for _, v := range c.Entry[g*(p+1) : (g+1)*(p+1)] {
			sum += v
		}
		if sum != c.Trials {
			t, st := l.State(g)
			return fmt.Errorf("counts: entry of %s.%s sums to %d, want trials = %d", t, st, sum, c.Trials)
		}
	}
	for k := range p {
		g := 0
		for _, t := range l.Tracks {
			var sum int64
			for range t.States {
				sum += c.Occupancy[k*s+g]
				g++
			}
			if sum != c.Trials {
				return fmt.Errorf("counts: occupancy of track %s at point %d sums to %d, want trials = %d", t.Name, k, sum, c.Trials)
			}
		}
	}
	for i, pl := range l.Params {
		var sum int64
		for _, v := range c.ParamCounts(l, i) {
			sum += v
		}
		if sum != c.Trials {
			return fmt.Errorf("counts: histogram of param %s sums to %d, want trials = %d", pl.Name, sum, c.Trials)
		}
	}
	return nil
}
