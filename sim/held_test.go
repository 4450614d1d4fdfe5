package sim_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"scensim/results"
	"scensim/sim"
)

// TestParamHistogramsCountEveryTrial: a run's param histograms hold, bin
// by bin, the values the Trialer reports trial by trial, binned by
// results.ParamLayout.Bin, although a runner holds the values of up to
// sim.HeldTrials(p) trials before it counts them. Checked for runs of one
// trial to two holds and more, on one and three workers, from a first
// trial other than 0, with a design that puts some values on the
// histograms' edges and beyond them.
func TestParamHistogramsCountEveryTrial(t *testing.T) {
	p := mustCompile(t, `
scensim: 1
name: held
time: {start: 2025-01-01, step: week, steps: 6}
params:
  a: {dist: "uniform(0, 1)"}
  k: {value: 0.1}
  b: {dist: "beta(2, 5)"}
tracks:
  t:
    initial: x
    states: [x, y]
    transitions: [{from: x, to: y, rate: "clamp(a, 0, 1) * 0.2 + k * clamp(b, 0, 1)"}]
outcomes:
  moved: t.y
`)
	edges := []float64{0, 1, math.Nextafter(1, 0), -0.25, 1.5, math.Inf(1)}
	design := func(trial int64, vals []float64) {
		if trial%5 == 0 {
			vals[0] = edges[int(trial/5)%len(edges)]
		}
	}
	var layouts []results.ParamLayout
	var slots []int // per layout: its param's index in p.Params
	for i, par := range p.Params {
		if par.Dist != nil {
			layouts = append(layouts, results.ParamLayout{Name: par.Name, Lo: par.Dist.Lo, Hi: par.Dist.Hi, Bins: sim.HistBins})
			slots = append(slots, i)
		}
	}
	const first = 5
	held := sim.HeldTrials(p)
	if held < 2 || held > 4096 {
		t.Fatalf("a runner holds %d trials of 2 params, want 2 to 4096", held)
	}
	for _, trials := range []int64{1, held - 1, held, held + 1, 2*held + 37} {
		want := make([]int64, len(layouts)*(sim.HistBins+2))
		tr := sim.NewTrialer(p, 7)
		tr.SetDesign(design)
		for i := int64(first); i < first+trials; i++ {
			if _, err := tr.Trial(i); err != nil {
				t.Fatal(err)
			}
			vals := tr.Params()
			for j, l := range layouts {
				want[j*(sim.HistBins+2)+l.Bin(vals[slots[j]])]++
			}
		}
		if got := tr.Tally().ParamHist; !slices.Equal(got, want) {
			t.Errorf("%d trials, Trialer: histograms %v, want %v", trials, got, want)
		}
		for _, workers := range []int{1, 3} {
			tl, err := sim.Run(context.Background(), p, sim.Options{Trials: trials, First: first, Seed: 7, Workers: workers, Design: design})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tl.ParamHist, want) {
				t.Errorf("%d trials, %d workers: histograms %v, want %v", trials, workers, tl.ParamHist, want)
			}
		}
	}
}
