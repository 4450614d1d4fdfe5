package analysis

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"scensim/model"
	"scensim/results"
	"scensim/tally"
)

// Value outcomes in a tornado. A value outcome named with --outcome is
// analysed like a yes/no one, with means in place of probabilities: for
// each param, the mean at its low and at its high value, and the swing
// mean(high) − mean(low) with the low and high effects against the base,
// each a paired difference of means (trial by trial, over the trials where
// the value is defined in both arms) with the interval D ± 1.96·SE,
// SE = sd(d)/√n. Sums are exact integers (see tally.Value), so the result
// does not depend on the workers.

// TornadoValue holds the swings of one value outcome, largest first.
type TornadoValue struct {
	Name string            `json:"name"`
	Unit string            `json:"unit,omitempty"`
	Base results.ValueDiff `json:"base"` // the base arm's mean (D) with its SE and interval
	Rows []TornadoValueRow `json:"rows"`
}

// TornadoValueRow is one param's effect on a value outcome's mean.
type TornadoValueRow struct {
	Param      string            `json:"param"`
	MeanLow    results.ValueDiff `json:"mean_low"`
	MeanHigh   results.ValueDiff `json:"mean_high"`
	Swing      results.ValueDiff `json:"swing"`
	LowEffect  results.ValueDiff `json:"low_effect"`
	HighEffect results.ValueDiff `json:"high_effect"`
}

// splitOutcomes separates the named outcomes into yes/no outcomes (indices
// into p.Outcomes) and value outcomes (indices into p.Values).
func splitOutcomes(p *model.Plan, names []string) (yesNo, values []int, err error) {
	var rest []string
	for _, s := range names {
		for _, n := range strings.Split(s, ",") {
			n = strings.TrimSpace(n)
			i := -1
			for k, v := range p.Values {
				if v.Name == n {
					i = k
				}
			}
			switch {
			case n == "":
			case i >= 0 && containsInt(values, i):
				return nil, nil, inputErr("outcome %s is named twice", n)
			case i >= 0:
				values = append(values, i)
			default:
				rest = append(rest, n)
			}
		}
	}
	yesNo, err = outcomeList(p, rest)
	return yesNo, values, err
}

// tornadoValues accumulates, per worker, the value tallies of a tornado's
// arms: plans are base, then low and high of each param.
type tornadoValues struct {
	outs  []int // value outcome indices in the base plan
	idx   [][]int
	arms  [][]tally.Value // [w][(plan*nv)+j]: the arm's values (no histogram)
	diffs [][]tally.Value // [w][((k*nv)+j)*3+c]: c = 0 high−low, 1 low−base, 2 high−base
}

func newTornadoValues(plans []*model.Plan, outs []int, workers int) (*tornadoValues, error) {
	tv := &tornadoValues{outs: outs}
	base := plans[0]
	for _, p := range plans {
		idx := make([]int, len(outs))
		for j, o := range outs {
			idx[j] = -1
			for i, v := range p.Values {
				if v.Name == base.Values[o].Name {
					idx[j] = i
				}
			}
			if idx[j] < 0 {
				return nil, fmt.Errorf("analysis: an arm lacks value outcome %s", base.Values[o].Name)
			}
		}
		tv.idx = append(tv.idx, idx)
	}
	np := (len(plans) - 1) / 2
	for range workers {
		tv.arms = append(tv.arms, make([]tally.Value, len(plans)*len(outs)))
		tv.diffs = append(tv.diffs, make([]tally.Value, np*len(outs)*3))
	}
	return tv, nil
}

// visit adds one trial's values of every arm (vals[plan] is the plan's
// Trialer.Values()).
func (tv *tornadoValues) visit(w int, _ int64, vals [][]float64) {
	nv := len(tv.outs)
	at := func(p, j int) float64 { return vals[p][tv.idx[p][j]] }
	for j := range tv.outs {
		for p := range vals {
			a := &tv.arms[w][p*nv+j]
			if q, ok := tally.Quantise(at(p, j)); ok {
				a.Add(q, 0)
			} else {
				a.Undefined++
			}
		}
		for k := range (len(vals) - 1) / 2 {
			b, lo, hi := at(0, j), at(1+2*k, j), at(2+2*k, j)
			d := tv.diffs[w][(k*nv+j)*3:]
			for c, pair := range [3][2]float64{{lo, hi}, {b, lo}, {b, hi}} {
				if q, ok := diffQuanta(pair[0], pair[1]); ok {
					d[c].Add(q, 0)
				} else {
					d[c].Undefined++
				}
			}
		}
	}
}

