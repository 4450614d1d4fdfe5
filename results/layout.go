package results

import (
	"fmt"
	"math"
	"time"

	"scensim/dist"
)

// DateLayout is the layout of every date string in this package: an ISO 8601
// calendar date, YYYY-MM-DD. Such strings order lexicographically as dates.
const DateLayout = "2006-01-02"

// Layout describes what was counted: the calendar points, the named dates, the
// states of every track, the outcomes and the sampled parameters. It fixes the
// sizes and index order of every [Counts] slice.
type Layout struct {
	Scenario   string          `json:"scenario"` // scenario name
	Title      string          `json:"title"`
	Points     []string        `json:"points"`      // ISO dates (YYYY-MM-DD) of points 0..Steps, strictly increasing; len = Steps+1 >= 1
	NamedDates []NamedDate     `json:"named_dates"` // in file order; a Result's in date order (see compute)
	Tracks     []TrackLayout   `json:"tracks"`      // in file order
	Outcomes   []OutcomeLayout `json:"outcomes"`    // in file order
	Params     []ParamLayout   `json:"params"`      // only sampled params, in file order
	// Values are the value outcomes (a number per trial), in file order.
	Values []ValueLayout `json:"values,omitempty"`
	// Evidence lists the observed facts a conditioned run kept its trials
	// by (see evidence.go); empty for a run without evidence.
	Evidence []EvidenceItem `json:"evidence,omitempty"`
}

// NamedDate is a named date of the scenario. Point is the index of the last
// point dated on or before Date, or -1 if Date is before the first point. A
// date after the last point has Point = len(Points)-1: the run cannot see
// beyond its last point, so "reached by" such a date means "reached by the
// last point".
type NamedDate struct {
	Name  string `json:"name"`
	Date  string `json:"date"`
	Point int    `json:"point"`
	// Internal marks a date that only checks and conditional outcomes use:
	// charts do not draw it.
	Internal bool `json:"internal,omitempty"`
}

// TrackLayout is one state machine: its name and its states in file order.
type TrackLayout struct {
	Name   string   `json:"name"`
	States []string `json:"states"`
}

// OutcomeLayout is one outcome. Given is the text of the `given` expression,
// or "" if the outcome is unconditional.
type OutcomeLayout struct {
	Name   string   `json:"name"`
	Why    string   `json:"why"`
	Source []string `json:"source"`
	Given  string   `json:"given"`
	OutcomeMeta
}

// OutcomeMeta says how readers see an outcome: the group it is shown in
// ("" for none; groups are shown in the order they first appear), whether
// it is a headline outcome (shown first and alone in a summary), and the
// question it answers in plain words. Results written before these fields
// existed read with them empty.
type OutcomeMeta struct {
	Group    string `json:"group,omitempty"`
	Headline bool   `json:"headline,omitempty"`
	Question string `json:"question,omitempty"`
}

// Conditional reports whether the outcome has a `given` predicate.
func (o OutcomeLayout) Conditional() bool { return o.Given != "" }

// ParamLayout is one sampled parameter and the histogram of its draws: Bins
// equal bins on [Lo, Hi), plus an underflow and an overflow bin (see
// [ParamLayout.Bin]).
//
// Kind and Args name the distribution in the registry of package dist (the
// arguments evaluated, so that constant expressions are resolved); files
// written before they were recorded lack them, and are read with Kind "".
type ParamLayout struct {
	Name string    `json:"name"`
	Dist string    `json:"dist"` // distribution text, e.g. "beta(5, 15)"
	Kind string    `json:"kind,omitempty"`
	Args []float64 `json:"args,omitempty"`
	Lo   float64   `json:"lo"`
	Hi   float64   `json:"hi"`
	Bins int       `json:"bins"`
}

