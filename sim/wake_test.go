package sim_test

import (
	"reflect"
	"slices"
	"testing"

	"scensim/sim"
)

// A track sleeps until its wake: the first step at which its tables say
// something can fire under the current combination of what it reads. A
// move of a track it reads must wake it again, at once, wherever it was in
// its sleep. These tests run plans whose tracks read one another, with
// small tabled chances (long sleeps) and guards that switch on and off, so
// that moves keep cutting sleeps short, and require every trial to tell
// the story it tells without the plan's shortcuts (every guard and chance
// evaluated at every step), run and replayed.

// crossReaders has tracks that read each other in a cycle (lead reads
// mutual, mutual reads follow, follow reads lead), a reached key, dated
// guards and chances, an event without effects and one with effects.
const crossReaders = `
scensim: 1
name: cross
time: {start: 2025-01-01, step: week, steps: 80}
dates: {mid: 2025-06-01, late: 2025-11-01}
vars:
  ticks: 0
tracks:
  lead:
    initial: a
    states: [a, b, c]
    transitions:
      - {from: a, to: b, p: "mutual.m1 ? 0.2 : 0.03"}
      - {from: b, to: a, p: 0.06}
      - {from: b, to: c, p: 0.02, when: "date >= mid"}
  follow:
    initial: x
    states: [x, y, z]
    transitions:
      - {from: x, to: y, p: "lead.b ? 0.3 : 0.01"}
      - {from: y, to: x, p: "lead.a ? 0.2 : 0.02"}
      - {from: y, to: z, p: 0.05, when: "reached(lead.c)"}
      - {from: x, to: z, p: "date >= late ? 0.04 : 0.002"}
  mutual:
    initial: m0
    states: [m0, m1]
    transitions:
      - {from: m0, to: m1, p: "follow.y ? 0.25 : 0.004"}
      - {from: m1, to: m0, p: "follow.x ? 0.15 : 0.01"}
  clock:
    initial: run
    states: [run]
    transitions:
      - {name: tick, from: run, to: run, p: 0.05, set: {ticks: ticks + 1}}
      - {name: blink, from: run, to: run, p: "lead.b ? 0.2 : 0.01"}
  gate:
    initial: shut
    states: [shut, open, gone]
    transitions:
      - {from: shut, to: open, p: 0.1, when: "follow.y and date >= mid"}
      - {from: open, to: gone, p: "mutual.m1 ? 0.3 : 0.005"}
outcomes:
  lead_c: reached(lead.c)
  follow_z: reached(follow.z)
  gone_early: reached_by(gate.gone, late)
`

func TestWakesAcrossMoves(t *testing.T) {
	p := mustCompile(t, crossReaders)
	const seed = 13
	got := sameWithoutShortcuts(t, p, sim.Options{Trials: 20000, Seed: seed})
	for i, h := range got.Hits {
		if h == 0 || h == got.Trials {
			t.Errorf("outcome %d: %d hits of %d trials: the plan should sometimes reach it", i, h, got.Trials)
		}
	}
	// Trial by trial, run: outcomes and first entries.
	fast, slow := sim.NewTrialer(p, seed), sim.NewTrialer(evaluated(p), seed)
	for i := range int64(4000) {
		a, err := fast.Trial(i)
		if err != nil {
			t.Fatal(err)
		}
		a, entry := slices.Clone(a), slices.Clone(fast.Entry())
		b, err := slow.Trial(i)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a, b) || !slices.Equal(entry, slow.Entry()) {
			t.Fatalf("trial %d: outcomes %v entries %v, without shortcuts %v %v", i, a, entry, b, slow.Entry())
		}
	}
	if !reflect.DeepEqual(fast.Tally(), slow.Tally()) {
		t.Error("tallies of the trials differ with and without shortcuts")
	}
	// Replayed: the same events at the same steps with the same numbers.
	events := 0
	for i := range int64(1000) {
		a, err := sim.Replay(p, seed, i)
		if err != nil {
			t.Fatal(err)
		}
		b, err := sim.Replay(evaluated(p), seed, i)
		if err != nil {
			t.Fatal(err)
		}
		sameStory(t, i, a, b)
		events += len(a.Events)
	}
	// The plan must exercise what the test is about: many moves, each
	// refreshing tracks that read the mover.
	w, err := sim.WorkOf(p, seed, 2000)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d events in 1000 replays; 2000 trials: %d moves, %d refreshes, %d steps walked", events, w.Moves, w.Refreshes, w.Steps)
	if w.Moves < 2000*5 || w.Refreshes < 2*w.Moves {
		t.Errorf("%d moves and %d refreshes in 2000 trials: want at least 5 moves a trial and 2 refreshes a move", w.Moves, w.Refreshes)
	}
}
