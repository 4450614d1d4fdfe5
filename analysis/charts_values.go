package analysis

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot/vg"

	"scensim/model"
	"scensim/results/chart"
)

// Charts of value outcomes (numbers per trial) in the analyses that compute
// them: the spread of E[value | θ] over the params' draws (psa), the Sobol
// indices of E[value | θ] (sobol, for the value outcomes named) and value
// targets in the calibration chart. Each is drawn in the value's unit, from
// the same numbers as the analysis's tables.

// valueLabel is "NAME (UNIT)", or NAME when the value has no unit.
func valueLabel(name, unit string) string {
	if unit == "" {
		return name
	}
	return name + " (" + unit + ")"
}

// valueChartName is the file stem of the value chart of an analysis.
func valueChartName(stem, name string) string { return stem + "_value_" + fileSafe(name) }

// psaValueData is the chart of value outcome v's spread over the draws:
// one row with the 2.5%–97.5% interval, the median and the mean of
// E[value | θ] as psa_values.csv gives them. ok is false when the value
// has no spread to draw (defined in no draw).
func (p *PSA) psaValueData(v PSAValue) (d chart.IntervalData, ok bool) {
	if math.IsNaN(v.Mean.V) {
		return d, false
	}
	what := "E[" + v.Name + " | params]"
	d = chart.IntervalData{Name: valueChartName("psa", v.Name), Plain: true,
		Title: fmt.Sprintf("Spread of %s over the params' distributions - %s (%s draws x %s trials, seed %d)",
			what, p.Manifest.Scenario, thousands(int64(p.Outer)), thousands(int64(p.Inner)), p.Manifest.Seed),
		XLabel:  valueLabel(what, v.Unit) + ", the inner trials' noise removed",
		BarName: "2.5% to 97.5% of the params' draws", MidName: "median", PointName: "mean",
		Rows: []chart.IntervalRow{{Label: v.Name, Lo: v.P2_5.V, Hi: v.P97_5.V, Mid: v.Median.V, Point: v.Mean.V,
			Wlo: math.NaN(), Whi: math.NaN(), Target: math.NaN(), Start: math.NaN(), Note: strings.TrimSpace("sd " + sig4(v.SD.V) + " " + v.Unit)}},
	}
	return d, true
}

// psaValueCharts draws psa_value_NAME for each value outcome with a spread.
func (p *PSA) psaValueCharts() ([]*chart.Chart, []vg.Length, error) {
	var cs []*chart.Chart
	var hs []vg.Length
	for _, v := range p.Values {
		d, ok := p.psaValueData(v)
		if !ok {
			continue
		}
		c, err := chart.Intervals(d)
		if err != nil {
			return nil, nil, err
		}
		cs, hs = append(cs, c), append(hs, chart.RowsHeight(len(d.Rows)))
	}
	return cs, hs, nil
}

// sobolValue returns the value outcome named, if s has one.
func (s *Sobol) sobolValue(name string) (SobolOutcome, bool) {
	for _, o := range s.Values {
		if o.Name == name {
			return o, true
		}
	}
	return SobolOutcome{}, false
}

// sobolValueData is the bar chart of value outcome o's first-order and
// total indices with their intervals, as sobol_values.csv gives them.
func (s *Sobol) sobolValueData(o SobolOutcome) chart.SobolData {
	what := "E[" + o.Name + " | params]"
	unit := ""
	if o.Unit != "" {
		unit = " " + o.Unit
	}
	d := chart.SobolData{Name: valueChartName("sobol", o.Name), Of: "E[value | params]",
		Title: fmt.Sprintf("Sobol indices of %s - %s (N = %s x %s trials, seed %d)", what, s.Manifest.Scenario, thousands(int64(s.Samples)), thousands(int64(s.Inner)), s.Manifest.Seed),
		Note:  fmt.Sprintf("%s: mean %s%s, sd %s%s over the params", what, sig4(o.Mean), unit, sig4(math.Sqrt(o.Var)), unit)}
	for _, x := range o.Indices {
		d.Rows = append(d.Rows, chart.SobolRow{Param: x.Param, S1: x.S1, S1Lo: x.S1Lo, S1Hi: x.S1Hi, ST: x.ST, STLo: x.STLo, STHi: x.STHi})
	}
	return d
}

// sobolChartedNamed lists the outcomes named (each perhaps a
// comma-separated list) in the order given, yes/no and value outcomes
// alike, for bar charts. A yes/no outcome without indices is an error; a
// value outcome without indices is left out (its table says why).
func sobolChartedNamed(s *Sobol, base *model.Plan, names []string) ([]string, error) {
	out := []string{}
	seen := map[string]bool{}
	for _, list := range names {
		for _, n := range strings.Split(list, ",") {
			n = strings.TrimSpace(n)
			if n == "" {
				continue
			}
			if seen[n] {
				return nil, inputErr("outcome %s is named twice", n)
			}
			seen[n] = true
			if o, ok := s.sobolValue(n); ok {
				if o.Skipped == "" {
					out = append(out, n)
				}
				continue
			}
			i, err := FindOutcome(base, n)
			if err != nil {
				return nil, err
			}
			if o := s.Outcomes[i]; o.Skipped != "" {
				return nil, inputErr("outcome %s: %s", o.Name, o.Skipped)
			}
			out = append(out, n)
		}
	}
	return out, nil
}

// calChartTarget is target t as the calibration chart draws it.
func calChartTarget(t CalTarget) chart.CalTarget {
	name := t.Outcome
	if t.Given != "" {
		name += " (conditional)"
	}
	return chart.CalTarget{Name: name, Target: t.Target, Tolerance: t.Tolerance, Start: t.Start.P,
		Check: t.Check.P, CheckLo: t.Check.Lo, CheckHi: t.Check.Hi, Hit: t.Hit, Value: t.Value, Unit: t.Unit}
}
