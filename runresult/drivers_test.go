package runresult_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"testing"

	"scensim/analysis"
	"scensim/model"
	"scensim/results"
	"scensim/runresult"
	"scensim/sim"
)

// additiveSrc moves from x to y in its one step with probability
// 0.1 + 0.5a + 0.25b, a, b, c ~ uniform(0, 1) independent, so
// P(moved | θ) is additive and Var(P) = (0.5² + 0.25²)/12: a explains 0.8
// of it, b 0.2, and c, which nothing reads, none.
const additiveSrc = `scensim: 1
name: additive
time: {start: 2025-01-01, step: week, steps: 1}
params:
  a: {dist: "uniform(0, 1)"}
  b: {dist: "uniform(0, 1)"}
  c: {dist: "uniform(0, 1)"}
tracks:
  t:
    initial: x
    states: [x, y]
    transitions:
      - {from: x, to: y, p: 0.1 + 0.5*a + 0.25*b}
outcomes:
  moved: t.y
`

// runNested runs p with seed and opts and returns its result.
func runNested(t *testing.T, p *model.Plan, seed uint64, opts sim.Options) *results.Result {
	t.Helper()
	opts.Seed = seed
	tl, err := sim.Run(context.Background(), p, opts)
	if err != nil {
		t.Fatal(err)
	}
	r, err := runresult.FromRun(p, tl, seed, "test", results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var additiveShares = map[string]float64{"a": 0.8, "b": 0.2, "c": 0}

func additivePlan(t *testing.T) *model.Plan {
	t.Helper()
	p, errs := model.Compile("additive.yaml", []byte(additiveSrc), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	return p
}

// allShares returns every param's share of outcome 0, by name, from the
// result's draw params and counts (the table keeps only the top ones).
func allShares(t *testing.T, r *results.Result) map[string]results.DriverShare {
	t.Helper()
	K, O := r.Counts.Draws(), len(r.Counts.Hits)
	h, n := make([]int64, K), make([]int64, K)
	for k := range K {
		h[k], n[k] = r.Counts.DrawHits[k*O], r.Counts.DrawGiven[k*O]
	}
	shares, _, _, note, ok := results.FirstOrderShares(h, n, r.DrawParams.Values)
	if !ok {
		t.Fatalf("no shares: %s", note)
	}
	out := map[string]results.DriverShare{}
	for j, s := range shares {
		out[r.DrawParams.Params[j]] = s
	}
	return out
}

// The shares of an additive outcome match its closed-form decomposition:
// 400 draws × 200 trials, within 0.08 of 0.8, 0.2 and 0 (about three of
// the reported standard errors at this size), each 95% interval covering
// the exact share; the param with no effect gets at most 0.05 and is not
// among the top drivers with a positive lower limit.
func TestDriversMatchClosedForm(t *testing.T) {
	p := additivePlan(t)
	r := runNested(t, p, 7, sim.Options{Trials: 80000, Workers: 2, Params: sim.Params{PerDraw: 200}})
	got := allShares(t, r)
	for name, want := range additiveShares {
		s := got[name]
		if math.Abs(s.Share-want) > 0.08 || s.Lo > want || s.Hi < want {
			t.Errorf("%s: share %.3f [%.3f, %.3f], want %.1f within 0.08 and inside the interval", name, s.Share, s.Lo, s.Hi, want)
		}
	}
	if c := got["c"]; c.Share > 0.05 || c.Lo > 0 {
		t.Errorf("c (no effect): share %.3f [%.3f, %.3f], want ≤ 0.05 with 0 inside", c.Share, c.Lo, c.Hi)
	}
	od := r.Drivers["moved"]
	if len(od.Top) < 2 || od.Top[0].Param != "a" || od.Top[1].Param != "b" || od.Draws != 400 || od.Bins != 20 {
		t.Fatalf("top drivers %+v, want a then b from 400 draws in 20 bins", od)
	}
	t.Logf("a %.3f [%.3f, %.3f], b %.3f [%.3f, %.3f], c %.3f [%.3f, %.3f]",
		got["a"].Share, got["a"].Lo, got["a"].Hi, got["b"].Share, got["b"].Lo, got["b"].Hi, got["c"].Share, got["c"].Lo, got["c"].Hi)
}

// The drivers of a nested run agree with the first-order indices of the
// sobol analysis on the same scenario: for each param the two estimates
// differ by less than the sum of their 95% half-widths.
func TestDriversAgreeWithSobol(t *testing.T) {
	p := additivePlan(t)
	r := runNested(t, p, 11, sim.Options{Trials: 80000, Workers: 2, Params: sim.Params{PerDraw: 200}})
	got := allShares(t, r)
	src := &analysis.Source{File: "additive.yaml", Data: []byte(additiveSrc)}
	sob, err := analysis.RunSobol(context.Background(), src, p, analysis.SobolOptions{Samples: 1000, Inner: 20, Sampling: analysis.SamplingMC, Bootstrap: 200}, analysis.Run{Seed: 11, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(sob.Outcomes) != 1 || len(sob.Outcomes[0].Indices) != 3 {
		t.Fatalf("sobol: %d outcomes, want 1 with 3 indices", len(sob.Outcomes))
	}
	for _, ix := range sob.Outcomes[0].Indices {
		d := got[ix.Param]
		tol := (d.Hi-d.Lo)/2 + (ix.S1Hi-ix.S1Lo)/2
		if math.Abs(d.Share-ix.S1) > tol {
			t.Errorf("%s: drivers %.3f [%.3f, %.3f], sobol S1 %.3f [%.3f, %.3f]: differ by more than %.3f", ix.Param, d.Share, d.Lo, d.Hi, ix.S1, ix.S1Lo, ix.S1Hi, tol)
		}
		t.Logf("%s: drivers %.3f [%.3f, %.3f], sobol S1 %.3f [%.3f, %.3f]", ix.Param, d.Share, d.Lo, d.Hi, ix.S1, ix.S1Lo, ix.S1Hi)
	}
}

// driversBytes is what a result says about drivers: its drivers.csv, its
// drivers and draw params in JSON.
func driversBytes(t *testing.T, r *results.Result) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := results.WriteDriversCSV(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{r.Drivers, r.DrawParams} {
		j, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(j)
	}
	return b.Bytes()
}

// Drivers are byte-identical for 1 and 2 workers, for three shards merged
// (their boundaries inside draws), and after a round trip through
// result.json.
func TestDriversIndependentOfWorkersAndShards(t *testing.T) {
	p := additivePlan(t)
	const total, perDraw, seed = 20000, 100, 5
	one := runNested(t, p, seed, sim.Options{Trials: total, Workers: 1, Params: sim.Params{PerDraw: perDraw}})
	want := driversBytes(t, one)
	if len(one.Drivers["moved"].Top) == 0 {
		t.Fatalf("no drivers: %+v", one.Drivers)
	}
	two := runNested(t, p, seed, sim.Options{Trials: total, Workers: 2, Params: sim.Params{PerDraw: perDraw}})
	if got := driversBytes(t, two); !bytes.Equal(got, want) {
		t.Fatalf("2 workers:\n%s\n1 worker:\n%s", got, want)
	}
	var shards []*results.Result
	for k := range 3 {
		first, n := results.ShardRange(k, 3, total)
		r := runNested(t, p, seed, sim.Options{Trials: n, First: first, Workers: 1, Params: sim.Params{PerDraw: perDraw}})
		r.Manifest.Shard = &results.Shard{K: k, N: 3, First: first, Trials: n, TotalTrials: total}
		shards = append(shards, r)
	}
	merged, err := results.Merge(shards, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := driversBytes(t, merged); !bytes.Equal(got, want) {
		t.Fatalf("merged shards:\n%s\none run:\n%s", got, want)
	}
	var js bytes.Buffer
	if err := results.WriteJSON(&js, one); err != nil {
		t.Fatal(err)
	}
	back, err := results.ReadJSON(bytes.NewReader(js.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got := driversBytes(t, back); !bytes.Equal(got, want) {
		t.Fatalf("read back:\n%s\nwritten:\n%s", got, want)
	}
}
