package sim_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"scensim/model"
	"scensim/scenarios"
	"scensim/sim"
)

// Accumulated values that read one track's state are added span by span
// when the track leaves a state and at the horizon, so that the engine can
// skip idle steps. The walking evaluator (every value at every point) is
// what the plan's Evaluated tables run; these tests require both to give
// the same value in every trial, bit for bit.

// sameValuesTrialByTrial runs trials 0..n-1 of p with its shortcuts and
// without (the walking evaluator) and requires each trial's values to be
// identical bit for bit. It returns the number of defined nonzero values
// seen, so that a caller can check the comparison was not vacuous.
func sameValuesTrialByTrial(t *testing.T, name string, p *model.Plan, n int64) (nonzero int) {
	t.Helper()
	fast, slow := sim.NewTrialer(p, 7), sim.NewTrialer(evaluated(p), 7)
	for i := range n {
		_, errA := fast.Trial(i)
		_, errB := slow.Trial(i)
		if fmt.Sprint(errA) != fmt.Sprint(errB) {
			t.Fatalf("%s trial %d: errors differ: %v; walking: %v", name, i, errA, errB)
		}
		if errA != nil {
			continue
		}
		for j, x := range fast.Values() {
			y := slow.Values()[j]
			if math.Float64bits(x) != math.Float64bits(y) && !(math.IsNaN(x) && math.IsNaN(y)) {
				t.Fatalf("%s trial %d: %s = %v (%#x), walking gives %v (%#x)", name, i, p.Values[j].Name, x, math.Float64bits(x), y, math.Float64bits(y))
			}
			if x != 0 && !math.IsNaN(x) && p.Values[j].PerStep != nil {
				nonzero++
			}
		}
	}
	return nonzero
}

// The baseline's accumulated values (weeks of talks without agreement,
// weeks of US pressure) read one track each: they are added span by span,
// and every trial's values are those of the walking evaluator; so are the
// tallies, flat and nested.
func TestSpanValuesBaseline(t *testing.T) {
	data, _ := scenarios.Read(scenarios.Default)
	p := mustCompile(t, string(data))
	spans, walked := sim.SpanValues(p)
	if spans != 2 || walked != 0 {
		t.Fatalf("baseline: %d values by span, %d walked; want 2 and 0", spans, walked)
	}
	const trials = 3000
	if nz := sameValuesTrialByTrial(t, "baseline", p, trials); nz < trials/10 {
		t.Errorf("baseline: only %d nonzero accumulated values in %d trials", nz, trials)
	}
	sameWithoutShortcuts(t, p, sim.Options{Trials: 2000, Seed: 3, Workers: 2})
	sameWithoutShortcuts(t, p, sim.Options{Trials: 2000, Seed: 3, Workers: 2, Params: sim.Params{PerDraw: 100}})
}

// The cohort model's accumulated values (discounted, half-cycle corrected,
// on monthly, quarterly and annual cycles) match the walking evaluator
// trial by trial.
func TestSpanValuesCohort(t *testing.T) {
	for _, g := range cohortGrids {
		p := mustCompile(t, cohortOn(g))
		if spans, walked := sim.SpanValues(p); spans != 5 || walked != 0 {
			t.Fatalf("%s: %d values by span, %d walked; want 5 and 0", g.step, spans, walked)
		}
		if nz := sameValuesTrialByTrial(t, g.step, p, 2000); nz == 0 {
			t.Errorf("%s: no nonzero accumulated value", g.step)
		}
	}
}

// spanMix has values by span that read params (a table per trial), a
// state left and entered again, a calendar-exact grid (a date splits a
// step, so weights are fractions) and values that must walk (time, a var,
// two tracks) side by side with them.
const spanMix = `
scensim: 1
name: spanmix
time: {start: 2025-01-01, step: week, horizon: 2025-09-10}
dates:
  mid: 2025-03-05
params:
  c_sick: {value: 10, dist: "uniform(5, 20)"}
  u: {value: 0.5, dist: "uniform(0.2, 0.9)"}
vars:
  bills: {init: 0}
tracks:
  h:
    initial: well
    states: [well, sick, severe, dead]
    transitions:
      - {from: well, to: sick, p: 0.08}
      - {from: sick, to: well, p: 0.2, set: {bills: bills + 1}}
      - {from: sick, to: severe, p: 0.05}
      - {from: severe, to: dead, p: 0.1}
  w:
    initial: off
    states: [off, on]
    transitions:
      - {from: off, to: on, p: 0.1, when: date >= mid}
      - {from: on, to: off, p: 0.1}
outcomes:
  sick_weeks:
    accumulate: h.sick
  cost:
    accumulate: "h.sick ? c_sick : h.severe ? 3 * c_sick : 1"
    discount: 0.035
    half_cycle: true
    range: [0, 2000]
  utility:
    accumulate: "(h.well ? 1 : h.sick ? u : 0) / 52"
    discount: 0.05
  on_weeks:
    accumulate: w.on
    half_cycle: true
  late_sick:
    accumulate: "h.sick ? step : 0"
  bills_weeks:
    accumulate: bills
  both:
    accumulate: h.sick and w.on
  to_death:
    value: entry(h.dead) / weeks(1)
`

