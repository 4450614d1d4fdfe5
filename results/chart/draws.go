package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"scensim/results"
)

// Draws charts, for outcome i of a nested run, the distribution of its
// probability across the parameter draws: a histogram of the draws'
// estimates with their Monte Carlo noise removed ([results.DrawEstimates]:
// the spread of P(outcome | params)), the raw estimates h/n as an outline
// behind it, and vertical lines at the 5%, 50% and 95% quantiles of the
// range over assumptions ([results.Spread]) and at the pooled P. The
// histogram's bins are equal, over the span of the raw estimates, about
// √K of them (10 to 40); heights are shares of the draws. The legend lists
// the outcome's top drivers when the result has them
// ([results.Result.Drivers]); for a conditional outcome it gives the
// condition and the share of trials where it held.
//
// Plotters: a grid, the raw outline and the denoised fill (both
// *plotter.Histogram, same bins), the quantile lines (*plotter.Line: 5%,
// median, 95%), the pooled P (*plotter.Line) and the legend margin.
//
// It fails for a flat run, an outcome index out of range, or an outcome
// whose range is undefined (fewer than two draws with data).
func Draws(r *results.Result, i int) (*Chart, error) {
	if err := check(r); err != nil {
		return nil, err
	}
	if r.Nested == nil {
		return nil, errors.New("chart: a flat run has no parameter draws")
	}
	if i < 0 || i >= len(r.Outcomes) {
		return nil, fmt.Errorf("chart: outcome index %d out of range (%d outcomes)", i, len(r.Outcomes))
	}
	o := r.Outcomes[i]
	if !o.Range.Defined() {
		return nil, fmt.Errorf("chart: outcome %s has fewer than two parameter draws with data", o.Name)
	}
	h, n := r.OutcomeDraws(i)
	raw, denoised := results.DrawEstimates(h, n)
	what := "P(" + o.Name + ")"
	if o.Conditional {
		what = "P(" + o.Name + " | given)"
	}
	p := newPlot(title("Range over assumptions of "+o.Name, r),
		what+fmt.Sprintf(" in each of %d parameter draws", len(raw)), "share of draws")
	c := &Chart{Name: "draws_" + o.Name, Plot: p}
	c.add(plotter.NewGrid())

	lo, hi := slices.Min(raw), slices.Max(raw)
	lo, hi = min(lo, o.Range.P5), max(hi, o.Range.P95)
	if hi-lo < 1e-3 {
		lo, hi = max(0, lo-0.005), min(1, hi+0.005)
	}
	nb := min(40, max(10, int(math.Round(math.Sqrt(float64(len(raw)))))))
	width := (hi - lo) / float64(nb)
	hist := func(xs []float64) []plotter.HistogramBin {
		bins := make([]plotter.HistogramBin, nb)
		for b := range bins {
			bins[b] = plotter.HistogramBin{Min: lo + float64(b)*width, Max: lo + float64(b+1)*width}
		}
		for _, x := range xs {
			b := min(nb-1, max(0, int((x-lo)/width)))
			bins[b].Weight += 1 / float64(len(xs))
		}
		return bins
	}
	rawHist := &plotter.Histogram{Bins: hist(raw), Width: width, LineStyle: lineStyle(color.NRGBA{R: 90, G: 90, B: 90, A: 255}, 1)}
	rawHist.LineStyle.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
	fill := &plotter.Histogram{Bins: hist(denoised), Width: width, FillColor: fade(Colour(0), 0.75), LineStyle: lineStyle(color.White, 0.6)}
	ymax := 0.0
	for _, hs := range []*plotter.Histogram{rawHist, fill} {
		for _, b := range hs.Bins {
			ymax = max(ymax, b.Weight)
		}
	}
	p.Y.Min, p.Y.Max = 0, ymax*1.1
	p.X.Min, p.X.Max = lo-width/2, hi+width/2
	p.X.Tick.Marker = PercentTicks{}
	p.Y.Tick.Marker = PercentTicks{}
	c.add(fill, rawHist)

	entries := []legendEntry{
		{"draws, Monte Carlo noise removed", []plot.Thumbnailer{Swatch{Color: fade(Colour(0), 0.75)}}},
		{"draws' raw estimates (h/n)", []plot.Thumbnailer{rawHist}},
	}
	vline := func(x float64, col color.Color, w float64, dash bool) (*plotter.Line, error) {
		ln, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: p.Y.Max}})
		if err != nil {
			return nil, err
		}
		ln.LineStyle = lineStyle(col, w)
		if dash {
			ln.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		return ln, nil
	}
	for _, q := range []struct {
		what string
		x    float64
		dash bool
	}{{"5%", o.Range.P5, true}, {"median", o.Range.P50, false}, {"95%", o.Range.P95, true}} {
		ln, err := vline(q.x, Colour(3), 2, q.dash)
		if err != nil {
			return nil, err
		}
		c.add(ln)
		entries = append(entries, legendEntry{q.what + ": " + percent(q.x), []plot.Thumbnailer{ln}})
	}
	pooled, err := vline(o.Estimate.P, color.Black, 1.2, false)
	if err != nil {
		return nil, err
	}
	pooled.LineStyle.Dashes = []vg.Length{vg.Points(1), vg.Points(2)}
	c.add(pooled)
	entries = append(entries,
		legendEntry{"P averaged: " + percent(o.Estimate.P), []plot.Thumbnailer{pooled}},
		legendEntry{"noise share: " + percent(o.Range.NoiseShare), nil})
	if !o.Conditional {
		entries = append(entries, legendEntry{fmt.Sprintf("(%d trials per draw)", r.Nested.PerDraw), nil})
	} else if r.Counts.Trials > 0 {
		// A conditional outcome's draws are shares of the trials where its
		// given held: say which, and how many.
		entries = append(entries, legendEntry{"given " + clipGiven(o.Given), nil},
			legendEntry{"held in " + percent(float64(o.Estimate.N)/float64(r.Counts.Trials)) + " of trials", nil})
	}
	if od, ok := r.Drivers[o.Name]; ok && len(od.Top) > 0 {
		entries = append(entries, legendEntry{"top drivers (share, 95%):", nil})
		for _, d := range od.Top {
			entries = append(entries, legendEntry{fmt.Sprintf("%s %.0f%% [%.0f, %.0f]", d.Param, 100*d.Share, 100*d.Lo, 100*d.Hi), nil})
		}
	}
	c.add(legendRight(p, 0, entries...))
	return c, nil
}

// DrawsOutcomes returns the outcomes that get a [Draws] chart: in a nested
// run, the headline outcomes whose range over assumptions is defined, in
// layout order; none in a flat run.
func DrawsOutcomes(r *results.Result) []int {
	if r.Nested == nil {
		return nil
	}
	var out []int
	for i, o := range r.Outcomes {
		if o.Headline && o.Range.Defined() {
			out = append(out, i)
		}
	}
	return out
}
