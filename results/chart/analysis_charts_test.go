package chart_test

import (
	"bytes"
	"math"
	"testing"

	"scensim/results/chart"
)

// analysisCharts builds one chart of each analysis kind from hand-made data.
func analysisCharts(t *testing.T) map[string]*chart.Chart {
	t.Helper()
	out := map[string]*chart.Chart{}
	must := func(name string, c *chart.Chart, err error) {
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = c
	}
	xs := []float64{0.1, 0.2, 0.3, 0.4}
	c, err := chart.SweepLines(chart.SweepData{Name: "sweep", Title: "Sweep", XLabel: "p", Base: 0.25, BaseLabel: "scenario: 0.25",
		Series: []chart.SweepSeries{
			{Name: "a", X: xs, P: []float64{0.1, 0.2, 0.3, 0.4}, Lo: []float64{0.08, 0.18, 0.28, 0.38}, Hi: []float64{0.12, 0.22, 0.32, 0.42}},
			{Name: "b", X: xs, P: []float64{0.5, 0.5, 0.6, math.NaN()}, Lo: []float64{0.45, 0.45, 0.55, 0}, Hi: []float64{0.55, 0.55, 0.65, 1}},
		}})
	must("sweep", c, err)
	c, err = chart.Heatmap(chart.HeatmapData{Name: "heat", Title: "Heat", X: []float64{1, 2, 3}, Y: []float64{10, 20},
		Z: [][]float64{{0.1, 0.2}, {0.3, 0.4}, {0.5, 0.6}}, ZLabel: "P", Percent: true, BaseX: 2, BaseY: 15, BaseLabel: "base"})
	must("heatmap", c, err)
	c, err = chart.Tornado(chart.TornadoData{Name: "tornado", Title: "Tornado", XLabel: "P", Base: 0.3, BaseLo: 0.29, BaseHi: 0.31,
		Bars: []chart.TornadoBar{
			{Label: "a", Low: 0.2, High: 0.4, LowLo: 0.19, LowHi: 0.21, HighLo: 0.39, HighHi: 0.41, Swing: "+20.0 pts"},
			{Label: "b", Low: 0.32, High: 0.35, LowLo: 0.31, LowHi: 0.33, HighLo: 0.34, HighHi: 0.36, Swing: "+3.0 pts"},
		}})
	must("tornado", c, err)
	c, err = chart.Tornado(chart.TornadoData{Name: "tornado_nan", Title: "Tornado", XLabel: "P", Base: 0.3, BaseLo: 0.29, BaseHi: 0.31,
		Bars: []chart.TornadoBar{{Label: "a", Low: math.NaN(), High: 0.4, LowLo: math.NaN(), LowHi: math.NaN(), HighLo: 0.39, HighHi: 0.41, Swing: "n/a"}}})
	must("tornado_nan", c, err)
	c, err = chart.SobolBars(chart.SobolData{Name: "sobol", Title: "Sobol", Rows: []chart.SobolRow{
		{Param: "a", S1: 0.6, S1Lo: 0.5, S1Hi: 0.7, ST: 0.7, STLo: 0.65, STHi: 0.75},
		{Param: "b", S1: -0.01, S1Lo: -0.05, S1Hi: 0.03, ST: 0, STLo: 0, STHi: 0},
	}})
	must("sobol", c, err)
	c, err = chart.Intervals(chart.IntervalData{Name: "psa", Title: "PSA", XLabel: "P", BarName: "bar", MidName: "median", PointName: "mean",
		Rows: []chart.IntervalRow{
			{Label: "a", Lo: 0.1, Hi: 0.3, Mid: 0.2, Point: 0.21, Target: math.NaN(), Start: math.NaN(), Note: "sd 5 pts"},
			{Label: "b", Lo: math.NaN(), Hi: math.NaN(), Mid: math.NaN(), Point: 0.6, Wlo: 0.58, Whi: 0.62, Target: 0.65, Start: 0.5},
		}})
	must("intervals", c, err)
	c, err = chart.Trace(chart.TraceData{Name: "trace", Title: "Trace", Objective: []float64{1, 0.5, 0.1, 0.01, 0},
		Params: [][]float64{{0.5, 0.6, 0.7, 0.7, 0.71}}, ParamName: []string{"p"}})
	must("trace", c, err)
	c, err = chart.CalibrationTargets(chart.CalibrationData{Name: "calibrate", Title: "Calibration", Check: "check",
		Target: []chart.CalTarget{{Name: "a", Target: 0.25, Tolerance: 0.006, Start: 0.19, Check: 0.248, CheckLo: 0.245, CheckHi: 0.251, Hit: true}}})
	must("calibrate", c, err)
	return out
}

// Every analysis chart renders in every format, byte-identically twice.
func TestAnalysisChartsRender(t *testing.T) {
	for name, c := range analysisCharts(t) {
		for _, f := range chart.Formats {
			a, err := chart.Render(c, f, chart.Width, chart.Height)
			if err != nil {
				t.Fatalf("%s.%s: %v", name, f, err)
			}
			b, _ := chart.Render(c, f, chart.Width, chart.Height)
			if len(a) < 1000 || !bytes.Equal(a, b) {
				t.Errorf("%s.%s: %d bytes, or not the same twice", name, f, len(a))
			}
		}
	}
}

func TestAnalysisChartStructure(t *testing.T) {
	cs := analysisCharts(t)
	rects := func(c *chart.Chart) []chart.Rect {
		var out []chart.Rect
		for _, r := range plottersOf[*chart.Rects](c) {
			out = append(out, r.R...)
		}
		return out
	}
	if r := rects(cs["tornado"]); len(r) != 4 {
		t.Errorf("tornado: %d bars, want 2 per param", len(r))
	} else {
		for _, b := range r {
			if b.X0 != 0.3 {
				t.Errorf("tornado bar starts at %v, not at the base", b.X0)
			}
		}
	}
	if r := rects(cs["heatmap"]); len(r) != 6 {
		t.Errorf("heatmap: %d cells, want 6", len(r))
	}
	if r := rects(cs["sobol"]); len(r) != 4 {
		t.Errorf("sobol: %d bars, want S1 and ST per param", len(r))
	}
	if n := len(plottersOf[*chart.Band](cs["sweep"])); n != 2 {
		t.Errorf("sweep: %d bands, want one per series", n)
	}
	if n := len(plottersOf[*chart.ColorBar](cs["heatmap"])); n != 1 {
		t.Errorf("heatmap: %d colour bars", n)
	}
	if _, err := chart.Tornado(chart.TornadoData{}); err == nil {
		t.Error("empty tornado accepted")
	}
	if _, err := chart.Heatmap(chart.HeatmapData{}); err == nil {
		t.Error("empty heatmap accepted")
	}
	if v0, v1 := chart.Viridis(0), chart.Viridis(1); v0.R != 0x44 || v1.R != 0xFD || chart.Viridis(2) != v1 {
		t.Errorf("viridis ends %v %v", v0, v1)
	}
}
