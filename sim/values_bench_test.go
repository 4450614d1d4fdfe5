package sim_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"scensim/model"
	"scensim/scenarios"
	"scensim/sim"
)

// BenchmarkValueOutcomesCost measures what the baseline's value outcomes
// cost the engine: it alternates runs of the baseline with and without
// them (the same scenario with its value outcomes cut out) on one worker,
// so that drift in the machine's load hits both alike, and reports the
// ratio of their times (1.05 = 5% slower with value outcomes) by the
// process's CPU time (user and system, which other work on a shared
// machine disturbs less than wall time): for a flat
// run and for a nested run of 500 trials per draw (the default of `run`),
// which also keeps per-draw value tallies.
func BenchmarkValueOutcomesCost(b *testing.B) {
	data, _ := scenarios.Read(scenarios.Default)
	src := string(data)
	start := strings.Index(src, "  # --- numbers per trial")
	end := strings.Index(src, "\nchecks:")
	if start < 0 || end < start {
		b.Fatal("the baseline's value outcomes are not where this benchmark expects them")
	}
	with, errs := model.Compile("baseline.yaml", data, nil)
	if with == nil {
		b.Fatal(errs.Snippets())
	}
	without, errs := model.Compile("baseline.yaml", []byte(src[:start]+src[end:]), nil)
	if without == nil {
		b.Fatal(errs.Snippets())
	}
	if len(with.Values) == 0 || len(without.Values) != 0 || len(with.Outcomes) != len(without.Outcomes) {
		b.Fatalf("value outcomes: %d with, %d without", len(with.Values), len(without.Values))
	}
	const trials = 10000
	for _, c := range []struct {
		name   string
		params sim.Params
	}{{"flat", sim.Params{}}, {"nested", sim.Params{PerDraw: 500}}} {
		b.Run(c.name, func(b *testing.B) {
			run := func(p *model.Plan, cpu *time.Duration) {
				c0 := sim.CPUTime()
				if _, err := sim.Run(context.Background(), p, sim.Options{Trials: trials, Seed: 1, Workers: 1, Params: c.params}); err != nil {
					b.Fatal(err)
				}
				*cpu += sim.CPUTime() - c0
			}
			var cWith, cWithout time.Duration
			for b.Loop() {
				run(without, &cWithout)
				run(with, &cWith)
			}
			b.ReportMetric(float64(cWith)/float64(cWithout), "cpu-with/without")
			b.ReportMetric(float64(cWithout.Nanoseconds())/float64(b.N)/trials, "cpu-ns/trial-without")
			b.ReportMetric(float64(cWith.Nanoseconds())/float64(b.N)/trials, "cpu-ns/trial-with")
		})
	}
}
