package sim_test

import (
	"context"
	"testing"

	"scensim/sim"
)

// pingPong moves its track at every step, the same way in every trial, so
// that each trial adds the same change to the same occupancy entries.
const pingPong = `
scensim: 1
name: ping_pong
time: {start: 2025-01-01, step: week, steps: 3}
tracks:
  t:
    initial: a
    states: [a, b, c]
    transitions:
      - {from: a, to: b, p: 1}
      - {from: b, to: a, p: 1}
outcomes:
  in_b: t.b
`

// The occupancy record counts the changes of recent trials in small
// counters that hold only so many trials: runs of many more trials than
// that, on one worker, on a Trialer and one trial at a time, must count
// every trial exactly (occupancy and first entries).
func TestOccupancyCountsManyTrials(t *testing.T) {
	p := mustCompile(t, pingPong)
	S := len(p.States)
	P := p.Steps + 1
	// a at points 0 and 2, b at points 1 and 3, c never: first entries
	// into a at point 0, b at 1, c never (P).
	check := func(name string, got *sim.Tally, trials int64) {
		t.Helper()
		for i, n := range got.Occupancy {
			k, g := i/S, i%S
			want := int64(0)
			if g == k%2 {
				want = trials
			}
			if n != want {
				t.Fatalf("%s: occupancy at point %d, state %d = %d, want %d", name, k, g, n, want)
			}
		}
		for i, n := range got.Entry {
			g, e := i/(P+1), i%(P+1)
			want := int64(0)
			if e == []int{0, 1, P}[g] {
				want = trials
			}
			if n != want {
				t.Fatalf("%s: first entries into state %d at point %d = %d, want %d", name, g, e, n, want)
			}
		}
	}
	for _, trials := range []int64{1, 126, 127, 128, 255, 1000, 40_000} {
		tl, err := sim.Run(context.Background(), p, sim.Options{Trials: trials, Seed: 3, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		check("Run", tl, trials)
	}
	tr := sim.NewTrialer(p, 3)
	for i := range int64(300) {
		if _, err := tr.Trial(i); err != nil {
			t.Fatal(err)
		}
		if i == 99 {
			check("Trialer after 100 trials", tr.Tally(), 100)
		}
	}
	check("Trialer after 300 trials", tr.Tally(), 300)
}
