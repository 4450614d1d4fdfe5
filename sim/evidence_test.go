package sim_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"

	"scensim/model"
	"scensim/results"
	"scensim/runresult"
	"scensim/sim"
)

// The Beta–geometric model: θ ~ Beta(a, b) is a per-step chance of
// entering "in"; the evidence "not entered by point k" has likelihood
// (1−θ)^k, so the posterior of θ is Beta(a, b+k) and
// P(entered by point n | not by k) = 1 − B(a, b+n)/B(a, b+k).
const (
	betaA, betaB = 2.0, 6.0
	evidenceK    = 4 // point of the evidence date
	forecastN    = 10
)

func betaPlan(t *testing.T, withEvidence bool) *model.Plan {
	t.Helper()
	src := fmt.Sprintf(`scensim: 1
name: beta_geometric
time:
  start: 2025-01-01
  step: week
  steps: 12
dates:
  week4: 2025-01-29
  week10: 2025-03-12
params:
  theta:
    dist: beta(%g, %g)
    why: per-step chance of entering
tracks:
  x:
    initial: out
    states: [out, in]
    transitions:
      - {from: out, to: in, p: theta}
outcomes:
  by_week10: reached_by(x.in, week10)
`, betaA, betaB)
	if withEvidence {
		src += `evidence:
  not_yet:
    not_reached: x.in
    by: week4
    source: an illustration for the test
`
	}
	p, errs := model.Compile("beta.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs)
	}
	return p
}

func runBeta(t *testing.T, p *model.Plan, opts sim.Options) *sim.Tally {
	t.Helper()
	tl, err := sim.Run(context.Background(), p, opts)
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

// A trial is kept iff its history agrees with the evidence, so the
// acceptance rate is P(not entered by k) = B(a, b+k)/B(a, b), the kept
// trials' θ follow Beta(a, b+k) and the conditioned forecast is the closed
// form. Per-trial params: n = 200 000 trials, of which about 38% are kept.
func TestEvidenceBetaPosteriorPerTrial(t *testing.T) {
	p := betaPlan(t, true)
	const n = 200_000
	tl := runBeta(t, p, sim.Options{Trials: n, Seed: 11, Workers: 2})
	if !tl.Conditioned || tl.Ran() != n {
		t.Fatalf("conditioned %v, ran %d, want true, %d", tl.Conditioned, tl.Ran(), n)
	}
	acc := float64(tl.Trials) / n
	wantAcc := math.Exp(mathext.Lbeta(betaA, betaB+evidenceK) - mathext.Lbeta(betaA, betaB))
	// 4 standard errors of a binomial proportion.
	t.Logf("acceptance %.5f, exact %.5f", acc, wantAcc)
	if tol := 4 * math.Sqrt(wantAcc*(1-wantAcc)/n); math.Abs(acc-wantAcc) > tol {
		t.Errorf("acceptance %.5f, want %.5f ± %.5f", acc, wantAcc, tol)
	}
	got := float64(tl.Hits[0]) / float64(tl.Trials)
	want := 1 - math.Exp(mathext.Lbeta(betaA, betaB+forecastN)-mathext.Lbeta(betaA, betaB+evidenceK))
	t.Logf("P(by week 10 | not by week 4) %.5f, exact %.5f", got, want)
	if tol := 4 * math.Sqrt(want*(1-want)/float64(tl.Trials)); math.Abs(got-want) > tol {
		t.Errorf("P(by week 10 | not by week 4) = %.5f, want %.5f ± %.5f", got, want, tol)
	}
	// The kept trials' histogram is the posterior: compare bin masses with
	// Beta(a, b+k) by a chi-square test (40 bins on [0, 1]).
	post := distuv.Beta{Alpha: betaA, Beta: betaB + evidenceK}
	prior := distuv.Beta{Alpha: betaA, Beta: betaB}
	checkHist(t, "posterior", tl.ParamHist[1:sim.HistBins+1], tl.Trials, post)
	all := make([]int64, sim.HistBins)
	for i := range all {
		all[i] = tl.ParamHist[1+i] + tl.RejectedHist[1+i]
	}
	checkHist(t, "prior", all, n, prior)
	if tl.Entry[1*(p.Steps+2)+1] != 0 { // no kept trial entered "in" at point 1
		t.Errorf("a kept trial entered x.in at point 1")
	}
	// The reported summary: the posterior's mean and quantiles from the
	// kept trials' histogram (40 bins on [0, 1], interpolated) match
	// Beta(a, b+k). Stated error: the Monte Carlo error of a quantile
	// (sd of θ ≈ 0.1 over √76 000 kept trials, ≈ 0.0004, at most ~0.001 in
	// the tails) plus the interpolation error within a bin of width 0.025
	// (≈ f'·w²/8f, about 0.002 here): 0.004 in all.
	r, err := runresult.FromRun(p, tl, 11, "test", results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	q := r.Evidence.Params[0]
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"posterior mean", q.Posterior.Mean, post.Mean()},
		{"posterior 5%", q.Posterior.P5, post.Quantile(0.05)},
		{"posterior 25%", q.Posterior.P25, post.Quantile(0.25)},
		{"posterior median", q.Posterior.P50, post.Quantile(0.5)},
		{"posterior 75%", q.Posterior.P75, post.Quantile(0.75)},
		{"posterior 95%", q.Posterior.P95, post.Quantile(0.95)},
		{"prior mean", q.Prior.Mean, prior.Mean()},
		{"prior median", q.Prior.P50, prior.Quantile(0.5)},
		{"prior 95%", q.Prior.P95, prior.Quantile(0.95)},
	} {
		t.Logf("%s: %.5f, exact %.5f", c.name, c.got, c.want)
		if math.Abs(c.got-c.want) > 0.004 {
			t.Errorf("%s = %.5f, want %.5f ± 0.004", c.name, c.got, c.want)
		}
	}
	if r.Evidence.Ran != n || r.Evidence.Accepted != tl.Trials {
		t.Errorf("summary ran %d accepted %d", r.Evidence.Ran, r.Evidence.Accepted)
	}
}

