package sim

import (
	"slices"
	"testing"
)

// BenchmarkHorizonReferenceModel judges and counts the outcomes of the
// reference model's horizons: the first 1000 trials' final frames, set
// back into the frame one after the other (the copies are part of the
// cost measured).
func BenchmarkHorizonReferenceModel(b *testing.B) {
	p := refPlan(b)
	r := newRunner(p, 1)
	t := newTallyFor(p, Params{}, 0, 1000)
	var entries, states [][]int32
	for trial := range int64(1000) {
		if err := r.trial(trial, t, nil); err != nil {
			b.Fatal(err)
		}
		entries, states = append(entries, slices.Clone(r.f.Entry)), append(states, slices.Clone(r.f.State))
	}
	f := &r.f
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		j := i % len(entries)
		copy(f.Entry, entries[j])
		copy(f.State, states[j])
		r.hz.judge(f)
		r.hz.countOutcomes(f, t)
	}
}
