package sim_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"scensim/sim"
)

// An invalid rate or probability met while resolving an evaluated state
// is reported with the index of the trial it was met in: the first trial
// whose params make it invalid, which a replay of that trial alone
// reports too, with and without the plan's shortcuts. The state a1 is
// evaluated at run time (its rates read the time since entry): with two
// rates that compete, with one, and with a guard that gives it a table of
// CellEval cells.
func TestEvaluatedErrorNamesItsTrial(t *testing.T) {
	const src = `
scensim: 1
name: bad
time: {start: 2025-01-01, step: week, steps: 20}
params:
  k: {value: 0.02, dist: "uniform(0.01, 0.05)"}
  drop: {value: 0, dist: "uniform(-0.05, 1)"}
tracks:
  a:
    initial: a0
    states: [a0, a1, a2, a3]
    transitions:
      - {from: a0, to: a1, p: 0.5}
      - {from: a1, to: a2, rate: "k * (date - entry(a.a1)) / 7 * drop", per: week}
      - {from: a1, to: a3, rate: "k * (date - entry(a.a1)) / 7", per: week}
  b:
    initial: b0
    states: [b0, b1]
    transitions:
      - {from: b0, to: b1, p: 0.1}
`
	third := "      - {from: a1, to: a3, rate: \"k * (date - entry(a.a1)) / 7\", per: week}\n"
	for lone, text := range map[string]string{
		"competing": src,
		"lone":      strings.Replace(src, third, "", 1), // a1's one transition: probs
		"guarded":   strings.Replace(src, third, strings.Replace(third, "per: week}", "per: week, when: b.b0}", 1), 1),
	} {
		p := mustCompile(t, text)
		_, errA := sim.Run(context.Background(), p, sim.Options{Trials: 2000, Seed: 5, Workers: 1})
		_, errB := sim.Run(context.Background(), evaluated(p), sim.Options{Trials: 2000, Seed: 5, Workers: 1})
		var re *sim.RuntimeError
		if !errors.As(errA, &re) {
			t.Fatalf("%s: want a runtime error, got %v", lone, errA)
		}
		if errB == nil || errA.Error() != errB.Error() {
			t.Fatalf("%s: %v; without shortcuts: %v", lone, errA, errB)
		}
		if re.Trial == 0 {
			t.Fatalf("%s: the first trial failed (%v): the test needs a later one", lone, errA)
		}
		if _, err := sim.Replay(p, 5, re.Trial); err == nil || err.Error() != errA.Error() {
			t.Errorf("%s: replay of trial %d: %v; run: %v", lone, re.Trial, err, errA)
		}
		if _, err := sim.Replay(p, 5, re.Trial-1); err != nil {
			t.Errorf("%s: replay of trial %d, before the first error: %v", lone, re.Trial-1, err)
		}
		if !strings.Contains(errA.Error(), "a1->a2") {
			t.Errorf("%s: error does not name the transition: %v", lone, errA)
		}
		t.Log(errA)
	}
}
