package results

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"scensim/snapshot"
)

// Manifest is what a reader needs to reproduce a run: the scenario file (and
// its SHA-256), the seed, the trial count, the time grid, the command-line
// overrides and the tool version. It is part of every rendering.
type Manifest struct {
	Scenario    string   `json:"scenario"`
	Title       string   `json:"title"`
	File        string   `json:"file"`        // scenario file path as given
	FileSHA256  string   `json:"file_sha256"` // hex SHA-256 of the file's bytes
	Seed        uint64   `json:"seed"`
	Trials      int64    `json:"trials"` // trials requested
	Step        string   `json:"step"`   // day | week | month | quarter | year
	Start       string   `json:"start"`  // ISO date of point 0
	End         string   `json:"end"`    // ISO horizon date
	Steps       int      `json:"steps"`
	Overrides   []string `json:"overrides"` // e.g. "p_prelim=0.3", in the order given
	ToolVersion string   `json:"tool_version"`
	Shard       *Shard   `json:"shard,omitempty"` // set on a shard's result only
	// Bases are the files the scenario extends, nearest first, each as
	// "file sha256"; omitted for a scenario that extends none.
	Bases []string `json:"bases,omitempty"`
	// EvidenceFiles are the files given with --evidence, each as
	// "FILE SHA256" (the evidence itself is in Layout.Evidence).
	EvidenceFiles []string `json:"evidence_files,omitempty"`
	// ParamsFixed is the number of params run at a fixed value (no dist,
	// or every param when ParamsFixedAll: a run with params fixed at their
	// values); both are omitted by runs that do not record them.
	ParamsFixed    int  `json:"params_fixed,omitempty"`
	ParamsFixedAll bool `json:"params_fixed_all,omitempty"`
	// AsOf is the scenario's as_of: the date of the information it
	// encodes (omitted when the scenario gives none).
	AsOf string `json:"as_of,omitempty"`
	// AsOfForecast, if not "", is a date YYYY-MM-DD of the run from which
	// the result's tables and reports also show the forecast of a run with
	// evidence (see AsOfTable); a batch job sets it (as_of_forecast:).
	AsOfForecast string `json:"as_of_forecast,omitempty"`
	// Snapshot is the resolved scenario the run used (params, dates,
	// transitions, outcomes), what `scensim diff` compares; results
	// written before it was kept have none.
	Snapshot *snapshot.Scenario `json:"snapshot,omitempty"`
}

// Shard says which slice of a run's trials a result holds: shard K of N
// (0 ≤ K < N) holds trials First .. First+Trials-1 of TotalTrials, with
// First = ⌊K·TotalTrials/N⌋. [Merge] combines the N shards into the result of
// the unsharded run.
type Shard struct {
	K           int   `json:"k"`
	N           int   `json:"n"`
	First       int64 `json:"first"`
	Trials      int64 `json:"trials"`
	TotalTrials int64 `json:"total_trials"`
}

// RunInfo holds run-specific facts that do not affect the counts. It is
// excluded from determinism: only result.json contains it, never the text,
// Markdown or CSV renderings.
type RunInfo struct {
	Workers        int     `json:"workers"`
	ElapsedSeconds float64 `json:"elapsed_seconds"`
	Started        string  `json:"started"` // RFC 3339 time stamp
	// For precision-targeted runs: the target 95% half-width,
	// the number of rounds, and whether every outcome met the target.
	Precision        float64 `json:"precision,omitempty"`
	Rounds           int     `json:"rounds,omitempty"`
	PrecisionReached bool    `json:"precision_reached,omitempty"`
}

// Result is the result document of a run: the manifest, the raw counts with
// their layout, and rows derived from them by [Compute]. The derived rows are
// a pure function of Layout and Counts; [ReadJSON] recomputes them.
type Result struct {
	Manifest Manifest `json:"manifest"`
	Run      RunInfo  `json:"run"`
	Layout   Layout   `json:"layout"`
	Counts   Counts   `json:"counts"`
	// Nested is the design of a nested run (nil for a flat run, and for
	// files written before nested runs).
	Nested     *NestedInfo  `json:"nested,omitempty"`
	Outcomes   []OutcomeRow `json:"outcomes"`    // per outcome, in layout order
	Reached    []ReachedRow `json:"reached"`     // per state, in global state order g
	FirstEntry []EntryRow   `json:"first_entry"` // per state, in global state order g
	// Values are the summaries of the value outcomes, in layout order.
	Values []ValueRow `json:"values,omitempty"`
	// DrawParams are the param values of a nested run's draws (nil for a
	// flat run and for files written without them), and Drivers each
	// outcome's top drivers derived from them and the per-draw counts
	// (see [Result.SetDrawParams]).
	DrawParams *DrawParams               `json:"draw_params,omitempty"`
	Drivers    map[string]OutcomeDrivers `json:"drivers,omitempty"`
	// Evidence describes how a run with evidence was conditioned (nil
	// without evidence); see evidence.go.
	Evidence *EvidenceSummary `json:"evidence,omitempty"`
}

