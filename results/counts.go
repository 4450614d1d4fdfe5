package results

import (
	"fmt"

	"scensim/tally"
)

// Counts are the mergeable integer tallies of a run (the one counts type,
// defined in package tally, which the simulator fills). In terms of a
// [Layout]: P = len(Layout.Points), S = Layout.NumStates(), and the
// histogram blocks of ParamHist follow [ParamLayout.Bin] and
// [Layout.ParamOffset].
type Counts = tally.Counts

// NewCounts returns zeroed counts sized for l.
func NewCounts(l *Layout) *Counts {
	c := tally.New(len(l.Outcomes), l.NumStates(), len(l.Points), l.paramHistLen())
	c.Values = l.newValueTallies()
	return c
}

// ParamCounts returns the histogram block of sampled param i in c
// (underflow, Bins bins, overflow), sharing c's storage.
func (l *Layout) ParamCounts(c *Counts, i int) []int64 {
	off := l.ParamOffset(i)
	return c.ParamHist[off : off+l.Params[i].Bins+2]
}

// CheckCounts reports whether c is consistent with l, for counts loaded
// from a file.
// It checks, in order, that:
//
//   - every slice has the length l implies;
//   - Trials and every counter are >= 0;
//   - per outcome, Hits <= Given <= Trials, and Given == Trials when the
//     outcome is unconditional;
//   - per state, the Entry row (points and "never") sums to Trials;
//   - per point and track, the Occupancy of the track's states sums to Trials
//     (every trial is in exactly one state of each track);
//   - per sampled param, the histogram block sums to Trials;
//   - the per-draw counts of a nested run agree with the totals.
//
// It does not validate l itself; see [Layout.Validate].
func (l *Layout) CheckCounts(c *Counts) error {
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
	if err := l.checkValueCounts(c); err != nil {
		return err
	}
	if err := l.checkEvidenceCounts(c); err != nil {
		return err
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
	if err := checkDrawCounts(c); err != nil {
		return err
	}
	if err := l.checkDrawReached(c); err != nil {
		return err
	}
	if err := l.checkDrawValues(c); err != nil {
		return err
	}
	for i, pl := range l.Params {
		var sum int64
		for _, v := range l.ParamCounts(c, i) {
			sum += v
		}
		if sum != c.Trials {
			return fmt.Errorf("counts: histogram of param %s sums to %d, want trials = %d", pl.Name, sum, c.Trials)
		}
	}
	return nil
}
