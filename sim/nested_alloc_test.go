package sim_test

import (
	"context"
	"testing"

	"scensim/sim"
)

// A nested run allocates per run, not per trial: on one worker, 32 000
// trials of the baseline (64 draws) make at most 16 allocations more than
// 16 000 (32 draws), i.e. fewer than one per 1000 trials. Those few are
// not per trial: a draw's params can take a trial to a state no earlier
// draw reached, whose per-trial row cache (or a longer scratch list) is
// then allocated once for the run.
func TestNestedRunAllocatesPerRunNotPerTrial(t *testing.T) {
	p := baselinePlan(t)
	allocs := func(n int64, ps sim.Params) float64 {
		return testing.AllocsPerRun(1, func() {
			if _, err := sim.Run(context.Background(), p, sim.Options{Trials: n, Seed: 1, Workers: 1, Params: ps}); err != nil {
				t.Fatal(err)
			}
		})
	}
	nested := sim.Params{PerDraw: 500}
	small, large := allocs(16000, nested), allocs(32000, nested)
	flatSmall, flatLarge := allocs(16000, sim.Params{}), allocs(32000, sim.Params{})
	t.Logf("allocations per run: nested %v (16 000 trials) and %v (32 000); flat %v and %v", small, large, flatSmall, flatLarge)
	if large-small > 16 {
		t.Errorf("a nested run of 32 000 trials makes %v allocations, of 16 000 %v: some are per trial", large, small)
	}
}
