package sim_test

import (
	"context"
	"reflect"
	"testing"

	"scensim/model"
	"scensim/sim"
)

// budgetScenario has every kind of precomputed table: time tables (the
// guards' step terms, a ramp), tables of one track's state, fixed and per
// trial (the phase factors), per-state cells of guards on another track's
// state, rows of time-dependent probabilities, competing rates, and truth
// tables of outcomes.
const budgetScenario = `scensim: 1
name: budget
time:
  start: 2025-01-01
  step: week
  steps: 60
params:
  boost: {dist: "uniform(1, 2)"}
tracks:
  phase:
    initial: p0
    states: [p0, p1, p2, p3]
    transitions:
      - {from: p0, to: p1, p: 0.05}
      - {from: p1, to: p2, p: "0.04 * (1 + step / 60)"}
      - {from: p2, to: p3, rate: 0.03}
      - {from: p3, to: p0, rate: 0.02}
  chain:
    initial: s0
    states: [s0, s1, s2, s3, s4, s5]
    transitions:
      - {from: s0, to: s1, p: "0.03 * (1 + step % 5)", when: "step % 3 != 0 and not phase.p1"}
      - {from: s0, to: s2, rate: 0.01}
      - {from: s1, to: s2, p: "0.05 * (phase.p2 ? 2 : 1)"}
      - {from: s1, to: s3, rate: "0.02 * boost * (phase.p3 ? 1.5 : 1)", when: "step >= 10"}
      - {from: s2, to: s3, rate: 0.04, when: "not phase.p0"}
      - {from: s2, to: s4, rate: "0.01 * (1 + step / 20)"}
      - {from: s3, to: s4, p: "min(0.2, 0.01 * boost * (1 + step % 7))"}
      - {from: s4, to: s5, p: 0.03, when: "phase.p2 or phase.p3"}
outcomes:
  far: "reached(chain.s4)"
  end: "chain.s5 and not phase.p0"
  given: {when: "chain.s5", given: "reached(phase.p2)"}
`

// The table budget changes how a plan is resolved, never what it counts:
// over the budget, the tables that do not fit are evaluated at each step,
// and the tallies are those of the plan with every table.
func TestTableBudgetSameTallies(t *testing.T) {
	compile := func(budget int64) *model.Plan {
		t.Helper()
		p, errs := model.CompileWith("budget.yaml", []byte(budgetScenario), model.Options{TableBudget: budget})
		if p == nil {
			t.Fatal(errs)
		}
		return p
	}
	full := compile(0)
	if full.TableUse.FellBack() {
		t.Fatalf("the default budget left tables out: %v", full.TableUse)
	}
	states, _, _ := shortcuts(full)
	if states == 0 {
		t.Fatal("no state tables with the default budget: the comparison tests nothing")
	}
	opts := sim.Options{Trials: 4000, Seed: 11, Workers: 2}
	want, err := sim.Run(context.Background(), full, opts)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, budget := range []int64{1, 600, 2000, 5000, 10000, 20000, full.TableUse.Used - 1} {
		p := compile(budget)
		u := p.TableUse
		if !u.FellBack() || u.Used > budget {
			t.Errorf("budget %d: %v", budget, u)
		}
		for k := range u.Over {
			kinds[k] = true
		}
		got, err := sim.Run(context.Background(), p, opts)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("budget %d (%v): tallies differ from those with every table", budget, u)
		}
	}
	for _, k := range []string{model.TableTime, model.TableState, model.TableCells, model.TableTruth} {
		if !kinds[k] {
			t.Errorf("no budget left out %s: the test does not exercise their fallback", k)
		}
	}
}
