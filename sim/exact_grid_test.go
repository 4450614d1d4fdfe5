package sim_test

import (
	"math"
	"testing"
	"time"
)

// Exact references for the calendar-exact grid: a named date inside a
// regular step splits it, and the cohort chain below is written on the
// grid spelled out by hand (dates, not the plan's points). On a step of
// Δ days inside a regular step of R days, a rate r per unit u gives
// 1 − exp(−r·Δ/u), a per-step probability p gives 1 − (1 − p)^(Δ/R), and
// dwell counts regular steps: the step's position on the regular grid
// minus the position of the point the state was entered at. Estimates must
// lie within gridZ standard errors of the exact values (fixed seeds).
const gridZ = 4

// handGrid is a grid written out by hand: its points and, per point, its
// position counted in regular steps.
type handGrid struct {
	points []time.Time
	pos    []float64
}

// step returns the length in days of step t and of the regular step it
// lies in, and the position of point t.
func (g handGrid) step(t int) (days, regular, pos float64) {
	days = float64(dayDiff(g.points[t], g.points[t+1]))
	frac := g.pos[t+1] - g.pos[t]
	return days, math.Round(days / frac), g.pos[t]
}

// checkGrid checks that src compiles to the grid g, so that the chain
// and the engine step through the same dates.
func checkGrid(t *testing.T, src string, g handGrid) {
	t.Helper()
	p := mustCompile(t, src)
	if p.Steps != len(g.points)-1 {
		t.Fatalf("%d steps, the hand grid has %d", p.Steps, len(g.points)-1)
	}
	for k, pt := range g.points {
		if !p.Points[k].Equal(pt) || math.Abs(p.StepPos[k]-g.pos[k]) > 1e-12 {
			t.Fatalf("point %d: %s at %v regular steps, want %s at %v", k, p.Points[k].Format(time.DateOnly), p.StepPos[k], pt.Format(time.DateOnly), g.pos[k])
		}
	}
}

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// shortP converts a per-step probability to a step of days of regular.
func shortP(p, days, regular float64) float64 {
	if days == regular {
		return p
	}
	return 1 - math.Pow(1-p, days/regular)
}

// A weekly grid from Wednesday 19 March with mid (Sunday 20 April) four
// days into step 4: steps 4 (16→20 April, 4 of 7 days) and 5 (20→23
// April, 3 of 7). Rates, per-step probabilities, a switch at mid and a
// dwell-dependent probability read the real dates.
func TestExactWeeklyMidStepDate(t *testing.T) {
	src := `
scensim: 1
name: weekly_mid
time: {start: 2025-03-19, step: week, steps: 10, rate_unit: week}
dates:
  mid: 2025-04-20
tracks:
  t:
    initial: a
    states: [a, b, c]
    transitions:
      - {from: a, to: b, rate: "date < mid ? 0.2 : 0.6"}
      - {from: a, to: c, p: 0.1}
      - {from: b, to: c, p: "min(0.05 + 0.1 * dwell, 0.7)"}
`
	g := handGrid{}
	for _, d := range []int{0, 7, 14, 21, 28, 32, 35, 42, 49, 56, 63, 70} {
		g.points = append(g.points, date(2025, 3, 19).AddDate(0, 0, d))
	}
	g.pos = []float64{0, 1, 2, 3, 4, 4 + 4.0/7, 5, 6, 7, 8, 9, 10}
	mid := float64(dayDiff(date(2025, 3, 19), date(2025, 4, 20)))
	m := &exactModel{tracks: 1, nstates: [2]int{3}, moves: func(t, k int, j joint) []move {
		days, reg, pos := g.step(t)
		d0 := float64(dayDiff(g.points[0], g.points[t]))
		switch j.s[0] {
		case 0:
			r := 0.6
			if d0 < mid {
				r = 0.2
			}
			return []move{{1, 1 - math.Exp(-r*days/7)}, {2, shortP(0.1, days, reg)}}
		case 1:
			dwell := pos - g.pos[t-j.d[0]] // entered at point t − d
			return []move{{2, shortP(math.Min(0.05+0.1*dwell, 0.7), days, reg)}}
		}
		return nil
	}}
	checkGrid(t, src, g)
	compareExactZ(t, src, m, 200000, gridZ)
}