func TestSpanValuesMixed(t *testing.T) {
	p := mustCompile(t, spanMix)
	if spans, walked := sim.SpanValues(p); spans != 4 || walked != 3 {
		t.Fatalf("%d values by span, %d walked; want 4 and 3", spans, walked)
	}
	if len(p.StepFrac) == 0 {
		t.Fatal("the grid has no split step: the test needs one")
	}
	if nz := sameValuesTrialByTrial(t, "spanmix", p, 3000); nz == 0 {
		t.Error("no nonzero accumulated value")
	}
	sameWithoutShortcuts(t, p, sim.Options{Trials: 2000, Seed: 3, Workers: 2, Params: sim.Params{PerDraw: 50}})
	sameWithoutShortcuts(t, p, sim.Options{Trials: 2000, Seed: 3, Params: sim.Params{Fixed: true}})
}

// randomSpanScenario returns a random scenario of one to three tracks
// whose accumulated values mix the forms added by span with forms that
// walk, on a weekly or monthly grid, perhaps split by a date.
func randomSpanScenario(rng *rand.Rand) string {
	var b strings.Builder
	step := []string{"week", "month", "day"}[rng.IntN(3)]
	fmt.Fprintf(&b, "scensim: 1\nname: rnd\ntime: {start: 2025-01-01, step: %s, steps: %d}\n", step, 5+rng.IntN(40))
	if rng.IntN(2) == 0 {
		fmt.Fprintf(&b, "dates:\n  d1: 2025-01-%02d\n", 2+rng.IntN(27))
	}
	b.WriteString("params:\n  k: {value: 2, dist: \"uniform(0.5, 4)\"}\ntracks:\n")
	tracks := 1 + rng.IntN(3)
	states := make([]int, tracks)
	for j := range tracks {
		states[j] = 2 + rng.IntN(3)
		fmt.Fprintf(&b, "  t%d:\n    initial: s0\n    states: [", j)
		for s := range states[j] {
			if s > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "s%d", s)
		}
		b.WriteString("]\n    transitions:\n")
		for s := 1; s < states[j]; s++ { // every state reachable
			fmt.Fprintf(&b, "      - {from: s%d, to: s%d, p: %.3f}\n", s-1, s, 0.01+0.1*rng.Float64())
		}
		for range 1 + rng.IntN(2*states[j]) {
			from, to := rng.IntN(states[j]), rng.IntN(states[j])
			guard := ""
			if j > 0 && rng.IntN(3) == 0 {
				guard = fmt.Sprintf(", when: t%d.s%d", j-1, rng.IntN(states[j-1]))
			}
			fmt.Fprintf(&b, "      - {from: s%d, to: s%d, p: %.3f%s}\n", from, to, 0.01+0.1*rng.Float64(), guard)
		}
	}
	b.WriteString("outcomes:\n")
	for i := range 1 + rng.IntN(5) {
		j := rng.IntN(tracks)
		s := func() string { return fmt.Sprintf("t%d.s%d", j, rng.IntN(states[j])) }
		var e string
		switch rng.IntN(7) {
		case 0:
			e = s()
		case 1:
			e = s() + " or " + s()
		case 2:
			e = fmt.Sprintf("%q", s()+" ? k : "+s()+" ? -1.5 : 0.1")
		case 3:
			e = fmt.Sprintf("%q", "("+s()+" ? 1 : 0.3) / 12")
		case 4:
			e = fmt.Sprintf("%q", s()+" ? step : 0")
		case 5:
			e = fmt.Sprintf("%q", "dwell(t"+fmt.Sprint(j)+")")
		case 6:
			e = fmt.Sprintf("t%d.s0 and t%d.s1", rng.IntN(tracks), rng.IntN(tracks))
		}
		fmt.Fprintf(&b, "  v%d:\n    accumulate: %s\n    range: [-100, 100]\n", i, e)
		if rng.IntN(2) == 0 {
			fmt.Fprintf(&b, "    discount: %.3f\n", 0.1*rng.Float64())
		}
		if rng.IntN(2) == 0 {
			b.WriteString("    half_cycle: true\n")
		}
	}
	return b.String()
}

// Random scenarios: every trial's values match the walking evaluator, in
// plans where values by span and values that walk meet in any mix.
func TestSpanValuesRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 34))
	var spans, walked, nonzero int
	for n := range 200 {
		src := randomSpanScenario(rng)
		p, errs := model.Compile("rnd.yaml", []byte(src), nil)
		if p == nil {
			t.Fatalf("scenario %d does not compile: %s\n%s", n, errs.Snippets(), src)
		}
		s, w := sim.SpanValues(p)
		spans, walked = spans+s, walked+w
		nonzero += sameValuesTrialByTrial(t, fmt.Sprintf("scenario %d", n), p, 100)
		if t.Failed() {
			t.Log(src)
			return
		}
	}
	t.Logf("%d values by span, %d walked, %d nonzero values compared", spans, walked, nonzero)
	if spans < 100 || walked < 50 || nonzero < 1000 {
		t.Errorf("%d values by span, %d walked, %d nonzero: the mix is not what the test needs", spans, walked, nonzero)
	}
}

// A plan whose value outcomes read one track each skips the steps at
// which no track can fire, as a plan without them does: it walks exactly
// the steps the plan without its value outcomes walks.
func TestSpanValuesWalkNoMore(t *testing.T) {
	data, _ := scenarios.Read(scenarios.Default)
	src := string(data)
	start, end := strings.Index(src, "  # --- numbers per trial"), strings.Index(src, "\nchecks:")
	if start < 0 || end < start {
		t.Fatal("the baseline's value outcomes are not where this test expects them")
	}
	with, without := mustCompile(t, src), mustCompile(t, src[:start]+src[end:])
	a, err := sim.WorkOf(with, 5, 2000)
	if err != nil {
		t.Fatal(err)
	}
	b, err := sim.WorkOf(without, 5, 2000)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Errorf("work with value outcomes %+v, without %+v", a, b)
	}
}
