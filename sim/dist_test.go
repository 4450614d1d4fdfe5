package sim_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"scensim/sim"
)

// TestEveryDistributionRuns draws each kind of distribution in a run: every
// draw is counted in the param's histogram, and the chance that takes the
// param (scaled into [0, 1]) happens at the rate of its mean, within 4.5
// standard errors.
func TestEveryDistributionRuns(t *testing.T) {
	for _, c := range []struct {
		dist  string
		scale float64 // p = q / scale
	}{
		{"beta(0.5, 0.5)", 1},
		{"beta(2, 8)", 1},
		{"uniform(0.2, 1)", 1},
		{"triangular(0, 0.2, 1)", 1},
		{"pert(0.09, 0.15, 0.24)", 1},
		{"normal(0.5, 0.2, 0, 1)", 1},
		{"lognormal(-2, 0.5)", 100},
	} {
		p := mustCompile(t, fmt.Sprintf(`
scensim: 1
name: dists
time: {start: 2025-01-01, steps: 1}
params:
  q: {dist: %q}
tracks:
  t:
    initial: a
    states: [a, b]
    transitions: [{from: a, to: b, p: "min(q / %g, 1)"}]
outcomes:
  moved: t.b
`, c.dist, c.scale))
		const n = 40_000
		tl, err := sim.Run(context.Background(), p, sim.Options{Trials: n, Seed: 5})
		if err != nil {
			t.Fatalf("%s: %v", c.dist, err)
		}
		var hist int64
		for _, k := range tl.ParamHist {
			hist += k
		}
		if hist != n {
			t.Errorf("%s: param histogram holds %d draws, want %d", c.dist, hist, n)
		}
		want := p.Params[0].Dist.Mean() / c.scale
		got := float64(tl.Hits[0]) / n
		if se := math.Sqrt(want * (1 - want) / n); math.Abs(got-want) > 4.5*se {
			t.Errorf("%s: P(moved) = %.4f, want %.4f ± %.4f", c.dist, got, want, 4.5*se)
		}
	}
}
