package sim_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"scensim/dist"
	"scensim/sim"
)

// TestEveryDistributionRuns runs a scenario drawing each registered
// distribution (its example arguments) as a param q, with one chance
// p = clamp((q − lo)/(hi − lo), 0, 1) over the histogram range [lo, hi]:
// every draw is counted in the param's histogram, and the chance happens at
// the rate E[p] = ∫₀¹ clamp((Q(u) − lo)/(hi − lo), 0, 1) du (midpoint rule,
// 100,000 points), within 4.5 standard errors.
func TestEveryDistributionRuns(t *testing.T) {
	for _, f := range dist.Families() {
		d, err := dist.New(f.Name, f.Example)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		src := fmt.Sprintf("%s(%v", f.Name, f.Example[0])
		for _, a := range f.Example[1:] {
			src += fmt.Sprintf(", %v", a)
		}
		src += ")"
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
    transitions: [{from: a, to: b, p: "clamp((q - %v) / %v, 0, 1)"}]
outcomes:
  moved: t.b
`, src, d.Lo, d.Hi-d.Lo))
		const n = 40_000
		tl, err := sim.Run(context.Background(), p, sim.Options{Trials: n, Seed: 5})
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		var hist int64
		for _, k := range tl.ParamHist {
			hist += k
		}
		if hist != n {
			t.Errorf("%s: param histogram holds %d draws, want %d", src, hist, n)
		}
		const m = 100_000
		want := 0.0
		for i := range m {
			q := d.Quantile((float64(i) + 0.5) / m)
			want += math.Min(math.Max((q-d.Lo)/(d.Hi-d.Lo), 0), 1) / m
		}
		got := float64(tl.Hits[0]) / n
		if se := math.Sqrt(want * (1 - want) / n); math.Abs(got-want) > 4.5*se {
			t.Errorf("%s: P(moved) = %.4f, want %.4f ± %.4f", src, got, want, 4.5*se)
		}
	}
}