// Distribution returns the param's distribution from the registry of package
// dist, or nil and no error if the layout does not record it (Kind "", a
// file written before kinds were recorded). The error says why Kind and Args
// do not make a distribution.
func (p ParamLayout) Distribution() (*dist.Dist, error) {
	if p.Kind == "" {
		if len(p.Args) > 0 {
			return nil, fmt.Errorf("layout: param %s has dist arguments but no kind", p.Name)
		}
		return nil, nil
	}
	d, err := dist.New(p.Kind, p.Args)
	if err != nil {
		return nil, fmt.Errorf("layout: param %s: %v", p.Name, err)
	}
	return d, nil
}

// Bin returns the index of x within the param's histogram block of Bins+2
// counters: 0 for x < Lo (underflow), 1..Bins for the equal bins of [Lo, Hi)
// (bin b covers [Lo+(b-1)w, Lo+b·w) with w = (Hi-Lo)/Bins), Bins+1 for
// x >= Hi (overflow). NaN counts as overflow. Rounding never puts an x < Hi in
// the overflow bin.
func (p ParamLayout) Bin(x float64) int {
	switch {
	case math.IsNaN(x) || x >= p.Hi:
		return p.Bins + 1
	case x < p.Lo:
		return 0
	}
	b := int(math.Floor((x - p.Lo) / (p.Hi - p.Lo) * float64(p.Bins)))
	b = min(max(b, 0), p.Bins-1)
	return b + 1
}

// NumPoints returns P = len(Points).
func (l *Layout) NumPoints() int { return len(l.Points) }

// NumStates returns S, the total number of states over all tracks.
func (l *Layout) NumStates() int {
	s := 0
	for _, t := range l.Tracks {
		s += len(t.States)
	}
	return s
}

// StateIndex returns the global state index g of state in track, or -1 if
// there is no such state. g runs over tracks in order, then states in order.
func (l *Layout) StateIndex(track, state string) int {
	g := 0
	for _, t := range l.Tracks {
		for _, s := range t.States {
			if t.Name == track && s == state {
				return g
			}
			g++
		}
	}
	return -1
}

// State returns the track and state names of global state index g. It panics
// if g is out of range.
func (l *Layout) State(g int) (track, state string) {
	if g >= 0 {
		for _, t := range l.Tracks {
			if g < len(t.States) {
				return t.Name, t.States[g]
			}
			g -= len(t.States)
		}
	}
	panic(fmt.Sprintf("results: state index %d out of range", g))
}

// EntryIndex returns the index in [Counts.Entry] of (state g, point k), with
// k == NumPoints() meaning "never entered".
func (l *Layout) EntryIndex(g, k int) int { return g*(len(l.Points)+1) + k }

// OccupancyIndex returns the index in [Counts.Occupancy] of (point k, state g).
func (l *Layout) OccupancyIndex(k, g int) int { return k*l.NumStates() + g }

// ParamOffset returns the index in [Counts.ParamHist] of the first counter
// (the underflow bin) of sampled param i; the block has Params[i].Bins+2
// counters, indexed by [ParamLayout.Bin].
func (l *Layout) ParamOffset(i int) int {
	off := 0
	for _, p := range l.Params[:i] {
		off += p.Bins + 2
	}
	return off
}

// paramHistLen is the total length of Counts.ParamHist.
func (l *Layout) paramHistLen() int { return l.ParamOffset(len(l.Params)) }

// PointOf returns the index of the last point dated on or before date, or -1
// if date is before the first point: the rule that defines [NamedDate.Point].
// date must be a valid ISO date.
func (l *Layout) PointOf(date string) int {
	k := -1
	for i, p := range l.Points {
		if p <= date { // ISO dates order lexicographically
			k = i
		}
	}
	return k
}

