package model

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// gridSrc is a weekly scenario from Wednesday 2025-03-19 whose named dates
// summer (Sunday 2025-06-01) and run_in (summer − 6 weeks, a Sunday) fall
// inside weekly steps, and on_grid (2025-05-28) on a point.
const gridSrc = `scensim: 1
name: grid
time: {start: 2025-03-19, step: week, horizon: 2025-06-20}
dates:
  summer: 2025-06-01
  on_grid: 2025-05-28
  run_in: summer - 6w
tracks:
  t:
    initial: a
    states: [a, b, c]
    transitions:
      - {from: a, to: b, p: 0.3}
      - {from: b, to: c, p: 'min(0.01 * dwell, 1)'}
      - {from: c, to: a, p: 'min(0.01 * step, 1)'}
`

// TestGridSplitsAtNamedDates checks that named dates off the weekly grid
// and the horizon become points, and what each irregular step records.
func TestGridSplitsAtNamedDates(t *testing.T) {
	p, errs := Compile("grid.yaml", []byte(gridSrc), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	var got []string
	for _, pt := range p.Points {
		got = append(got, pt.Format("2006-01-02"))
	}
	want := []string{"2025-03-19", "2025-03-26", "2025-04-02", "2025-04-09", "2025-04-16", "2025-04-20", "2025-04-23",
		"2025-04-30", "2025-05-07", "2025-05-14", "2025-05-21", "2025-05-28", "2025-06-01", "2025-06-04",
		"2025-06-11", "2025-06-18", "2025-06-20"}
	if !slices.Equal(got, want) {
		t.Fatalf("points %v\nwant %v", got, want)
	}
	type irr struct {
		step       int
		days, frac float64
		at         string
	}
	wantIrr := []irr{{4, 4, 4.0 / 7, "run_in"}, {5, 3, 3.0 / 7, "run_in"}, {11, 4, 4.0 / 7, "summer"}, {12, 3, 3.0 / 7, "summer"}, {15, 2, 2.0 / 7, "horizon"}}
	if len(p.Irregular) != len(wantIrr) {
		t.Fatalf("irregular steps %+v", p.Irregular)
	}
	for i, w := range wantIrr {
		s := p.Irregular[i]
		if s.Step != w.step || s.Days != w.days || s.RegularDays != 7 || p.StepFrac[s.Step] != w.frac || !slices.Equal(s.SplitAt, []string{w.at}) {
			t.Errorf("irregular step %d: %+v (fraction %v), want %+v", i, s, p.StepFrac[s.Step], w)
		}
	}
	for k, f := range p.StepFrac {
		if !slices.ContainsFunc(wantIrr, func(w irr) bool { return w.step == k }) && f != 1 {
			t.Errorf("step %d: fraction %v, want 1", k, f)
		}
	}
	points := map[string]int{"summer": 12, "on_grid": 11, "run_in": 5}
	for _, d := range p.Dates {
		if d.Point != points[d.Name] || !p.Points[d.Point].Equal(d.Date) {
			t.Errorf("%s: point %d, want %d", d.Name, d.Point, points[d.Name])
		}
	}
	// Positions in regular steps: the split points fall 4/7 into theirs.
	for k, want := range map[int]float64{4: 4, 5: 4 + 4.0/7, 6: 5, 12: 10 + 4.0/7, 13: 11, 16: 13 + 2.0/7} {
		if math.Abs(p.StepPos[k]-want) > 1e-12 {
			t.Errorf("position of point %d: %v, want %v", k, p.StepPos[k], want)
		}
	}
}

// TestGridShortStepProbability checks that p: 0.3 becomes 1 − 0.7^(Δt/7) on
// the split steps and stays exactly 0.3 on whole ones, and that step and
// dwell count regular steps.
func TestGridShortStepProbability(t *testing.T) {
	p, errs := Compile("grid.yaml", []byte(gridSrc), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	x := p.Transitions[0]
	f := &Frame{State: make([]int32, 1), Since: make([]int32, 1), Entry: make([]int32, 3), Slots: make([]float64, p.Kernel.Slots())}
	for k := range p.Steps {
		f.Step = k
		want := 0.3
		if p.StepFrac[k] != 1 {
			want = 1 - math.Pow(0.7, p.StepDays[k]/7)
		}
		if got := x.Prob.Eval(f); got != want {
			t.Errorf("step %d (%v days): p %v, want %v", k, p.StepDays[k], got, want)
		}
	}
	// dwell: entered at point 9 (2025-05-14, regular point 8), read at
	// point 12 (summer): 10 + 4/7 − 8 regular steps.
	f.Step, f.Since[0] = 12, 9
	dwell := 0.01 * (2 + 4.0/7)
	if got := p.Transitions[1].Prob.Eval(f); math.Abs(got-(1-math.Pow(1-dwell, 3.0/7))) > 1e-15 {
		t.Errorf("dwell at a split point: p %v, want %v", got, 1-math.Pow(1-dwell, 3.0/7))
	}
	f.Step = 13 // a whole step: step is 11
	if got := p.Transitions[2].Prob.Eval(f); got != 0.01*11 {
		t.Errorf("step 13: p %v, want %v", got, 0.01*11)
	}
}

// TestRegularGridUnchanged checks that a grid whose dates are all points
// has no irregular step and keeps p as written.
func TestRegularGridUnchanged(t *testing.T) {
	src := `scensim: 1
name: regular
time: {start: 2025-03-19, step: week, steps: 10}
dates:
  four: start + 4w
tracks:
  t:
    initial: a
    states: [a, b]
    transitions:
      - {from: a, to: b, p: 0.3}
`
	p, errs := Compile("regular.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	if p.Steps != 10 || len(p.Irregular) != 0 || p.Dates[0].Point != 4 {
		t.Fatalf("%d steps, irregular %+v, date point %d", p.Steps, p.Irregular, p.Dates[0].Point)
	}
	if x := p.Transitions[0].Prob; x.Mode != ModeConst || x.Const != 0.3 {
		t.Errorf("p: mode %d, %v; want the constant 0.3", x.Mode, x.Const)
	}
}

// TestGridLimitsAndEdges checks that a split past MaxSteps is refused, and
// that dates on the start, on the horizon, past it or before the start
// split nothing; those outside the run are warned about.
func TestGridLimitsAndEdges(t *testing.T) {
	src := `scensim: 1
name: many
time: {start: 2025-01-01, step: week, steps: 20000}
dates:
  off_grid: 2025-01-04
tracks:
  t:
    initial: a
    states: [a]
`
	if p, errs := Compile("many.yaml", []byte(src), nil); p != nil || !strings.Contains(errs.Error(), "split the grid into 20001 steps") {
		t.Errorf("20000 weekly steps and a date inside one: %v", errs)
	}
	src = `scensim: 1
name: edges
time: {start: 2025-01-01, step: week, horizon: 2025-02-26}
dates:
  first: start
  last: 2025-02-26
  later: 2025-03-10
  before: 2024-12-25
tracks:
  t:
    initial: a
    states: [a]
`
	p, errs := Compile("edges.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	if p.Steps != 8 || len(p.Irregular) != 0 {
		t.Fatalf("%d steps, irregular %+v; want 8 whole weeks", p.Steps, p.Irregular)
	}
	for _, d := range p.Dates {
		if want := map[string]int{"first": 0, "last": 8, "later": 8, "before": -1}[d.Name]; d.Point != want {
			t.Errorf("%s: point %d, want %d", d.Name, d.Point, want)
		}
	}
	warned := p.Warnings.Error()
	for _, want := range []string{
		"date later (2025-03-10) is after the horizon (2025-02-26)",
		"date before (2024-12-25) is before time.start",
	} {
		if !strings.Contains(warned, want) {
			t.Errorf("warnings lack %q:\n%s", want, warned)
		}
	}
	if len(p.Warnings) != 2 {
		t.Errorf("%d warnings, want 2:\n%s", len(p.Warnings), warned)
	}
}
