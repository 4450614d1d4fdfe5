package runresult

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mathext"

	"scensim/model"
	"scensim/results"
	"scensim/sim"
)

// geomBase: a per-step chance 0.2 of entering x.in over 10 steps, so
// P(in by the horizon) = 1 − 0.8^10; geomNews adds the evidence "not in by
// point 4", so P(in by the horizon | evidence) = 1 − 0.8^6.
const geomBase = `scensim: 1
name: geom
time: {start: 2025-01-01, step: week, steps: 10}
tracks:
  x:
    initial: out
    states: [out, in]
    transitions:
      - {from: out, to: in, p: 0.2}
outcomes:
  entered: x.in
`

const geomNews = geomBase + `evidence:
  not_yet: {not_reached: x.in, by: 2025-01-29, source: a test}
`

// The difference between a run with evidence and its base on the same
// trials is compared by the paired ratio estimator: over 400 seeds of 2 000
// trials its 95% interval covers the exact difference 0.8^10 − 0.8^6 in
// 380 ± 14 of them (the binomial 99.9% band), and it is narrower than the
// unpaired interval (median width ratio below 0.9), which covers more
// often than it should.
func TestEvidenceRatioPairedCoverage(t *testing.T) {
	base, errs := model.Compile("geom.yaml", []byte(geomBase), nil)
	if base == nil {
		t.Fatal(errs.Snippets())
	}
	news, errs := model.Compile("news.yaml", []byte(geomNews), nil)
	if news == nil {
		t.Fatal(errs.Snippets())
	}
	exact := math.Pow(0.8, 10) - math.Pow(0.8, 6)
	plans := []*model.Plan{base, news}
	l := NewCompareLayout(plans)
	const seeds = 400
	covered, coveredUnpaired := 0, 0
	var ratios []float64
	for s := range seeds {
		seed := uint64(1000 + s)
		pt, err := sim.RunPaired(context.Background(), plans, l.Probes, sim.Options{Trials: 2000, Seed: seed, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		c, err := l.Build(plans, nil, pt, seed, "test", results.RunInfo{})
		if err != nil {
			t.Fatal(err)
		}
		var d *results.Difference
		for _, r := range c.Rows {
			if r.Kind == "outcome" && r.Name == "entered" {
				d = r.Diffs[1]
			}
		}
		if d == nil || !d.RatioPaired || d.Paired {
			t.Fatalf("seed %d: difference %+v, want a paired-ratio row", seed, d)
		}
		if d.Lo <= exact && exact <= d.Hi {
			covered++
		}
		if d.IndepLo <= exact && exact <= d.IndepHi {
			coveredUnpaired++
		}
		ratios = append(ratios, d.WidthRatio)
	}
	median := medianOf(ratios)
	t.Logf("paired ratio: %d of %d cover %.5f; unpaired: %d; median width ratio %.3f", covered, seeds, exact, coveredUnpaired, median)
	if covered < 366 || covered > 394 {
		t.Errorf("the paired-ratio interval covers the exact difference in %d of %d seeds, want 380 ± 14", covered, seeds)
	}
	if !(median < 0.9) {
		t.Errorf("median width ratio %.3f, want below 0.9: pairing should narrow the interval", median)
	}
}

func medianOf(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// In a nested comparison (shared draws of θ ~ Beta(2, 6), the per-step
// chance) the row is compared over the draws, each draw's residual of the
// two ratio estimators taken together (results.UnpairedDrawDifference),
// widened to contain the flat paired-ratio interval. The exact difference
// is B(2, 16)/B(2, 6) − B(2, 16)/B(2, 10) (P(in by 10) and P(in by 10 | not
// by 4) under the prior); over 300 seeds of 100 draws × 40 trials the
// interval covers it in 285 ± 13 seeds (the binomial 99.9% band around
// 95%; seen: 284). With few draws the ratio estimators' bias shows: 40
// draws × 100 trials covered in 275 of the same 300 seeds.
func TestEvidenceRatioPairedNestedCoverage(t *testing.T) {
	src := strings.Replace(geomBase, "p: 0.2}", "p: theta}", 1) + "params:\n  theta: {dist: \"beta(2, 6)\"}\n"
	base, errs := model.Compile("geom.yaml", []byte(src), nil)
	if base == nil {
		t.Fatal(errs.Snippets())
	}
	news, errs := model.Compile("news.yaml", []byte(src+"evidence:\n  not_yet: {not_reached: x.in, by: 2025-01-29, source: a test}\n"), nil)
	if news == nil {
		t.Fatal(errs.Snippets())
	}
	lb := func(b float64) float64 { return mathext.Lbeta(2, b) }
	exact := math.Exp(lb(16)-lb(6)) - math.Exp(lb(16)-lb(10))
	plans := []*model.Plan{base, news}
	l := NewCompareLayout(plans)
	const seeds = 300
	covered := 0
	for s := range seeds {
		seed := uint64(3000 + s)
		pt, err := sim.RunPaired(context.Background(), plans, l.Probes, sim.Options{Trials: 4000, Seed: seed, Workers: 1, Params: sim.Params{PerDraw: 40}})
		if err != nil {
			t.Fatal(err)
		}
		c, err := l.Build(plans, nil, pt, seed, "test", results.RunInfo{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range c.Rows {
			if r.Kind == "outcome" && r.Name == "entered" {
				if d := r.Diffs[1]; d.Lo <= exact && exact <= d.Hi {
					covered++
				}
			}
		}
	}
	t.Logf("nested: %d of %d cover %.5f", covered, seeds, exact)
	if covered < 272 || covered > 298 {
		t.Errorf("the nested interval covers the exact difference in %d of %d seeds, want 285 ± 13", covered, seeds)
	}
}
