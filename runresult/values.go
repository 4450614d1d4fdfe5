package runresult

import (
	"fmt"
	"strings"

	"scensim/model"
	"scensim/results"
	"scensim/sim"
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

// compareValues adds to c the value outcomes of plan 0, each compared with
// the same-named value outcome of every other plan (see
// results.ValueCompareRow).
func compareValues(c *results.Comparison, plans []*model.Plan, pt *sim.PairedTally) {
	layouts := make([][]results.ValueLayout, len(plans))
	for j, p := range plans {
		layouts[j] = valueLayouts(p)
	}
	for v, vo := range plans[0].Values {
		row := results.ValueCompareRow{Name: vo.Name, Unit: vo.Unit,
			Estimates: make([]*results.ValueRow, len(plans)), Diffs: make([]*results.ValueDiff, len(plans))}
		own := make([]int, len(plans)) // index of the outcome in plan j, or -1
		for j, p := range plans {
			own[j] = valueIndex(p, vo.Name)
			if own[j] < 0 {
				continue
			}
			t := pt.Tallies[j]
			e := results.NewValueRow(&layouts[j][own[j]], &t.Values[own[j]], t.Trials)
			row.Estimates[j] = &e
		}
		for j := 1; j < len(plans); j++ {
			if own[j] >= 0 && j < len(pt.Values) && v < len(pt.Values[j]) {
				row.Diffs[j] = results.NewValueDiff(&pt.Values[j][v].Diff, &pt.Tallies[0].Values[v], &pt.Tallies[j].Values[own[j]])
			}
		}
		c.Values = append(c.Values, row)
	}
}

func valueIndex(p *model.Plan, name string) int {
	for i, v := range p.Values {
		if v.Name == name {
			return i
		}
	}
	return -1
}

// AddRatios adds to c the incremental ratios asked for, each "num/den"
// naming two value outcomes of the first plan (e.g. "cost/qaly": the
// extra cost per QALY gained against the first scenario). An unknown name
// or a malformed spec is an error.
func AddRatios(c *results.Comparison, plans []*model.Plan, pt *sim.PairedTally, specs []string) error {
	if err := CheckRatios(plans[0], specs); err != nil {
		return err
	}
	for _, s := range specs {
		num, den, _ := strings.Cut(s, "/")
		num, den = strings.TrimSpace(num), strings.TrimSpace(den)
		a, b := valueIndex(plans[0], num), valueIndex(plans[0], den)
		row := results.RatioCompareRow{Num: num, Den: den, Ratios: make([]*results.ValueRatio, len(plans))}
		for j := 1; j < len(plans) && j < len(pt.Ratios); j++ {
			for _, r := range pt.Ratios[j] {
				if r.A == a && r.B == b {
					row.Ratios[j] = results.NewValueRatio(&r.DA, &r.DB, r.Cross)
				}
			}
		}
		c.Ratios = append(c.Ratios, row)
	}
	return nil
}

// CheckRatios reports the first ratio spec ("num/den") that does not name
// two different value outcomes of p.
func CheckRatios(p *model.Plan, specs []string) error {
	for _, s := range specs {
		num, den, ok := strings.Cut(s, "/")
		a, b := valueIndex(p, strings.TrimSpace(num)), valueIndex(p, strings.TrimSpace(den))
		if !ok || a < 0 || b < 0 || a == b {
			var names []string
			for _, v := range p.Values {
				names = append(names, v.Name)
			}
			return fmt.Errorf("--ratio %q: want num/den, two different value outcomes of %s (it has: %s)", s, p.Name, orNone(names))
		}
	}
	return nil
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// ValueRows summarises the value outcomes of a run of p (see
// results.ValueRow), in plan order.
func ValueRows(p *model.Plan, t *sim.Tally) []results.ValueRow {
	ls := valueLayouts(p)
	var out []results.ValueRow
	for i := range ls {
		out = append(out, results.NewValueRow(&ls[i], &t.Values[i], t.Trials))
	}
	return out
}
