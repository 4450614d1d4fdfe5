package sim_test

import (
	"context"
	"testing"
	"time"

	"scensim/sim"
)

// BenchmarkNestedVsFlat runs the baseline flat (params drawn per trial) and
// nested (500 trials per draw) on one worker, alternately in every
// iteration so that both see the same machine load, and reports the CPU
// cost of each per trial and their ratio nested/flat.
func BenchmarkNestedVsFlat(b *testing.B) {
	p := baselinePlan(b)
	const trials = 20000
	var flat, nested time.Duration
	run := func(ps sim.Params) time.Duration {
		start := sim.CPUTime()
		if _, err := sim.Run(context.Background(), p, sim.Options{Trials: trials, Seed: 1, Workers: 1, Params: ps}); err != nil {
			b.Fatal(err)
		}
		return sim.CPUTime() - start
	}
	for b.Loop() {
		flat += run(sim.Params{})
		nested += run(sim.Params{PerDraw: sim.DefaultPerDraw})
	}
	b.ReportMetric(float64(flat.Nanoseconds())/float64(b.N)/trials, "flat-cpu-ns/trial")
	b.ReportMetric(float64(nested.Nanoseconds())/float64(b.N)/trials, "nested-cpu-ns/trial")
	b.ReportMetric(float64(nested)/float64(flat), "nested/flat")
}

// BenchmarkRunBaselineNested is BenchmarkRunBaseline for a nested run (500
// trials per draw): its allocs/op, per run of 20 000 trials, compare with
// the flat run's (no allocation per trial).
func BenchmarkRunBaselineNested(b *testing.B) {
	p := baselinePlan(b)
	const trials = 20000
	b.ReportAllocs()
	c0 := sim.CPUTime()
	for b.Loop() {
		if _, err := sim.Run(context.Background(), p, sim.Options{Trials: trials, Seed: 1, Workers: 1, Params: sim.Params{PerDraw: sim.DefaultPerDraw}}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/trials, "ns/trial")
	b.ReportMetric(float64((sim.CPUTime()-c0).Nanoseconds())/float64(b.N)/trials, "cpu-ns/trial")
}
