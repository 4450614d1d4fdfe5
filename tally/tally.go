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
//
// A nested run (see [Counts.Nested]) also keeps per-draw counts: trial t
// belongs to parameter draw d = ⌊t/PerDraw⌋, and with O outcomes
//
//   - DrawTrials[d]: trials of draw d counted;
//   - DrawHits[d*O+i], DrawGiven[d*O+i]: outcome i's hits and given
//     counts among them;
//   - DrawReached[(d*S+g)*W+j], with W = (number of named dates)+1: trials
//     of draw d that had entered state g by named date j (j < W−1, in the
//     scenario's order of dates), or at all (j = W−1, by the horizon);
//   - DrawValues[d*V+j], with V value outcomes: value outcome j's tally
//     over the trials of draw d (exact integer sums, no histogram; see
//     Value), from which a value's mean per draw follows.
//
// A run conditioned on evidence (Conditioned) counts every field above
// over the accepted trials only (Trials included), and counts the trials
// the evidence rejected in Rejected and, nested, per draw in
// DrawRejected[d]: draw d ran DrawTrials[d]+DrawRejected[d] trials.
// RejectedHist has the layout of ParamHist and counts the rejected trials'
// param values: ParamHist is the posterior histogram, ParamHist +
// RejectedHist the prior one.
//
// The draw slices run from draw 0 to the last draw counted (one entry per
// draw in DrawTrials, O, S·W or V in the others), and Merge extends them to
// the longer of the two: counts of trial ranges that split a draw (workers,
// shards) still sum exactly. A flat run has PerDraw 0 and no draw slices.
type Counts struct {
	Trials      int64   `json:"trials"`
	Hits        []int64 `json:"hits"`
	Given       []int64 `json:"given"`
	Entry       []int64 `json:"entry"`
	Occupancy   []int64 `json:"occupancy"`
	ParamHist   []int64 `json:"param_hist"`
	PerDraw     int64   `json:"per_draw,omitempty"`
	DrawTrials  []int64 `json:"draw_trials,omitempty"`
	DrawHits    []int64 `json:"draw_hits,omitempty"`
	DrawGiven   []int64 `json:"draw_given,omitempty"`
	DrawReached []int64 `json:"draw_reached,omitempty"`
	// Values holds one tally per value outcome, in file order (see Value).
	Values     []Value `json:"values,omitempty"`
	DrawValues []Value `json:"draw_values,omitempty"`
	// Conditioned marks counts of a run with evidence; Rejected and
	// DrawRejected count the trials it rejected (see above).
	Conditioned  bool    `json:"conditioned,omitempty"`
	Rejected     int64   `json:"rejected,omitempty"`
	DrawRejected []int64 `json:"draw_rejected,omitempty"`
	RejectedHist []int64 `json:"rejected_hist,omitempty"`
}

// Ran returns the number of trials run: accepted plus rejected.
func (c *Counts) Ran() int64 { return c.Trials + c.Rejected }

// Nested reports whether the counts come from a nested run (PerDraw > 0).
func (c *Counts) Nested() bool { return c.PerDraw > 0 }

// Draws returns the number of draws the per-draw counts cover (0 for a
// flat run).
func (c *Counts) Draws() int { return len(c.DrawTrials) }

