package chart_test

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/plot/plotter"

	"scensim/model"
	"scensim/results"
	"scensim/results/chart"
	"scensim/runresult"
	"scensim/scenarios"
	"scensim/sim"
)

// The outcomes chart of a nested run draws, besides the simulation-error
// whiskers, one grey bar per outcome from its range's 5% to its 95%
// quantile, centred on the median.
func TestOutcomesChartShowsRange(t *testing.T) {
	data, ok := scenarios.Read("baseline")
	if !ok {
		t.Fatal("no embedded baseline")
	}
	p, errs := model.Compile("embedded:baseline", data, nil)
	if p == nil {
		t.Fatal(errs.Err())
	}
	tl, err := sim.Run(context.Background(), p, sim.Options{Trials: 5000, Seed: 1, Params: sim.Params{PerDraw: 250}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := runresult.FromRun(p, tl, 1, "test", results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := chart.Outcomes(r)
	if err != nil {
		t.Fatal(err)
	}
	bars := plottersOf[*plotter.XErrorBars](c)
	if len(bars) != 2 {
		t.Fatalf("%d whisker sets, want 2 (range, simulation error)", len(bars))
	}
	rng := bars[0]
	want := map[float64][2]float64{} // median → (p5, p95)
	for _, o := range r.Outcomes {
		if o.Range.Defined() {
			want[o.Range.P50] = [2]float64{o.Range.P5, o.Range.P95}
		}
	}
	if len(rng.XYs) != len(r.Outcomes) {
		t.Fatalf("%d range bars for %d outcomes", len(rng.XYs), len(r.Outcomes))
	}
	for i, xy := range rng.XYs {
		w, ok := want[xy.X]
		if !ok || math.Abs(xy.X-rng.XErrors[i].Low-w[0]) > 1e-12 || math.Abs(xy.X+rng.XErrors[i].High-w[1]) > 1e-12 {
			t.Errorf("range bar %d: [%v, %v] around %v, want one of the outcomes' ranges", i, xy.X-rng.XErrors[i].Low, xy.X+rng.XErrors[i].High, xy.X)
		}
	}
	png, err := chart.Render(c, "png", 1200, 800)
	if err != nil || len(png) == 0 {
		t.Fatalf("render: %v", err)
	}
}
