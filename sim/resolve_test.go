package sim_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"scensim/model"
	"scensim/model/kernel"
	"scensim/scenarios"
	"scensim/sim"
)

// The plan resolves what it can before the run (its kernel tables: guards,
// rows tabled before the run or per trial, values known in advance; and
// truth tables for outcomes). Those are shortcuts: a run must
// count exactly what evaluating every guard, probability, rate and outcome
// at every step gives. These tests run plans with and without the
// shortcuts and compare the tallies cell by cell.

// evaluated returns a copy of p without the shortcuts: every state
// evaluates its guards and transitions at each step, every outcome its
// expressions.
func evaluated(p *model.Plan) *model.Plan {
	q := *p
	q.Kernel = p.Kernel.Evaluated()
	return &q
}

// sameWithoutShortcuts runs p with and without its shortcuts, checks
// that the tallies are identical, and returns p's.
func sameWithoutShortcuts(t *testing.T, p *model.Plan, opts sim.Options) *sim.Tally {
	t.Helper()
	got, err := sim.Run(context.Background(), p, opts)
	if err != nil {
		t.Fatal(err)
	}
	want, err := sim.Run(context.Background(), evaluated(p), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tallies differ with and without the plan's shortcuts")
	}
	return got
}

// shortcuts counts the states with cells and the outcomes with truth
// tables, and the kinds of cells.
func shortcuts(p *model.Plan) (states, tests int, kinds map[kernel.CellKind]int) {
	kinds = map[kernel.CellKind]int{}
	for g := range p.States {
		tbl := p.Kernel.State(g)
		if tbl == nil {
			continue
		}
		states++
		for c := range tbl.Combos() {
			for _, cell := range tbl.Cells(c) {
				kinds[cell.Kind]++
			}
		}
	}
	for i := range p.Outcomes {
		if p.Kernel.When(i) != nil {
			tests++
		}
		if p.Kernel.Given(i) != nil {
			tests++
		}
	}
	return states, tests, kinds
}

// resolveScenario exercises every kind of cell: monthly steps (step
// lengths vary, so per-trial rows depend on the step's length), guards on
// other tracks' states, on reached and on reached_by with fixed dates (one
// state's entry cut at several points), guards that read params or vars
// (no cells), rates that are constant, tabled over time, drawn per trial,
// or read the trial's path (evaluated), and outcomes with and without
// truth tables.
const resolveScenario = `
scensim: 1
name: resolve
time: {start: 2025-01-15, step: month, steps: 30}
dates: {early: 2025-04-01, late: 2025-10-01, cut: 2026-01-01}
params:
  base: {value: 0.1, dist: "beta(2, 18)"}
  lift: {value: 2, dist: "uniform(1, 3)"}
  k: 0.3
vars:
  heat: 0.2
tracks:
  talks:
    initial: open
    states: [open, deal, stalled, broken]
    transitions:
      - {from: open, to: deal, rate: "base * lift * (1 + ramp(early, late))", per: month}
      - {from: open, to: stalled, rate: "0.05 + 0.01 * (date > late ? 1 : 0)", per: month}
      - {from: stalled, to: open, rate: 0.2, per: month, when: "not reached_by(war.hot, cut)"}
      - {from: stalled, to: broken, rate: "k * lift", per: month, when: "reached_by(war.hot, early) or war.cold"}
      - {from: stalled, to: deal, p: "heat / 10"}
  war:
    initial: cold
    states: [cold, hot, over]
    transitions:
      - {from: cold, to: hot, rate: "talks.broken ? 0.5 : 0.05 * lift", per: month, when: "not talks.deal"}
      - {from: [cold, hot], to: over, p: 1, when: talks.deal}
      - {from: hot, to: cold, rate: "0.1 + 0.05 * dwell", per: month, when: "not talks.deal"}
      - {from: over, to: hot, rate: "base * (date - entry(war.over)) / 30", per: month}
  mood:
    initial: calm
    states: [calm, tense]
    transitions:
      - {from: calm, to: tense, p: 0.2, when: "heat > 0.3", set: {heat: heat * 0.9}}
      - {from: calm, to: calm, p: 0.3, when: "base > 0.08", set: {heat: heat + 0.05 * (1 - heat)}}
      - {from: tense, to: calm, p: "clamp(heat, 0, 1)"}
  side:
    initial: s0
    states: [s0, s1, s2, s3, s4]
    transitions:
      - {from: s0, to: s1, rate: "talks.open ? 0.1 : (war.hot ? 0.2 : mood.tense ? 0.3 : 0.05)", per: month}
      - {from: s1, to: s2, rate: 0.1, per: month, when: "war in [\"hot\", \"over\"] and not reached(talks.stalled)"}
      - {from: [s2, s3], to: s4, p: "talks.deal ? 0.3 : 0.1"}
      - {from: s2, to: s3, rate: "lift * 0.05", per: month}
  many:
    initial: m0
    states: [m0, m1]
    transitions:
      # Five tracks' states: 4·3·2·5·2 = 240 combinations, too many to key.
      - from: m0
        to: m1
        rate: "(talks.deal ? 0.2 : 0.05) * (war.hot ? 2 : 1) * (mood.tense ? 1.5 : 1) * (side in [\"s3\", \"s4\"] ? 2 : 1)"
        per: month
        when: "not many.m1"
outcomes:
  deal: reached(talks.deal)
  deal_early: reached_by(talks.deal, early)
  deal_late_not_early: {when: "reached_by(talks.deal, late)", given: "not reached_by(talks.deal, early)"}
  broken_hot: {when: talks.broken, given: "reached(war.hot)"}
  hot_long: "entry(war.over) - entry(war.hot) > 60"
  heated: "heat > 0.4"
  side_end: {when: "side in [\"s3\", \"s4\"]", given: "base > 0.1"}
`

