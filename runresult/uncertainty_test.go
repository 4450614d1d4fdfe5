package runresult

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"

	"scensim/model"
	"scensim/results"
	"scensim/scenarios"
	"scensim/sim"
)

// betaSrc is one transition with per-step probability θ ~ Beta(a, b) over
// betaSteps steps, so P(moved | θ) = 1 − (1−θ)^N in closed form.
const betaSrc = `scensim: 1
name: beta_steps
time: {start: 2025-01-01, step: week, steps: 5}
params:
  theta: {dist: "beta(4, 16)"}
tracks:
  t:
    initial: a
    states: [a, b]
    transitions:
      - {from: a, to: b, p: theta}
outcomes:
  moved: t.b
`

const (
	betaA, betaB = 4.0, 16.0
	betaSteps    = 5
)

// betaQuantile is the exact q-quantile of P(moved | θ) = 1 − (1−θ)^N, an
// increasing function of θ: the map of θ's q-quantile.
func betaQuantile(q float64) float64 {
	th := distuv.Beta{Alpha: betaA, Beta: betaB}.Quantile(q)
	return 1 - math.Pow(1-th, betaSteps)
}

// betaQuantileSE is the standard error of the sample q-quantile of K draws
// of P(moved | θ): √(q(1−q)/K) / f(x_q), with the density f of P at its
// q-quantile from that of θ: f_P(x) = f_θ(θ) / (N(1−θ)^(N−1)).
func betaQuantileSE(q float64, k int) float64 {
	b := distuv.Beta{Alpha: betaA, Beta: betaB}
	th := b.Quantile(q)
	f := b.Prob(th) / (betaSteps * math.Pow(1-th, betaSteps-1))
	return math.Sqrt(q*(1-q)/float64(k)) / f
}

