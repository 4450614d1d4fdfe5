package chart_test

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"scensim/model"
	"scensim/results"
	"scensim/results/chart"
	"scensim/runresult"
	"scensim/sim"
)

func conditionedResult(t *testing.T, evidence string) *results.Result {
	t.Helper()
	src := `scensim: 1
name: geo
time: {start: 2025-01-01, step: week, steps: 8}
dates: {week4: 2025-01-29}
params:
  theta: {dist: "beta(2, 6)"}
tracks:
  x:
    initial: out
    states: [out, in]
    transitions:
      - {from: out, to: in, p: theta}
outcomes:
  entered: reached(x.in)
` + evidence
	p, errs := model.Compile("geo.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs)
	}
	tl, err := sim.Run(context.Background(), p, sim.Options{Trials: 4000, Seed: 2, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	r, err := runresult.FromRun(p, tl, 2, "test", results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The posterior panel's bars are the kept trials' histogram and its
// outline the histogram of all trials run, both as densities.
func TestPosteriorChart(t *testing.T) {
	r := conditionedResult(t, "evidence:\n  none_yet: {not_reached: x.in, by: week4, source: test}\n")
	c, err := chart.Posterior(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Panels) != 1 {
		t.Fatalf("%d panels, want 1", len(c.Panels))
	}
	pl := r.Layout.Params[0]
	w := (pl.Hi - pl.Lo) / float64(pl.Bins)
	var hist *plotter.Histogram
	var line *plotter.Line
	for _, p := range c.Panels[0].Plotters {
		switch x := p.(type) {
		case *plotter.Histogram:
			hist = x
		case *plotter.Line:
			line = x
		}
	}
	if hist == nil || line == nil {
		t.Fatal("want a histogram and an outline")
	}
	kept, ran := float64(r.Counts.Trials), float64(r.Counts.Ran())
	for b := range pl.Bins {
		post := float64(r.Counts.ParamHist[b+1]) / (kept * w)
		prior := float64(r.Counts.ParamHist[b+1]+r.Counts.RejectedHist[b+1]) / (ran * w)
		if math.Abs(hist.Bins[b].Weight-post) > 1e-12 || math.Abs(line.XYs[2*b].Y-prior) > 1e-12 {
			t.Fatalf("bin %d: bars %g outline %g, want %g and %g", b, hist.Bins[b].Weight, line.XYs[2*b].Y, post, prior)
		}
	}
	svg, err := chart.Render(c, "svg", 6*vg.Inch, 4*vg.Inch)
	if err != nil || len(svg) == 0 {
		t.Fatalf("render: %v", err)
	}
	if _, err := chart.Posterior(conditionedResult(t, "")); err == nil {
		t.Error("a run without evidence has no posterior chart")
	}
}
