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
// every trial exactly.
func TestOccupancyCountsManyTrials(t *testing.T) {
	p := mustCompile(t, pingPong)
	S := len(p.States)
	// a at points 0 and 2, b at points 1 and 3, c never.
	want := func(trials int64) []int64 {
		occ := make([]int64, (p.Steps+1)*S)
		for k := 0; k <= p.Steps; k++ {
			occ[k*S+k%2] = trials
		}
		return occ
	}
	check := func(name string, got []int64, trials int64) {
		t.Helper()
		w := want(trials)
		for i := range w {
			if got[i] != w[i] {
				t.Fatalf("%s: occupancy[%d] (point %d, state %d) = %d, want %d", name, i, i/S, i%S, got[i], w[i])
			}
		}
	}
	for _, trials := range []int64{1, 126, 127, 128, 255, 1000, 40_000} {
		tl, err := sim.Run(context.Background(), p, sim.Options{Trials: trials, Seed: 3, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		check("Run", tl.Occupancy, trials)
	}
	tr := sim.NewTrialer(p, 3)
	for i := range int64(300) {
		if _, err := tr.Trial(i); err != nil {
			t.Fatal(err)
		}
		if i == 99 {
			check("Trialer after 100 trials", tr.Tally().Occupancy, 100)
		}
	}
	check("Trialer after 300 trials", tr.Tally().Occupancy, 300)
}
