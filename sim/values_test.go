package sim_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"scensim/model"
	"scensim/sim"
)

// cohortSrc is a 4-state health-economics model with per-state costs and
// utilities per cycle, on monthly cycles. cohortOn restates it on
// quarterly or annual cycles (`step: quarter`, `step: year`): the same
// transition probabilities read per cycle, utilities per cycle of that
// length, and discounting by the cycle's nominal length in years.
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
  sick_episodes:
    value: entries(h.sick)
    range: [0, 10]
  well_entries:
    value: entries(h.well)
    range: [0, 10]
`

// cohortGrid is a cycle length of the cohort model.
type cohortGrid struct {
	step         string
	steps        int
	yearsPerStep float64 // nominal cycle length in years
}

var cohortGrids = []cohortGrid{{"month", 60, 1.0 / 12}, {"quarter", 20, 0.25}, {"year", 8, 1}}

// cohortOn returns cohortSrc on the cycles of g.
func cohortOn(g cohortGrid) string {
	src := strings.Replace(cohortSrc, "step: month, steps: 60", fmt.Sprintf("step: %s, steps: %d", g.step, g.steps), 1)
	return strings.ReplaceAll(src, ": 0) / 12\"", fmt.Sprintf(": 0) * %g\"", g.yearsPerStep))
}

// cohortDist returns π_k = π_0·P^k for k = 0..steps (gonum/mat), the
// state distribution of the chain above at each point.
func cohortDist(steps int) []*mat.VecDense {
	P := mat.NewDense(4, 4, []float64{
		1 - 0.03 - 0.005, 0.03, 0, 0.005,
		0.05, 1 - 0.05 - 0.04 - 0.01, 0.04, 0.01,
		0, 0, 1 - 0.08, 0.08,
		0, 0, 0, 1,
	})
	pi := mat.NewVecDense(4, []float64{1, 0, 0, 0})
	out := []*mat.VecDense{pi}
	for range steps {
		next := mat.NewVecDense(4, nil)
		next.MulVec(P.T(), pi)
		pi = next
		out = append(out, pi)
	}
	return out
}

// cohortExpected returns the exact expected value of Σ_k w_k·c[state at
// point k]: weights w_k = (1+r)^(−k·yearsPerStep), halved at k = 0 and
// k = steps with half-cycle correction (the trapezoid rule), w_steps = 0
// without.
func cohortExpected(g cohortGrid, c []float64, rate float64, halfCycle bool) float64 {
	cv := mat.NewVecDense(4, c)
	sum := 0.0
	for k, pi := range cohortDist(g.steps) {
		w := math.Pow(1+rate, -float64(k)*g.yearsPerStep)
		switch {
		case halfCycle && (k == 0 || k == g.steps):
			w /= 2
		case k == g.steps:
			w = 0
		}
		sum += w * mat.Dot(pi, cv)
	}
	return sum
}

// cohortEntries returns the exact expected number of entries into state to
// (entries(h.to)): 1 if the chain starts there, plus, for every step k, the
// chance of being in from at point k times the chance of moving to to.
func cohortEntries(steps int, to int, moves map[int]float64) float64 {
	n := 0.0
	if to == 0 {
		n = 1
	}
	for _, pi := range cohortDist(steps)[:steps] {
		for from, p := range moves {
			n += pi.AtVec(from) * p
		}
	}
	return n
}

// The cohort model's value outcomes against the exact cohort (Markov
// trace) values, within 4 SE, on monthly, quarterly and annual cycles:
// discounted costs and QALYs with and without half-cycle correction, time
// alive, and the expected number of entries into a state the chain leaves
// and re-enters (entries(h.sick): every move well → sick; entries(h.well):
// the start plus every move sick → well).
func TestValueCohortDiscounted(t *testing.T) {
	for _, g := range cohortGrids {
		t.Run(g.step, func(t *testing.T) {
			p, errs := model.Compile("cohort.yaml", []byte(cohortOn(g)), nil)
			if p == nil {
				t.Fatal(errs.Snippets())
			}
			if p.Steps != g.steps || p.StepUnit != g.step || len(p.Irregular) != 0 {
				t.Fatalf("%d %s steps (%d irregular), want %d regular", p.Steps, p.StepUnit, len(p.Irregular), g.steps)
			}
			const trials = 40000
			tl, err := sim.Run(context.Background(), p, sim.Options{Trials: trials, Seed: 11, Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			cost := []float64{100, 800, 3000, 0}
			y := g.yearsPerStep
			util := []float64{1 * y, 0.7 * y, 0.4 * y, 0}
			alive := []float64{1, 1, 1, 0}
			want := map[string]float64{
				"cost":          cohortExpected(g, cost, 0.035, false),
				"cost_hc":       cohortExpected(g, cost, 0.035, true),
				"qaly":          cohortExpected(g, util, 0.035, false),
				"qaly_hc":       cohortExpected(g, util, 0.035, true),
				"months_alive":  cohortExpected(g, alive, 0, false),
				"sick_episodes": cohortEntries(g.steps, 1, map[int]float64{0: 0.03}),
				"well_entries":  cohortEntries(g.steps, 0, map[int]float64{1: 0.05}),
			}
			if len(p.Values) != 8 {
				t.Fatalf("%d value outcomes, want 8", len(p.Values))
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
			// The half-cycle correction and the discounting must make a
			// difference the test can see.
			if d := want["cost"] - want["cost_hc"]; math.Abs(d) < 10 {
				t.Errorf("half-cycle correction moves the cost by only %g", d)
			}
			if d := cohortExpected(g, cost, 0, false) - want["cost"]; d < 20 {
				t.Errorf("discounting moves the cost by only %g", d)
			}
		})
	}
}

// entries() counts re-entries exactly, trial by trial: in every traced
// trial, entries(h.sick) equals the number of moves into h.sick and
// entries(h.well) one more than the moves into h.well.
func TestEntriesCountsMoves(t *testing.T) {
	p, errs := model.Compile("cohort.yaml", []byte(cohortSrc), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	sick, well := p.Values[6], p.Values[7]
	if sick.Name != "sick_episodes" || well.Name != "well_entries" {
		t.Fatalf("value outcomes %s, %s", sick.Name, well.Name)
	}
	reentered := 0
	for trial := range int64(300) {
		tr, err := sim.Replay(p, 2, trial)
		if err != nil {
			t.Fatal(err)
		}
		into := map[string]int{}
		for _, e := range tr.Events {
			into[e.To]++
		}
		if into["sick"] > 1 {
			reentered++
		}
		if got := tr.Values[6]; got != float64(into["sick"]) {
			t.Fatalf("trial %d: entries(h.sick) = %g, moves into sick %d", trial, got, into["sick"])
		}
		if got := tr.Values[7]; got != float64(1+into["well"]) {
			t.Fatalf("trial %d: entries(h.well) = %g, moves into well %d", trial, got, into["well"])
		}
	}
	if reentered == 0 {
		t.Error("no trial re-entered h.sick: the test shows nothing")
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
	v := tl.Values[5] // months_to_death
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

// entries() in a guard is read live at every step: g turns on at the step
// after the point where h enters sick for the second time, in every trial.
func TestEntriesInAGuard(t *testing.T) {
	src := `
scensim: 1
name: guard
time: {start: 2025-01-01, step: week, steps: 30}
tracks:
  h:
    initial: well
    states: [well, sick]
    transitions:
      - {from: well, to: sick, p: 0.3}
      - {from: sick, to: well, p: 0.5}
  g:
    initial: off
    states: [off, on]
    transitions:
      - {from: off, to: on, p: "entries(h.sick) >= 2 ? 1 : 0"}
outcomes:
  on: reached(g.on)
`
	p, errs := model.Compile("guard.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	seen := 0
	for trial := range int64(200) {
		tr, err := sim.Replay(p, 4, trial)
		if err != nil {
			t.Fatal(err)
		}
		second := -1 // point of the second entry into sick
		n := 0
		for _, e := range tr.Events {
			if e.To == "sick" {
				if n++; n == 2 {
					second = e.Step + 1
				}
			}
		}
		want := int32(-1)
		if second >= 0 && second < p.Steps {
			want = int32(second + 1)
			seen++
		}
		if got := tr.Entry[3]; got != want { // global state 3: g.on
			t.Fatalf("trial %d: g.on entered at point %d, want %d", trial, got, want)
		}
	}
	if seen == 0 {
		t.Fatal("no trial entered sick twice")
	}
}
