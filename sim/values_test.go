package sim_test

import (
	"context"
	"encoding/json"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"scensim/model"
	"scensim/sim"
)

// cohortSrc is a 4-state health-economics model on monthly cycles with
// per-state costs and utilities per cycle. The annual-cycle version of the
// test is `step: year` here and cohortYearsPerStep = 1 (the same numbers
// read per annual cycle): weights and discounting follow the step.
const cohortSrc = `
scensim: 1
name: cohort
time: {start: 2025-01-01, step: month, steps: 60}
tracks:
  h:
    initial: well
    states: [well, sick, severe, dead]
    transitions:
      - {from: well, to: sick, p: 0.03}
      - {from: well, to: dead, p: 0.005}
      - {from: sick, to: well, p: 0.05}
      - {from: sick, to: severe, p: 0.04}
      - {from: sick, to: dead, p: 0.01}
      - {from: severe, to: dead, p: 0.08}
outcomes:
  cost:
    accumulate: "h.well ? 100 : h.sick ? 800 : h.severe ? 3000 : 0"
    discount: 0.035
    range: [0, 200000]
  cost_hc:
    accumulate: "h.well ? 100 : h.sick ? 800 : h.severe ? 3000 : 0"
    discount: 0.035
    half_cycle: true
    range: [0, 200000]
  qaly:
    accumulate: "(h.well ? 1 : h.sick ? 0.7 : h.severe ? 0.4 : 0) / 12"
    discount: 0.035
    range: [0, 5]
  qaly_hc:
    accumulate: "(h.well ? 1 : h.sick ? 0.7 : h.severe ? 0.4 : 0) / 12"
    discount: 0.035
    half_cycle: true
    range: [0, 5]
  months_alive:
    accumulate: not h.dead
  months_to_death:
    value: entry(h.dead) / months(1)
    unit: months
`

// cohortYearsPerStep is the cycle length of cohortSrc in years.
const cohortYearsPerStep = 1.0 / 12

// cohortExpected returns the exact expected value of Σ_k w_k·c[state at
// point k] for the chain above: π_k = π_0·P^k by gonum/mat, weights
// w_k = (1+r)^(−k·cohortYearsPerStep), halved at k = 0 and k = steps with
// half-cycle correction (the trapezoid rule), w_steps = 0 without.
func cohortExpected(steps int, c []float64, rate float64, halfCycle bool) float64 {
	P := mat.NewDense(4, 4, []float64{
		1 - 0.03 - 0.005, 0.03, 0, 0.005,
		0.05, 1 - 0.05 - 0.04 - 0.01, 0.04, 0.01,
		0, 0, 1 - 0.08, 0.08,
		0, 0, 0, 1,
	})
	pi := mat.NewDense(1, 4, []float64{1, 0, 0, 0})
	cv := mat.NewVecDense(4, c)
	sum := 0.0
	for k := 0; k <= steps; k++ {
		w := math.Pow(1+rate, -float64(k)*cohortYearsPerStep)
		switch {
		case halfCycle && (k == 0 || k == steps):
			w /= 2
		case k == steps:
			w = 0
		}
		sum += w * mat.Dot(pi.RowView(0), cv)
		var next mat.Dense
		next.Mul(pi, P)
		pi = &next
	}
	return sum
}

func TestValueCohortDiscounted(t *testing.T) {
	p, errs := model.Compile("cohort.yaml", []byte(cohortSrc), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	const trials = 40000
	tl, err := sim.Run(context.Background(), p, sim.Options{Trials: trials, Seed: 11, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	cost := []float64{100, 800, 3000, 0}
	util := []float64{1.0 / 12, 0.7 / 12, 0.4 / 12, 0}
	alive := []float64{1, 1, 1, 0}
	want := map[string]float64{
		"cost":         cohortExpected(p.Steps, cost, 0.035, false),
		"cost_hc":      cohortExpected(p.Steps, cost, 0.035, true),
		"qaly":         cohortExpected(p.Steps, util, 0.035, false),
		"qaly_hc":      cohortExpected(p.Steps, util, 0.035, true),
		"months_alive": cohortExpected(p.Steps, alive, 0, false),
	}
	if len(p.Values) != 6 {
		t.Fatalf("%d value outcomes, want 6", len(p.Values))
	}
	for i, v := range p.Values {
		w, ok := want[v.Name]
		if !ok {
			continue
		}
		vt := &tl.Values[i]
		if vt.Defined != trials || vt.Undefined != 0 {
			t.Fatalf("%s: %d defined, %d undefined of %d", v.Name, vt.Defined, vt.Undefined, trials)
		}
		n := float64(vt.Defined)
		mean := vt.SumFloat() / n
		sd := math.Sqrt((vt.SumSqFloat() - n*mean*mean) / (n - 1))
		se := sd / math.Sqrt(n)
		if z := (mean - w) / se; math.Abs(z) > 4 {
			t.Errorf("%s: mean %.6g, exact %.6g, SE %.3g, z = %.2f", v.Name, mean, w, se, z)
		} else {
			t.Logf("%s: mean %.6g, exact %.6g, SE %.3g, z = %.2f", v.Name, mean, w, se, z)
		}
	}
	// The half-cycle correction must make a difference the test can see.
	if d := want["cost"] - want["cost_hc"]; math.Abs(d) < 10 {
		t.Errorf("half-cycle correction moves the cost by only %g", d)
	}
}

// A value read from entry() of a state never entered is undefined: the
// count of undefined trials equals the trials that never entered it.
func TestValueUndefinedCountsNeverEntered(t *testing.T) {
	p, errs := model.Compile("cohort.yaml", []byte(cohortSrc), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	tl, err := sim.Run(context.Background(), p, sim.Options{Trials: 3000, Seed: 3, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	dead := 3 // global state index of h.dead
	P := p.Steps + 1
	never := tl.Entry[dead*(P+1)+P]
	v := tl.Values[5]
	if v.Undefined != never || v.Defined+v.Undefined != tl.Trials || never == 0 || never == tl.Trials {
		t.Fatalf("undefined %d, defined %d; never entered %d of %d", v.Undefined, v.Defined, never, tl.Trials)
	}
}

// Value tallies are byte-identical for any number of workers and for any
// split of the trials into shards merged afterwards.
func TestValueTalliesIndependentOfWorkersAndShards(t *testing.T) {
	p, errs := model.Compile("cohort.yaml", []byte(cohortSrc), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	run := func(first, n int64, workers int) *sim.Tally {
		tl, err := sim.Run(context.Background(), p, sim.Options{Trials: n, First: first, Seed: 5, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		return tl
	}
	enc := func(tl *sim.Tally) string {
		b, err := json.Marshal(tl)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	const n = 5000
	one := enc(run(0, n, 1))
	if two := enc(run(0, n, 2)); two != one {
		t.Error("1 and 2 workers give different tallies")
	}
	merged := run(3001, n-3001, 2)
	merged.Merge(run(0, 1777, 1))
	merged.Merge(run(1777, 3001-1777, 2))
	if enc(merged) != one {
		t.Error("shards merged out of order differ from the whole run")
	}
}

// Accumulating values allocates nothing per trial.
func TestValuesAllocateNothing(t *testing.T) {
	p, errs := model.Compile("cohort.yaml", []byte(cohortSrc), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	tr := sim.NewTrialer(p, 1)
	i := int64(0)
	run := func() {
		if _, err := tr.Trial(i); err != nil {
			t.Fatal(err)
		}
		i++
	}
	for range 200 {
		run()
	}
	if a := testing.AllocsPerRun(200, run); a != 0 {
		t.Errorf("%v allocations per trial, want 0", a)
	}
}
