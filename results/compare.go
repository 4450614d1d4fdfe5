package results

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"scensim/model"
	"scensim/sim"
)

// A comparison of scenarios run with common random numbers (sim.RunPaired):
// for every outcome and every (state, named date or horizon) reached-by
// cell, each scenario's probability with its Wilson interval and, for every
// scenario after the first, its difference from the first with a 95%
// interval.
//
// What is paired. An unconditional outcome or a reached-by cell is a yes/no
// answer of every trial in every scenario: its difference is paired, trial
// by trial, and its interval is Newcombe's paired interval
// ([NewcombePaired]) from the 2×2 table of answers (yes in both, yes only in
// the first, yes only in the other, no in both). A conditional outcome
// (given:) is a share of the trials where its given held, and those are not
// the same trials in two scenarios: its difference is compared unpaired,
// with Newcombe's hybrid score interval ([NewcombeUnpaired]) over each
// scenario's own given-trials, and marked as unpaired. Its interval is then
// conservative: it ignores the correlation that common random numbers still
// create.
//
// Rows are matched by name: outcomes by name, reached-by cells by
// "track.state" and date name, each scenario using its own date (so if a
// variant moves `summer`, "by summer" means its own summer; the assumption
// diff shows the move). A row one scenario lacks has no estimate there and no
// difference.

// CompareFormat identifies a compare.json file.
const CompareFormat = "scensim-compare/1"

// Comparison is the result of a paired comparison.
type Comparison struct {
	Format      string             `json:"format"`
	Seed        uint64             `json:"seed"`
	Trials      int64              `json:"trials"` // paired trials, the same in every scenario
	ToolVersion string             `json:"tool_version"`
	Scenarios   []ComparedScenario `json:"scenarios"`
	// Assumptions lists what differs between the scenarios (one value per
	// scenario; "" where a scenario lacks the element).
	Assumptions []AssumptionRow `json:"assumptions"`
	Rows        []CompareRow    `json:"rows"`
	Run         RunInfo         `json:"run"`
}

// ComparedScenario identifies one scenario of a comparison.
type ComparedScenario struct {
	Label         string   `json:"label"` // as shown in tables: the scenario name, or e.g. "H8 off"
	Scenario      string   `json:"scenario"`
	Title         string   `json:"title"`
	File          string   `json:"file"`
	FileSHA256    string   `json:"file_sha256"`
	Bases         []string `json:"bases"` // "file sha256" of each base, nearest first
	Overrides     []string `json:"overrides"`
	Disabled      []string `json:"disabled"`
	DisabledNotes []string `json:"disabled_notes"`
}

// AssumptionRow is one element that differs between the scenarios.
type AssumptionRow struct {
	What   string   `json:"what"`   // "param p_ground_force", "transition linkage: link_agendas", ...
	Values []string `json:"values"` // per scenario; "" if absent
}

// CompareRow is one outcome or reached-by cell across the scenarios.
type CompareRow struct {
	Kind        string        `json:"kind"`         // "outcome" or "reached"
	Name        string        `json:"name"`         // the outcome, or "track.state"
	By          string        `json:"by,omitempty"` // reached: the named date, or "horizon"
	Conditional bool          `json:"conditional"`  // an outcome with a given in some scenario
	Estimates   []*Proportion `json:"estimates"`    // per scenario; null where it lacks the row
	Diffs       []*Difference `json:"diffs"`        // per scenario; null for the first and where either lacks the row
}

// Label is the row's name as tables show it: "outcome" or "track.state @ date".
func (r CompareRow) Label() string {
	if r.Kind == "reached" {
		return r.Name + " @ " + r.By
	}
	return r.Name
}