// embedded resolves extends: NAME to the embedded scenario NAME.
func embedded(name, from string) (string, []byte, error) {
	data, ok := scenarios.Read(strings.TrimSuffix(name, ".yaml"))
	if !ok {
		return "", nil, fmt.Errorf("no embedded scenario %q", name)
	}
	return "embedded:" + strings.TrimSuffix(name, ".yaml"), data, nil
}

func TestShortcutsCountExactly(t *testing.T) {
	plans := map[string]*model.Plan{"resolve": mustCompile(t, resolveScenario), "mixed": mustCompile(t, mixed)}
	for _, name := range scenarios.Names() {
		data, _ := scenarios.Read(name)
		p, errs := model.CompileWith("embedded:"+name, data, model.Options{Resolve: embedded})
		if p == nil {
			t.Fatalf("%s: %s", name, errs.Snippets())
		}
		plans[name] = p
	}
	for name, p := range plans {
		t.Run(name, func(t *testing.T) {
			states, tests, kinds := shortcuts(p)
			t.Logf("%d of %d states with cells %v; %d outcome conditions as truth tables", states, len(p.States), kinds, tests)
			if states == 0 {
				t.Fatal("no state has cells: nothing to compare")
			}
			sameWithoutShortcuts(t, p, sim.Options{Trials: 20000, Seed: 7})
			// Nested: the trials of a draw share per-trial rows and step memos.
			sameWithoutShortcuts(t, p, sim.Options{Trials: 4000, Seed: 7, Params: sim.Params{PerDraw: 100}})
			// A replayed trial tells the same story either way; the
			// probabilities it reports are the same up to rounding.
			for trial := range int64(50) {
				a, errA := sim.Replay(p, 7, trial)
				b, errB := sim.Replay(evaluated(p), 7, trial)
				if errA != nil || errB != nil {
					t.Fatal(errA, errB)
				}
				if len(a.Events) != len(b.Events) {
					t.Fatalf("trial %d: %d events, %d without shortcuts", trial, len(a.Events), len(b.Events))
				}
				if !reflect.DeepEqual(a.Outcomes, b.Outcomes) || !reflect.DeepEqual(a.Checks, b.Checks) {
					t.Fatalf("trial %d: outcomes %v checks %v, %v %v without shortcuts", trial, a.Outcomes, a.Checks, b.Outcomes, b.Checks)
				}
				for i, e := range a.Events {
					f := b.Events[i]
					if e.Step != f.Step || e.Transition != f.Transition || e.U != f.U || fmt.Sprint(e.Sets) != fmt.Sprint(f.Sets) {
						t.Fatalf("trial %d event %d: %+v, %+v without shortcuts", trial, i, e, f)
					}
					if math.Abs(e.P-f.P) > 1e-12 || math.Abs(e.Total-f.Total) > 1e-12 || !(e.P > 0 && e.P <= e.Total && e.U < e.Total) {
						t.Errorf("trial %d event %d: P %v of %v, %v of %v without shortcuts (u %v)", trial, i, e.P, e.Total, f.P, f.Total, e.U)
					}
				}
			}
		})
	}
}