// checkHist compares counts in 40 equal bins on [0, 1] with dist by a
// chi-square statistic over the bins expecting ≥ 20 trials; the 0.1%
// critical value for up to 39 degrees of freedom is below 73.
func checkHist(t *testing.T, what string, bins []int64, n int64, d distuv.Beta) {
	t.Helper()
	var chi float64
	df := -1
	for i, c := range bins {
		e := float64(n) * (d.CDF(float64(i+1)/sim.HistBins) - d.CDF(float64(i)/sim.HistBins))
		if e < 20 {
			continue
		}
		chi += (float64(c) - e) * (float64(c) - e) / e
		df++
	}
	if chi > 73 {
		t.Errorf("%s histogram: chi-square %.1f on %d degrees of freedom", what, chi, df)
	}
}

// In a nested run the draw weights ∝ acceptance rate make the posterior:
// the weighted mean of the draws' θ is the Beta(a, b+k) mean a/(a+b+k),
// and the pooled conditioned forecast is the closed form.
func TestEvidenceBetaPosteriorNested(t *testing.T) {
	p := betaPlan(t, true)
	const draws, per = 2000, 100
	tl := runBeta(t, p, sim.Options{Trials: draws * per, Seed: 3, Workers: 2, Params: sim.Params{PerDraw: per}})
	var wsum, wth float64
	θs := sim.DrawValues(p, 3, nil, int64(draws))[0]
	for d := range int64(draws) {
		ran := tl.DrawTrials[d] + tl.DrawRejected[d]
		if ran != per {
			t.Fatalf("draw %d ran %d trials, want %d", d, ran, per)
		}
		w := float64(tl.DrawTrials[d]) / float64(ran)
		wsum += w
		wth += w * θs[d]
	}
	mean := wth / wsum
	want := betaA / (betaA + betaB + evidenceK)
	t.Logf("nested: weighted posterior mean %.5f, exact %.5f", mean, want)
	// The estimator's error: the draws' spread of θ (sd ≈ 0.12) over √K
	// ≈ 0.003, plus the acceptance noise; 0.01 is over 3 standard errors.
	if math.Abs(mean-want) > 0.01 {
		t.Errorf("posterior mean %.4f, want %.4f ± 0.01", mean, want)
	}
	got := float64(tl.Hits[0]) / float64(tl.Trials)
	// The pooled forecast's error is dominated by the draws: the spread of
	// 1−(1−θ)⁶ over the posterior (sd ≈ 0.2) over the square root of the
	// effective number of draws (about 1 300 of 2 000), ≈ 0.006, plus the
	// binomial noise of ~76 000 kept trials, ≈ 0.002; 0.015 is about 2.5
	// standard errors (the error seen with this seed is 0.012).
	wantP := 1 - math.Exp(mathext.Lbeta(betaA, betaB+forecastN)-mathext.Lbeta(betaA, betaB+evidenceK))
	t.Logf("nested: P(by week 10 | not by week 4) %.5f, exact %.5f", got, wantP)
	if math.Abs(got-wantP) > 0.015 {
		t.Errorf("P(by week 10 | not by week 4) = %.4f, want %.4f ± 0.015", got, wantP)
	}
}

