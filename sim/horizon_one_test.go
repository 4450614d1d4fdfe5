package sim

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"scensim/model"
)

// oneInputChain's outcomes all read when one state was entered: its
// horizon judges a single input (kernel.Horizon.One), which the runner
// judges and counts in one call (horizonState.judgeCountOne).
const oneInputChain = `
scensim: 1
name: one_input
time: {start: 2025-01-01, step: week, steps: 16}
dates: {spring: 2025-02-15}
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
  done_by_spring: reached_by(t.d, spring)
  never_done: not reached(t.d)
`

// A plan whose outcomes are judged from a single input counts, run by
// run and trial by trial, what the plan without truth tables counts
// (kernel.Tables.Evaluated: every outcome evaluated, by the general
// path); plans that are not of that shape must not take the shortcut.
func TestOneInputHorizonCountsAlike(t *testing.T) {
	compile := func(src string) *model.Plan {
		p, errs := model.Compile("test.yaml", []byte(src), nil)
		if p == nil {
			t.Fatal(errs.Snippets())
		}
		return p
	}
	evaluated := func(p *model.Plan) *model.Plan {
		q := *p
		q.Kernel = p.Kernel.Evaluated()
		return &q
	}
	p := compile(oneInputChain)
	if r := newRunner(p, 1); !r.hz.single() {
		t.Fatal("the one-input chain is not judged by its single input")
	}
	if r := newRunner(evaluated(p), 1); r.hz.single() {
		t.Fatal("a plan without truth tables is judged by a single input")
	}
	// A given condition on the same input is judged into another word.
	given := compile(oneInputChain + "  d_given_b: {when: \"reached(t.d)\", given: \"reached(t.b)\"}\n")
	if r := newRunner(given, 1); r.hz.single() {
		t.Fatal("a plan with given conditions is judged by a single input")
	}
	for _, ps := range []Params{{}, {PerDraw: 100}} {
		opts := Options{Trials: 20000, Seed: 5, Params: ps, Workers: 2}
		got, err := Run(context.Background(), p, opts)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Run(context.Background(), evaluated(p), opts)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("params %+v: tallies differ with and without the single-input judgement", ps)
		}
		if hit := got.Hits; slices.Contains(hit, 0) || slices.Contains(hit, got.Trials) || hit[1] == hit[0] {
			t.Errorf("params %+v: hits %v of %d trials: each outcome should be hit in some trials and missed in others", ps, got.Hits, got.Trials)
		}
	}
	fast, slow := NewTrialer(p, 3), NewTrialer(evaluated(p), 3)
	for i := range int64(2000) {
		a, err := fast.Trial(i)
		if err != nil {
			t.Fatal(err)
		}
		a = slices.Clone(a)
		b, err := slow.Trial(i)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a, b) {
			t.Fatalf("trial %d: outcomes %v, without truth tables %v", i, a, b)
		}
	}
}