// Difference is one scenario's difference from the first, P − P(first).
type Difference struct {
	D      float64 `json:"d"`
	Lo     float64 `json:"lo"`
	Hi     float64 `json:"hi"`
	Paired bool    `json:"paired"` // false: a conditional outcome, compared unpaired
	// Paired: the discordant trials, yes here and no in the first (Gain)
	// and the other way round (Loss); D = (Gain − Loss)/Trials.
	Gain int64 `json:"gain"`
	Loss int64 `json:"loss"`
	// IndepLo, IndepHi: the interval that independent runs of the same
	// sizes would give (Newcombe's hybrid score interval of the two
	// margins); for an unpaired row, the interval itself.
	IndepLo float64 `json:"indep_lo"`
	IndepHi float64 `json:"indep_hi"`
	// WidthRatio = (Hi − Lo)/(IndepHi − IndepLo): how much common random
	// numbers narrowed the interval (1 when unpaired; NaN if undefined).
	WidthRatio  float64 `json:"width_ratio"`
	Significant bool    `json:"significant"` // the interval excludes 0
}

// differenceJSON is the wire form of Difference: NaN becomes null.
type differenceJSON struct {
	D           *float64 `json:"d"`
	Lo          *float64 `json:"lo"`
	Hi          *float64 `json:"hi"`
	Paired      bool     `json:"paired"`
	Gain        int64    `json:"gain"`
	Loss        int64    `json:"loss"`
	IndepLo     *float64 `json:"indep_lo"`
	IndepHi     *float64 `json:"indep_hi"`
	WidthRatio  *float64 `json:"width_ratio"`
	Significant bool     `json:"significant"`
}

// MarshalJSON writes d with null for NaN.
func (d Difference) MarshalJSON() ([]byte, error) {
	return json.Marshal(differenceJSON{nanToNil(d.D), nanToNil(d.Lo), nanToNil(d.Hi), d.Paired, d.Gain, d.Loss,
		nanToNil(d.IndepLo), nanToNil(d.IndepHi), nanToNil(d.WidthRatio), d.Significant})
}

// UnmarshalJSON reads the form MarshalJSON writes.
func (d *Difference) UnmarshalJSON(b []byte) error {
	var w differenceJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*d = Difference{nilToNaN(w.D), nilToNaN(w.Lo), nilToNaN(w.Hi), w.Paired, w.Gain, w.Loss,
		nilToNaN(w.IndepLo), nilToNaN(w.IndepHi), nilToNaN(w.WidthRatio), w.Significant}
	return nil
}

// Defined reports whether the difference has a value.
func (d *Difference) Defined() bool { return d != nil && !math.IsNaN(d.D) }

// CompareLayout is the set of rows a comparison of plans asks about, and
// the probes (sim.RunPaired's questions) that answer them.
type CompareLayout struct {
	Rows   []CompareRow  // without estimates
	Probes [][]sim.Probe // Probes[r][j]: row r in plan j
}

// NewCompareLayout lists the rows of a comparison: every outcome of any
// plan (the first plan's in its order, then those the others add), then,
// for every state of any plan, reached by each named date of any plan and
// by the horizon.
func NewCompareLayout(plans []*model.Plan) *CompareLayout {
	l := &CompareLayout{}
	var outcomes []string
	cond := map[string]bool{}
	for _, p := range plans {
		for _, o := range p.Outcomes {
			if !slices.Contains(outcomes, o.Name) {
				outcomes = append(outcomes, o.Name)
			}
			cond[o.Name] = cond[o.Name] || o.Given != nil
		}
	}
	for _, name := range outcomes {
		row := make([]sim.Probe, len(plans))
		for j, p := range plans {
			row[j] = sim.Absent
			for i, o := range p.Outcomes {
				if o.Name == name {
					row[j] = sim.Probe{Outcome: i, State: -1, Point: -1}
				}
			}
		}
		l.Rows = append(l.Rows, CompareRow{Kind: "outcome", Name: name, Conditional: cond[name]})
		l.Probes = append(l.Probes, row)
	}
	var states, dates []string
	for _, p := range plans {
		for g := range p.States {
			if n := p.FullName(g); !slices.Contains(states, n) {
				states = append(states, n)
			}
		}
		for _, d := range p.Dates {
			if !slices.Contains(dates, d.Name) {
				dates = append(dates, d.Name)
			}
		}
	}
	dates = append(dates, "horizon")
	for _, st := range states {
		for _, by := range dates {
			row := make([]sim.Probe, len(plans))
			for j, p := range plans {
				row[j] = sim.Absent
				g := stateIndex(p, st)
				if g < 0 {
					continue
				}
				if by == "horizon" {
					row[j] = sim.Probe{Outcome: -1, State: g, Point: p.Steps}
					continue
				}
				for _, d := range p.Dates {
					if d.Name == by {
						row[j] = sim.Probe{Outcome: -1, State: g, Point: min(d.Point, p.Steps)}
					}
				}
			}
			l.Rows = append(l.Rows, CompareRow{Kind: "reached", Name: st, By: by})
			l.Probes = append(l.Probes, row)
		}
	}
	return l
}