// The shortcuts must not hide errors: a probability that turns invalid
// during a trial is reported the same way with and without them.
func TestShortcutsReportErrors(t *testing.T) {
	src := `
scensim: 1
name: bad
time: {start: 2025-01-01, step: week, steps: 20}
params:
  x: {value: 0.5, dist: "uniform(0, 1)"}
tracks:
  a:
    initial: a0
    states: [a0, a1, a2]
    transitions:
      - {from: a0, to: a1, p: "b.b1 ? x * 3 : 0.01"}
      - {from: a0, to: a2, p: 0.1}
  b:
    initial: b0
    states: [b0, b1]
    transitions:
      - {from: b0, to: b1, p: 0.2}
`
	p := mustCompile(t, src)
	_, errA := sim.Run(context.Background(), p, sim.Options{Trials: 1000, Seed: 3, Workers: 1})
	_, errB := sim.Run(context.Background(), evaluated(p), sim.Options{Trials: 1000, Seed: 3, Workers: 1})
	if errA == nil || errB == nil || errA.Error() != errB.Error() {
		t.Fatalf("errors: %v; without shortcuts: %v", errA, errB)
	}
	t.Log(errA)
}

// Tracks beyond the 64th read and are read by others (a move refreshes the
// tracks that read the mover, whatever their number), and a state with
// more than 64 transitions out has no cells: both must still count exactly.
func TestShortcutsManyTracks(t *testing.T) {
	var b strings.Builder
	b.WriteString("scensim: 1\nname: many\ntime: {start: 2025-01-01, step: week, steps: 12}\ntracks:\n")
	for j := range 70 {
		fmt.Fprintf(&b, "  t%d:\n    initial: a\n    states: [a, b]\n    transitions:\n", j)
		// Tracks wait for t0 or t66 to move, and t67..t69 each for the
		// one before.
		guard := "t0.b or t66.b"
		switch {
		case j == 0 || j == 66:
			guard = "true"
		case j > 66:
			guard = fmt.Sprintf("t%d.b", j-1)
		}
		fmt.Fprintf(&b, "      - {from: a, to: b, p: 0.3, when: %q}\n", guard)
	}
	b.WriteString("  wide:\n    initial: s0\n    states: [s0, s1]\n    transitions:\n")
	for i := range 65 {
		fmt.Fprintf(&b, "      - {from: s0, to: s1, p: 0.001, when: %q}\n", fmt.Sprintf("t%d.b", i))
	}
	b.WriteString("outcomes:\n  last: reached(t69.b)\n  wide_moved: reached(wide.s1)\n")
	p := mustCompile(t, b.String())
	if p.Kernel.State(len(p.States)-2) != nil {
		t.Fatal("a state with 65 transitions out has cells")
	}
	got := sameWithoutShortcuts(t, p, sim.Options{Trials: 5000, Seed: 11})
	if got.Hits[0] == 0 || got.Hits[1] == 0 {
		t.Errorf("hits %v: the chain should reach its end in some trials", got.Hits)
	}
}

// FuzzShortcuts compiles arbitrary scenario files and, for those that
// compile, checks that a short run counts the same with and without the
// plan's shortcuts (or fails the same way). Seeds: the scenarios above and
// the embedded ones; go test ./sim -fuzz FuzzShortcuts explores further.
func FuzzShortcuts(f *testing.F) {
	f.Add([]byte(resolveScenario))
	f.Add([]byte(mixed))
	f.Add([]byte(absorbingChain))
	f.Add([]byte(soloScenario))
	for _, name := range scenarios.Names() {
		if data, ok := scenarios.Read(name); ok {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, _ := model.CompileWith("fuzz.yaml", data, model.Options{Resolve: embedded})
		if p == nil || p.Steps > 2000 || len(p.States) > 200 {
			return
		}
		opts := sim.Options{Trials: 50, Seed: 5, Workers: 1}
		got, errA := sim.Run(context.Background(), p, opts)
		want, errB := sim.Run(context.Background(), evaluated(p), opts)
		if fmt.Sprint(errA) != fmt.Sprint(errB) {
			t.Fatalf("errors differ: %v; without shortcuts: %v", errA, errB)
		}
		if errA == nil && !reflect.DeepEqual(got, want) {
			t.Fatal("tallies differ with and without the plan's shortcuts")
		}
	})
}
