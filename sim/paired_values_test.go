package sim_test

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"scensim/model"
	"scensim/sim"
	"scensim/tally"
)

// The paired value tallies equal the sums of the trial-by-trial
// differences of two plans run one trial at a time, and do not depend on
// the number of workers.
func TestPairedValuesMatchTrials(t *testing.T) {
	p0, errs := model.Compile("cohort.yaml", []byte(cohortSrc), nil)
	if p0 == nil {
		t.Fatal(errs.Snippets())
	}
	variant := strings.Replace(cohortSrc, "{from: sick, to: severe, p: 0.04}", "{from: sick, to: severe, p: 0.02}", 1)
	p1, errs := model.Compile("treated.yaml", []byte(variant), nil)
	if p1 == nil {
		t.Fatal(errs.Snippets())
	}
	plans := []*model.Plan{p0, p1}
	const n = 3000
	run := func(workers int) *sim.PairedTally {
		pt, err := sim.RunPaired(context.Background(), plans, nil, sim.Options{Trials: n, Seed: 4, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		return pt
	}
	pt := run(2)
	a, _ := json.Marshal([]any{pt.Values, pt.Ratios})
	b, _ := json.Marshal(func() []any { q := run(1); return []any{q.Values, q.Ratios} }())
	if string(a) != string(b) {
		t.Error("paired value tallies differ between 1 and 2 workers")
	}
	t0, t1 := sim.NewTrialer(p0, 4), sim.NewTrialer(p1, 4)
	V := len(p0.Values)
	sums := make([]float64, V)
	defined := make([]int64, V)
	cost, qaly := 0, 2 // value outcome indices
	var sumC, sumQ, sumCQ float64
	for i := int64(0); i < n; i++ {
		if _, err := t0.Trial(i); err != nil {
			t.Fatal(err)
		}
		if _, err := t1.Trial(i); err != nil {
			t.Fatal(err)
		}
		v0, v1 := t0.Values(), t1.Values()
		for v := range V {
			if !math.IsNaN(v0[v]) && !math.IsNaN(v1[v]) {
				sums[v] += v1[v] - v0[v]
				defined[v]++
			}
		}
		dc, dq := v1[cost]-v0[cost], v1[qaly]-v0[qaly]
		sumC, sumQ, sumCQ = sumC+dc, sumQ+dq, sumCQ+dc*dq
	}
	for v := range V {
		d := pt.Values[1][v].Diff
		if d.Defined != defined[v] || math.Abs(d.SumFloat()-sums[v]) > 1e-6*(1+math.Abs(sums[v])) {
			t.Errorf("%s: %d defined, sum %v; trials give %d, %v", p0.Values[v].Name, d.Defined, d.SumFloat(), defined[v], sums[v])
		}
	}
	found := false
	for _, r := range pt.Ratios[1] {
		if r.A == cost && r.B == qaly {
			found = true
			if math.Abs(r.DA.SumFloat()-sumC) > 1e-6*math.Abs(sumC) || math.Abs(r.DB.SumFloat()-sumQ) > 1e-6*math.Abs(sumQ) ||
				math.Abs(tally.Signed192Float(r.Cross)-sumCQ) > 1e-6*math.Abs(sumCQ) {
				t.Errorf("ratio sums %v %v %v, trials give %v %v %v", r.DA.SumFloat(), r.DB.SumFloat(), tally.Signed192Float(r.Cross), sumC, sumQ, sumCQ)
			}
		}
	}
	if !found {
		t.Error("no cost/qaly ratio tally")
	}
	if sumQ <= 0 {
		t.Errorf("the treatment should gain QALYs, got Σ dQ = %v", sumQ)
	}
}
