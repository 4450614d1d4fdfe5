package runresult

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"

	"scensim/model"
	"scensim/results"
	"scensim/sim"
)

// betaValueSrc is betaSrc with a value outcome: the steps spent in a before
// moving, over N = 5 steps, whose mean given θ is in closed form,
// E[steps | θ] = Σ_{k<N} (1−θ)^k = (1 − (1−θ)^N)/θ, decreasing in θ.
var betaValueSrc = betaSrc + `  steps_in_a:
    accumulate: t.a
    range: [0, 5]
    bins: 5
`

// stepsGiven is E[steps in a | θ].
func stepsGiven(th float64) float64 { return (1 - math.Pow(1-th, betaSteps)) / th }

func betaValuePlan(t *testing.T, a, b float64) *model.Plan {
	t.Helper()
	src := strings.Replace(betaValueSrc, "beta(4, 16)", fmt.Sprintf("beta(%g, %g)", a, b), 1)
	p, errs := model.Compile("beta_steps.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	return p
}

// The range over assumptions of the value's mean in a nested run of 10000
// draws × 100 trials matches the exact 5/50/95% quantiles of E[steps | θ],
// θ ~ Beta(4, 16) (the map of θ's 95/50/5% quantiles), within 4 standard
// errors of a sample quantile of 10000 exact values plus 0.02 (0.5% of the
// value) for what the moment-matching removal of the noise leaves of its
// shape; the raw quantiles of the per-draw means, noise included, must be
// worse at the 5% and 95% ends.
func TestNestedValueRangeMatchesExactQuantiles(t *testing.T) {
	p := betaValuePlan(t, betaA, betaB)
	const draws, perDraw = 10000, 100
	r := runBeta(t, p, 7, sim.Options{Trials: draws * perDraw, Workers: 2, Params: sim.Params{PerDraw: perDraw}})
	v := r.Values[0]
	sp := v.Range
	if sp == nil || sp.Draws != draws {
		t.Fatalf("range %+v, want one over %d draws", sp, draws)
	}
	// Raw quantiles: the per-draw means as they are.
	var xs []float64
	V := len(r.Counts.Values)
	for k := range r.Counts.Draws() {
		d := &r.Counts.DrawValues[k*V]
		xs = append(xs, d.SumFloat()/float64(d.Defined))
	}
	beta := distuv.Beta{Alpha: betaA, Beta: betaB}
	for _, c := range []struct {
		q   float64
		got float64
	}{{0.05, sp.P5}, {0.5, sp.P50}, {0.95, sp.P95}} {
		th := beta.Quantile(1 - c.q) // E[steps | θ] decreases in θ
		want := stepsGiven(th)
		const h = 1e-6
		slope := math.Abs(stepsGiven(th+h)-stepsGiven(th-h)) / (2 * h)
		se := math.Sqrt(c.q*(1-c.q)/draws) / (beta.Prob(th) / slope)
		tol := 4*se + 0.02
		raw := sampleQuantile(xs, c.q)
		t.Logf("q=%.2f: exact %.4f, estimate %.4f (raw %.4f), tolerance %.4f, noise share %.3f", c.q, want, c.got, raw, tol, sp.NoiseShare)
		if math.Abs(c.got-want) > tol {
			t.Errorf("%.0f%% quantile %.4f, exact %.4f, tolerance %.4f", 100*c.q, c.got, want, tol)
		}
		if c.q != 0.5 && math.Abs(raw-want) <= math.Abs(c.got-want) {
			t.Errorf("%.0f%% quantile: the raw estimate %.4f is no worse than the noise-removed %.4f (exact %.4f)", 100*c.q, raw, c.got, want)
		}
	}
}

func sampleQuantile(xs []float64, q float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	h := q * float64(len(s)-1)
	lo := int(h)
	if lo >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
}

// Coverage of the exact pooled mean, E[steps] = Σ_{k<N} B(a, b+k)/B(a, b),
// by the simulation-error interval of nested runs of 40 draws × 100
// trials over 400 seeds: within 0.035 of 95% (3.2 binomial SEs of a
// coverage estimate from 400 seeds). The interval as if all 4000 trials
// were independent must cover far less (below 80%): the check that the
// clustering matters in this scenario.
func TestNestedValueIntervalCoverage(t *testing.T) {
	p := betaValuePlan(t, betaA, betaB)
	exact := 0.0
	for k := range betaSteps {
		exact += math.Exp(mathext.Lbeta(betaA, betaB+float64(k)) - mathext.Lbeta(betaA, betaB))
	}
	const seeds = 400
	covered, naive := 0, 0
	for s := range uint64(seeds) {
		r := runBeta(t, p, 1000+s, sim.Options{Trials: 4000, Workers: 1, Params: sim.Params{PerDraw: 100}})
		v := r.Values[0]
		if float64(v.Lo95) <= exact && exact <= float64(v.Hi95) {
			covered++
		}
		iid := 1.96 * float64(v.SD) / math.Sqrt(float64(v.Defined))
		if math.Abs(float64(v.Mean)-exact) <= iid {
			naive++
		}
	}
	cov, ncov := float64(covered)/seeds, float64(naive)/seeds
	t.Logf("exact pooled mean %.5f: coverage %.3f (independent-trials interval: %.3f)", exact, cov, ncov)
	if math.Abs(cov-0.95) > 0.035 {
		t.Errorf("coverage %.3f, want 0.95 ± 0.035", cov)
	}
	if ncov > 0.8 {
		t.Errorf("the independent-trials interval covers %.3f: the scenario does not show the clustering", ncov)
	}
}

// A nested run with a value outcome writes byte-identical result files
// (values.csv with its range columns included) for 1 and 2 workers and for
// shards merged out of order, with cuts inside draws.
func TestNestedValueFilesIdentical(t *testing.T) {
	p := betaValuePlan(t, betaA, betaB)
	const n, perDraw = 10000, 300
	ps := sim.Params{PerDraw: perDraw}
	files := func(r *results.Result) map[string][]byte {
		dir := t.TempDir()
		names, err := results.WriteFiles(dir, r)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]byte{}
		for _, name := range names {
			b, err := os.ReadFile(filepath.Join(dir, filepath.Base(name)))
			if err != nil {
				t.Fatal(err)
			}
			out[filepath.Base(name)] = b
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
	merged, err := results.Merge([]*results.Result{shards[1], shards[2], shards[0]}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := files(merged)
	if len(one) == 0 || one[results.ValuesCSVName] == nil {
		t.Fatalf("files written: %d, values.csv missing", len(one))
	}
	for name, want := range one {
		if !bytes.Equal(want, two[name]) {
			t.Errorf("%s differs between 1 and 2 workers", name)
		}
		if !bytes.Equal(want, m[name]) {
			t.Errorf("%s differs between the run and its shards merged", name)
		}
	}
	if !bytes.Contains(one["result.json"], []byte(`"draw_values"`)) || !bytes.Contains(one[results.ValuesCSVName], []byte("range_p5")) {
		t.Fatal("the result files do not carry the per-draw value tallies and the range")
	}
	r := runBeta(t, p, 3, sim.Options{Trials: n, Workers: 2, Params: ps})
	var buf bytes.Buffer
	if err := results.WriteText(&buf, r); err != nil {
		t.Fatal(err)
	}
	txt := buf.String()
	if !strings.Contains(txt, "range over assumptions 5%..95% (median)") || !strings.Contains(txt, "simulation error (95%)") {
		t.Errorf("the value table lacks the nested columns:\n%s", txt)
	}
}
