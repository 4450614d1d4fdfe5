package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"scensim/results"
)

// MaxPosteriorPanels is the most params the prior-vs-posterior chart
// shows: those whose median moved most, measured in prior interquartile
// ranges.
const MaxPosteriorPanels = 12

// Posterior charts, for a run with evidence, each sampled param's prior
// (the values of all trials run, drawn as an outline) against its
// posterior (the values of the trials the evidence kept, filled bars),
// both as densities over the param's histogram bins. With more than
// MaxPosteriorPanels params it shows those whose median moved most.
func Posterior(r *results.Result) (*Chart, error) {
	if err := check(r); err != nil {
		return nil, err
	}
	s := r.Evidence
	if s == nil || len(s.Params) == 0 {
		return nil, errors.New("chart: no evidence, or no sampled params")
	}
	order := make([]int, len(s.Params))
	for i := range order {
		order[i] = i
	}
	moved := func(i int) float64 {
		p := s.Params[i]
		iqr := p.Prior.P75 - p.Prior.P25
		m := math.Abs(p.Posterior.P50 - p.Prior.P50)
		if !(iqr > 0) || math.IsNaN(m) {
			return 0
		}
		return m / iqr
	}
	sort.SliceStable(order, func(a, b int) bool { return moved(order[a]) > moved(order[b]) })
	if len(order) > MaxPosteriorPanels {
		order = order[:MaxPosteriorPanels]
		sort.Ints(order)
	}
	n := len(order)
	c := &Chart{
		Name:  "posterior",
		Title: title("Params before and after the evidence", r) + "\noutline: prior (all trials run);  bars: posterior (trials the evidence kept)",
		Cols:  max(1, min(n, int(math.Ceil(math.Sqrt(1.5*float64(n)))))),
	}
	for _, i := range order {
		panel, err := posteriorPanel(r, i)
		if err != nil {
			return nil, err
		}
		c.Panels = append(c.Panels, panel)
	}
	return c, nil
}

// posteriorPanel charts param i's prior and posterior histograms.
func posteriorPanel(r *results.Result, i int) (*Chart, error) {
	l := &r.Layout
	pl := l.Params[i]
	post := l.ParamCounts(&r.Counts, i)
	off := l.ParamOffset(i)
	prior := make([]int64, len(post))
	var nPost, nPrior float64
	for j := range post {
		prior[j] = post[j]
		if off+j < len(r.Counts.RejectedHist) {
			prior[j] += r.Counts.RejectedHist[off+j]
		}
		nPost += float64(post[j])
		nPrior += float64(prior[j])
	}
	if nPrior == 0 {
		return nil, fmt.Errorf("chart: param %s has no draws", pl.Name)
	}
	w := (pl.Hi - pl.Lo) / float64(pl.Bins)
	bins := make([]plotter.HistogramBin, pl.Bins)
	var outline plotter.XYs
	ymax := 0.0
	for b := range pl.Bins {
		lo, hi := pl.Lo+float64(b)*w, pl.Lo+float64(b+1)*w
		dPost := 0.0
		if nPost > 0 {
			dPost = float64(post[b+1]) / (nPost * w)
		}
		dPrior := float64(prior[b+1]) / (nPrior * w)
		bins[b] = plotter.HistogramBin{Min: lo, Max: hi, Weight: dPost}
		outline = append(outline, plotter.XY{X: lo, Y: dPrior}, plotter.XY{X: hi, Y: dPrior})
		ymax = math.Max(ymax, math.Max(dPost, dPrior))
	}
	p := newPlot(pl.Name+"\n~ "+pl.Dist, "value", "density")
	p.Title.TextStyle.Font = font.From(sans, labelSize)
	p.Title.Padding = vg.Points(10)
	p.X.Tick.Marker, p.Y.Tick.Marker = ShortTicks{}, ShortTicks{}
	p.X.Label.TextStyle.Font.Size = vg.Points(noteSize)
	p.Y.Label.TextStyle.Font.Size = vg.Points(noteSize)
	p.X.Tick.Label.Font.Size = vg.Points(noteSize)
	p.Y.Tick.Label.Font.Size = vg.Points(noteSize)
	p.X.Min, p.X.Max = pl.Lo, pl.Hi
	if ymax == 0 {
		ymax = 1
	}
	p.Y.Min, p.Y.Max = 0, ymax*1.05
	c := &Chart{Name: "posterior_" + pl.Name, Plot: p}
	c.add(&plotter.Histogram{Bins: bins, Width: w, FillColor: Colour(1), LineStyle: lineStyle(color.White, 0.5)})
	line, err := plotter.NewLine(outline)
	if err != nil {
		return nil, fmt.Errorf("chart: %v", err)
	}
	line.LineStyle = lineStyle(color.Black, 1.5)
	c.add(line)
	return c, nil
}
