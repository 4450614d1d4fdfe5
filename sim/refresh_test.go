package sim_test

import (
	"fmt"
	"testing"

	"scensim/sim"
)

// readerScenario has a track b whose state s reads track a's state, and a
// track a that moves from x to y in every trial's first step. With guard
// "not a.z", b's cells are the same whether a is in x or in y; with guard
// "a.x" they differ.
const readerScenario = `
scensim: 1
name: readers
time: {start: 2025-01-01, step: week, steps: 20}
tracks:
  a:
    initial: x
    states: [x, y, z]
    transitions:
      - {from: x, to: y, p: 1}
  b:
    initial: s
    states: [s, t]
    transitions:
      - {from: s, to: t, when: %q, p: 0.05}
outcomes:
  moved: reached(b.t)
`

// TestReaderRefreshedOnlyWhenItsCellsChange counts refreshes: a move of a
// track refreshes a reader only if the reader's combination falls in a
// class of other cells (kernel.StateTable.Class), so that a's move from x
// to y costs b nothing when b's cells are the same in both, and a refresh
// when they differ. Both runs count as without shortcuts.
func TestReaderRefreshedOnlyWhenItsCellsChange(t *testing.T) {
	const trials = 2000
	for _, c := range []struct {
		guard string
		same  bool
	}{{"not a.z", true}, {"a.x", false}} {
		p := mustCompile(t, fmt.Sprintf(readerScenario, c.guard))
		sameWithoutShortcuts(t, p, sim.Options{Trials: trials, Seed: 4})
		w, err := sim.WorkOf(p, 4, trials)
		if err != nil {
			t.Fatal(err)
		}
		first := int64(2) // the first trial fills every cache
		// Every trial moves a (x to y), and b at most once.
		if w.Moves < trials || w.Moves > 2*trials {
			t.Fatalf("%s: %d moves in %d trials", c.guard, w.Moves, trials)
		}
		extra := w.Refreshes - first - w.Moves // refreshes of readers that did not move
		switch {
		case c.same && extra != 0:
			t.Errorf("when %s: %d refreshes for %d moves, want one per move", c.guard, w.Refreshes-first, w.Moves)
		case !c.same && extra < trials/2:
			// b is refreshed at a's move unless it moved in the same step.
			t.Errorf("when %s: %d refreshes for %d moves, want about one more per trial", c.guard, w.Refreshes-first, w.Moves)
		}
		t.Logf("when %s: %d moves, %d refreshes", c.guard, w.Moves, w.Refreshes)
	}
}
