package analysis

import (
	"math"
	"strconv"

	"scensim/model"
	"scensim/results"
	"scensim/runresult"
	"scensim/sim"
)

// Value outcomes in a sweep: at every grid point, each value outcome of the
// base scenario is summarised like a run's (results.ValueRow: mean with its
// Monte Carlo SE and 95% interval, SD, quantiles, undefined share). The
// tables are sweep_values.csv (every value outcome at every point, long
// format) and, in text and Markdown, the mean ± SE of each at each point.
// Charts show the yes/no outcomes only.

func valueNames(p *model.Plan) []string {
	var out []string
	for _, v := range p.Values {
		out = append(out, v.Name)
	}
	return out
}

// sweepValueRows summarises the value outcomes of one sweep point.
func sweepValueRows(p *model.Plan, t *sim.Tally) []results.ValueRow {
	return runresult.ValueRows(p, t)
}

// valueTables renders the value outcomes of the sweep (none without them).
func (s *Sweep) valueTables() []*Table {
	if len(s.Values) == 0 {
		return nil
	}
	long := &Table{Name: "sweep_values", NoText: true}
	wide := &Table{NoCSV: true, Title: "value outcomes: mean ± SE (share undefined) at each point"}
	for _, a := range s.Axes {
		long.Columns = append(long.Columns, a.Param)
		wide.Columns = append(wide.Columns, a.Param)
	}
	long.Columns = append(long.Columns, "value_outcome", "defined", "undefined_share", "mean", "se", "lo95", "hi95", "sd", "p5", "p50", "p95")
	wide.Columns = append(wide.Columns, s.Values...)
	for _, pt := range s.Points {
		var at, atg []string
		for _, v := range pt.At {
			at, atg = append(at, num(v)), append(atg, g(v))
		}
		cells := atg
		for i, name := range s.Values {
			if i >= len(pt.V) {
				break
			}
			v := pt.V[i]
			q := func(p float64) string {
				for _, x := range v.Quantiles {
					if x.P == p {
						return f6(x.Value)
					}
				}
				return ""
			}
			long.add(append(append([]string(nil), at...), name, strconv.FormatInt(v.Defined, 10), f6(v.UndefinedShare),
				f6(float64(v.Mean)), f6(float64(v.SE)), f6(float64(v.Lo95)), f6(float64(v.Hi95)), f6(float64(v.SD)), q(0.05), q(0.5), q(0.95))...)
			cell := "-"
			if !math.IsNaN(float64(v.Mean)) {
				cell = sig4(float64(v.Mean)) + " ± " + sig4(float64(v.SE))
			}
			if v.UndefinedShare > 0 {
				cell += " (" + pct(v.UndefinedShare) + ")"
			}
			cells = append(cells, cell)
		}
		wide.add(cells...)
	}
	return []*Table{long, wide}
}

// sig4 formats x with 4 significant digits.
func sig4(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