// diffQuanta returns b − a in quanta, and false if either is undefined.
func diffQuanta(a, b float64) (int64, bool) {
	qa, okA := tally.Quantise(a)
	qb, okB := tally.Quantise(b)
	return qb - qa, okA && okB
}

// meanOf summarises a tally as its mean (in D) with SE and interval.
func meanOf(v *tally.Value) results.ValueDiff {
	d := results.NewValueDiff(v, v, v)
	d.IndepSE = results.JSONFloat(math.NaN()) // not a comparison
	return *d
}

// result merges the workers' tallies and returns the value rows.
func (tv *tornadoValues) result(base *model.Plan, t *Tornado) []TornadoValue {
	for w := 1; w < len(tv.arms); w++ {
		for i := range tv.arms[0] {
			tv.arms[0][i].Merge(&tv.arms[w][i])
		}
		for i := range tv.diffs[0] {
			tv.diffs[0][i].Merge(&tv.diffs[w][i])
		}
	}
	nv := len(tv.outs)
	var out []TornadoValue
	for j, o := range tv.outs {
		vo := base.Values[o]
		row := TornadoValue{Name: vo.Name, Unit: vo.Unit, Base: meanOf(&tv.arms[0][j])}
		for k, tp := range t.Params {
			d := tv.diffs[0][(k*nv+j)*3:]
			row.Rows = append(row.Rows, TornadoValueRow{Param: tp.Name,
				MeanLow: meanOf(&tv.arms[0][(1+2*k)*nv+j]), MeanHigh: meanOf(&tv.arms[0][(2+2*k)*nv+j]),
				Swing: meanOf(&d[0]), LowEffect: meanOf(&d[1]), HighEffect: meanOf(&d[2])})
		}
		sort.SliceStable(row.Rows, func(x, y int) bool {
			return absOr0(float64(row.Rows[x].Swing.D)) > absOr0(float64(row.Rows[y].Swing.D))
		})
		out = append(out, row)
	}
	return out
}

// valueTables renders the value outcomes of the tornado.
func (t *Tornado) valueTables() []*Table {
	if len(t.Values) == 0 {
		return nil
	}
	long := &Table{Name: "tornado_values", NoText: true, Columns: []string{"value_outcome", "param", "source", "low", "high",
		"mean_base", "mean_low", "mean_high", "swing", "swing_lo95", "swing_hi95", "low_effect", "low_effect_lo95", "low_effect_hi95",
		"high_effect", "high_effect_lo95", "high_effect_hi95"}}
	tables := []*Table{long}
	for _, v := range t.Values {
		name := v.Name
		if v.Unit != "" {
			name += " (" + v.Unit + ")"
		}
		tbl := &Table{NoCSV: true, Title: fmt.Sprintf("%s: base mean %s ± %s", name, sig4(float64(v.Base.D)), sig4(float64(v.Base.SE))),
			Columns: []string{"param", "low", "high", "mean(low)", "mean(high)", "swing", "paired 95% CI"}}
		for _, r := range v.Rows {
			tp := t.param(r.Param)
			tbl.add(r.Param, g(tp.Low), g(tp.High), sig4(float64(r.MeanLow.D)), sig4(float64(r.MeanHigh.D)), sig4(float64(r.Swing.D)),
				"["+sig4(float64(r.Swing.Lo))+", "+sig4(float64(r.Swing.Hi))+"]")
			long.add(v.Name, r.Param, tp.Source, num(tp.Low), num(tp.High), f6(float64(v.Base.D)), f6(float64(r.MeanLow.D)), f6(float64(r.MeanHigh.D)),
				f6(float64(r.Swing.D)), f6(float64(r.Swing.Lo)), f6(float64(r.Swing.Hi)), f6(float64(r.LowEffect.D)), f6(float64(r.LowEffect.Lo)),
				f6(float64(r.LowEffect.Hi)), f6(float64(r.HighEffect.D)), f6(float64(r.HighEffect.Lo)), f6(float64(r.HighEffect.Hi)))
		}
		tbl.Notes = append(tbl.Notes, "swing = mean(high) − mean(low); paired 95% interval of the mean trial-by-trial difference over the trials where the value is defined in both arms")
		tables = append(tables, tbl)
	}
	return tables
}
