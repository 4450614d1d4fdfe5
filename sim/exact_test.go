package sim_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"scensim/model"
	"scensim/sim"
)

// The exact references below are cohort (Markov chain) calculations:
// π_{t+1} = π_t P(t), with P(t) written by hand in Go from the semantics in
// docs/scenario-format.md, independently of the engine's compiled expressions. The chain
// runs over joint states (state and dwell of every track, plus the set of
// states visited so far), so time-dependent, time-in-state and cross-track
// dependent probabilities are all exact. Monte Carlo estimates must lie
// within zTol standard errors of the exact values: with ~200 comparisons per
// test, P(|Z| > 4.5) ≈ 6.8e-6 each keeps a false alarm below 0.2% for a
// fresh seed; the seeds are fixed, so the tests are deterministic.
const zTol = 4.5

// joint is a state of the whole trial as the exact chain sees it.
type joint struct {
	s, d    [2]int // state (local index) and dwell of each track
	visited uint32 // bit g set once global state g was entered
}

// move is one possible move of one track in one step.
type move struct {
	to int
	p  float64
}

// exactModel describes a model of up to two tracks in plain Go.
type exactModel struct {
	tracks  int
	nstates [2]int
	initial [2]int
	// moves lists the moves of track k out of the joint state j at step t
	// (self-stays are implied by the remainder).
	moves func(t, k int, j joint) []move
}

func (m *exactModel) global(k, s int) int {
	if k == 0 {
		return s
	}
	return m.nstates[0] + s
}

// cohort returns occ[k][g] = P(in state g at point k) and
// reached[k][g] = P(g entered at a point ≤ k), for k = 0..steps.
func (m *exactModel) cohort(steps int) (occ, reached [][]float64) {
	index := map[joint]int{}
	var states []joint
	add := func(j joint) int {
		if i, ok := index[j]; ok {
			return i
		}
		index[j] = len(states)
		states = append(states, j)
		return len(states) - 1
	}
	var start joint
	for k := 0; k < m.tracks; k++ {
		start.s[k] = m.initial[k]
		start.visited |= 1 << m.global(k, m.initial[k])
	}
	add(start)
	pi := map[int]float64{0: 1}
	S := m.nstates[0] + m.nstates[1]
	record := func() {
		o := make([]float64, S)
		r := make([]float64, S)
		for i, p := range pi {
			j := states[i]
			for k := 0; k < m.tracks; k++ {
				o[m.global(k, j.s[k])] += p
			}
			for g := 0; g < S; g++ {
				if j.visited&(1<<g) != 0 {
					r[g] += p
				}
			}
		}
		occ = append(occ, o)
		reached = append(reached, r)
	}
	record()
	for t := 0; t < steps; t++ {
		// Enumerate successors of the states in the support, then apply
		// the step as a matrix product over the reachable set.
		type edge struct {
			to int
			p  float64
		}
		var rows [][]edge
		var from []int
		for i := range pi {
			from = append(from, i)
		}
		for _, i := range from {
			j := states[i]
			// Per-track outcome lists, all computed from j (synchronous).
			outs := make([][]move, m.tracks)
			for k := 0; k < m.tracks; k++ {
				ms := m.moves(t, k, j)
				stay := 1.0
				for _, mv := range ms {
					stay -= mv.p
				}
				outs[k] = append(ms, move{to: -1, p: stay})
			}
			var es []edge
			var rec func(k int, nj joint, p float64)
			rec = func(k int, nj joint, p float64) {
				if k == m.tracks {
					es = append(es, edge{add(nj), p})
					return
				}
				for _, mv := range outs[k] {
					if mv.p == 0 {
						continue
					}
					n := nj
					if mv.to < 0 || mv.to == j.s[k] {
						n.d[k]++
					} else {
						n.s[k], n.d[k] = mv.to, 0
						n.visited |= 1 << m.global(k, mv.to)
					}
					rec(k+1, n, p*mv.p)
				}
			}
			rec(0, j, 1)
			rows = append(rows, es)
		}
		n := len(states)
		P := mat.NewDense(n, n, nil)
		v := mat.NewVecDense(n, nil)
		for r, i := range from {
			v.SetVec(i, pi[i])
			for _, e := range rows[r] {
				P.Set(i, e.to, P.At(i, e.to)+e.p)
			}
		}
		var next mat.VecDense
		next.MulVec(P.T(), v)
		pi = map[int]float64{}
		for i := 0; i < n; i++ {
			if p := next.AtVec(i); p > 0 {
				pi[i] = p
			}
		}
		record()
	}
	return occ, reached
}

