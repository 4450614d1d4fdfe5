package sim_test

import (
	"context"
	"math"
	"reflect"
	"testing"

	"scensim/model"
	"scensim/sim"
)

// A nested paired run: each plan's tally is exactly the tally of a nested
// sim.Run of that plan (so draw d of both plans uses the same param values
// for the params they share); the per-draw counts sum to the totals and to
// the joint counts; and nothing depends on the number of workers.
func TestPairedNestedSharesDraws(t *testing.T) {
	base := baselineWith(t, "")
	variant := baselineWith(t, "scensim: 1\nname: gf\nextends: baseline\nparams:\n  p_ground_force:\n    value: 1\n")
	plans := []*model.Plan{base, variant}
	rows := allRows(plans)
	opts := sim.Options{Trials: 3000, Seed: 5, Workers: 2, Params: sim.Params{PerDraw: 300}}
	pt, err := sim.RunPaired(context.Background(), plans, rows, opts)
	if err != nil {
		t.Fatal(err)
	}
	for j, p := range plans {
		run, err := sim.Run(context.Background(), p, opts)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(pt.Tallies[j], run) {
			t.Errorf("plan %d: paired nested tally differs from sim.Run's", j)
		}
	}
	pd := pt.Draws
	if pd == nil || pd.Draws() != 10 || pd.Rows != len(rows) || pd.Plans != 2 {
		t.Fatalf("per-draw counts %+v", pd)
	}
	// A shared param has the same value in draw d of both plans.
	for _, trial := range []int64{0, 299, 300, 2999} {
		a, err := sim.ReplayParams(base, opts.Seed, trial, opts.Params)
		if err != nil {
			t.Fatal(err)
		}
		b, err := sim.ReplayParams(variant, opts.Seed, trial, opts.Params)
		if err != nil {
			t.Fatal(err)
		}
		same, differ := 0, 0
		for i, par := range base.Params {
			if par.Dist == nil {
				continue
			}
			if par.Name == "p_ground_force" {
				if b.Params[i] != 1 {
					t.Errorf("trial %d: the variant's p_ground_force is %g", trial, b.Params[i])
				}
				continue
			}
			if a.Params[i] == b.Params[i] {
				same++
			} else {
				differ++
			}
		}
		if differ != 0 || same == 0 {
			t.Errorf("trial %d: %d shared params equal, %d differ", trial, same, differ)
		}
	}
	for r := range rows {
		for j := range plans {
			var hits, given, disc int64
			for d := range pd.Draws() {
				i := pd.At(d, r, j)
				hits, given, disc = hits+int64(pd.Hits[i]), given+int64(pd.Given[i]), disc+int64(pd.Disc[i])
			}
			jt := pt.Joint[r][j]
			wantHits := jt.At(-1, 1) + jt.At(0, 1) + jt.At(1, 1)
			wantGiven := opts.Trials - jt.At(-1, -1) - jt.At(0, -1) - jt.At(1, -1)
			wantDisc := jt.At(1, 0) + jt.At(1, -1) + jt.At(0, 1) + jt.At(-1, 1)
			if hits != wantHits || given != wantGiven || disc != wantDisc {
				t.Fatalf("row %d plan %d: per-draw sums %d/%d/%d, want %d/%d/%d", r, j, hits, given, disc, wantHits, wantGiven, wantDisc)
			}
		}
	}
	// The per-draw value differences add up to those over all trials.
	if pd.NumValues != len(base.Values) || pd.NumValues == 0 {
		t.Fatalf("%d value outcomes per draw, want %d", pd.NumValues, len(base.Values))
	}
	for v := range pd.NumValues {
		var defined, undefined int64
		var sum float64
		for d := range pd.Draws() {
			x := pd.Values[pd.ValueAt(d, v, 1)]
			defined, undefined, sum = defined+x.Defined, undefined+x.Undefined, sum+x.SumFloat()
		}
		all := pt.Values[1][v].Diff
		if defined != all.Defined || undefined != all.Undefined || math.Abs(sum-all.SumFloat()) > 1e-6*(1+math.Abs(sum)) {
			t.Fatalf("value %d: per-draw differences %d/%d/%g, over all trials %d/%d/%g", v, defined, undefined, sum, all.Defined, all.Undefined, all.SumFloat())
		}
	}
	opts.Workers = 1
	one, err := sim.RunPaired(context.Background(), plans, rows, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(one, pt) {
		t.Error("1 worker and 2 workers give different nested paired tallies")
	}
}
