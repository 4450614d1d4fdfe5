package model

import (
	"math/rand/v2"
	"testing"

	"scensim/model/kernel"
)

// horizonScenario has outcomes and checks on entry points (tabled by
// exact keys), on reached_by with a date that is not a constant, and on
// what no table can hold (a var, dwell, counts of entries, a param drawn
// per trial).
const horizonScenario = `
scensim: 1
name: horizon
time: {start: 2025-01-06, step: week, steps: 20}
dates: {mid: 2025-03-01}
params:
  q: {value: 0.2, dist: "uniform(0.1, 0.3)"}
vars:
  heat: 0.1
tracks:
  a:
    initial: x
    states: [x, y, z]
    transitions:
      - {from: x, to: y, p: q}
      - {from: y, to: z, p: 0.2, set: {heat: heat + 0.1}}
      - {from: z, to: x, p: 0.1}
  b:
    initial: u
    states: [u, v]
    transitions:
      - {from: u, to: v, p: 0.1, when: a.y}
outcomes:
  lag: "entry(a.z) - entry(a.y) > 14"
  lag_given: {when: "entry(b.v) <= entry(a.z)", given: "reached(a.y) and b.v"}
  by_entry: "reached_by(a.z, entry(b.v))"
  early_late: {when: "entry(a.y) <= mid", given: "not a.x"}
  mixed_keys: "reached_by(a.y, mid) and entry(b.v) - entry(a.y) < 30 and a.z"
  hot: "heat > 0.15"
  long: "dwell(a) > 3"
  again: "entries(a.x) > 1"
  drawn: "reached(a.y) and q > 0.2"
checks:
  order: "not reached(a.z) or entry(a.y) <= entry(a.z)"
`

// TestHorizonTablesMatchExpressions is the oracle of the truth tables of
// outcome and check conditions: at random horizons (each state entered at
// a random point or never, each track in a random state), a condition
// with a table holds iff its expression is non-zero. Conditions on entry
// points get tables; those reading vars, dwell, counts or params do not.
func TestHorizonTablesMatchExpressions(t *testing.T) {
	p, errs := Compile("horizon.yaml", []byte(horizonScenario), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	type cond struct {
		name string
		test *kernel.Test
		expr *Expr
	}
	var conds []cond
	tabled := map[string]bool{}
	for i, o := range p.Outcomes {
		conds = append(conds, cond{o.Name, p.Kernel.When(i), o.When})
		tabled[o.Name] = p.Kernel.When(i) != nil
		if o.Given != nil {
			conds = append(conds, cond{o.Name + " (given)", p.Kernel.Given(i), o.Given})
		}
	}
	for i, c := range p.Checks {
		conds = append(conds, cond{"check " + c.Name, p.Kernel.Check(i), c.Expr})
		tabled["check "+c.Name] = p.Kernel.Check(i) != nil
	}
	for name, want := range map[string]bool{
		"lag": true, "lag_given": true, "by_entry": true, "early_late": true, "mixed_keys": true, "check order": true,
		"hot": false, "long": false, "again": false, "drawn": false,
	} {
		if tabled[name] != want {
			t.Errorf("%s: tabled %v, want %v", name, tabled[name], want)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	f := &Frame{Step: p.Steps, State: make([]int32, len(p.Tracks)), Entry: make([]int32, len(p.States))}
	for range 20000 {
		for k, tr := range p.Tracks {
			f.State[k] = int32(tr.First + rng.IntN(tr.NStates))
		}
		for g := range f.Entry {
			f.Entry[g] = int32(rng.IntN(p.Steps+2)) - 1
		}
		for _, c := range conds {
			if c.test == nil {
				continue
			}
			if got, want := c.test.Holds(f), c.expr.Eval(f) != 0; got != want {
				t.Fatalf("%s: table %v, expression %v (entry %v, state %v)", c.name, got, want, f.Entry, f.State)
			}
		}
	}
}
