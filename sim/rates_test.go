package sim_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"scensim/sim"
)

// TestInfiniteRatesFail checks that a rate that becomes infinite (or
// negative) during a trial stops the run with a RuntimeError naming the
// rate, whether it is evaluated at each step, tabled per trial, or
// competes with another, instead of running as a probability of 1.
func TestInfiniteRatesFail(t *testing.T) {
	cases := []struct{ name, transitions, want string }{
		{"lone evaluated", `- {from: a, to: b, rate: "1 / dwell"}`, "transition t: a->b has rate +Inf"},
		{"lone per trial", `- {from: a, to: b, rate: "q < 0.5 ? 1 / (q - q) : 0.1"}`, "transition t: a->b has rate +Inf"},
		{"lone negative", `- {from: a, to: b, rate: "q < 0.5 ? -q : 0.1"}`, "transition t: a->b has rate -"},
		{"competing", "- {from: a, to: b, rate: \"1 / dwell\"}\n      - {from: a, to: c, rate: \"1 / dwell\"}", "has rate +Inf"},
		{"beside a probability", "- {from: a, to: b, rate: \"1 / dwell\"}\n      - {from: a, to: c, p: \"0.1 * dwell\"}", "transition t: a->b has rate +Inf"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := mustCompile(t, `
scensim: 1
name: inf
time: {start: 2025-01-01, steps: 20}
params:
  q: {dist: "uniform(0, 1)"}
tracks:
  t:
    initial: a
    states: [a, b, c]
    transitions:
      `+c.transitions+`
`)
			for _, q := range []bool{false, true} {
				plan := p
				if q {
					plan = evaluated(p)
				}
				_, err := sim.Run(context.Background(), plan, sim.Options{Trials: 200, Seed: 1})
				var re *sim.RuntimeError
				if !errors.As(err, &re) {
					t.Fatalf("shortcuts %v: got %v, want a RuntimeError", !q, err)
				}
				if !strings.Contains(err.Error(), c.want) {
					t.Errorf("shortcuts %v: error %q does not say %q", !q, err, c.want)
				}
			}
		})
	}
}