func betaPlan(t *testing.T) *model.Plan {
	t.Helper()
	p, errs := model.Compile("beta_steps.yaml", []byte(betaSrc), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	return p
}

func runBeta(t *testing.T, p *model.Plan, seed uint64, opts sim.Options) *results.Result {
	t.Helper()
	opts.Seed = seed
	tl, err := sim.Run(context.Background(), p, opts)
	if err != nil {
		t.Fatal(err)
	}
	r, err := FromRun(p, tl, seed, "test", results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The fixed-params run gives the closed form at θ's mean, checking the
// scenario's reading (N steps, each with probability θ).
func TestBetaScenarioAtMean(t *testing.T) {
	p := betaPlan(t)
	const n = 200000
	r := runBeta(t, p, 1, sim.Options{Trials: n, Workers: 2, Params: sim.Params{Fixed: true}})
	want := 1 - math.Pow(1-betaA/(betaA+betaB), betaSteps)
	e := r.Outcomes[0].Estimate
	if math.Abs(e.P-want) > 4*math.Sqrt(want*(1-want)/n) || r.Outcomes[0].Range != nil {
		t.Fatalf("P(moved | θ = mean) = %.4f, want %.4f within 4 SE, and no range", e.P, want)
	}
}

// Coverage of the exact pooled probability by the simulation-error
// interval of nested runs of 40 draws × 100 trials, over 400 seeds each:
// within 0.035 of 95% (3.2 binomial SEs of a coverage estimate from 400
// seeds), for θ ~ Beta(4, 16) (pooled P ≈ 0.64) and for a rare outcome,
// θ ~ Beta(1, 200) (P ≈ 0.024, skewed across draws). For the first, the
// Wilson interval on all 4000 trials, which ignores that trials of one
// draw share their θ, must cover far less (below 80%): the check that the
// design matters at all in this scenario.
func TestNestedIntervalCoverage(t *testing.T) {
	for _, c := range []struct {
		a, b       float64
		naiveBelow float64
	}{{betaA, betaB, 0.8}, {1, 200, 1}} {
		src := strings.Replace(betaSrc, "beta(4, 16)", fmt.Sprintf("beta(%g, %g)", c.a, c.b), 1)
		p, errs := model.Compile("beta_steps.yaml", []byte(src), nil)
		if p == nil {
			t.Fatal(errs.Snippets())
		}
		// E[1 − (1−θ)^N] = 1 − B(a, b+N)/B(a, b)
		exact := 1 - math.Exp(mathext.Lbeta(c.a, c.b+betaSteps)-mathext.Lbeta(c.a, c.b))
		const seeds = 400
		covered, naive := 0, 0
		for s := range uint64(seeds) {
			r := runBeta(t, p, 1000+s, sim.Options{Trials: 4000, Workers: 1, Params: sim.Params{PerDraw: 100}})
			e := r.Outcomes[0].Estimate
			if e.Lo <= exact && exact <= e.Hi {
				covered++
			}
			if lo, hi := results.Wilson(e.K, e.N, results.Z95); lo <= exact && exact <= hi {
				naive++
			}
		}
		cov, ncov := float64(covered)/seeds, float64(naive)/seeds
		t.Logf("beta(%g, %g): exact pooled %.5f: coverage %.3f (Wilson on all trials: %.3f)", c.a, c.b, exact, cov, ncov)
		if math.Abs(cov-0.95) > 0.035 {
			t.Errorf("beta(%g, %g): coverage %.3f, want 0.95 ± 0.035", c.a, c.b, cov)
		}
		if ncov > c.naiveBelow {
			t.Errorf("beta(%g, %g): the Wilson interval on all trials covers %.3f: the scenario does not show the clustering", c.a, c.b, ncov)
		}
	}
}

// The range over assumptions of a nested run of 10000 draws × 100 trials
// matches the exact 5/50/95% quantiles of 1 − (1−θ)^N within 4 standard
// errors of a sample quantile of 10000 exact values plus 0.005 for what the
// moment-matching removal of the noise leaves of its shape. The raw
// quantiles of the noisy per-draw estimates, which include each draw's
// binomial noise, must be worse at the 5% and 95% ends: the check that the
// noise removal does something.
func TestNestedRangeMatchesExactQuantiles(t *testing.T) {
	p := betaPlan(t)
	const draws, perDraw = 10000, 100
	r := runBeta(t, p, 7, sim.Options{Trials: draws * perDraw, Workers: 2, Params: sim.Params{PerDraw: perDraw}})
	sp := r.Outcomes[0].Range
	if sp == nil || sp.Draws != draws {
		t.Fatalf("range %+v, want one over %d draws", sp, draws)
	}
	raw := rawRange(r)
	for _, c := range []struct {
		q        float64
		got, raw float64
	}{{0.05, sp.P5, raw[0]}, {0.5, sp.P50, raw[1]}, {0.95, sp.P95, raw[2]}} {
		want := betaQuantile(c.q)
		tol := 4*betaQuantileSE(c.q, draws) + 0.005
		t.Logf("q=%.2f: exact %.4f, estimate %.4f (raw %.4f), tolerance %.4f, noise share %.3f", c.q, want, c.got, c.raw, tol, sp.NoiseShare)
		if math.Abs(c.got-want) > tol {
			t.Errorf("%.0f%% quantile %.4f, exact %.4f, tolerance %.4f", 100*c.q, c.got, want, tol)
		}
		if c.q != 0.5 && math.Abs(c.raw-want) <= math.Abs(c.got-want) {
			t.Errorf("%.0f%% quantile: the raw estimate %.4f is no worse than the noise-removed %.4f (exact %.4f)", 100*c.q, c.raw, c.got, want)
		}
	}
}

// rawRange is the 5/50/95% quantiles of the per-draw estimates without
// noise removal.
func rawRange(r *results.Result) [3]float64 {
	c := r.Counts
	h, n := make([]int64, c.Draws()), make([]int64, c.Draws())
	for k := range h {
		h[k], n[k] = c.DrawHits[k], c.DrawGiven[k]
	}
	// A range with no noise in it is the raw one: give DrawRange counts
	// scaled so that each draw's noise estimate vanishes (n huge, same x).
	const scale = 1 << 30
	for k := range h {
		h[k], n[k] = h[k]*scale, n[k]*scale
	}
	sp := results.DrawRange(h, n)
	return [3]float64{sp.P5, sp.P50, sp.P95}
}

// Nested runs write byte-identical result files for 1 and 2 workers and
// for shards merged.
func TestNestedFilesIdentical(t *testing.T) {
	p := betaPlan(t)
	const n, perDraw = 10000, 300 // shard cuts fall inside draws
	ps := sim.Params{PerDraw: perDraw}
	files := func(r *results.Result) map[string][]byte {
		dir := t.TempDir()
		if _, err := results.WriteFiles(dir, r); err != nil {
			t.Fatal(err)
		}
		out := map[string][]byte{}
		for _, name := range results.FileNames() {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			out[name] = b
		}
		return out
	}
	one := files(runBeta(t, p, 3, sim.Options{Trials: n, Workers: 1, Params: ps}))
	two := files(runBeta(t, p, 3, sim.Options{Trials: n, Workers: 2, Params: ps}))
	var shards []*results.Result
	for k := range 3 {
		first, m := results.ShardRange(k, 3, n)
		r := runBeta(t, p, 3, sim.Options{First: first, Trials: m, Workers: 2, Params: ps})
		r.Manifest.Trials = n
		r.Manifest.Shard = &results.Shard{K: k, N: 3, First: first, Trials: m, TotalTrials: n}
		shards = append(shards, r)
	}
	merged, err := results.Merge([]*results.Result{shards[2], shards[0], shards[1]}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := files(merged)
	for name, want := range one {
		if !bytes.Equal(want, two[name]) {
			t.Errorf("%s differs between 1 and 2 workers", name)
		}
		if !bytes.Equal(want, m[name]) {
			t.Errorf("%s differs between the run and its shards merged", name)
		}
	}
	if !bytes.Contains(one["result.json"], []byte(`"draw_hits"`)) || !bytes.Contains(one["outcomes.csv"], []byte("range_p5")) {
		t.Fatal("the result files do not carry the per-draw counts and the range")
	}
}

// A nested run of the baseline (40 draws of 500 trials) gives every
// outcome whose pooled probability is between 2% and 98% a range over the
// assumptions at least 2 points wide, and every headline outcome a range
// not dominated by noise (noise share below 1/2; a conditional outcome
// with few trials per draw, such as a four-week hazard, may have more).
func TestBaselineRangesNotDegenerate(t *testing.T) {
	data, ok := scenarios.Read(scenarios.Default)
	if !ok {
		t.Fatal("no embedded baseline")
	}
	p, errs := model.Compile("baseline.yaml", data, nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	r := runBeta(t, p, p.Seed, sim.Options{Trials: 20000, Workers: 2, Params: sim.Params{PerDraw: sim.PerDrawFor(20000, 0)}})
	checked, headlines := 0, 0
	for _, o := range r.Outcomes {
		if !(o.Estimate.P >= 0.02 && o.Estimate.P <= 0.98) {
			if o.Headline {
				t.Errorf("headline outcome %s: P %.3f, outside 2%%..98%%", o.Name, o.Estimate.P)
			}
			continue
		}
		checked++
		sp := o.Range
		if sp == nil || !(sp.P95-sp.P5 >= 0.02) {
			t.Errorf("%s: P %.3f, range %+v", o.Name, o.Estimate.P, sp)
			continue
		}
		if o.Headline {
			headlines++
			if !(sp.NoiseShare < 0.5) {
				t.Errorf("headline outcome %s: P %.3f, range %+v dominated by noise", o.Name, o.Estimate.P, sp)
			}
		}
	}
	if checked < 10 || headlines < 8 {
		t.Fatalf("only %d outcomes between 2%% and 98%%, %d of them headline outcomes", checked, headlines)
	}
}