// compareExact runs the scenario and checks every occupancy and reached-by
// estimate against the exact chain.
func compareExact(t *testing.T, src string, m *exactModel, trials int64) {
	t.Helper()
	compareExactZ(t, src, m, trials, zTol)
}

// compareExactZ is compareExact with a tolerance of tol standard errors.
func compareExactZ(t *testing.T, src string, m *exactModel, trials int64, tol float64) {
	t.Helper()
	p, errs := model.Compile("exact.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	tally, err := sim.Run(context.Background(), p, sim.Options{Trials: trials, Seed: 7, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	occ, reached := m.cohort(p.Steps)
	S, P := len(p.States), p.Steps+1
	n := float64(trials)
	worst := 0.0
	check := func(what string, got int64, want float64) {
		est := float64(got) / n
		want = math.Min(math.Max(want, 0), 1) // rounding in the chain
		se := math.Sqrt(want * (1 - want) / n)
		if se < 1e-9 {
			if math.Abs(est-want) > 1e-9 {
				t.Errorf("%s: got %v, exact %v (impossible events happened)", what, est, want)
			}
			return
		}
		z := (est - want) / se
		worst = math.Max(worst, math.Abs(z))
		if math.Abs(z) > tol {
			t.Errorf("%s: got %.5f, exact %.5f, z = %.2f", what, est, want, z)
		}
	}
	for k := 0; k < P; k++ {
		for g := 0; g < S; g++ {
			check(fmt.Sprintf("occupancy of %s at point %d", p.FullName(g), k), tally.Occupancy[k*S+g], occ[k][g])
			var cum int64
			for kk := 0; kk <= k; kk++ {
				cum += tally.Entry[g*(P+1)+kk]
			}
			check(fmt.Sprintf("reached %s by point %d", p.FullName(g), k), cum, reached[k][g])
		}
	}
	t.Logf("largest |z| over %d comparisons: %.2f", 2*P*S, worst)
}

func TestExactCompetingRisks(t *testing.T) {
	src := `
scensim: 1
name: competing
time: {start: 2025-01-01, step: week, steps: 20}
tracks:
  t:
    initial: a
    states: [a, b, c, d]
    transitions:
      - {from: a, to: b, p: 0.10}
      - {from: a, to: c, p: 0.05}
      - {from: b, to: c, p: 0.20}
      - {from: [b, c], to: d, p: 0.03}
`
	m := &exactModel{tracks: 1, nstates: [2]int{4}, moves: func(t, k int, j joint) []move {
		switch j.s[0] {
		case 0:
			return []move{{1, 0.10}, {2, 0.05}}
		case 1:
			return []move{{2, 0.20}, {3, 0.03}}
		case 2:
			return []move{{3, 0.03}}
		}
		return nil
	}}
	compareExact(t, src, m, 200000)
}

// Time dependence: a rate that ramps up to a deadline and a guard that
// switches a transition on after it, with monthly steps of unequal length.
func TestExactTimeDependent(t *testing.T) {
	src := `
scensim: 1
name: timedep
time: {start: 2025-01-01, step: month, steps: 14, rate_unit: year}
dates:
  deadline: 2025-06-01
tracks:
  t:
    initial: a
    states: [a, b, c]
    transitions:
      - {from: a, to: b, rate: "2.4 * ramp(0, deadline)"}
      - {from: [a, b], to: c, p: 0.2, when: date >= deadline}
`
	start := time2025(1, 1)
	deadline := float64(dayDiff(start, time2025(6, 1)))
	m := &exactModel{tracks: 1, nstates: [2]int{3}, moves: func(t, k int, j joint) []move {
		// Point t is start + t months.
		d0 := float64(dayDiff(start, monthsAfter(start, t)))
		d1 := float64(dayDiff(start, monthsAfter(start, t+1)))
		ramp := math.Min(math.Max(d0/deadline, 0), 1)
		pAB := 1 - math.Exp(-2.4*ramp*(d1-d0)/365.25)
		var ms []move
		switch j.s[0] {
		case 0:
			ms = append(ms, move{1, pAB})
			fallthrough
		case 1:
			if d0 >= deadline {
				ms = append(ms, move{2, 0.2})
			}
		}
		return ms
	}}
	compareExact(t, src, m, 200000)
}

// Time in state and cross-track dependence: the hazard out of b grows with
// the time spent in b, and track u's hazard depends on track t's state at
// the start of the step (synchronous update).
func TestExactDwellAndCrossTrack(t *testing.T) {
	src := `
scensim: 1
name: dwell
time: {start: 2025-01-01, step: week, steps: 16}
tracks:
  t:
    initial: a
    states: [a, b, c]
    transitions:
      - {from: a, to: b, p: 0.25}
      - {from: b, to: c, p: "min(0.05 + 0.04 * dwell, 0.6)"}
      - {from: c, to: a, p: 0.1, when: "dwell >= 2"}
  u:
    initial: x
    states: [x, y]
    transitions:
      - {from: x, to: y, p: "t.c ? 0.3 : 0.02"}
      - {from: y, to: x, p: "min(0.1 * dwell(t), 0.5)"}
`
	m := &exactModel{tracks: 2, nstates: [2]int{3, 2}, moves: func(t, k int, j joint) []move {
		if k == 0 {
			switch j.s[0] {
			case 0:
				return []move{{1, 0.25}}
			case 1:
				return []move{{2, math.Min(0.05+0.04*float64(j.d[0]), 0.6)}}
			case 2:
				if j.d[0] >= 2 {
					return []move{{0, 0.1}}
				}
			}
			return nil
		}
		if j.s[1] == 0 {
			if j.s[0] == 2 {
				return []move{{1, 0.3}}
			}
			return []move{{1, 0.02}}
		}
		return []move{{0, math.Min(0.1*float64(j.d[0]), 0.5)}}
	}}
	compareExact(t, src, m, 200000)
}

// Competing rates: two rates out of one state share 1 − exp(−R·Δt) in
// proportion (R = 0.3 + 0.2 per week, Δt = 1 week); a p transition beside
// them keeps its probability; a lone rate gives 1 − exp(−r·Δt). Rates in
// different units are converted to one (0.2 per week = 0.2/7 per day).
func TestExactCompetingRates(t *testing.T) {
	src := `
scensim: 1
name: rates
time: {start: 2025-01-01, step: week, steps: 12, rate_unit: week}
tracks:
  t:
    initial: a
    states: [a, b, c, d]
    transitions:
      - {from: a, to: b, rate: 0.3}
      - {from: a, to: c, rate: "0.2 / 7", per: day}
      - {from: a, to: d, p: 0.05}
      - {from: b, to: d, rate: 0.4}
`
	leave := 1 - math.Exp(-0.5)
	m := &exactModel{tracks: 1, nstates: [2]int{4}, moves: func(t, k int, j joint) []move {
		switch j.s[0] {
		case 0:
			return []move{{1, 0.3 / 0.5 * leave}, {2, 0.2 / 0.5 * leave}, {3, 0.05}}
		case 1:
			return []move{{3, 1 - math.Exp(-0.4)}}
		}
		return nil
	}}
	compareExact(t, src, m, 200000)
}
