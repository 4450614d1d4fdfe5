package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"scensim/model/kernel"
)

// cellsScenario has one state of each kind of resolution. Weekly steps;
// summer is point 3 (day 21).
const cellsScenario = `scensim: 1
name: cells
time: {start: 2025-01-01, step: week, steps: 8}
dates: {summer: 2025-01-22, spring: 2025-01-08}
let:
  boost: "base * 2"
params:
  base: {value: 0.1, dist: "uniform(0.05, 0.15)"}
  k: 0.2
vars:
  heat: 0.5
tracks:
  talks:
    initial: open
    states: [open, deal, broken]
    transitions:
      # fixed rate and a time-only rate, no guard: a table, one key-free row per step
      - {from: open, to: deal, rate: 0.1}
      - {from: open, to: broken, rate: "date >= summer ? 0.2 : 0.05"}
  war:
    initial: cold
    states: [cold, hot]
    transitions:
      # guard on talks; a rate per trial: per-trial rows, none when talks are over
      - {from: cold, to: hot, rate: "talks.broken ? boost : base", when: "not talks.deal"}
      # a rate that reads a var: evaluated, when its guard holds
      - {from: hot, to: cold, p: "heat / 2", when: "reached_by(talks.broken, spring) or reached_by(talks.broken, summer)"}
  mood:
    initial: calm
    states: [calm, tense]
    transitions:
      # a guard that reads a var: no cells
      - {from: calm, to: tense, p: 0.1, when: "heat > 0.3", set: {heat: "heat * boost"}}
outcomes:
  deal: reached(talks.deal)
  early: {when: "reached_by(talks.broken, spring)", given: "not talks.deal"}
  hot: "heat > 0.4"
`

