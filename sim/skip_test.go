package sim_test

import (
	"fmt"
	"os"
	"testing"

	"scensim/model"
	"scensim/sim"
)

// Steps at which no track can fire are skipped (a trial stops once every
// track is absorbed, and a track waiting for a date or another track sleeps
// until then). These tests check that skipping counts exactly what walking
// every step counts, and that it does skip: the steps walked are counted,
// not timed.

// absorbingChain is a plain cohort chain whose last state has no way out.
const absorbingChain = `
scensim: 1
name: chain
time: {start: 2025-01-01, step: week, steps: 20}
tracks:
  t:
    initial: a
    states: [a, b, c, d]
    transitions:
      - {from: a, to: b, p: 0.3}
      - {from: a, to: d, p: 0.05}
      - {from: b, to: c, p: 0.3}
      - {from: c, to: d, p: 0.4}
outcomes:
  done: reached(t.d)
`

// sleepers has a track that sleeps until a date, one that waits for the
// first to move, and one that accumulates nothing but stops early.
const sleepers = `
scensim: 1
name: sleepers
time: {start: 2025-01-01, step: week, steps: 40}
dates: {open: 2025-04-01}
tracks:
  gate:
    initial: shut
    states: [shut, open, gone]
    transitions:
      - {from: shut, to: open, p: 0.2, when: "date >= open"}
      - {from: open, to: gone, p: 0.5}
  follower:
    initial: idle
    states: [idle, busy, done]
    transitions:
      - {from: idle, to: busy, p: 0.3, when: "gate.open or gate.gone"}
      - {from: busy, to: done, p: 0.6}
outcomes:
  done: reached(follower.done)
  early: reached_by(follower.done, open)
`

func TestSkippedStepsCountExactly(t *testing.T) {
	const trials = 20000
	for name, src := range map[string]string{"chain": absorbingChain, "sleepers": sleepers, "mixed": mixed, "resolve": resolveScenario} {
		t.Run(name, func(t *testing.T) {
			p := mustCompile(t, src)
			got := sameWithoutShortcuts(t, p, sim.Options{Trials: trials, Seed: 3})
			if got.Trials != trials {
				t.Fatalf("%d trials counted", got.Trials)
			}
			walked, err := sim.StepsWalked(p, 3, trials)
			if err != nil {
				t.Fatal(err)
			}
			all, err := sim.StepsWalked(evaluated(p), 3, trials)
			if err != nil {
				t.Fatal(err)
			}
			if all != trials*int64(p.Steps) {
				t.Errorf("without shortcuts %d steps walked, want every step (%d)", all, trials*int64(p.Steps))
			}
			t.Logf("%d of %d steps walked", walked, all)
			if name == "chain" || name == "sleepers" {
				if walked >= all/2 {
					t.Errorf("%d of %d steps walked: skipping should halve them at least", walked, all)
				}
			}
		})
	}
}

// A trial of the chain stops right after the step in which it is absorbed:
// the steps walked are those up to each trial's last move, which a replay
// of the trial shows.
func TestStopWhenAbsorbed(t *testing.T) {
	p := mustCompile(t, absorbingChain)
	const trials = 2000
	want := int64(0)
	for i := range int64(trials) {
		path, err := sim.Replay(p, 9, i)
		if err != nil {
			t.Fatal(err)
		}
		n := len(path.Events)
		if n > 0 && path.Events[n-1].To == "d" {
			want += int64(path.Events[n-1].Step) + 1
		} else {
			want += int64(p.Steps)
		}
	}
	got, err := sim.StepsWalked(p, 9, trials)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("%d steps walked, want %d (each trial up to its absorption)", got, want)
	}
}

// An accumulated value that reads one track's state is added span by
// span, so a plan with one skips the steps the plan without it skips; one
// that reads the step is evaluated at every point, so a plan with it walks
// every step. Both count what the walking evaluator counts.
func TestAccumulateWalksEveryStep(t *testing.T) {
	const trials = 5000
	plain, err := sim.StepsWalked(mustCompile(t, absorbingChain), 4, trials)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		accumulate string
		walks      bool
	}{{"t.b", false}, {`"t.b ? step : 0"`, true}} {
		p := mustCompile(t, absorbingChain+`  weeks_in_b:
    accumulate: `+c.accumulate+`
    bins: 21
    range: [-0.5, 20.5]
`)
		sameWithoutShortcuts(t, p, sim.Options{Trials: trials, Seed: 4})
		walked, err := sim.StepsWalked(p, 4, trials)
		if err != nil {
			t.Fatal(err)
		}
		want := plain
		if c.walks {
			want = trials * int64(p.Steps)
		}
		if walked != want || plain >= trials*int64(p.Steps) {
			t.Errorf("accumulate: %s: %d steps walked, want %d (%d without it)", c.accumulate, walked, want, plain)
		}
	}
}

// A move refreshes the caches of the track that moved and of the tracks
// whose current state reads it, never the whole model: in the synthetic
// scenarios (scripts/gentracks) a track is read by at most two others,
// so a move costs at most three refreshes at any size, and the tallies
// match evaluating every transition.
func TestRefreshOnlyReaders(t *testing.T) {
	for _, n := range []int{10, 200} {
		p := mustCompileFile(t, fmt.Sprintf("testdata/tracks-%d.yaml", n))
		sameWithoutShortcuts(t, p, sim.Options{Trials: 20000 / int64(n), Seed: 2})
		w, err := sim.WorkOf(p, 2, 20000/int64(n))
		if err != nil {
			t.Fatal(err)
		}
		first := int64(n) // the first trial fills every cache
		if w.Moves == 0 || w.Refreshes-first > 3*w.Moves {
			t.Errorf("%d tracks: %d refreshes for %d moves, want at most 3 per move", n, w.Refreshes, w.Moves)
		}
		t.Logf("%d tracks: %d moves, %d refreshes, %d steps", n, w.Moves, w.Refreshes, w.Steps)
	}
}

func mustCompileFile(t *testing.T, name string) *model.Plan {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return mustCompile(t, string(data))
}
