package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

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

// validateValues lists the value outcomes of a valid scenario (the
// outcome count of validate counts yes/no outcomes only).
func validateValues(w io.Writer, p *model.Plan) {
	if len(p.Values) == 0 {
		return
	}
	var names []string
	for _, v := range p.Values {
		names = append(names, v.Name)
	}
	fmt.Fprintf(w, "  %d value outcome(s), a number per trial: %s\n", len(p.Values), strings.Join(names, ", "))
}
