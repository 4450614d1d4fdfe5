package runresult

import (
	"strconv"
	"strings"

	"scensim/model"
	"scensim/results"
	"scensim/snapshot"
)

// SnapshotOf is the resolved scenario of plan p (after overlays,
// overrides and disabled hypotheses), as a result keeps it so that two
// results can be compared assumption by assumption without their files.
func SnapshotOf(p *model.Plan) *snapshot.Scenario {
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	src := func(e *model.Expr) string {
		if e == nil {
			return ""
		}
		return e.Src
	}
	s := &snapshot.Scenario{Name: p.Name, Title: p.Title, AsOf: p.AsOf,
		Time: snapshot.Time{Start: p.Points[0].Format(results.DateLayout), End: p.Points[p.Steps].Format(results.DateLayout),
			Step: p.StepUnit, Steps: p.Steps},
		Disabled: append([]string(nil), p.Disabled...)}
	for _, x := range p.Params {
		sp := snapshot.Param{Name: x.Name, Value: g(x.Value)}
		if x.Dist != nil {
			sp.Dist = x.Dist.Src
		}
		if x.HasRange {
			sp.Range = "[" + g(x.Lo) + ", " + g(x.Hi) + "]"
		}
		s.Params = append(s.Params, sp)
	}
	for _, d := range p.Dates {
		s.Dates = append(s.Dates, snapshot.Date{Name: d.Name, Date: d.Date.Format(results.DateLayout)})
	}
	for _, v := range p.Vars {
		s.Vars = append(s.Vars, snapshot.Var{Name: v.Name, Init: src(v.Init)})
	}
	for _, x := range p.Transitions {
		var from []string
		for _, g := range x.From {
			from = append(from, p.States[g].Name)
		}
		rule := "p: " + src(x.Prob)
		if x.Rate != nil {
			rule = "rate: " + x.Rate.Src
			if x.Per != "" {
				rule += " per " + x.Per
			}
		}
		var set []string
		for _, e := range x.Effects {
			set = append(set, p.Vars[e.Var].Name+" = "+src(e.Value))
		}
		s.Trans = append(s.Trans, snapshot.Transition{Track: p.Tracks[x.Track].Name, Name: x.Name,
			From: strings.Join(from, ", "), To: p.States[x.To].Name, Rule: rule, When: src(x.Guard), Set: strings.Join(set, "; ")})
	}
	for _, o := range p.Outcomes {
		s.Outcomes = append(s.Outcomes, snapshot.Outcome{Name: o.Name, When: src(o.When), Given: src(o.Given), Headline: o.Headline})
	}
	return s
}
