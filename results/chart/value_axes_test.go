package chart_test

import (
	"math"
	"strings"
	"testing"

	"scensim/results/chart"
)

// Value outcomes' analysis charts use a plain axis in the value's unit: an
// Intervals chart with Plain is not clamped to [0, 1] and labels its ticks
// as plain numbers; a value calibration target's panel is in its unit with
// the target inside the axis and numbers (not percentages) in its title;
// SobolBars and Trace name what they are of.
func TestValueAxes(t *testing.T) {
	c, err := chart.Intervals(chart.IntervalData{Name: "psa_value_cost", Title: "t", XLabel: "E[cost | params] (EUR)", Plain: true,
		Rows: []chart.IntervalRow{{Label: "cost", Lo: 1200, Hi: 2000, Mid: 1500, Point: 1550, Wlo: math.NaN(), Whi: math.NaN(), Target: math.NaN(), Start: math.NaN()}}})
	if err != nil {
		t.Fatal(err)
	}
	x := c.Plot.X
	if !(x.Min > 1100 && x.Min < 1200 && x.Max > 2000 && x.Max < 2100) {
		t.Errorf("plain axis from %g to %g: want 1200 to 2000 padded by 6%%", x.Min, x.Max)
	}
	if _, ok := x.Tick.Marker.(chart.ShortTicks); !ok {
		t.Errorf("plain axis ticks %T, want ShortTicks", x.Tick.Marker)
	}
	c, err = chart.Intervals(chart.IntervalData{Name: "psa_value_zero", Title: "t", Plain: true,
		Rows: []chart.IntervalRow{{Label: "z", Lo: 40, Hi: 40, Mid: 40, Point: 40, Wlo: math.NaN(), Whi: math.NaN(), Target: math.NaN(), Start: math.NaN()}}})
	if err != nil {
		t.Fatal(err)
	}
	if x := c.Plot.X; !(x.Min < 40 && x.Max > 40 && x.Max-x.Min < 2) {
		t.Errorf("a point's plain axis from %g to %g: want a narrow range around 40", x.Min, x.Max)
	}
	cal, err := chart.CalibrationTargets(chart.CalibrationData{Name: "calibrate", Title: "t", Check: "check", Target: []chart.CalTarget{
		{Name: "cost", Target: 12000, Tolerance: 300, Start: 9000, Check: 11900, CheckLo: 11700, CheckHi: 12100, Hit: true, Value: true, Unit: "EUR"},
		{Name: "p", Target: 0.25, Tolerance: 0.01, Start: 0.2, Check: 0.251, CheckLo: 0.245, CheckHi: 0.257, Hit: true},
	}})
	if err != nil {
		t.Fatal(err)
	}
	v, p := cal.Panels[0].Plot, cal.Panels[1].Plot
	if v.X.Label.Text != "mean (EUR)" || !(v.X.Min < 9000 && v.X.Max > 12300) || !strings.Contains(v.Title.Text, "target 12000, check 11900 [11700, 12100]") {
		t.Errorf("value panel: label %q, axis %g to %g, title %q", v.X.Label.Text, v.X.Min, v.X.Max, v.Title.Text)
	}
	if p.X.Label.Text != "probability" || p.X.Max > 1 || !strings.Contains(p.Title.Text, "%") {
		t.Errorf("probability panel: label %q, axis to %g, title %q", p.X.Label.Text, p.X.Max, p.Title.Text)
	}
	sb, err := chart.SobolBars(chart.SobolData{Name: "s", Title: "t", Of: "E[value | params]", Rows: []chart.SobolRow{{Param: "u", S1: 0.5, ST: 0.6, S1Lo: math.NaN(), STLo: math.NaN()}}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sb.Plot.X.Label.Text, "variance of E[value | params]") {
		t.Errorf("Sobol axis %q", sb.Plot.X.Label.Text)
	}
	tr, err := chart.Trace(chart.TraceData{Name: "tr", Title: "t", Objective: []float64{1, 0.5}, Params: [][]float64{{0.2, 0.3}}, ParamName: []string{"u"}, ObjectiveOf: "squared errors"})
	if err != nil {
		t.Fatal(err)
	}
	if got := tr.Panels[0].Plot.Title.Text; got != "objective: sum of squared errors (log scale)" {
		t.Errorf("trace objective title %q", got)
	}
}