// Rejection is exact and reproducible: the same seed keeps the same trials
// for 1 or 2 workers and for any split into ranges, and an unconditioned
// run with the same seed runs the same trials (the kept ones are a subset:
// the conditioned counts never exceed the unconditioned ones).
func TestEvidenceDeterministicAndPaired(t *testing.T) {
	p := betaPlan(t, true)
	ps := sim.Params{PerDraw: 37}
	const n = 3000
	one := runBeta(t, p, sim.Options{Trials: n, Seed: 9, Workers: 1, Params: ps})
	two := runBeta(t, p, sim.Options{Trials: n, Seed: 9, Workers: 2, Params: ps})
	if !reflect.DeepEqual(one, two) {
		t.Fatal("1 and 2 workers keep different trials")
	}
	merged := sim.NewTally(p)
	for _, cut := range [][2]int64{{2000, 1000}, {0, 1111}, {1111, 889}} {
		merged.Merge(runBeta(t, p, sim.Options{First: cut[0], Trials: cut[1], Seed: 9, Workers: 2, Params: ps}))
	}
	if !reflect.DeepEqual(one, merged) {
		t.Fatal("merged ranges differ from the whole conditioned run")
	}
	plain := runBeta(t, betaPlan(t, false), sim.Options{Trials: n, Seed: 9, Workers: 1, Params: ps})
	// Paired: the conditioned run's entries into x.in at points after 4
	// are exactly the unconditioned run's (a trial entering after point 4
	// agrees with the evidence), and none at points 1..4 are kept.
	P := p.Steps + 1
	for k := 1; k <= P; k++ {
		c, u := one.Entry[1*(P+1)+k], plain.Entry[1*(P+1)+k]
		if k <= evidenceK && c != 0 || k > evidenceK && c != u {
			t.Errorf("entries at point %d: conditioned %d, unconditioned %d", k, c, u)
		}
	}
	for d := range one.DrawTrials {
		if one.DrawTrials[d]+one.DrawRejected[d] != plain.DrawTrials[d] {
			t.Errorf("draw %d: %d kept + %d rejected, unconditioned ran %d", d, one.DrawTrials[d], one.DrawRejected[d], plain.DrawTrials[d])
		}
	}
	for k := range P {
		var sum int64
		for g := range 2 {
			sum += one.Occupancy[k*2+g]
		}
		if sum != one.Trials {
			t.Errorf("point %d: occupancy sums to %d, want the %d kept trials", k, sum, one.Trials)
		}
	}
}

// Rounds of a run with evidence continue from the last trial run (kept or
// not): the result is one Run of the final number of trials.
func TestEvidenceRounds(t *testing.T) {
	p := betaPlan(t, true)
	ps := sim.Params{PerDraw: 50}
	rounds := 0
	got, err := sim.RunRounds(context.Background(), p, sim.Options{Trials: 1000, Seed: 6, Workers: 2, Params: ps}, func(tl *sim.Tally) int64 {
		rounds++
		return []int64{2500, 4000, 4000}[rounds-1]
	})
	if err != nil {
		t.Fatal(err)
	}
	want := runBeta(t, p, sim.Options{Trials: 4000, Seed: 6, Workers: 1, Params: ps})
	if rounds != 3 || !reflect.DeepEqual(got, want) {
		t.Fatalf("%d rounds; rounds give ran %d kept %d, one run ran %d kept %d", rounds, got.Ran(), got.Trials, want.Ran(), want.Trials)
	}
}