func compileCells(t *testing.T) *Plan {
	t.Helper()
	p, errs := Compile("cells.yaml", []byte(cellsScenario), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	return p
}

// tableNamed returns the kernel table of the state named "track.state"
// (nil if it has none).
func tableNamed(p *Plan, name string) *kernel.StateTable {
	for g := range p.States {
		if p.FullName(g) == name {
			return p.Kernel.State(g)
		}
	}
	panic("no state " + name)
}

func TestCellKinds(t *testing.T) {
	p := compileCells(t)
	kinds := func(st *kernel.StateTable, c int) []kernel.CellKind {
		var ks []kernel.CellKind
		for _, cell := range st.Cells(c) {
			ks = append(ks, cell.Kind)
		}
		return ks
	}
	repeat := func(k kernel.CellKind) []kernel.CellKind { return slices.Repeat([]kernel.CellKind{k}, p.Steps) }

	// talks.open: no keys; rows tabled before the run. Before summer the
	// rates are 0.1 and 0.05 per week; the row is cumulative, the chance
	// of leaving 1 − e^−0.15 shared in proportion.
	open := tableNamed(p, "talks.open")
	if len(open.Keys()) != 0 || !slices.Equal(kinds(open, 0), repeat(kernel.CellTable)) {
		t.Fatalf("talks.open: keys %v, cells %v", open.Keys(), kinds(open, 0))
	}
	leave := 1 - math.Exp(-0.15)
	first := open.Cells(0)[0]
	row := open.Row(&first)
	if len(row) != 2 || math.Abs(row[0]-leave*0.1/0.15) > 1e-15 || math.Abs(row[1]-leave) > 1e-15 || first.Total != row[1] {
		t.Errorf("talks.open at step 0: row %v (total %v), want [%v %v]", row, first.Total, leave*0.1/0.15, leave)
	}
	if after := open.Cells(0)[3]; after.Total != 1-math.Exp(-0.3) {
		t.Errorf("talks.open at summer: total %v, want 1 − e^−0.3 = %v", after.Total, 1-math.Exp(-0.3))
	}

	// war.cold: keyed by talks (open, deal, broken): per-trial rows, none
	// once talks have a deal (the guard).
	cold := tableNamed(p, "war.cold")
	if len(cold.Keys()) != 1 || cold.Keys()[0].Track != 0 {
		t.Fatalf("war.cold keys %+v, want talks", cold.Keys())
	}
	for c, want := range []kernel.CellKind{kernel.CellTrial, kernel.CellNone, kernel.CellTrial} {
		if got := kinds(cold, c); !slices.Equal(got, repeat(want)) {
			t.Errorf("war.cold, talks state %d: %v, want %v", c, got, want)
		}
	}
	if cold.TrialRows() != 2 {
		t.Errorf("war.cold: %d per-trial rows, want 2 (talks open, talks broken)", cold.TrialRows())
	}

	// war.hot: keyed by when talks broke down, cut at spring (point 1) and
	// summer (point 3); evaluated (it reads a var) when the guard holds.
	hot := tableNamed(p, "war.hot")
	if keys := hot.Keys(); len(keys) != 1 || keys[0].Reached != 2 || !slices.Equal(keys[0].Bounds, []int32{1, 3}) || keys[0].Size != 4 {
		t.Fatalf("war.hot keys %+v, want talks.broken entered: never, by point 1, by point 3, later", keys)
	}
	for c, want := range []kernel.CellKind{kernel.CellNone, kernel.CellEval, kernel.CellEval, kernel.CellNone} {
		if got := kinds(hot, c); !slices.Equal(got, repeat(want)) {
			t.Errorf("war.hot, entry bucket %d: %v, want %v", c, got, want)
		}
	}
	if eval := hot.Known(&hot.Cells(1)[0])[0]; eval.Kind != kernel.Evaluate {
		t.Errorf("war.hot: the var-dependent probability is known in advance as %+v", eval)
	}

	// mood.calm: the guard reads a var, so nothing is resolved in advance.
	if calm := tableNamed(p, "mood.calm"); calm != nil {
		t.Errorf("mood.calm has cells")
	}

	// Outcomes: truth tables where only keys are read.
	for i, o := range p.Outcomes {
		want := o.Name != "hot"
		when, given := p.Kernel.When(i), p.Kernel.Given(i)
		if (when != nil) != want || (o.Given != nil && (given != nil) != want) {
			t.Errorf("outcome %s: tests %v %v", o.Name, when, given)
		}
	}
}

// TestKeyValue checks Key.Value against the frames Key.Set makes, and
// reached_by keys against the expression they stand for.
func TestKeyValue(t *testing.T) {
	p := compileCells(t)
	key := tableNamed(p, "war.hot").Keys()[0]
	f := &Frame{State: make([]int32, len(p.Tracks)), Entry: make([]int32, len(p.States))}
	for v := range key.Size {
		key.Set(f, v)
		if got := key.Value(f); got != v {
			t.Errorf("value %d set, %d read (entry %d)", v, got, f.Entry[key.Reached])
		}
	}
	// Entry points 0..8 into buckets: never, ≤ 1, 2..3, ≥ 4.
	for e, want := range map[int32]int{-1: 0, 0: 1, 1: 1, 2: 2, 3: 2, 4: 3, 8: 3} {
		f.Entry[key.Reached] = e
		if got := key.Value(f); got != want {
			t.Errorf("entry at point %d: value %d, want %d", e, got, want)
		}
	}
}

// TestLazySlots evaluates every expression of plans with hoisted per-trial
// values (let, state tables of sampled params) in frames that compute them
// on demand, in several orders, against a frame filled in advance.
func TestLazySlots(t *testing.T) {
	plans := []*Plan{compileCells(t)}
	if p, errs := Compile("expr.yaml", []byte(exprScenarioLazy), nil); p != nil {
		plans = append(plans, p)
	} else {
		t.Fatal(errs.Snippets())
	}
	for _, p := range plans {
		exprs := allExprs(p)
		if p.Kernel.Slots() == len(p.Params) {
			t.Fatalf("%s: no hoisted per-trial values to test", p.Name)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		for trial := range 50 {
			lazy := p.Kernel.NewFrame(len(p.Vars), len(p.Tracks), len(p.States))
			lazy.NextTrial()
			lazy.Step = rng.IntN(p.Steps)
			lazy.Vars[0] = rng.Float64()
			for i, par := range p.Params {
				lazy.Slots[i] = par.Value + rng.Float64()*0.01
			}
			for k, tr := range p.Tracks {
				lazy.State[k] = int32(tr.First + rng.IntN(tr.NStates))
			}
			for g := range lazy.Entry {
				lazy.Entry[g] = int32(rng.IntN(p.Steps+2) - 1)
			}
			eager := &Frame{
				Step: lazy.Step, Slots: slices.Clone(lazy.Slots), Vars: lazy.Vars,
				State: lazy.State, Since: lazy.Since, Entry: lazy.Entry,
			}
			p.Kernel.FillSlots(eager)
			order := rng.Perm(len(exprs))
			for _, i := range order {
				if got, want := exprs[i].Eval(&lazy), exprs[i].Eval(eager); got != want && !(got != got && want != want) {
					t.Fatalf("%s, frame %d: %q = %v computed on demand, %v in advance", p.Name, trial, exprs[i].Src, got, want)
				}
			}
		}
	}
}

// exprScenarioLazy shares a let between expressions and hoists state
// tables of sampled params, so that per-trial values read others.
const exprScenarioLazy = `scensim: 1
name: lazy
time: {start: 2025-01-01, step: day, steps: 30}
let:
  scale: "a * b + 1"
  pick: "t.x ? a * scale : b / scale"
params:
  a: {value: 0.2, dist: "uniform(0.1, 0.3)"}
  b: {value: 0.5, dist: "beta(2, 2)"}
vars:
  v: 0.5
tracks:
  t:
    initial: x
    states: [x, y, z]
    transitions:
      - {from: x, to: y, p: "min(pick * v, 1)"}
      - {from: y, to: z, p: "clamp(scale * (t.y ? a : b) * v, 0, 1)"}
      - {from: z, to: x, p: "0.1", set: {v: "v * scale + pick"}}
outcomes:
  big: "v * scale > pick"
`
