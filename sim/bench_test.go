package sim_test

import (
	"context"
	"testing"

	"scensim/model"
	"scensim/scenarios"
	"scensim/sim"
)

func baselinePlan(b testing.TB) *model.Plan {
	data, ok := scenarios.Read(scenarios.Default)
	if !ok {
		b.Fatal("no embedded baseline")
	}
	p, errs := model.Compile("baseline.yaml", data, nil)
	if p == nil {
		b.Fatal(errs.Snippets())
	}
	return p
}

// BenchmarkCompileBaseline measures reading, checking and compiling the
// embedded baseline scenario.
func BenchmarkCompileBaseline(b *testing.B) {
	data, _ := scenarios.Read(scenarios.Default)
	b.ReportAllocs()
	for b.Loop() {
		if p, errs := model.Compile("baseline.yaml", data, nil); p == nil {
			b.Fatal(errs)
		}
	}
}

// BenchmarkRunBaseline measures whole runs of the baseline on one worker
// and reports the cost per trial and per trial-step.
func BenchmarkRunBaseline(b *testing.B) {
	p := baselinePlan(b)
	const trials = 20000
	b.ReportAllocs()
	c0 := sim.CPUTime()
	for b.Loop() {
		if _, err := sim.Run(context.Background(), p, sim.Options{Trials: trials, Seed: 1, Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / trials
	b.ReportMetric(ns, "ns/trial")
	b.ReportMetric(float64((sim.CPUTime()-c0).Nanoseconds())/float64(b.N)/trials, "cpu-ns/trial")
	b.ReportMetric(ns/float64(p.Steps), "ns/trial-step")
	b.ReportMetric(1e9/ns, "trials/s")
}

// BenchmarkTrialBaseline measures single trials of the baseline one after
// another on one goroutine (sim.Trialer, as paired designs run them): one
// op is one trial, so allocs/op is the allocations per trial (0 in the
// steady state).
func BenchmarkTrialBaseline(b *testing.B) {
	p := baselinePlan(b)
	tr := sim.NewTrialer(p, 1)
	for i := range int64(1000) { // warm up: per-trial rows and caches allocated
		if _, err := tr.Trial(i); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := int64(1000)
	for b.Loop() {
		if _, err := tr.Trial(i); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(p.Steps), "ns/trial-step")
}
