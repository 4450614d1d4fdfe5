package main

import (
	"math"
	"strconv"

	"scensim/model"
	"scensim/sim"
)

// traceValues prints the traced trial's value of each value outcome
// ("undefined" when it has none, e.g. entry() of a state never entered).
func traceValues(pf func(string, ...any), p *model.Plan, path *sim.Path) {
	for i, v := range p.Values {
		val := "undefined"
		if i < len(path.Values) && !math.IsNaN(path.Values[i]) {
			val = strconv.FormatFloat(path.Values[i], 'g', 6, 64)
			if v.Unit != "" {
				val += " " + v.Unit
			}
		}
		pf("  value   %-32s %s\n", v.Name, val)
	}
}
