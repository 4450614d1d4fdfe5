package runresult

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"scensim/model"
	"scensim/results"
	"scensim/sim"
	"scensim/tally"
)

// CompareLayout is the set of rows a comparison of plans asks about, and
// the probes (sim.RunPaired's questions) that answer them.
type CompareLayout struct {
	Rows   []results.CompareRow // without estimates
	Probes [][]sim.Probe        // Probes[r][j]: row r in plan j
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
		l.Rows = append(l.Rows, results.CompareRow{Kind: "outcome", Name: name, Conditional: cond[name], Headline: headline(plans[0], name)})
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
			l.Rows = append(l.Rows, results.CompareRow{Kind: "reached", Name: st, By: by})
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
func (l *CompareLayout) Build(plans []*model.Plan, labels []string, pt *sim.PairedTally, seed uint64, toolVersion string, run results.RunInfo) (*results.Comparison, error) {
	if len(pt.Tallies) != len(plans) || len(pt.Joint) != len(l.Rows) {
		return nil, fmt.Errorf("results: the paired run does not match the comparison (%d plans, %d rows)", len(plans), len(l.Rows))
	}
	if labels == nil {
		for _, p := range plans {
			labels = append(labels, p.Name)
		}
	}
	c := &results.Comparison{Format: results.CompareFormat, Seed: seed, Trials: pt.Trials, ToolVersion: toolVersion, Run: run}
	for j, p := range plans {
		cs := results.ComparedScenario{
			Label: labels[j], Scenario: p.Name, Title: p.Title, File: p.File, FileSHA256: p.SHA256,
			Overrides: slices.Clone(p.Overrides), Disabled: slices.Clone(p.Disabled), DisabledNotes: slices.Clone(p.DisabledNotes), AsOf: p.AsOf,
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
		row.Estimates = make([]*results.Proportion, len(plans))
		row.Diffs = make([]*results.Difference, len(plans))
		probes := l.Probes[r]
		for j, p := range plans {
			q := probes[j]
			if q.IsAbsent() {
				continue
			}
			t := pt.Tallies[j]
			var e results.Proportion
			if q.Outcome >= 0 {
				den := t.Trials
				if p.Outcomes[q.Outcome].Given != nil {
					den = t.Given[q.Outcome]
				}
				e = results.NewProportion(t.Hits[q.Outcome], den)
			} else {
				P := p.Steps + 1
				var k int64
				for point := 0; point <= q.Point; point++ {
					k += t.Entry[q.State*(P+1)+point]
				}
				e = results.NewProportion(k, t.Trials)
			}
			if pd := pt.Draws; pd != nil {
				h, g := drawColumn(pd, r, j)
				e = results.ClusterProportion(h, g)
			}
			row.Estimates[j] = &e
		}
		for j := 1; j < len(plans); j++ {
			if probes[0].IsAbsent() || probes[j].IsAbsent() {
				continue
			}
			e0, ej := row.Estimates[0], row.Estimates[j]
			paired := row.Kind == "reached" || plans[0].Outcomes[probes[0].Outcome].Given == nil && plans[j].Outcomes[probes[j].Outcome].Given == nil
			// A run with evidence keeps a subset of the shared trials: its
			// estimate is compared by the paired ratio estimator (see
			// docs/evidence.md).
			ratio := paired && (len(plans[0].Evidence) > 0 || len(plans[j].Evidence) > 0)
			paired = paired && !ratio
			d := &results.Difference{D: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), IndepLo: math.NaN(), IndepHi: math.NaN(), WidthRatio: math.NaN(), Paired: paired}
			if ej.N > 0 && e0.N > 0 {
				d.D = ej.P - e0.P
				d.IndepLo, d.IndepHi = results.NewcombeUnpaired(ej.K, ej.N, e0.K, e0.N, results.Z95)
				if paired {
					jt := pt.Joint[r][j]
					both, gain, loss := jt.At(1, 1), jt.At(0, 1), jt.At(1, 0)
					d.Gain, d.Loss = gain, loss
					d.D = float64(gain-loss) / float64(n)
					d.Lo, d.Hi = results.NewcombePaired(both, gain, loss, n-both-gain-loss, results.Z95)
					if w := d.IndepHi - d.IndepLo; w > 0 {
						d.WidthRatio = (d.Hi - d.Lo) / w
					}
				} else {
					d.Lo, d.Hi = d.IndepLo, d.IndepHi
					d.WidthRatio = 1
					if ratio {
						ratioPaired(d, &pt.Joint[r][j])
					}
				}
				if pt.Draws != nil {
					overDraws(d, pt.Draws, r, j, e0, ej)
					if d.RatioPaired {
						d.WidthRatio = math.NaN() // no independent nested interval to compare with
					}
				}
				d.Significant = d.Lo > 0 || d.Hi < 0
			}
			row.Diffs[j] = d
		}
		c.Rows = append(c.Rows, row)
	}
	compareValues(c, plans, pt)
	if pd := pt.Draws; pd != nil {
		for v, row := range c.Values {
			for j, d := range row.Diffs {
				if j == 0 || d == nil || v >= pd.NumValues {
					continue
				}
				per := make([]*tally.Value, pd.Draws())
				for k := range per {
					per[k] = &pd.Values[pd.ValueAt(k, v, j)]
				}
				results.ClusterValueDiff(d, per)
			}
		}
		c.Nested = &results.NestedInfo{Draws: pd.Draws(), PerDraw: pd.PerDraw}
	}
	c.SetMaterial(results.DefaultMinDiff, results.DefaultMinDiffValue)
	return c, nil
}

// drawColumn returns the per-draw hits and answered trials of row r in
// plan j.
func drawColumn(pd *sim.PairedDraws, r, j int) (h, n []int64) {
	K := pd.Draws()
	h, n = make([]int64, K), make([]int64, K)
	for k := range K {
		i := pd.At(k, r, j)
		h[k], n[k] = int64(pd.Hits[i]), int64(pd.Given[i])
	}
	return h, n
}

// overDraws makes d, the difference of row r between plan j and plan 0
// computed on all trials, the difference of a nested comparison: the
// interval for the clustered design, the range over the draws and the
// share of draws with its sign (results.PairedDrawDifference, or
// results.UnpairedDrawDifference for a conditional outcome), and the
// interval of independent nested runs (the pooled difference ± t·√(SE0² +
// SEj²) of the two scenarios' cluster-robust errors, containing the flat
// unpaired interval) for the width ratio.
func overDraws(d *results.Difference, pd *sim.PairedDraws, r, j int, e0, ej *results.Proportion) {
	hj, nj := drawColumn(pd, r, j)
	h0, n0 := drawColumn(pd, r, 0)
	var dd results.DrawDifference
	if d.Paired {
		y, c := make([]int64, len(hj)), make([]int64, len(hj))
		for k := range hj {
			y[k], c[k] = hj[k]-h0[k], int64(pd.Disc[pd.At(k, r, j)])
		}
		d.D, d.Lo, d.Hi, dd = results.PairedDrawDifference(y, c, pd.Trials, d.Lo, d.Hi)
	} else {
		d.D, d.Lo, d.Hi, dd = results.UnpairedDrawDifference(hj, nj, h0, n0, d.Lo, d.Hi)
	}
	d.OverDraws = &dd
	if se := math.Hypot(e0.SE, ej.SE); d.Paired && dd.Draws >= 2 && !math.IsNaN(se) {
		d.IndepLo, d.IndepHi = results.ClusterInterval(d.D, se, dd.Draws, d.IndepLo, d.IndepHi)
	}
	if !d.Paired {
		d.IndepLo, d.IndepHi, d.WidthRatio = d.Lo, d.Hi, 1
		return
	}
	d.WidthRatio = math.NaN()
	if w := d.IndepHi - d.IndepLo; w > 0 {
		d.WidthRatio = (d.Hi - d.Lo) / w
	}
}

// DiffAssumptions lists the elements that differ between the plans: the
// time grid, named dates, params (value or distribution), vars, states,
// transitions (states, probability or rate, guard, effects), outcomes, the
// hypotheses cited and those switched off.
func DiffAssumptions(plans []*model.Plan) []results.AssumptionRow {
	var rows []results.AssumptionRow
	add := func(what string, describe func(p *model.Plan) string) {
		vals := make([]string, len(plans))
		differ := false
		for j, p := range plans {
			vals[j] = describe(p)
			differ = differ || vals[j] != vals[0]
		}
		if differ {
			rows = append(rows, results.AssumptionRow{What: what, Values: vals})
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
		return fmt.Sprintf("%s to %s, %d %s steps, rates per %s", p.Points[0].Format(results.DateLayout), p.Points[p.Steps].Format(results.DateLayout), p.Steps, p.StepUnit, p.RateUnit)
	})
	add("switched off", func(p *model.Plan) string { return strings.Join(p.Disabled, ", ") })
	add("evidence", evidenceText)
	add("hypotheses cited", func(p *model.Plan) string { return strings.Join(CitedHypotheses(p), ", ") })
	for _, name := range names(func(p *model.Plan) (out []string) {
		for _, d := range p.Dates {
			out = append(out, d.Name)
		}
		return
	}) {
		add("date "+name, func(p *model.Plan) string {
			for _, d := range p.Dates {
				if d.Name == name {
					return d.Date.Format(results.DateLayout)
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

// CitedHypotheses lists the hypothesis IDs a plan's params, vars,
// transitions, outcomes and checks cite, in natural order (H2 before H10).
func CitedHypotheses(p *model.Plan) []string {
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
	for _, c := range p.Checks {
		cite(c.Source)
	}
	sort.Slice(out, func(i, j int) bool { return results.HypothesisLess(out[i], out[j]) })
	return out
}

// headline reports whether plan p marks its outcome name headline.
func headline(p *model.Plan, name string) bool {
	for _, o := range p.Outcomes {
		if o.Name == name {
			return o.Headline
		}
	}
	return false
}
