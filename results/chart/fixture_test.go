package chart_test

import (
	"context"
	"sync"
	"testing"

	"scensim/model"
	"scensim/results"
	"scensim/runresult"
	"scensim/scenarios"
	"scensim/sim"
)

// path is a group of mult identical trials: states[t][k] is the state
// (index within track t) at point k.
type path struct {
	mult   int64
	states [][]int
}

// fixture is a small hand-made result: 9 weekly points, two named dates
// (one after the run), two tracks, an unconditional, a conditional and an
// undefined outcome, and one sampled param.
func fixture(t testing.TB) *results.Result {
	t.Helper()
	l := results.Layout{
		Scenario: "fixture",
		Title:    "Hand-made fixture for the chart tests",
		Points: []string{"2025-03-19", "2025-03-26", "2025-04-02", "2025-04-09", "2025-04-16",
			"2025-04-23", "2025-04-30", "2025-05-07", "2025-05-14"},
		NamedDates: []results.NamedDate{
			{Name: "april_target", Date: "2025-04-10", Point: 3},
			{Name: "end_of_april", Date: "2025-04-30", Point: 6},
			{Name: "summer", Date: "2025-06-01", Point: 8}, // after the run: not drawn
		},
		Tracks: []results.TrackLayout{
			{Name: "talks", States: []string{"open", "deal", "broken"}},
			{Name: "war", States: []string{"holding", "offensive"}},
		},
		Outcomes: []results.OutcomeLayout{
			{Name: "deal", Why: "A deal by the horizon."},
			{Name: "offensive_given_broken", Given: "reached(talks.broken)"},
			{Name: "never_defined", Given: "false"},
		},
		Params: []results.ParamLayout{{Name: "deal_rate", Dist: "beta(2, 6)", Lo: 0, Hi: 1, Bins: 10}},
	}
	paths := []path{
		{400, [][]int{{0, 0, 0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0, 0, 0}}},
		{250, [][]int{{0, 1, 1, 1, 1, 1, 1, 1, 1}, {0, 0, 0, 0, 0, 0, 0, 0, 0}}},
		{150, [][]int{{0, 0, 0, 1, 1, 1, 1, 1, 1}, {0, 0, 0, 0, 0, 0, 1, 1, 1}}},
		{120, [][]int{{0, 0, 2, 2, 2, 2, 2, 2, 2}, {0, 0, 0, 1, 1, 0, 0, 1, 1}}},
		{80, [][]int{{0, 0, 0, 0, 0, 2, 2, 2, 2}, {0, 0, 0, 0, 0, 0, 0, 0, 0}}},
	}
	c := results.NewCounts(&l)
	np, ns := len(l.Points), l.NumStates()
	for _, pa := range paths {
		c.Trials += pa.mult
		base := 0
		for ti, tr := range l.Tracks {
			for s := range tr.States {
				g := base + s
				first := np
				for k := np - 1; k >= 0; k-- {
					if pa.states[ti][k] == s {
						first = k
						c.Occupancy[k*ns+g] += pa.mult
					}
				}
				c.Entry[g*(np+1)+first] += pa.mult
			}
			base += len(tr.States)
		}
	}
	// deal: 250+150; offensive given broken: of 120+80 broken, 120 had an offensive.
	c.Hits = []int64{400, 120, 0}
	c.Given = []int64{1000, 200, 0}
	c.ParamHist = []int64{0, 60, 180, 240, 210, 150, 90, 45, 20, 5, 0, 0}
	m := results.Manifest{Scenario: "fixture", Seed: 7, Trials: 1000, Step: "week",
		Start: "2025-03-19", End: "2025-05-14", Steps: 8}
	r, err := results.NewResult(l, *c, m, results.RunInfo{})
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return r
}

var (
	baselineOnce sync.Once
	baselineRes  *results.Result
	baselineErr  error
)

// baseline runs 5000 trials of the embedded baseline with a fixed seed.
func baseline(t testing.TB) *results.Result {
	t.Helper()
	baselineOnce.Do(func() {
		data, ok := scenarios.Read("baseline")
		if !ok {
			baselineErr = errNoBaseline
			return
		}
		p, errs := model.Compile("embedded:baseline", data, nil)
		if p == nil {
			baselineErr = errs.Err()
			return
		}
		const seed = 20250319
		tally, err := sim.Run(context.Background(), p, sim.Options{Trials: 5000, Seed: seed})
		if err != nil {
			baselineErr = err
			return
		}
		baselineRes, baselineErr = runresult.FromRun(p, tally, seed, "test", results.RunInfo{})
	})
	if baselineErr != nil {
		t.Fatalf("baseline: %v", baselineErr)
	}
	return baselineRes
}

type constErr string

func (e constErr) Error() string { return string(e) }

const errNoBaseline = constErr("no embedded baseline scenario")