func stateIndex(p *model.Plan, full string) int {
	for g := range p.States {
		if p.FullName(g) == full {
			return g
		}
	}
	return -1
}

// Build derives the comparison from a paired run of plans over l.Probes.
// labels name the scenarios in tables (nil: the plan names).
func (l *CompareLayout) Build(plans []*model.Plan, labels []string, pt *sim.PairedTally, seed uint64, toolVersion string, run RunInfo) (*Comparison, error) {
	if len(pt.Tallies) != len(plans) || len(pt.Joint) != len(l.Rows) {
		return nil, fmt.Errorf("results: the paired run does not match the comparison (%d plans, %d rows)", len(plans), len(l.Rows))
	}
	if labels == nil {
		for _, p := range plans {
			labels = append(labels, p.Name)
		}
	}
	c := &Comparison{Format: CompareFormat, Seed: seed, Trials: pt.Trials, ToolVersion: toolVersion, Run: run}
	for j, p := range plans {
		cs := ComparedScenario{
			Label: labels[j], Scenario: p.Name, Title: p.Title, File: p.File, FileSHA256: p.SHA256,
			Overrides: cloneSlice(p.Overrides), Disabled: cloneSlice(p.Disabled), DisabledNotes: cloneSlice(p.DisabledNotes),
		}
		for _, b := range p.Bases {
			cs.Bases = append(cs.Bases, b.File+" "+b.SHA256)
		}
		c.Scenarios = append(c.Scenarios, cs)
	}
	c.Assumptions = DiffAssumptions(plans)
	n := pt.Trials
	for r, spec := range l.Rows {
		row := spec
		row.Estimates = make([]*Proportion, len(plans))
		row.Diffs = make([]*Difference, len(plans))
		probes := l.Probes[r]
		for j, p := range plans {
			q := probes[j]
			if q.IsAbsent() {
				continue
			}
			t := pt.Tallies[j]
			var e Proportion
			if q.Outcome >= 0 {
				den := t.Trials
				if p.Outcomes[q.Outcome].Given != nil {
					den = t.Given[q.Outcome]
				}
				e = NewProportion(t.Hits[q.Outcome], den)
			} else {
				P := p.Steps + 1
				var k int64
				for point := 0; point <= q.Point; point++ {
					k += t.Entry[q.State*(P+1)+point]
				}
				e = NewProportion(k, t.Trials)
			}
			row.Estimates[j] = &e
		}
		for j := 1; j < len(plans); j++ {
			if probes[0].IsAbsent() || probes[j].IsAbsent() {
				continue
			}
			e0, ej := row.Estimates[0], row.Estimates[j]
			paired := row.Kind == "reached" || plans[0].Outcomes[probes[0].Outcome].Given == nil && plans[j].Outcomes[probes[j].Outcome].Given == nil
			d := &Difference{D: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), IndepLo: math.NaN(), IndepHi: math.NaN(), WidthRatio: math.NaN(), Paired: paired}
			if ej.N > 0 && e0.N > 0 {
				d.D = ej.P - e0.P
				d.IndepLo, d.IndepHi = NewcombeUnpaired(ej.K, ej.N, e0.K, e0.N, Z95)
				if paired {
					jt := pt.Joint[r][j]
					both, gain, loss := jt.At(1, 1), jt.At(0, 1), jt.At(1, 0)
					d.Gain, d.Loss = gain, loss
					d.D = float64(gain-loss) / float64(n)
					d.Lo, d.Hi = NewcombePaired(both, gain, loss, n-both-gain-loss, Z95)
					if w := d.IndepHi - d.IndepLo; w > 0 {
						d.WidthRatio = (d.Hi - d.Lo) / w
					}
				} else {
					d.Lo, d.Hi = d.IndepLo, d.IndepHi
					d.WidthRatio = 1
				}
				d.Significant = d.Lo > 0 || d.Hi < 0
			}
			row.Diffs[j] = d
		}
		c.Rows = append(c.Rows, row)
	}
	return c, nil
}

