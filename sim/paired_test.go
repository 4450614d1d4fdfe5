package sim_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"scensim/model"
	"scensim/scenarios"
	"scensim/sim"
)

// baselineWith compiles the embedded baseline, or an overlay of it.
func baselineWith(t testing.TB, overlay string) *model.Plan {
	t.Helper()
	data, _ := scenarios.Read("baseline")
	resolve := func(name, from string) (string, []byte, error) {
		if name != "baseline" {
			return "", nil, fmt.Errorf("no %s", name)
		}
		return "baseline.yaml", data, nil
	}
	file, src := "baseline.yaml", data
	if overlay != "" {
		file, src = "variant.yaml", []byte(overlay)
	}
	p, errs := model.CompileWith(file, src, model.Options{Resolve: resolve})
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	return p
}

// allRows asks every outcome and every state reached by the horizon, of
// plans with the same outcomes and states.
func allRows(plans []*model.Plan) [][]sim.Probe {
	var rows [][]sim.Probe
	p := plans[0]
	for i := range p.Outcomes {
		row := make([]sim.Probe, len(plans))
		for j := range row {
			row[j] = sim.Probe{Outcome: i, State: -1, Point: -1}
		}
		rows = append(rows, row)
	}
	for g := range p.States {
		row := make([]sim.Probe, len(plans))
		for j := range row {
			row[j] = sim.Probe{Outcome: -1, State: g, Point: p.Steps}
		}
		rows = append(rows, row)
	}
	return rows
}

// Two copies of one scenario: every answer is the same in both, so there
// is not a single discordant trial, and each plan's tally is exactly the
// tally of sim.Run.
func TestPairedIdenticalPlans(t *testing.T) {
	a, b := baselineWith(t, ""), baselineWith(t, "")
	plans := []*model.Plan{a, b}
	rows := allRows(plans)
	opts := sim.Options{Trials: 3000, Seed: 11, Workers: 3}
	pt, err := sim.RunPaired(context.Background(), plans, rows, opts)
	if err != nil {
		t.Fatal(err)
	}
	for r := range rows {
		j := pt.Joint[r][1]
		var total int64
		for x := -1; x <= 1; x++ {
			for y := -1; y <= 1; y++ {
				if x != y && j.At(x, y) != 0 {
					t.Fatalf("row %d: %d trials answered %d then %d", r, j.At(x, y), x, y)
				}
				total += j.At(x, y)
			}
		}
		if total != opts.Trials || j != pt.Joint[r][0] {
			t.Fatalf("row %d: %d trials counted", r, total)
		}
	}
	run, err := sim.Run(context.Background(), a, opts)
	if err != nil {
		t.Fatal(err)
	}
	for j := range plans {
		if !reflect.DeepEqual(pt.Tallies[j], run) {
			t.Errorf("plan %d: paired tally differs from sim.Run's", j)
		}
	}
	// The counts do not depend on the number of workers.
	opts.Workers = 1
	one, err := sim.RunPaired(context.Background(), plans, rows, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(one, pt) {
		t.Error("1 worker and 3 workers give different paired tallies")
	}
}

// A variant that changes the rate of one transition (stalled → collapsed)
// draws the same numbers as the baseline in every trial, so a trial can
// differ only if it visits the transition's from-state: every trial that
// never stalls is the same in both, in every outcome and every entry date.
func TestPairedChangeOnlyWhereItMatters(t *testing.T) {
	base := baselineWith(t, "")
	variant := baselineWith(t, `scensim: 1
name: fast_collapse
extends: baseline
tracks:
  talks:
    transitions:
      - name: talks_collapse
        rate: 'collapse_rate * 4'
`)
	seed := uint64(20250319)
	ta, tb := sim.NewTrialer(base, seed), sim.NewTrialer(variant, seed)
	stalled := -1
	for g := range base.States {
		if base.FullName(g) == "talks.stalled" {
			stalled = g
		}
	}
	const n = 4000
	var differ, visited []int64
	for i := int64(0); i < n; i++ {
		oa, err := ta.Trial(i)
		if err != nil {
			t.Fatal(err)
		}
		oa = slices.Clone(oa)
		ea := slices.Clone(ta.Entry())
		ob, err := tb.Trial(i)
		if err != nil {
			t.Fatal(err)
		}
		same := slices.Equal(oa, ob) && slices.Equal(ea, tb.Entry())
		if ea[stalled] >= 0 {
			visited = append(visited, i)
		}
		if !same {
			differ = append(differ, i)
			if ea[stalled] < 0 {
				t.Errorf("trial %d differs but never stalled", i)
			}
		}
	}
	if len(differ) == 0 || len(differ) >= len(visited) {
		t.Fatalf("%d trials differ, %d stalled; want some but not all of those that stalled", len(differ), len(visited))
	}
	t.Logf("%d of %d trials stalled; %d of them differ", len(visited), n, len(differ))
	// Replay a sample of the differing trials: each enters talks.stalled
	// in the baseline, before any difference could arise.
	for _, i := range differ[:min(len(differ), 20)] {
		path, err := sim.Replay(base, seed, i)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range path.Events {
			found = found || e.Track == "talks" && e.To == "stalled"
		}
		if !found {
			t.Errorf("trial %d differs, but its replay never enters talks.stalled", i)
		}
	}
	// The paired tally agrees: more trials gain a collapse than lose one
	// (some lose one: a trial that revives in one plan and not in the
	// other goes on differently from there).
	plans := []*model.Plan{base, variant}
	pt, err := sim.RunPaired(context.Background(), plans, allRows(plans), sim.Options{Trials: n, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	for r, o := range base.Outcomes {
		if o.Name != "talks_collapsed" {
			continue
		}
		j := pt.Joint[r][1]
		if j.At(0, 1) <= 2*j.At(1, 0) {
			t.Errorf("talks_collapsed: %d trials lose a collapse, %d gain one", j.At(1, 0), j.At(0, 1))
		}
	}
}

func TestPairedErrors(t *testing.T) {
	p := baselineWith(t, "")
	ctx := context.Background()
	if _, err := sim.RunPaired(ctx, nil, nil, sim.Options{Trials: 1}); err == nil {
		t.Error("no plans: no error")
	}
	bad := [][]sim.Probe{{{Outcome: 999, State: -1}}}
	if _, err := sim.RunPaired(ctx, []*model.Plan{p}, bad, sim.Options{Trials: 1}); err == nil {
		t.Error("outcome out of range: no error")
	}
	short := [][]sim.Probe{{sim.Absent}}
	if _, err := sim.RunPaired(ctx, []*model.Plan{p, p}, short, sim.Options{Trials: 1}); err == nil {
		t.Error("row of the wrong length: no error")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err := sim.RunPaired(cancelled, []*model.Plan{p}, nil, sim.Options{Trials: 100000})
	if _, ok := err.(*sim.Interrupted); !ok {
		t.Errorf("cancelled: %v", err)
	}
}