// OutcomeRow is the estimate of one outcome. For an unconditional outcome
// Estimate is Hits/Trials; for a conditional one it is Hits/Given, the
// probability of `when` among the trials where `given` held (undefined, with
// N = 0, if `given` never held).
type OutcomeRow struct {
	Name        string     `json:"name"`
	Why         string     `json:"why"`
	Source      []string   `json:"source"`
	Conditional bool       `json:"conditional"`
	Given       string     `json:"given"` // the given expression; "" if unconditional
	Estimate    Proportion `json:"estimate"`
	OutcomeMeta
	// Range is the range over the assumptions (see [Spread]) of a nested
	// run, nil for a flat run. In a nested run Estimate is the pooled
	// probability with its simulation error for the clustered design
	// (see [ClusterProportion]).
	Range *Spread `json:"range,omitempty"`
}

// ReachedAt is the share of all trials that reached a state at a point dated
// on or before a date: Reached = (trials whose first entry is at a point
// <= Point) / Trials. For Point == -1 (a date before the first point) it is
// 0/Trials.
type ReachedAt struct {
	Name    string     `json:"name"`  // named date, or "horizon"
	Date    string     `json:"date"`  // the named date; for "horizon" the date of the last point
	Point   int        `json:"point"` // last point on or before Date, -1 if none
	Reached Proportion `json:"reached"`
	// Range is the range over the assumptions of a nested run (nil for a
	// flat run), and Reached then carries the simulation error for the
	// clustered design, as for outcomes ([OutcomeRow]).
	Range *Spread `json:"range,omitempty"`
}

// ReachedRow gives, for one state, the probability of having reached it by
// each named date (in layout order) and by the horizon (the last point).
type ReachedRow struct {
	Track   string      `json:"track"`
	State   string      `json:"state"`
	By      []ReachedAt `json:"by"`
	Horizon ReachedAt   `json:"horizon"`
}

// EntryRow describes the first entry into one state. Ever is the share of all
// trials that entered the state at some point (the same number as the
// horizon column of [ReachedRow]); Never is the count that did not. P10,
// Median and P90 are the 10%, 50% and 90% quantiles of the first-entry point
// among the trials that entered it, as ISO dates ("" when no trial entered,
// with the *Point fields then -1). The q-quantile is the smallest point k whose
// cumulative entry count is >= q·entrants (the inverse of the empirical CDF,
// Hyndman & Fan 1996 type 1), so it is always one of the points.
type EntryRow struct {
	Track       string     `json:"track"`
	State       string     `json:"state"`
	Ever        Proportion `json:"ever"`
	Never       int64      `json:"never"`
	P10         string     `json:"p10"`
	Median      string     `json:"median"`
	P90         string     `json:"p90"`
	P10Point    int        `json:"p10_point"`
	MedianPoint int        `json:"median_point"`
	P90Point    int        `json:"p90_point"`
}

// NewResult is [Compute] with validation: it returns an error instead of
// panicking if l is invalid ([Layout.Validate]) or c is inconsistent with l
// ([Layout.CheckCounts]).
func NewResult(l Layout, c Counts, m Manifest, run RunInfo) (*Result, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	if err := l.CheckCounts(&c); err != nil {
		return nil, err
	}
	return compute(l, c, m, run), nil
}

// Compute builds the result document: it stores deep copies of l and c (so
// the caller may reuse them) with m and run, and derives the outcome, reached
// and first-entry rows. It is deterministic. It panics if l is invalid or c is
// inconsistent with l, which is a programming error for counts produced by
// the engine; use [NewResult] for untrusted input.
func Compute(l Layout, c Counts, m Manifest, run RunInfo) *Result {
	r, err := NewResult(l, c, m, run)
	if err != nil {
		panic("results: Compute: " + err.Error())
	}
	return r
}