// A monthly grid from 31 January (end-of-month convention: 28 February,
// 31 March, ...) with mid on 15 March: the step 28 February → 31 March is
// split into 15 and 16 of its 31 days. Rates are per year.
func TestExactMonthlyMidStepDate(t *testing.T) {
	src := `
scensim: 1
name: monthly_mid
time: {start: 2025-01-31, step: month, steps: 5, rate_unit: year}
dates:
  mid: 2025-03-15
tracks:
  t:
    initial: a
    states: [a, b, c]
    transitions:
      - {from: a, to: b, rate: 1.5}
      - {from: [a, b], to: c, p: "date >= mid ? 0.25 : 0.05"}
`
	g := handGrid{points: []time.Time{date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 15), date(2025, 3, 31),
		date(2025, 4, 30), date(2025, 5, 31), date(2025, 6, 30)}, pos: []float64{0, 1, 1 + 15.0/31, 2, 3, 4, 5}}
	m := &exactModel{tracks: 1, nstates: [2]int{3}, moves: func(t, k int, j joint) []move {
		days, reg, _ := g.step(t)
		p := 0.05
		if !g.points[t].Before(date(2025, 3, 15)) {
			p = 0.25
		}
		switch j.s[0] {
		case 0:
			return []move{{1, 1 - math.Exp(-1.5*days/365.25)}, {2, shortP(p, days, reg)}}
		case 1:
			return []move{{2, shortP(p, days, reg)}}
		}
		return nil
	}}
	checkGrid(t, src, g)
	compareExactZ(t, src, m, 200000, gridZ)
}

// Quarterly steps to a horizon: 1 January, 1 April, 1 July, 1 October,
// 1 January (90, 91, 92, 92 days); rates per year, a guard on the date.
func TestExactQuarterlySteps(t *testing.T) {
	src := `
scensim: 1
name: quarterly
time: {start: 2025-01-01, step: quarter, horizon: 2026-01-01, rate_unit: year}
tracks:
  t:
    initial: a
    states: [a, b, c]
    transitions:
      - {from: a, to: b, rate: 0.8}
      - {from: b, to: c, p: 0.3, when: "date >= days(100)"}
`
	g := handGrid{points: []time.Time{date(2025, 1, 1), date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1), date(2026, 1, 1)},
		pos: []float64{0, 1, 2, 3, 4}}
	m := &exactModel{tracks: 1, nstates: [2]int{3}, moves: func(t, k int, j joint) []move {
		days, _, _ := g.step(t)
		switch j.s[0] {
		case 0:
			return []move{{1, 1 - math.Exp(-0.8*days/365.25)}}
		case 1:
			if dayDiff(g.points[0], g.points[t]) >= 100 {
				return []move{{2, 0.3}}
			}
		}
		return nil
	}}
	checkGrid(t, src, g)
	compareExactZ(t, src, m, 200000, gridZ)
}

// Yearly steps from 29 February 2024: 28 February 2025, 2026, 2027, then
// 29 February 2028 (365, 365, 365, 366 days), with a named date inside the
// third year that splits it; rates per year and a per-step probability.
func TestExactYearlySteps(t *testing.T) {
	src := `
scensim: 1
name: yearly
time: {start: 2024-02-29, step: year, steps: 4, rate_unit: year}
dates:
  review: 2026-08-31
tracks:
  t:
    initial: a
    states: [a, b, c]
    transitions:
      - {from: a, to: b, rate: 0.35}
      - {from: b, to: c, p: 0.4}
`
	split := float64(dayDiff(date(2026, 2, 28), date(2026, 8, 31)))
	g := handGrid{points: []time.Time{date(2024, 2, 29), date(2025, 2, 28), date(2026, 2, 28), date(2026, 8, 31),
		date(2027, 2, 28), date(2028, 2, 29)}, pos: []float64{0, 1, 2, 2 + split/365, 3, 4}}
	m := &exactModel{tracks: 1, nstates: [2]int{3}, moves: func(t, k int, j joint) []move {
		days, reg, _ := g.step(t)
		switch j.s[0] {
		case 0:
			return []move{{1, 1 - math.Exp(-0.35*days/365.25)}}
		case 1:
			return []move{{2, shortP(0.4, days, reg)}}
		}
		return nil
	}}
	checkGrid(t, src, g)
	compareExactZ(t, src, m, 200000, gridZ)
}
