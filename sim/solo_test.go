package sim_test

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"

	"scensim/model/kernel"
	"scensim/sim"
)

// soloScenario has a single track whose states meet every kind of cell: a
// guard that sleeps until a date (CellNone, then CellTable), tabled moves
// without effects, events back to the same state with and without effects,
// a move with effects, a probability drawn per trial (CellTrial), one that
// reads a var (CellEval), and an absorbing state.
const soloScenario = `
scensim: 1
name: solo
time: {start: 2025-01-01, step: week, steps: 60}
dates: {open: 2025-03-01, late: 2025-09-01}
params:
  base: {value: 0.2, dist: "uniform(0.1, 0.3)"}
vars:
  count: 0
tracks:
  t:
    initial: a
    states: [a, b, c, d, e, f]
    transitions:
      - {from: a, to: b, p: 0.3, when: "date >= open"}
      - {from: a, to: f, p: 0.02, when: "date >= open"}
      - {from: b, to: c, p: 0.25}
      - {from: b, to: b, p: 0.1}
      - {from: b, to: b, p: 0.05, set: {count: count + 1}}
      - {from: b, to: a, p: 0.05, when: "date < late"}
      - {from: c, to: d, rate: "base * 2", per: month}
      - {from: d, to: e, p: "min(0.05 + 0.1 * count, 0.9)"}
      - {from: d, to: a, p: 0.2, set: {count: 0}}
      - {from: e, to: f, p: 0.5, when: "date >= late"}
outcomes:
  reached_f: reached(t.f)
  e_by_late: reached_by(t.e, late)
  counted: count >= 2
  d_given_b: {when: "reached(t.d)", given: "reached(t.b)"}
`

// A plan with a single track resolves its tabled steps in one loop and
// takes moves without effects there (see soloRun): its tallies, for params
// drawn per trial, nested and fixed, must be those of the plan without
// shortcuts, which walks every step through the general loop.
func TestSoloSameWithoutShortcuts(t *testing.T) {
	for name, src := range map[string]string{"solo": soloScenario, "chain": absorbingChain} {
		p := mustCompile(t, src)
		if len(p.Tracks) != 1 {
			t.Fatalf("%s: %d tracks, want 1", name, len(p.Tracks))
		}
		for _, ps := range []sim.Params{{}, {PerDraw: 100}, {Fixed: true}} {
			sameWithoutShortcuts(t, p, sim.Options{Trials: 20000, Seed: 11, Params: ps})
		}
	}
	// The solo scenario meets every kind of cell, so that each way out of
	// the loop is taken.
	_, _, kinds := shortcuts(mustCompile(t, soloScenario))
	for _, k := range []kernel.CellKind{kernel.CellNone, kernel.CellTable, kernel.CellTrial, kernel.CellEval} {
		if kinds[k] == 0 {
			t.Errorf("no cell of kind %d: %v", k, kinds)
		}
	}
}

// Trial by trial, a single track's outcomes, first entries and final
// state are those of the plan without shortcuts, whether the trial is run
// (moves taken in the loop) or replayed (every move through the step loop,
// which records the story).
func TestSoloTrialByTrial(t *testing.T) {
	p := mustCompile(t, soloScenario)
	fast, slow := sim.NewTrialer(p, 7), sim.NewTrialer(evaluated(p), 7)
	moved := 0
	for i := range int64(3000) {
		a, err := fast.Trial(i)
		if err != nil {
			t.Fatal(err)
		}
		a = slices.Clone(a)
		entry := slices.Clone(fast.Entry())
		b, err := slow.Trial(i)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a, b) || !slices.Equal(entry, slow.Entry()) {
			t.Fatalf("trial %d: outcomes %v entries %v, without shortcuts %v %v", i, a, entry, b, slow.Entry())
		}
		if i < 300 {
			got, err := sim.Replay(p, 7, i)
			if err != nil {
				t.Fatal(err)
			}
			want, err := sim.Replay(evaluated(p), 7, i)
			if err != nil {
				t.Fatal(err)
			}
			sameStory(t, i, got, want)
			if !slices.Equal(got.Entry, entry) {
				t.Fatalf("trial %d: replay entries %v, run %v", i, got.Entry, entry)
			}
			moved += len(got.Events)
		}
	}
	if moved == 0 {
		t.Fatal("no trial moved")
	}
	if !reflect.DeepEqual(fast.Tally(), slow.Tally()) {
		t.Error("tallies of the trials differ with and without shortcuts")
	}
}

// The loop counts what it does: every move it takes and every step it
// resolves, as the step loop would.
func TestSoloCountsWork(t *testing.T) {
	p := mustCompile(t, soloScenario)
	const trials = 2000
	w, err := sim.WorkOf(p, 5, trials)
	if err != nil {
		t.Fatal(err)
	}
	all, err := sim.WorkOf(evaluated(p), 5, trials)
	if err != nil {
		t.Fatal(err)
	}
	// Events back to the same state move nothing in either.
	if w.Moves != all.Moves {
		t.Errorf("%d moves, without shortcuts %d", w.Moves, all.Moves)
	}
	if w.Steps == 0 || w.Steps >= all.Steps {
		t.Errorf("%d steps walked, without shortcuts %d: sleeping steps should be skipped", w.Steps, all.Steps)
	}
}

// sameStory fails unless two replays of trial tell the same story: the
// same events (their probabilities the same up to rounding: a tabled row
// is cumulative), end and counts.
func sameStory(t *testing.T, trial int64, a, b *sim.Path) {
	t.Helper()
	if len(a.Events) != len(b.Events) {
		t.Fatalf("trial %d: %d events, %d without shortcuts", trial, len(a.Events), len(b.Events))
	}
	for i, e := range a.Events {
		f := b.Events[i]
		if e.Step != f.Step || e.Transition != f.Transition || e.U != f.U || fmt.Sprint(e.Sets) != fmt.Sprint(f.Sets) ||
			math.Abs(e.P-f.P) > 1e-12 || math.Abs(e.Total-f.Total) > 1e-12 {
			t.Fatalf("trial %d event %d: %+v, %+v without shortcuts", trial, i, e, f)
		}
	}
	if !slices.Equal(a.Final, b.Final) || !slices.Equal(a.Vars, b.Vars) || !slices.Equal(a.Entry, b.Entry) ||
		!slices.Equal(a.Outcomes, b.Outcomes) || !slices.Equal(a.Params, b.Params) || !reflect.DeepEqual(a.Tally, b.Tally) {
		t.Fatalf("trial %d: replays differ:\n%+v\n%+v", trial, a, b)
	}
}