func compute(l Layout, c Counts, m Manifest, run RunInfo) *Result {
	m.Overrides = cloneSlice(m.Overrides)
	r := &Result{Manifest: m, Run: run, Layout: l.clone(), Counts: *c.Clone()}
	// Reached-by columns are in date order (file order for equal dates),
	// whatever order the scenario names its dates in.
	slices.SortStableFunc(r.Layout.NamedDates, func(a, b NamedDate) int { return strings.Compare(a.Date, b.Date) })
	l, c = r.Layout, r.Counts
	p, s := len(l.Points), l.NumStates()

	r.Outcomes = make([]OutcomeRow, len(l.Outcomes))
	for i, o := range l.Outcomes {
		n := c.Trials
		if o.Conditional() {
			n = c.Given[i]
		}
		r.Outcomes[i] = OutcomeRow{
			Name: o.Name, Why: o.Why, Source: cloneSlice(o.Source),
			Conditional: o.Conditional(), Given: o.Given,
			Estimate: NewProportion(c.Hits[i], n), OutcomeMeta: o.OutcomeMeta,
		}
		if c.Nested() {
			h, n := drawColumn(&c, i)
			r.Outcomes[i].Estimate = ClusterProportion(h, n)
			sp := drawRangeFor(&c, h, n)
			r.Outcomes[i].Range = &sp
		}
	}
	if c.Nested() {
		r.Nested = &NestedInfo{Draws: c.Draws(), PerDraw: c.PerDraw}
	}

	r.Values = computeValues(&l, &c)

	r.Reached = make([]ReachedRow, s)
	r.FirstEntry = make([]EntryRow, s)
	cum := make([]int64, p) // cum[k]: trials whose first entry is at a point <= k
	for g := range s {
		track, state := l.State(g)
		entry := c.Entry[g*(p+1) : (g+1)*(p+1)]
		var sum int64
		for k := range p {
			sum += entry[k]
			cum[k] = sum
		}
		reachedBy := func(k int) int64 {
			if k < 0 {
				return 0
			}
			return cum[k]
		}
		row := ReachedRow{Track: track, State: state, By: make([]ReachedAt, len(l.NamedDates))}
		for j, d := range l.NamedDates {
			row.By[j] = ReachedAt{Name: d.Name, Date: d.Date, Point: d.Point, Reached: NewProportion(reachedBy(d.Point), c.Trials)}
		}
		row.Horizon = ReachedAt{Name: "horizon", Date: l.Points[p-1], Point: p - 1, Reached: NewProportion(cum[p-1], c.Trials)}
		if c.Nested() {
			for j := range row.By {
				row.By[j].Reached, row.By[j].Range = drawReached(&c, g, j, len(l.NamedDates)+1)
			}
			row.Horizon.Reached, row.Horizon.Range = drawReached(&c, g, len(l.NamedDates), len(l.NamedDates)+1)
		}
		r.Reached[g] = row

		entrants := cum[p-1]
		e := EntryRow{Track: track, State: state, Ever: row.Horizon.Reached, Never: entry[p],
			P10Point: -1, MedianPoint: -1, P90Point: -1}
		if entrants > 0 {
			quantile := func(num, den int64) int {
				for k := range p {
					if cum[k]*den >= num*entrants {
						return k
					}
				}
				return p - 1 // unreachable: cum[p-1] == entrants
			}
			e.P10Point, e.MedianPoint, e.P90Point = quantile(1, 10), quantile(1, 2), quantile(9, 10)
			e.P10, e.Median, e.P90 = l.Points[e.P10Point], l.Points[e.MedianPoint], l.Points[e.P90Point]
		}
		r.FirstEntry[g] = e
	}
	r.Evidence = evidenceSummary(&r.Layout, &r.Counts)
	return r
}

// OccupancyShare returns the share of trials in global state g at point k:
// Occupancy[k*S+g] / Trials, NaN if Trials == 0. It panics if g or k is out of
// range.
func (r *Result) OccupancyShare(g, k int) float64 {
	s, p := r.Layout.NumStates(), len(r.Layout.Points)
	if g < 0 || g >= s || k < 0 || k >= p {
		panic(fmt.Sprintf("results: OccupancyShare(%d, %d) out of range (%d states, %d points)", g, k, s, p))
	}
	if r.Counts.Trials == 0 {
		return math.NaN()
	}
	return float64(r.Counts.Occupancy[k*s+g]) / float64(r.Counts.Trials)
}

// Validate checks that r can be rendered: a valid layout, counts consistent
// with it, and derived rows of the right number (one per outcome, one per
// state, one reached column per named date). Every writer calls it first and
// writes nothing if it fails.
func (r *Result) Validate() error {
	if r == nil {
		return fmt.Errorf("results: nil result")
	}
	if err := r.Layout.Validate(); err != nil {
		return err
	}
	if err := r.Layout.CheckCounts(&r.Counts); err != nil {
		return err
	}
	if err := checkDrawParams(&r.Layout, &r.Counts, r.DrawParams); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	s := r.Layout.NumStates()
	if len(r.Outcomes) != len(r.Layout.Outcomes) || len(r.Reached) != s || len(r.FirstEntry) != s {
		return fmt.Errorf("results: derived rows do not match the layout (use Compute)")
	}
	for _, row := range r.Reached {
		if len(row.By) != len(r.Layout.NamedDates) {
			return fmt.Errorf("results: derived rows do not match the layout (use Compute)")
		}
	}
	return nil
}
