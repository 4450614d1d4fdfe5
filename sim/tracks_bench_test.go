package sim_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"scensim/model"
	"scensim/sim"
)

// BenchmarkTrackSteps runs the synthetic scenarios of scripts/gentracks
// (sim/testdata/tracks-N.yaml: N tracks of 10 states in a cycle, some
// transitions reading other tracks' states) on one worker and reports the
// cost per track-step: the time of a trial over tracks × steps (wall
// and CPU time). A cost
// that does not grow with N is cost linear in the model.
func BenchmarkTrackSteps(b *testing.B) {
	for _, n := range []int{10, 50, 200} {
		b.Run(fmt.Sprintf("tracks=%d", n), func(b *testing.B) {
			name := fmt.Sprintf("testdata/tracks-%d.yaml", n)
			data, err := os.ReadFile(name)
			if err != nil {
				b.Fatal(err)
			}
			p, errs := model.Compile(name, data, nil)
			if p == nil {
				b.Fatal(errs.Snippets())
			}
			trials := int64(100000 / n)
			b.ReportAllocs()
			c0 := sim.CPUTime()
			for b.Loop() {
				if _, err := sim.Run(context.Background(), p, sim.Options{Trials: trials, Seed: 1, Workers: 1}); err != nil {
					b.Fatal(err)
				}
			}
			ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / float64(trials)
			b.ReportMetric(ns/float64(len(p.Tracks)*p.Steps), "ns/track-step")
			cpu := float64((sim.CPUTime() - c0).Nanoseconds()) / float64(b.N) / float64(trials)
			b.ReportMetric(cpu/float64(len(p.Tracks)*p.Steps), "cpu-ns/track-step")
		})
	}
}