// CRNGain summarises how much common random numbers narrowed the intervals
// of scenario j's differences from the first: the median width ratio over
// the paired rows of the given kind ("outcome" or "reached") whose
// independent interval has a width, and how many rows that is.
func (c *Comparison) CRNGain(j int, kind string) (median float64, rows int) {
	var ratios []float64
	for _, r := range c.Rows {
		if r.Kind != kind {
			continue
		}
		if d := r.Diffs[j]; d.Defined() && d.Paired && !math.IsNaN(d.WidthRatio) {
			ratios = append(ratios, d.WidthRatio)
		}
	}
	if len(ratios) == 0 {
		return math.NaN(), 0
	}
	sort.Float64s(ratios)
	m := len(ratios) / 2
	if len(ratios)%2 == 1 {
		return ratios[m], len(ratios)
	}
	return (ratios[m-1] + ratios[m]) / 2, len(ratios)
}

// DiffAssumptions lists the elements that differ between the plans: the
// time grid, named dates, params (value or distribution), vars, states,
// transitions (states, probability or rate, guard, effects), outcomes, the
// hypotheses cited and those switched off.
func DiffAssumptions(plans []*model.Plan) []AssumptionRow {
	var rows []AssumptionRow
	add := func(what string, describe func(p *model.Plan) string) {
		vals := make([]string, len(plans))
		differ := false
		for j, p := range plans {
			vals[j] = describe(p)
			differ = differ || vals[j] != vals[0]
		}
		if differ {
			rows = append(rows, AssumptionRow{What: what, Values: vals})
		}
	}
	names := func(list func(p *model.Plan) []string) []string {
		var out []string
		for _, p := range plans {
			for _, n := range list(p) {
				if !slices.Contains(out, n) {
					out = append(out, n)
				}
			}
		}
		return out
	}
	add("time", func(p *model.Plan) string {
		return fmt.Sprintf("%s to %s, %d %s steps, rates per %s", p.Points[0].Format(DateLayout), p.Points[p.Steps].Format(DateLayout), p.Steps, p.StepUnit, p.RateUnit)
	})
	add("switched off", func(p *model.Plan) string { return strings.Join(p.Disabled, ", ") })
	add("hypotheses cited", func(p *model.Plan) string { return strings.Join(citedHypotheses(p), ", ") })
	for _, name := range names(func(p *model.Plan) (out []string) {
		for _, d := range p.Dates {
			out = append(out, d.Name)
		}
		return
	}) {
		add("date "+name, func(p *model.Plan) string {
			for _, d := range p.Dates {
				if d.Name == name {
					return d.Date.Format(DateLayout)
				}
			}
			return ""
		})
	}
	for _, name := range names(func(p *model.Plan) (out []string) {
		for _, x := range p.Params {
			out = append(out, x.Name)
		}
		return
	}) {
		add("param "+name, func(p *model.Plan) string {
			for _, x := range p.Params {
				if x.Name == name {
					if x.Dist != nil {
						return "~ " + x.Dist.Src
					}
					return fmt.Sprintf("%g", x.Value)
				}
			}
			return ""
		})
	}
	for _, name := range names(func(p *model.Plan) (out []string) {
		for _, v := range p.Vars {
			out = append(out, v.Name)
		}
		return
	}) {
		add("var "+name, func(p *model.Plan) string {
			for _, v := range p.Vars {
				if v.Name == name {
					return "init " + v.Init.Src
				}
			}
			return ""
		})
	}
	for _, name := range names(func(p *model.Plan) (out []string) {
		for _, t := range p.Tracks {
			out = append(out, t.Name)
		}
		return
	}) {
		add("states of "+name, func(p *model.Plan) string {
			for _, t := range p.Tracks {
				if t.Name == name {
					var s []string
					for g := t.First; g < t.First+t.NStates; g++ {
						s = append(s, p.States[g].Name)
					}
					return strings.Join(s, ", ") + "; initial " + p.States[t.Initial].Name
				}
			}
			return ""
		})
	}
	for _, name := range names(func(p *model.Plan) (out []string) {
		for _, x := range p.Transitions {
			out = append(out, p.Tracks[x.Track].Name+": "+x.Name)
		}
		return
	}) {
		add("transition "+name, func(p *model.Plan) string {
			for _, x := range p.Transitions {
				if p.Tracks[x.Track].Name+": "+x.Name == name {
					return describeTransition(p, x)
				}
			}
			return ""
		})
	}
	for _, name := range names(func(p *model.Plan) (out []string) {
		for _, o := range p.Outcomes {
			out = append(out, o.Name)
		}
		return
	}) {
		add("outcome "+name, func(p *model.Plan) string {
			for _, o := range p.Outcomes {
				if o.Name == name {
					s := o.When.Src
					if o.Given != nil {
						s += " | given " + o.Given.Src
					}
					return s
				}
			}
			return ""
		})
	}
	return rows
}

