package sim_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"scensim/sim"
)

// horizonBase is a plan whose outcomes are added by horizonPlan.
const horizonBase = `
scensim: 1
name: many_outcomes
time: {start: 2025-01-06, step: week, steps: 20}
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
`

// horizonKinds are outcomes of every kind of judgement: a single key, a
// product of two keys, a general table on entry points, and expressions,
// with and without a given condition.
var horizonKinds = []string{
	`"reached(a.y)"`,
	`{when: "reached(a.z)", given: "reached(a.y) and not b.v"}`,
	`{when: "entry(a.z) - entry(a.y) > 14", given: "reached(a.z)"}`,
	`"heat > 0.15"`,
	`{when: "a.z", given: "heat > 0.15"}`,
}

// horizonPlan has the outcomes of horizonKinds repeated n times.
func horizonPlan(n int) string {
	var b strings.Builder
	b.WriteString(horizonBase)
	for i := range n {
		for k, o := range horizonKinds {
			fmt.Fprintf(&b, "  o%d_%d: %s\n", i, k, o)
		}
	}
	return b.String()
}

// TestManyOutcomesCountAlike runs a plan with the outcomes of every kind
// once and a plan with them repeated 30 times (150 outcomes, three words
// of each kind of bit): the trials are the same, so each copy of an
// outcome must count exactly what the single one counts, in whole runs
// (flat and nested) and in each trial's codes.
func TestManyOutcomesCountAlike(t *testing.T) {
	const copies = 30
	one, many := mustCompile(t, horizonPlan(1)), mustCompile(t, horizonPlan(copies))
	K := len(horizonKinds)
	for _, ps := range []sim.Params{{}, {PerDraw: 50}} {
		opts := sim.Options{Trials: 3000, Seed: 5, Params: ps}
		a, err := sim.Run(context.Background(), one, opts)
		if err != nil {
			t.Fatal(err)
		}
		b, err := sim.Run(context.Background(), many, opts)
		if err != nil {
			t.Fatal(err)
		}
		for i := range copies * K {
			k := i % K
			if b.Hits[i] != a.Hits[k] || b.Given[i] != a.Given[k] {
				t.Fatalf("%+v: outcome %d (copy of %d): hits %d of %d, want %d of %d", ps, i, k, b.Hits[i], b.Given[i], a.Hits[k], a.Given[k])
			}
			if ps.PerDraw > 0 {
				for d := range a.DrawTrials {
					if b.DrawHits[d*copies*K+i] != a.DrawHits[d*K+k] || b.DrawGiven[d*copies*K+i] != a.DrawGiven[d*K+k] {
						t.Fatalf("draw %d, outcome %d (copy of %d) differs", d, i, k)
					}
				}
			}
		}
		if a.Given[0] != a.Trials || a.Hits[0] == 0 || a.Hits[2] == 0 || a.Given[1] == a.Trials {
			t.Errorf("%+v: counts that test nothing: %v of %v, trials %d", ps, a.Hits, a.Given, a.Trials)
		}
	}
	ta, tb := sim.NewTrialer(one, 5), sim.NewTrialer(many, 5)
	for i := range int64(300) {
		x, err := ta.Trial(i)
		if err != nil {
			t.Fatal(err)
		}
		x = slices.Clone(x)
		y, err := tb.Trial(i)
		if err != nil {
			t.Fatal(err)
		}
		for j, o := range y {
			if o != x[j%K] {
				t.Fatalf("trial %d, outcome %d: %d, want %d", i, j, o, x[j%K])
			}
		}
	}
}
