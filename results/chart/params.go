package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
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
// the layout) and, if the distribution text is understood, a
// *plotter.Function.
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
		panel, err := ParamPanel(r, i)
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
	xlabel := "drawn value"
	if under, over := counts[0], counts[pl.Bins+1]; under+over > 0 {
		xlabel += fmt.Sprintf(" (%s below, %s above this range)", thousands(under), thousands(over))
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
	if pdf := Density(pl.Dist); pdf != nil {
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

// Density returns the probability density of a distribution written as in a
// scenario file ("beta(5, 15)", "pert(0.09, 0.15, 0.24)", "uniform(lo, hi)",
// "triangular(lo, mode, hi)", "normal(mean, sd, lo, hi)" truncated to
// [lo, hi], "lognormal(mu, sigma)"), or nil if the text is not one of these
// with literal numbers as arguments (arguments may be constant expressions
// in a scenario file; such a distribution is drawn without its density).
// The parametrisations are those of the scensim model package.
func Density(dist string) func(float64) float64 {
	name, rest, ok := strings.Cut(strings.TrimSpace(dist), "(")
	if !ok || !strings.HasSuffix(rest, ")") {
		return nil
	}
	var a []float64
	for _, s := range strings.Split(strings.TrimSuffix(rest, ")"), ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		a = append(a, v)
	}
	arity := map[string]int{"beta": 2, "uniform": 2, "triangular": 3, "pert": 3, "normal": 4, "lognormal": 2}
	if want, ok := arity[strings.TrimSpace(name)]; !ok || want != len(a) {
		return nil
	}
	switch strings.TrimSpace(name) {
	case "beta":
		if a[0] <= 0 || a[1] <= 0 {
			return nil
		}
		return distuv.Beta{Alpha: a[0], Beta: a[1]}.Prob
	case "uniform":
		if !(a[0] < a[1]) {
			return nil
		}
		return distuv.Uniform{Min: a[0], Max: a[1]}.Prob
	case "triangular":
		if !(a[0] <= a[1] && a[1] <= a[2] && a[0] < a[2]) {
			return nil
		}
		return distuv.NewTriangle(a[0], a[2], a[1], nil).Prob
	case "pert":
		lo, mode, hi := a[0], a[1], a[2]
		if !(lo <= mode && mode <= hi && lo < hi) {
			return nil
		}
		b := distuv.Beta{Alpha: 1 + 4*(mode-lo)/(hi-lo), Beta: 1 + 4*(hi-mode)/(hi-lo)}
		return func(x float64) float64 { return b.Prob((x-lo)/(hi-lo)) / (hi - lo) }
	case "normal":
		mu, sd, lo, hi := a[0], a[1], a[2], a[3]
		if sd <= 0 || !(lo < hi) {
			return nil
		}
		nd := distuv.Normal{Mu: mu, Sigma: sd}
		mass := nd.CDF(hi) - nd.CDF(lo)
		if mass <= 0 {
			return nil
		}
		return func(x float64) float64 {
			if x < lo || x > hi {
				return 0
			}
			return nd.Prob(x) / mass
		}
	case "lognormal":
		if a[1] <= 0 {
			return nil
		}
		return distuv.LogNormal{Mu: a[0], Sigma: a[1]}.Prob
	}
	return nil
}
