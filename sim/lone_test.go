package sim_test

import (
	"context"
	"strings"
	"testing"

	"scensim/sim"
)

// A state left by one unguarded rate that reads the time since its entry
// (no cell: nothing about it is known in advance) is decided against the
// rate's chance bound before its probability is evaluated. A rate that
// turns invalid there must still be reported, at the same trial and step
// as without shortcuts, and the counts must match while it is valid.
func TestLoneRateChanceBound(t *testing.T) {
	const src = `
scensim: 1
name: lone
time: {start: 2025-01-01, step: week, steps: 40}
params:
  k: {value: 0.02, dist: "uniform(0.01, 0.05)"}
  drop: {value: 0, dist: "uniform(-1, 1)"}
tracks:
  a:
    initial: a0
    states: [a0, a1, a2]
    transitions:
      - {from: a0, to: a1, p: 0.2}
      - {from: a1, to: a2, rate: "k * (date - entry(a.a1)) / 7 + DROP", per: week}
`
	valid := mustCompile(t, strings.Replace(src, "DROP", "0", 1))
	tally := sameWithoutShortcuts(t, valid, sim.Options{Trials: 5000, Seed: 11})
	if tally.Trials != 5000 {
		t.Fatalf("%d trials", tally.Trials)
	}
	// drop < 0 makes the rate negative in the first steps after entry
	// in about half the trials: the run stops at the first.
	bad := mustCompile(t, strings.Replace(src, "DROP", "drop", 1))
	_, errA := sim.Run(context.Background(), bad, sim.Options{Trials: 1000, Seed: 3, Workers: 1})
	_, errB := sim.Run(context.Background(), evaluated(bad), sim.Options{Trials: 1000, Seed: 3, Workers: 1})
	if errA == nil || errB == nil || errA.Error() != errB.Error() {
		t.Fatalf("errors: %v; without shortcuts: %v", errA, errB)
	}
	if !strings.Contains(errA.Error(), "a: a1->a2 has rate -") {
		t.Errorf("error does not name the transition: %v", errA)
	}
	t.Log(errA)
}
