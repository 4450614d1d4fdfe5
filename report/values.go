package report

import (
	"math"
	"strconv"

	"scensim/results"
)

// valueTable shows a run's value outcomes (a number per trial): mean with
// its 95% interval, SD, the 5/50/95% quantiles and the share of trials
// undefined; nil without value outcomes.
func valueTable(r *results.Result, id string) *table {
	if len(r.Values) == 0 {
		return nil
	}
	t := &table{ID: id, Head: []string{"value outcome", "mean [95% CI]", "sd", "p5", "median", "p95", "undefined"},
		Right: []bool{false, true, true, true, true, true, true}}
	f := func(x float64) string {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "-"
		}
		return strconv.FormatFloat(x, 'g', 4, 64)
	}
	q := func(v results.ValueRow, p float64) cell {
		for _, x := range v.Quantiles {
			if x.P == p {
				s := f(x.Value)
				if x.Outside {
					s = "~" + s
				}
				return num(s, x.Value)
			}
		}
		return num("-", math.NaN())
	}
	for _, v := range r.Values {
		name := v.Name
		if v.Unit != "" {
			name += " (" + v.Unit + ")"
		}
		mean := f(float64(v.Mean))
		if !math.IsNaN(float64(v.Lo95)) {
			mean += " [" + f(float64(v.Lo95)) + ", " + f(float64(v.Hi95)) + "]"
		}
		t.Rows = append(t.Rows, []cell{code(name), num(mean, float64(v.Mean)), num(f(float64(v.SD)), float64(v.SD)),
			q(v, 0.05), q(v, 0.5), q(v, 0.95), num(pct1(v.UndefinedShare)+"%", v.UndefinedShare)})
	}
	return t
}

// valueNote explains the value outcome table (the HTML template says the
// same).
const valueNote = "Value outcomes are numbers per trial, summarised over the trials where they are defined; " +
	"quantiles come from each outcome's histogram, within half a bin width of the exact sample quantile (~: outside its declared range)."
