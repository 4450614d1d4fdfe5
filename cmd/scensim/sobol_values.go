package main

import (
	"math"
	"strconv"
	"strings"

	"scensim/analysis"
	"scensim/model"
)

// splitValueOutcomes splits the names given to sobol --outcome (each
// perhaps a comma-separated list) into the yes/no outcomes and the value
// outcomes, whose indices of E[value | θ] sobolValueDetails shows in
// detail (the analysis charts both, in the order named). A value outcome named twice is bad
// input, as a yes/no outcome named twice is.
func splitValueOutcomes(p *model.Plan, names []string) (yesNo, values []string, err error) {
	for _, s := range names {
		for _, n := range strings.Split(s, ",") {
			n = strings.TrimSpace(n)
			if n == "" {
				continue
			}
			isValue := false
			for _, v := range p.Values {
				isValue = isValue || v.Name == n
			}
			switch {
			case !isValue:
				yesNo = append(yesNo, n)
			case contains(values, n):
				return nil, nil, exitErrorf(ExitInput, "outcome %s is named twice", n)
			default:
				values = append(values, n)
			}
		}
	}
	return yesNo, values, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// sobolValueDetails returns, per value outcome named, a table of its
// first-order and total indices with their 95% intervals (text and
// Markdown; sobol_values.csv has the same numbers), or a note of why it
// has none. It is an error for a name not among s.Values.
func sobolValueDetails(s *analysis.Sobol, names []string) ([]*analysis.Table, error) {
	var out []*analysis.Table
	for _, n := range names {
		i := -1
		for j, o := range s.Values {
			if o.Name == n {
				i = j
			}
		}
		if i < 0 {
			return nil, exitErrorf(ExitInput, "value outcome %s has no Sobol indices in this analysis", n)
		}
		o := s.Values[i]
		unit := ""
		if o.Unit != "" {
			unit = " " + o.Unit
		}
		t := &analysis.Table{NoCSV: true,
			Title:   o.Name + ": E[value | θ] has mean " + g4(o.Mean) + unit + ", sd " + g4(math.Sqrt(o.Var)) + unit + " over the params",
			Columns: []string{"param", "S1", "95% CI", "ST", "95% CI"}}
		if o.Skipped != "" {
			t.Title, t.Columns = o.Name+": no Sobol indices", []string{"why"}
			t.Rows = append(t.Rows, []string{o.Skipped})
		}
		for _, x := range o.Indices {
			t.Rows = append(t.Rows, []string{x.Param, f3(x.S1), interval3(x.S1Lo, x.S1Hi), f3(x.ST), interval3(x.STLo, x.STHi)})
		}
		out = append(out, t)
	}
	return out, nil
}

func g4(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }

func f3(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	s := strconv.FormatFloat(x, 'f', 3, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-") // no "-0.000"
	}
	return s
}

func interval3(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "n/a"
	}
	return "[" + f3(lo) + ", " + f3(hi) + "]"
}
