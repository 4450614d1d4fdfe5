package sim_test

import (
	"context"
	"reflect"
	"testing"

	"scensim/sim"
)

func nestedRun(t *testing.T, opts sim.Options) *sim.Tally {
	t.Helper()
	p := baselinePlan(t)
	tl, err := sim.Run(context.Background(), p, opts)
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

// A nested run's counts, per-draw counts included, do not depend on the
// number of workers, nor on how the trials are split into ranges (shards)
// that cut draws in two.
func TestNestedIndependentOfWorkersAndSplits(t *testing.T) {
	ps := sim.Params{PerDraw: 97}
	const n = 2000
	one := nestedRun(t, sim.Options{Trials: n, Seed: 5, Workers: 1, Params: ps})
	two := nestedRun(t, sim.Options{Trials: n, Seed: 5, Workers: 2, Params: ps})
	if !reflect.DeepEqual(one, two) {
		t.Fatal("1 and 2 workers give different nested counts")
	}
	if got, want := one.Draws(), int(sim.DrawsOf(n, 97)); got != want || one.PerDraw != 97 {
		t.Fatalf("draws %d per %d, want %d per 97", got, one.PerDraw, want)
	}
	merged := sim.NewTally(baselinePlan(t))
	for _, cut := range [][2]int64{{1500, 500}, {0, 700}, {700, 800}} { // 700 and 1500 cut draws
		merged.Merge(nestedRun(t, sim.Options{First: cut[0], Trials: cut[1], Seed: 5, Workers: 2, Params: ps}))
	}
	if !reflect.DeepEqual(one, merged) {
		t.Fatal("ranges merged in any order differ from the whole run")
	}
	var trials int64
	for d, m := range one.DrawTrials {
		trials += m
		if want := min(int64(97), n-int64(d)*97); m != want {
			t.Fatalf("draw %d has %d trials, want %d", d, m, want)
		}
	}
	O := len(one.Hits)
	for i := range O {
		var h, g int64
		for d := range one.Draws() {
			h, g = h+one.DrawHits[d*O+i], g+one.DrawGiven[d*O+i]
		}
		if h != one.Hits[i] || g != one.Given[i] {
			t.Fatalf("outcome %d: per-draw sums %d/%d, totals %d/%d", i, h, g, one.Hits[i], one.Given[i])
		}
	}
	if trials != n {
		t.Fatalf("per-draw trials sum to %d, want %d", trials, n)
	}
}

// Trials of one draw share their param values; the next draw has others;
// a replayed trial equals the trial a run gives, counts included.
func TestNestedDrawsShareParamsAndReplay(t *testing.T) {
	p := baselinePlan(t)
	ps := sim.Params{PerDraw: 50}
	path := func(i int64) *sim.Path {
		pa, err := sim.ReplayParams(p, 9, i, ps)
		if err != nil {
			t.Fatal(err)
		}
		return pa
	}
	a, b, c := path(100), path(149), path(150)
	if !reflect.DeepEqual(a.Params, b.Params) {
		t.Fatal("trials 100 and 149 (draw 2) have different params")
	}
	if reflect.DeepEqual(b.Params, c.Params) {
		t.Fatal("trials 149 (draw 2) and 150 (draw 3) have the same params")
	}
	flat, err := sim.Replay(p, 9, 100)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(flat.Params, a.Params) {
		t.Fatal("a nested trial took the per-trial draw's params")
	}
	for _, i := range []int64{0, 149, 150, 777} {
		run := nestedRun(t, sim.Options{First: i, Trials: 1, Seed: 9, Workers: 1, Params: ps})
		if got := path(i).Tally; !reflect.DeepEqual(got, run) {
			t.Fatalf("trial %d: replayed counts differ from the run's", i)
		}
	}
}

// Fixed params run every param at its value: and keep no per-draw counts.
func TestFixedParams(t *testing.T) {
	p := baselinePlan(t)
	pa, err := sim.ReplayParams(p, 3, 12, sim.Params{Fixed: true, PerDraw: 10})
	if err != nil {
		t.Fatal(err)
	}
	sampled := 0
	for i, par := range p.Params {
		if pa.Params[i] != par.Value {
			t.Fatalf("param %s = %g, want its value %g", par.Name, pa.Params[i], par.Value)
		}
		if par.Dist != nil {
			sampled++
		}
	}
	if sampled == 0 {
		t.Fatal("the baseline has no param with a dist: the test checks nothing")
	}
	tl := nestedRun(t, sim.Options{Trials: 300, Seed: 3, Params: sim.Params{Fixed: true, PerDraw: 10}})
	if tl.Nested() || tl.Draws() != 0 {
		t.Fatal("a fixed-params run kept per-draw counts")
	}
}

func TestPerDrawFor(t *testing.T) {
	for _, c := range []struct{ n, draws, want int64 }{
		{100000, 0, 500}, {1000000, 0, 500}, {1000001, 0, 501}, {1e8, 0, 50000}, {5000, 0, 500}, {4999, 0, 500}, {1000, 0, 100}, {7, 0, 1}, {0, 0, 1},
		{100000, 1000, 100}, {1001, 10, 101}, {5, 10, 1},
	} {
		if got := sim.PerDrawFor(c.n, c.draws); got != c.want {
			t.Errorf("PerDrawFor(%d, %d) = %d, want %d", c.n, c.draws, got, c.want)
		}
	}
}
