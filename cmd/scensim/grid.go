package main

import (
	"fmt"
	"io"
	"strings"

	"scensim/model"
)

// shortStepNote says what a step shorter than the regular step does to the
// transitions over it.
const shortStepNote = "rates use each step's days; a per-step p becomes 1 − (1 − p)^(days/regular days) there; dwell and step count regular steps"

// irregularSteps describes the steps of p's grid that are shorter than
// their regular step, one line each, e.g.
// "step 11: 2025-05-28 → 2025-06-01 (4 of 7 days), split at summer".
func irregularSteps(p *model.Plan) []string {
	var lines []string
	for _, s := range p.Irregular {
		var at []string
		end := false
		for _, n := range s.SplitAt {
			if n == "horizon" {
				end = true
			} else {
				at = append(at, n)
			}
		}
		how := []string{}
		if len(at) > 0 {
			how = append(how, "split at "+strings.Join(at, ", "))
		}
		if end {
			how = append(how, "cut short by the horizon")
		}
		lines = append(lines, fmt.Sprintf("step %d: %s → %s (%g of %g days), %s", s.Step,
			s.From.Format("2006-01-02"), s.To.Format("2006-01-02"), s.Days, s.RegularDays, strings.Join(how, ", ")))
	}
	return lines
}

// writeIrregularSteps writes validate's lines on the irregular steps, if
// there are any.
func writeIrregularSteps(w io.Writer, p *model.Plan) {
	lines := irregularSteps(p)
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(w, "  %d irregular step(s) (%s):\n", len(lines), shortStepNote)
	for _, l := range lines {
		fmt.Fprintf(w, "    %s\n", l)
	}
}

// stepLabel names the steps in a trace: the step unit on a regular grid
// (point k is k weeks on), "step" where named dates split steps.
func stepLabel(p *model.Plan) string {
	if len(p.Irregular) > 0 {
		return "step"
	}
	return p.StepUnit
}
