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

// showValues lists the value outcomes for show: per outcome its kind and
// expression (with how it is evaluated), the weights of an accumulated
// one (discount, half-cycle correction), its unit and histogram, and what
// show lists of a yes/no outcome (group, headline, question, rationale,
// sources).
func showValues(pf func(string, ...any), p *model.Plan, cite func(what string, src []string)) {
	if len(p.Values) == 0 {
		return
	}
	pf("\nVALUE OUTCOMES (a number per trial)\n")
	for _, v := range p.Values {
		mark := ""
		if v.Headline {
			mark = " (headline)"
		}
		if v.At != nil {
			pf("  %-26s value: %s%s%s\n", v.Name, describeExpr(v.At), sources(v.Source), mark)
			pf("      at the horizon; undefined in a trial where it is NaN or infinite\n")
		} else {
			pf("  %-26s accumulate: %s%s%s\n", v.Name, describeExpr(v.PerStep), sources(v.Source), mark)
			how := "summed over the points of the trial, one per step"
			if v.HalfCycle {
				how = "summed over the points of the trial with half-cycle correction (trapezoid rule)"
			}
			if v.Discount > 0 {
				how += fmt.Sprintf(", discounted at %g a year", v.Discount)
			}
			pf("      %s\n", how)
		}
		unit := ""
		if v.Unit != "" {
			unit = "unit " + v.Unit + "; "
		}
		pf("      %shistogram %d bins over [%g, %g)\n", unit, v.Bins, v.Lo, v.Hi)
		if v.Group != "" {
			pf("      group: %s\n", v.Group)
		}
		if v.Question != "" {
			pf("      question: %s\n", v.Question)
		}
		if v.Why != "" {
			pf("      %s\n", v.Why)
		}
		cite("value outcome "+v.Name, v.Source)
	}
}
