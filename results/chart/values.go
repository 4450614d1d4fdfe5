package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"scensim/results"
)

// Value charts value outcome i of r: the histogram of its defined values
// as shares of all trials per bin over the declared range, with the mean
// and the 5%, 50% and 95% quantiles as vertical lines, and in the legend
// the shares below and above the range and the share undefined. Its name
// is "value_NAME".
func Value(r *results.Result, i int) (*Chart, error) {
	if err := check(r); err != nil {
		return nil, err
	}
	l := &r.Layout
	if i < 0 || i >= len(l.Values) || i >= len(r.Values) || i >= len(r.Counts.Values) {
		return nil, fmt.Errorf("chart: value outcome index %d out of range (%d value outcomes)", i, len(l.Values))
	}
	vl, row, counts := l.Values[i], r.Values[i], r.Counts.Values[i].Hist
	trials := float64(r.Counts.Trials)
	w := (vl.Hi - vl.Lo) / float64(vl.Bins)
	bins := make([]plotter.HistogramBin, vl.Bins)
	ymax := 0.0
	for b := range vl.Bins {
		s := float64(counts[b+1]) / trials
		bins[b] = plotter.HistogramBin{Min: vl.Lo + float64(b)*w, Max: vl.Lo + float64(b+1)*w, Weight: s}
		ymax = math.Max(ymax, s)
	}
	if ymax == 0 {
		ymax = 0.01
	}
	xlabel := vl.Name
	if vl.Unit != "" {
		xlabel += " (" + vl.Unit + ")"
	}
	p := newPlot(title("Value outcome "+vl.Name, r), xlabel, "share of trials per bin")
	p.Y.Tick.Marker = PercentTicks{}
	p.X.Min, p.X.Max = vl.Lo, vl.Hi
	p.Y.Min, p.Y.Max = 0, ymax*1.08
	c := &Chart{Name: "value_" + vl.Name, Plot: p}
	c.add(plotter.NewGrid())
	c.add(&plotter.Histogram{Bins: bins, Width: w, FillColor: Colour(0), LineStyle: lineStyle(color.White, 0.6)})
	var entries []legendEntry
	vline := func(x float64, what string, dash bool, colour int) error {
		if math.IsNaN(x) || x < vl.Lo || x > vl.Hi {
			entries = append(entries, legendEntry{what + " (off the chart)", nil})
			return nil
		}
		ln, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: p.Y.Max}})
		if err != nil {
			return err
		}
		ln.LineStyle = lineStyle(Colour(colour), 2)
		if dash {
			ln.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			ln.LineStyle.Width = vg.Points(1.5)
		}
		c.add(ln)
		entries = append(entries, legendEntry{what, []plot.Thumbnailer{ln}})
		return nil
	}
	mean := float64(row.Mean)
	if err := vline(mean, "mean "+fmtChartValue(mean), false, 1); err != nil {
		return nil, err
	}
	for _, q := range row.Quantiles {
		if q.P != 0.05 && q.P != 0.5 && q.P != 0.95 {
			continue
		}
		what := fmt.Sprintf("%g%%: %s", 100*q.P, fmtChartValue(q.Value))
		if err := vline(q.Value, what, q.P != 0.5, 3); err != nil {
			return nil, err
		}
	}
	if under, over := counts[0], counts[vl.Bins+1]; under+over > 0 {
		entries = append(entries, legendEntry{fmt.Sprintf("outside the range: %s below, %s above", percent(float64(under)/trials), percent(float64(over)/trials)), nil})
	}
	entries = append(entries, legendEntry{"undefined: " + percent(row.UndefinedShare), nil})
	c.add(legendRight(c.Plot, 0, entries...))
	return c, nil
}

func fmtChartValue(x float64) string { return fmt.Sprintf("%.4g", x) }
