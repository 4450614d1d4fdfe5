package sim_test

import (
	"slices"
	"testing"

	"scensim/sim"
)

// trialRowsScenario has a state whose transitions read a sampled param
// but not time: its rows are made once per trial (the per-trial cache).
const trialRowsScenario = `scensim: 1
name: trial_rows
time: {start: 2025-01-01, step: week, steps: 30}
params:
  q: {dist: "uniform(0, 1)"}
tracks:
  t:
    initial: a
    states: [a, b, c]
    transitions:
      - {from: a, to: b, p: q * 0.5}
      - {from: a, to: c, p: (1 - q) * 0.1}
      - {from: b, to: c, p: q * 0.2}
outcomes:
  at_c: t.c
  reached_b: reached(t.b)
`

// designQ returns a design that sets q to v in every trial.
func designQ(v float64) sim.Design {
	return func(_ int64, vals []float64) { vals[0] = v }
}

// trialRecord is what one trial of a Trialer yields.
type trialRecord struct {
	outcomes []int8
	entry    []int32
}

func runOne(t *testing.T, tr *sim.Trialer, d sim.Design, i int64) trialRecord {
	t.Helper()
	tr.SetDesign(d)
	out, err := tr.Trial(i)
	if err != nil {
		t.Fatal(err)
	}
	return trialRecord{slices.Clone(out), slices.Clone(tr.Entry())}
}

// TestTrialerReuseAcrossDesigns reuses one Trialer across designs and
// trial indices in any order (repeating trials, going back, switching the
// design between runs of the same trial) and requires each trial to match
// what a fresh Trialer gives for that design and trial.
func TestTrialerReuseAcrossDesigns(t *testing.T) {
	p := mustCompile(t, trialRowsScenario)
	designs := []sim.Design{designQ(0.01), designQ(0.99), nil, designQ(0.5)}
	shared := sim.NewTrialer(p, 3)
	mismatches, runs := 0, 0
	order := []int64{0, 1, 1, 0, 5, 2, 5, 5, 3, 0}
	for rep := range 40 {
		for j, i := range order {
			d := (rep + j) % len(designs)
			trial := i + int64(rep)*7
			got := runOne(t, shared, designs[d], trial)
			want := runOne(t, sim.NewTrialer(p, 3), designs[d], trial)
			runs++
			if !slices.Equal(got.outcomes, want.outcomes) || !slices.Equal(got.entry, want.entry) {
				mismatches++
			}
		}
	}
	if mismatches != 0 {
		t.Errorf("%d of %d reused trials differ from a fresh Trialer's", mismatches, runs)
	}
	// Non-vacuous: the designs must lead to different paths, or a stale
	// cache could not show.
	lo, hi := sim.NewTrialer(p, 3), sim.NewTrialer(p, 3)
	differ := 0
	for i := range int64(200) {
		a, b := runOne(t, lo, designs[0], i), runOne(t, hi, designs[1], i)
		if !slices.Equal(a.entry, b.entry) {
			differ++
		}
	}
	if differ < 100 {
		t.Errorf("only %d of 200 trials differ between q=0.01 and q=0.99: the test cannot see stale rows", differ)
	}
}