// Validate checks that the layout is self-consistent: at least one point, all
// dates valid ISO dates, points strictly increasing, every NamedDate.Point
// following the rule of [Layout.PointOf], names non-empty and unique (tracks
// among tracks, states within their track, outcomes among outcomes, params
// among params, named dates among named dates), every track with at least one
// state, every param with Bins >= 1, finite Lo < Hi, and a Kind and Args
// that make a distribution (or no Kind and no Args).
func (l *Layout) Validate() error {
	if err := l.validateValues(); err != nil {
		return err
	}
	if len(l.Points) == 0 {
		return fmt.Errorf("layout: no points")
	}
	for i, p := range l.Points {
		if err := checkDate(p); err != nil {
			return fmt.Errorf("layout: point %d: %v", i, err)
		}
		if i > 0 && p <= l.Points[i-1] {
			return fmt.Errorf("layout: point %d (%s) is not after point %d (%s)", i, p, i-1, l.Points[i-1])
		}
	}
	names := map[string]bool{}
	for _, d := range l.NamedDates {
		if err := checkName("named date", d.Name, names); err != nil {
			return err
		}
		if err := checkDate(d.Date); err != nil {
			return fmt.Errorf("layout: named date %s: %v", d.Name, err)
		}
		if want := l.PointOf(d.Date); d.Point != want {
			return fmt.Errorf("layout: named date %s (%s) has point %d, want %d", d.Name, d.Date, d.Point, want)
		}
	}
	names = map[string]bool{}
	for _, t := range l.Tracks {
		if err := checkName("track", t.Name, names); err != nil {
			return err
		}
		if len(t.States) == 0 {
			return fmt.Errorf("layout: track %s has no states", t.Name)
		}
		states := map[string]bool{}
		for _, s := range t.States {
			if err := checkName("state of track "+t.Name, s, states); err != nil {
				return err
			}
		}
	}
	names = map[string]bool{}
	for _, o := range l.Outcomes {
		if err := checkName("outcome", o.Name, names); err != nil {
			return err
		}
	}
	names = map[string]bool{}
	for _, p := range l.Params {
		if err := checkName("param", p.Name, names); err != nil {
			return err
		}
		if p.Bins < 1 {
			return fmt.Errorf("layout: param %s has %d bins, want >= 1", p.Name, p.Bins)
		}
		if math.IsNaN(p.Lo) || math.IsInf(p.Lo, 0) || math.IsNaN(p.Hi) || math.IsInf(p.Hi, 0) || !(p.Lo < p.Hi) {
			return fmt.Errorf("layout: param %s has histogram range [%v, %v), want finite lo < hi", p.Name, p.Lo, p.Hi)
		}
		if _, err := p.Distribution(); err != nil {
			return err
		}
	}
	return nil
}

func checkDate(s string) error {
	t, err := time.Parse(DateLayout, s)
	if err != nil || t.Format(DateLayout) != s {
		return fmt.Errorf("%q is not an ISO date (YYYY-MM-DD)", s)
	}
	return nil
}

func checkName(what, name string, seen map[string]bool) error {
	if name == "" {
		return fmt.Errorf("layout: empty %s name", what)
	}
	if seen[name] {
		return fmt.Errorf("layout: duplicate %s %q", what, name)
	}
	seen[name] = true
	return nil
}

// clone returns a deep copy of l in which every slice is non-nil (so JSON
// shows [] rather than null for an empty list).
func (l Layout) clone() Layout {
	c := l
	c.Points = cloneSlice(l.Points)
	c.NamedDates = cloneSlice(l.NamedDates)
	c.Tracks = make([]TrackLayout, len(l.Tracks))
	for i, t := range l.Tracks {
		c.Tracks[i] = TrackLayout{Name: t.Name, States: cloneSlice(t.States)}
	}
	c.Outcomes = make([]OutcomeLayout, len(l.Outcomes))
	for i, o := range l.Outcomes {
		o.Source = cloneSlice(o.Source)
		c.Outcomes[i] = o
	}
	c.Params = cloneSlice(l.Params)
	c.Values = cloneValueLayouts(l.Values)
	if l.Evidence != nil {
		c.Evidence = cloneSlice(l.Evidence)
	}
	return c
}

// cloneSlice returns a shallow copy of s that is never nil.
func cloneSlice[T any](s []T) []T { return append(make([]T, 0, len(s)), s...) }
