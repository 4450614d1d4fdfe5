package runresult

import (
	"scensim/model"
	"scensim/results"
)

// valueLayouts describes the value outcomes of p for the results.
func valueLayouts(p *model.Plan) []results.ValueLayout {
	var out []results.ValueLayout
	for _, v := range p.Values {
		vl := results.ValueLayout{Name: v.Name, Why: v.Why, Source: v.Source, Unit: v.Unit,
			Discount: v.Discount, HalfCycle: v.HalfCycle, Bins: v.Bins, Lo: v.Lo, Hi: v.Hi,
			OutcomeMeta: results.OutcomeMeta{Group: v.Group, Headline: v.Headline, Question: v.Question}}
		if v.At != nil {
			vl.Kind, vl.Expr = "value", v.At.Src
		} else {
			vl.Kind, vl.Expr = "accumulate", v.PerStep.Src
		}
		out = append(out, vl)
	}
	return out
}