// describeTransition is a transition in one line, for the assumption diff.
func describeTransition(p *model.Plan, x *model.Transition) string {
	var from []string
	for _, g := range x.From {
		from = append(from, p.States[g].Name)
	}
	s := strings.Join(from, ",") + " -> " + p.States[x.To].Name + "; "
	if x.Rate != nil {
		s += "rate " + x.Rate.Src + " per " + x.Per
	} else if x.Prob != nil {
		s += "p " + x.Prob.Src
	}
	if x.Guard != nil {
		s += "; when " + x.Guard.Src
	}
	for _, e := range x.Effects {
		s += "; set " + p.Vars[e.Var].Name + " = " + e.Value.Src
	}
	return s
}

// citedHypotheses lists the hypothesis IDs a plan's params, vars,
// transitions and outcomes cite, in natural order (H2 before H10).
func citedHypotheses(p *model.Plan) []string {
	var out []string
	cite := func(src []string) {
		for _, h := range src {
			if !slices.Contains(out, h) {
				out = append(out, h)
			}
		}
	}
	for _, x := range p.Params {
		cite(x.Source)
	}
	for _, v := range p.Vars {
		cite(v.Source)
	}
	for _, x := range p.Transitions {
		cite(x.Source)
	}
	for _, o := range p.Outcomes {
		cite(o.Source)
	}
	sort.Slice(out, func(i, j int) bool { return HypothesisLess(out[i], out[j]) })
	return out
}

// CitedHypotheses lists the hypothesis IDs a plan cites anywhere, in
// natural order (H2 before H10).
func CitedHypotheses(p *model.Plan) []string { return citedHypotheses(p) }

// HypothesisLess orders hypothesis IDs naturally: H2 before H10.
func HypothesisLess(a, b string) bool {
	var na, nb int
	_, ea := fmt.Sscanf(a, "H%d", &na)
	_, eb := fmt.Sscanf(b, "H%d", &nb)
	if ea == nil && eb == nil && na != nb {
		return na < nb
	}
	return a < b
}
