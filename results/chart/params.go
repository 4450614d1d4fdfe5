package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"scensim/results"
)

// Params charts the sampled parameters as a grid of panels, one per param:
// the histogram of the values drawn in the run (as a density, so that its
// area is the share of draws inside the histogram's range) with the density
// of the distribution as written over it, so that a modeller sees that the
// beta they wrote is the one they meant. Draws outside the histogram range
// are counted in the panel's axis label.
//
// Each panel's plotters: a *plotter.Histogram (one bin per histogram bin of
// the layout) and a *plotter.Function, the density of the distribution the
// layout records (Kind and Args, looked up in the registry of package dist);
// a layout read from a file that does not record it has no density curve,
// and its axis label says so.
func Params(r *results.Result) (*Chart, error) {
	if err := check(r); err != nil {
		return nil, err
	}
	n := len(r.Layout.Params)
	if n == 0 {
		return nil, errors.New("chart: the scenario has no sampled params")
	}
	c := &Chart{
		Name:  "params",
		Title: title("Sampled parameters", r) + "\nbars: the values drawn in the run;  line: the density of the distribution as written",
		Cols:  max(1, min(n, int(math.Ceil(math.Sqrt(1.5*float64(n)))))),
	}
	for i := range n {
		panel, err := paramPanel(r, i)
		if err != nil {
			return nil, err
		}
		c.Panels = append(c.Panels, panel)
	}
	return c, nil
}

// ParamPanel charts sampled param i alone; see [Params].
func ParamPanel(r *results.Result, i int) (*Chart, error) {
	if err := check(r); err != nil {
		return nil, err
	}
	l := &r.Layout
	if i < 0 || i >= len(l.Params) {
		return nil, fmt.Errorf("chart: param index %d out of range (%d sampled params)", i, len(l.Params))
	}
	return paramPanel(r, i)
}

// paramPanel is [ParamPanel] for a checked result and a param index in range.
func paramPanel(r *results.Result, i int) (*Chart, error) {
	l := &r.Layout
	pl := l.Params[i]
	counts := l.ParamCounts(&r.Counts, i)
	trials := float64(r.Counts.Trials)
	w := (pl.Hi - pl.Lo) / float64(pl.Bins)
	bins := make([]plotter.HistogramBin, pl.Bins)
	ymax := 0.0
	for b := range pl.Bins {
		d := float64(counts[b+1]) / (trials * w)
		bins[b] = plotter.HistogramBin{Min: pl.Lo + float64(b)*w, Max: pl.Lo + float64(b+1)*w, Weight: d}
		ymax = math.Max(ymax, d)
	}
	bins[pl.Bins-1].Max = pl.Hi
	d, err := pl.Distribution()
	if err != nil {
		return nil, fmt.Errorf("chart: %v", err)
	}
	xlabel := "drawn value"
	if under, over := counts[0], counts[pl.Bins+1]; under+over > 0 {
		xlabel += fmt.Sprintf(" (%s below, %s above this range)", thousands(under), thousands(over))
	}
	if d == nil {
		xlabel += " (no density: the file does not record the distribution's kind)"
	}
	p := newPlot(pl.Name+"\n~ "+pl.Dist, xlabel, "density")
	p.Title.TextStyle.Font = font.From(sans, labelSize)
	p.Title.Padding = vg.Points(10)
	p.X.Tick.Marker, p.Y.Tick.Marker = ShortTicks{}, ShortTicks{}
	p.X.Label.TextStyle.Font.Size = vg.Points(noteSize)
	p.Y.Label.TextStyle.Font.Size = vg.Points(noteSize)
	p.X.Tick.Label.Font.Size = vg.Points(noteSize)
	p.Y.Tick.Label.Font.Size = vg.Points(noteSize)
	p.X.Min, p.X.Max = pl.Lo, pl.Hi
	c := &Chart{Name: "param_" + pl.Name, Plot: p}
	hist := &plotter.Histogram{Bins: bins, Width: w, FillColor: Colour(5), LineStyle: lineStyle(color.White, 0.5)}
	c.add(hist)
	top := ymax
	if d != nil {
		pdf := d.Density
		f := plotter.NewFunction(pdf)
		f.XMin, f.XMax, f.Samples = pl.Lo, pl.Hi, 241
		f.LineStyle = lineStyle(color.Black, 1.8)
		c.add(f)
		for k := range f.Samples {
			if y := pdf(pl.Lo + (pl.Hi-pl.Lo)*float64(k)/float64(f.Samples-1)); !math.IsInf(y, 0) && !math.IsNaN(y) {
				top = math.Max(top, math.Min(y, 2*ymax))
			}
		}
	}
	if top == 0 {
		top = 1
	}
	p.Y.Min, p.Y.Max = 0, top*1.05
	return c, nil
}
