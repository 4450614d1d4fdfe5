package runresult

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"

	"scensim/model"
	"scensim/results"
	"scensim/sim"
)

// fixedSrc is betaSrc's scenario with the per-step probability fixed at
// pairedC: P_B = 1 − (1−c)^N. Paired with betaSrc (same track, same
// numbers), the difference of "moved" in draw θ is
// g(θ) = (1−θ)^N − (1−c)^N, which decreases in θ and is positive exactly
// when θ < c.
const fixedSrc = `scensim: 1
name: fixed_steps
time: {start: 2025-01-01, step: week, steps: 5}
tracks:
  t:
    initial: a
    states: [a, b]
    transitions:
      - {from: a, to: b, p: 0.25}
outcomes:
  moved: t.b
`

const pairedC = 0.25

// pairedExact returns the exact pooled difference E[g(θ)] =
// B(a, b+N)/B(a, b) − (1−c)^N, the exact q-quantile of g(θ) (g decreases,
// so it is g at θ's (1−q)-quantile) and the exact share of draws with the
// sign of the pooled difference.
func pairedExact() (d float64, quantile func(q float64) float64, share float64) {
	th := distuv.Beta{Alpha: betaA, Beta: betaB}
	fixed := math.Pow(1-pairedC, betaSteps)
	d = math.Exp(mathext.Lbeta(betaA, betaB+betaSteps)-mathext.Lbeta(betaA, betaB)) - fixed
	quantile = func(q float64) float64 { return math.Pow(1-th.Quantile(1-q), betaSteps) - fixed }
	share = th.CDF(pairedC)
	if d < 0 {
		share = 1 - share
	}
	return d, quantile, share
}

func pairedBeta(t *testing.T, seed uint64, opts sim.Options) *results.Comparison {
	t.Helper()
	b, errs := model.Compile("fixed_steps.yaml", []byte(fixedSrc), nil)
	if b == nil {
		t.Fatal(errs.Snippets())
	}
	plans := []*model.Plan{betaPlan(t), b}
	l := NewCompareLayout(plans)
	opts.Seed = seed
	pt, err := sim.RunPaired(context.Background(), plans, l.Probes, opts)
	if err != nil {
		t.Fatal(err)
	}
	c, err := l.Build(plans, nil, pt, seed, "test", results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// movedDiff is the difference of outcome "moved" of a pairedBeta comparison.
func movedDiff(t *testing.T, c *results.Comparison) *results.Difference {
	t.Helper()
	for _, r := range c.Rows {
		if r.Kind == "outcome" && r.Name == "moved" {
			return r.Diffs[1]
		}
	}
	t.Fatal("no row moved")
	return nil
}

// Coverage of the exact pooled difference by the paired simulation-error
// interval of nested comparisons of 40 shared draws × 100 trials, over 400
// seeds: within 0.035 of 95% (3.2 binomial SEs of a coverage estimate
// from 400 seeds). The flat paired interval on all trials (Newcombe's,
// which treats the trials as independent pairs) must cover far less
// (below 80%): the check that the draws matter in this pair.
func TestPairedNestedIntervalCoverage(t *testing.T) {
	exact, _, _ := pairedExact()
	const seeds = 400
	covered, naive := 0, 0
	for s := range uint64(seeds) {
		c := pairedBeta(t, 5000+s, sim.Options{Trials: 4000, Workers: 1, Params: sim.Params{PerDraw: 100}})
		d := movedDiff(t, c)
		if d.OverDraws == nil || d.OverDraws.Draws != 40 {
			t.Fatalf("seed %d: no description over 40 draws: %+v", s, d.OverDraws)
		}
		if d.Lo <= exact && exact <= d.Hi {
			covered++
		}
		both, n := int64(0), c.Trials
		for _, r := range c.Rows {
			if r.Name == "moved" {
				both = r.Estimates[0].K - d.Loss
			}
		}
		if lo, hi := results.NewcombePaired(both, d.Loss, d.Gain, n-both-d.Loss-d.Gain, results.Z95); lo <= -exact && -exact <= hi {
			naive++ // NewcombePaired gives p1 − p2 with the first scenario first
		}
	}
	cov, ncov := float64(covered)/seeds, float64(naive)/seeds
	t.Logf("exact pooled difference %.5f: coverage %.3f (flat paired interval: %.3f)", exact, cov, ncov)
	if math.Abs(cov-0.95) > 0.035 {
		t.Errorf("coverage %.3f, want 0.95 ± 0.035", cov)
	}
	if ncov > 0.8 {
		t.Errorf("the flat paired interval covers %.3f: the pair does not show the clustering", ncov)
	}
}

// The range over assumptions of the difference and the share of draws
// with its sign, from one comparison of 4000 shared draws × 100 trials,
// against their exact values: each quantile within 3 SEs of a sample
// quantile of 4000 exact draws plus 0.005 for the shape that noise removal
// only approximates, and the share within 0.02 (3 binomial SEs of a share
// from 4000 draws is 0.02).
func TestPairedNestedRangeAndSignShare(t *testing.T) {
	exact, quantile, share := pairedExact()
	const draws = 4000
	c := pairedBeta(t, 77, sim.Options{Trials: draws * 100, Workers: 2, Params: sim.Params{PerDraw: 100}})
	d := movedDiff(t, c)
	o := d.OverDraws
	t.Logf("pooled %.4f (exact %.4f); range %.4f %.4f %.4f (exact %.4f %.4f %.4f), noise share %.3f; sign share %.4f (exact %.4f)",
		d.D, exact, o.P5, o.P50, o.P95, quantile(0.05), quantile(0.5), quantile(0.95), o.NoiseShare, o.SignShare, share)
	th := distuv.Beta{Alpha: betaA, Beta: betaB}
	for _, q := range []struct {
		p   float64
		got float64
	}{{0.05, o.P5}, {0.5, o.P50}, {0.95, o.P95}} {
		// SE of a sample q-quantile of g(θ): √(q(1−q)/K)/f_g, f_g = f_θ/|g'(θ)|.
		x := th.Quantile(1 - q.p)
		slope := betaSteps * math.Pow(1-x, betaSteps-1)
		se := math.Sqrt(q.p*(1-q.p)/draws) * slope / th.Prob(x)
		if want := quantile(q.p); math.Abs(q.got-want) > 3*se+0.005 {
			t.Errorf("%.0f%% quantile %.4f, want %.4f ± %.4f", 100*q.p, q.got, want, 3*se+0.005)
		}
	}
	if math.Abs(o.SignShare-share) > 0.02 {
		t.Errorf("share of draws with the sign %.4f, want %.4f ± 0.02", o.SignShare, share)
	}
	if !c.IsMaterial(d) || len(c.Material) == 0 {
		t.Errorf("a difference of %.3f with interval [%.3f, %.3f] is not listed as material", d.D, d.Lo, d.Hi)
	}
}