// SetNested makes c the counts of a nested run with perDraw trials per
// draw, with per-draw slices sized for draws draws (all zero); reached is
// the number of reached-by counters per draw, S·W.
func (c *Counts) SetNested(perDraw int64, draws, reached int) {
	c.PerDraw = perDraw
	c.DrawTrials = make([]int64, draws)
	c.DrawHits = make([]int64, draws*len(c.Hits))
	c.DrawGiven = make([]int64, draws*len(c.Hits))
	c.DrawReached = make([]int64, draws*reached)
	c.DrawValues = nil
	if len(c.Values) > 0 {
		c.DrawValues = make([]Value, draws*len(c.Values))
	}
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

// Merge adds o into c elementwise (Trials and per-draw counts included;
// see [Counts]); flat counts without trials take o's nesting. The sum is
// exact (no overflow check: int64 tallies of trial counts cannot
// realistically overflow). It panics if the slice lengths of c and o differ, which is a
// programming error (counts of different runs), and likewise if the two
// have different PerDraw (or one is flat and the other nested, both with
// trials); c is then unchanged.
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
	flatWithNested := (c.PerDraw == 0 && c.Trials > 0 && o.PerDraw != 0) || (o.PerDraw == 0 && o.Trials > 0 && c.PerDraw != 0)
	if flatWithNested || (c.PerDraw != 0 && o.PerDraw != 0 && c.PerDraw != o.PerDraw) {
		panic(fmt.Sprintf("tally: Counts.Merge: %d trials per draw, other has %d", c.PerDraw, o.PerDraw))
	}
	if err := checkValues(c.Values, o.Values); err != nil {
		panic("tally: Counts.Merge: " + err.Error())
	}
	for i := range o.Values {
		c.Values[i].Merge(&o.Values[i])
	}
	c.Trials += o.Trials
	c.Rejected += o.Rejected
	c.Conditioned = c.Conditioned || o.Conditioned
	if o.RejectedHist != nil {
		c.RejectedHist = addGrow(c.RejectedHist, o.RejectedHist)
	}
	for _, f := range fields {
		for i, v := range f.src {
			f.dst[i] += v
		}
	}
	if o.PerDraw != 0 {
		c.PerDraw = o.PerDraw
		c.DrawTrials = addGrow(c.DrawTrials, o.DrawTrials)
		c.DrawHits = addGrow(c.DrawHits, o.DrawHits)
		c.DrawGiven = addGrow(c.DrawGiven, o.DrawGiven)
		c.DrawReached = addGrow(c.DrawReached, o.DrawReached)
		c.DrawValues = mergeGrow(c.DrawValues, o.DrawValues)
		if o.DrawRejected != nil {
			c.DrawRejected = addGrow(c.DrawRejected, o.DrawRejected)
		}
	}
}

// mergeGrow merges the per-draw value tallies src into dst, first
// extending dst with zero tallies to the length of src if it is shorter.
// Every tally merge is exact, so the result does not depend on how the
// trials were split.
func mergeGrow(dst, src []Value) []Value {
	if len(dst) < len(src) {
		dst = append(dst, make([]Value, len(src)-len(dst))...)
	}
	for i := range src {
		dst[i].Merge(&src[i])
	}
	return dst
}

// addGrow adds src into dst elementwise, first extending dst with zeros
// to the length of src if it is shorter.
func addGrow(dst, src []int64) []int64 {
	if len(dst) < len(src) {
		dst = append(dst, make([]int64, len(src)-len(dst))...)
	}
	for i, v := range src {
		dst[i] += v
	}
	return dst
}

// Clone returns a deep copy of c whose slices are never nil.
func (c *Counts) Clone() *Counts {
	return &Counts{
		Trials:      c.Trials,
		Hits:        cloneInts(c.Hits),
		Given:       cloneInts(c.Given),
		Entry:       cloneInts(c.Entry),
		Occupancy:   cloneInts(c.Occupancy),
		ParamHist:   cloneInts(c.ParamHist),
		PerDraw:     c.PerDraw,
		DrawTrials:  cloneDraws(c.DrawTrials),
		DrawHits:    cloneDraws(c.DrawHits),
		DrawGiven:   cloneDraws(c.DrawGiven),
		DrawReached: cloneDraws(c.DrawReached),
		Values:      cloneValues(c.Values),
		DrawValues:  cloneValues(c.DrawValues),

		Conditioned:  c.Conditioned,
		Rejected:     c.Rejected,
		DrawRejected: cloneDraws(c.DrawRejected),
		RejectedHist: cloneDraws(c.RejectedHist),
	}
}

// cloneDraws copies a per-draw slice, keeping nil as nil (a flat run).
func cloneDraws(s []int64) []int64 {
	if s == nil {
		return nil
	}
	return cloneInts(s)
}

func cloneInts(s []int64) []int64 { return append(make([]int64, 0, len(s)), s...) }
