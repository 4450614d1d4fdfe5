package results

import (
	"fmt"
	"math"
	"strconv"
)

// fmtRanges formats the range over assumptions of every outcome as
// "[p5, p95] (p50)" in percent with one decimal, aligned in a column; "-"
// when it is undefined.
func (r *Result) fmtRanges() []string {
	out := make([]string, len(r.Outcomes))
	limits := make([]Proportion, len(r.Outcomes)) // the limits as intervals, to align them as fmtCIs does
	for i, o := range r.Outcomes {
		limits[i] = Proportion{P: math.NaN()}
		if o.Range.Defined() {
			limits[i] = Proportion{P: o.Range.P50, Lo: o.Range.P5, Hi: o.Range.P95}
		}
	}
	ranges := fmtCIs(limits)
	for i, o := range r.Outcomes {
		out[i] = "-"
		if o.Range.Defined() {
			out[i] = ranges[i] + " (" + fmtNum1(o.Range.P50) + ")"
		}
	}
	return out
}

// nestedNote explains the columns of a nested run's outcome table.
func (r *Result) nestedNote() string {
	worst := 0.0
	for _, o := range r.Outcomes {
		if o.Range.Defined() && o.Range.NoiseShare > worst {
			worst = o.Range.NoiseShare
		}
	}
	return fmt.Sprintf("P: probability averaged over the assumptions (%d parameter draws of %d trials). "+
		"Simulation error: 95%% interval of P from the variance between draws. "+
		"Range over assumptions: 5%% and 95%% quantiles (median) of P given the params across draws, "+
		"Monte Carlo noise removed (largest noise share of the draws' variance: %s).",
		r.Nested.Draws, r.Nested.PerDraw, fmtShare(worst))
}

func fmtShare(x float64) string {
	if math.IsInf(x, 1) || x >= 1 {
		return "100%"
	}
	return strconv.FormatFloat(100*x, 'f', 0, 64) + "%"
}

// paramsText says how the params were drawn: how many were drawn from their
// dist and how many fixed; "" when the manifest does not record it.
func (r *Result) paramsText() string {
	m := r.Manifest
	if m.ParamsFixed == 0 && r.Nested == nil {
		return ""
	}
	drawn := len(r.Layout.Params)
	if m.ParamsFixedAll {
		drawn = 0
	}
	s := fmt.Sprintf("%d fixed, %d drawn from their dist", m.ParamsFixed, drawn)
	if r.Nested != nil {
		s += fmt.Sprintf(" (%d draws of %d trials)", r.Nested.Draws, r.Nested.PerDraw)
	}
	if m.ParamsFixedAll {
		s += " (every param at its value)"
	}
	return s
}

// fmtSpread formats a range over assumptions as "[p5, p95]" in percent
// with one decimal; "-" when it is undefined.
func fmtSpread(sp *Spread) string {
	if !sp.Defined() {
		return "-"
	}
	return "[" + fmtNum1(sp.P5) + ", " + fmtNum1(sp.P95) + "]"
}
