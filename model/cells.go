package model

import (
	"math"
	"slices"
)

// CellKind says how the engine resolves a state at one step and
// combination of its keys (see State.Cells).
type CellKind uint8

const (
	// CellNone: no guard holds, nothing can fire and no number is drawn.
	CellNone CellKind = iota
	// CellTable: every transition that can fire reads only time, constants
	// and the keys, so its row of cumulative probabilities was computed
	// before the run: State.Rows[Row : Row+len(Out)].
	CellTable
	// CellTrial: the transitions that can fire read only the keys,
	// constants and params drawn per trial (not time), so the row holds for
	// the whole trial, given the step's length: the engine fills row Row
	// (of State.TrialRows) with FillCum the first time a trial needs it.
	CellTrial
	// CellEval: some transition must be evaluated at run time. For each
	// transition i, State.Rows[Row+i] is −1 if it cannot fire (its guard
	// does not hold), NaN if it must be evaluated, and otherwise its value
	// known in advance: its probability, or its rate per day when the
	// state's rates compete.
	CellEval
)

// Cell is how to resolve one state at one step and key combination.
type Cell struct {
	Kind CellKind
	Row  int32
	// Total, for CellTable cells, is the chance that a transition is
	// taken: the row's last entry. For CellEval cells it is the part of an
	// upper bound of that chance that the values known in advance make
	// (see partialRow).
	Total float64
}

// Limits of the tables made by buildCells.
const (
	maxKeyCombos = 64      // combinations of discrete inputs per state
	maxCellWork  = 1 << 20 // steps × combinations × transitions per state
)

// class is what a transition's probability (or rate) reads, besides
// constants and the state's keys.
type class uint8

const (
	classStatic  class = iota // time at most: tabled before the run
	classTrial                // params drawn per trial, not time: tabled per trial
	classDynamic              // anything else: evaluated at each step
)

// buildCells resolves each state's transitions ahead of the run as far as
// their dependencies allow (State.Cells). Guards that read only time,
// constants and discrete keys are evaluated for every step and key
// combination, so the engine never evaluates them; where the transitions
// that can fire read no more than the guards do (plus params drawn per
// trial), their cumulative probabilities are tabled before the run or once
// per trial. What remains is evaluated at each step, as written.
func (b *builder) buildCells() {
	p := b.plan
	for _, st := range p.States {
		b.buildStateCells(st)
	}
}

func (b *builder) buildStateCells(st *State) {
	p := b.plan
	n := len(st.Out)
	if n == 0 || n > 64 {
		return
	}
	// The guards decide the keys everything else must fit in.
	var guardKeys []Key
	for _, id := range st.Out {
		if !p.Transitions[id].Guard.discreteKeys(p, &guardKeys) {
			return
		}
	}
	classes := make([]class, n)
	keys := append([]Key(nil), guardKeys...)
	for i, id := range st.Out {
		classes[i] = transitionClass(p, p.Transitions[id], &keys)
	}
	if combosOf(keys) > maxKeyCombos {
		// Too many combinations for everything: key only what the guards
		// read, and evaluate transitions that read more.
		keys = guardKeys
		for i, id := range st.Out {
			k := slices.Clone(guardKeys)
			classes[i] = transitionClass(p, p.Transitions[id], &k)
			if !sameKeys(k, guardKeys) {
				classes[i] = classDynamic
			}
		}
	}
	combos := combosOf(keys)
	if combos > maxKeyCombos || p.Steps*combos*n > maxCellWork {
		return
	}
	all := uint64(1)<<n - 1
	if n == 64 {
		all = math.MaxUint64
	}
	cells := make([]Cell, p.Steps*combos)
	var rows []float64
	rowAt := map[string]int32{}      // dedupes identical rows
	trialAt := map[[2]uint64]int32{} // (combination, mask) → trial row
	useful := false
	f := &Frame{State: make([]int32, len(p.Tracks)), Entry: make([]int32, len(p.States))}
	vals := make([]float64, n)
	row := make([]float64, n)
	addRow := func() int32 {
		key := rowKey(row)
		at, ok := rowAt[key]
		if !ok {
			at = int32(len(rows))
			rows = append(rows, row...)
			rowAt[key] = at
		}
		return at
	}
	for c := range combos {
		setCombo(f, keys, c)
		for step := range p.Steps {
			f.Step = step
			var on uint64
			static, timeFree := true, true
			for i, id := range st.Out {
				x := p.Transitions[id]
				if x.Guard != nil && x.Guard.Eval(f) == 0 {
					continue
				}
				on |= 1 << i
				static = static && classes[i] == classStatic
				timeFree = timeFree && classes[i] != classDynamic && x.timeFree()
			}
			cell := &cells[c*p.Steps+step]
			switch {
			case on == 0:
				cell.Kind = CellNone
				useful = true
				continue
			case static:
				fillCum(p, st, f, step, vals, row)
				if row[n-1] == 0 {
					cell.Kind = CellNone // no chance at all: nothing to draw
					useful = true
					continue
				}
				if row[n-1] == row[n-1] { // valid: not NaN
					*cell = Cell{Kind: CellTable, Row: addRow(), Total: row[n-1]}
					useful = true
					continue
				}
				// Invalid: evaluated at run time, which reports the error.
			case timeFree:
				key := [2]uint64{uint64(c), on}
				at, ok := trialAt[key]
				if !ok {
					at = int32(len(trialAt))
					trialAt[key] = at
				}
				*cell = Cell{Kind: CellTrial, Row: at}
				useful = true
				continue
			}
			known, sum := partialRow(p, st, f, classes, on, row)
			*cell = Cell{Kind: CellEval, Row: addRow(), Total: sum}
			useful = useful || on != all || known
		}
	}
	if !useful {
		return // every step evaluates every transition anyway
	}
	st.Keys, st.Combos, st.Cells = keys, combos, cells
	st.Live = make([]int32, len(cells))
	for c := range combos {
		next := int32(p.Steps)
		for step := p.Steps - 1; step >= 0; step-- {
			if cells[c*p.Steps+step].Kind != CellNone {
				next = int32(step)
			}
			st.Live[c*p.Steps+step] = next
		}
	}
	st.Rows, st.TrialRows = rows, len(trialAt)
}

// partialRow writes the row of a CellEval cell (see CellEval) for the
// transitions on (bit i: Out[i]'s guard holds) at f's step and key
// combination. It reports whether any value is known in advance, and the
// known values' part of the chance of leaving: their probabilities, and
// for competing rates their rates times the step (at least the chance they
// make).
func partialRow(p *Plan, st *State, f *Frame, classes []class, on uint64, row []float64) (known bool, sum float64) {
	for i, id := range st.Out {
		x := p.Transitions[id]
		row[i] = math.NaN()
		switch {
		case on>>i&1 == 0:
			row[i] = -1
		case classes[i] != classStatic:
		case x.Rate != nil && st.Rates >= 2:
			if r := x.Rate.Eval(f); r >= 0 && r <= math.MaxFloat64 {
				row[i], known = r*x.PerDay, true
				sum += row[i] * p.StepDays[f.Step]
			}
		default:
			if v := x.Prob.Eval(f); v >= 0 && v <= 1 {
				row[i], known = v, true
				sum += v
			}
		}
	}
	return known, sum
}

// transitionClass adds the keys x reads to keys and classifies x. A rate
// is classified by the rate itself: its probability also reads the step's
// length, which the engine's per-trial rows take into account.
func transitionClass(p *Plan, x *Transition, keys *[]Key) class {
	e := x.Prob
	if x.Rate != nil {
		e = x.Rate
	}
	k := slices.Clone(*keys)
	ok, trial := e.keysAndTrial(p, &k)
	cl := classDynamic
	switch {
	case !ok:
	case !trial:
		cl = classStatic
	case e.timeFree():
		cl = classTrial
	}
	if cl != classDynamic {
		*keys = k // a dynamic transition's keys are of no use
	}
	return cl
}

// sameKeys reports whether a and b are the same keys.
func sameKeys(a, b []Key) bool {
	return slices.EqualFunc(a, b, func(x, y Key) bool {
		return x.Track == y.Track && x.Reached == y.Reached && slices.Equal(x.Bounds, y.Bounds)
	})
}

// timeFree reports whether x's rate (or probability) does not depend on
// the step, apart from the step's length.
func (x *Transition) timeFree() bool {
	if x.Rate != nil {
		return x.Rate.timeFree()
	}
	return x.Prob.timeFree()
}

func combosOf(keys []Key) int {
	combos := 1
	for _, k := range keys {
		combos *= k.Size
		if combos > maxKeyCombos {
			return combos
		}
	}
	return combos
}

// setCombo sets the frame's states and entries to key combination c (the
// first key varies slowest).
func setCombo(f *Frame, keys []Key, c int) {
	rest := c
	for i := len(keys) - 1; i >= 0; i-- {
		k := &keys[i]
		k.set(f, rest%k.Size)
		rest /= k.Size
	}
}

// Combo returns the combination of keys that holds in f.
func Combo(keys []Key, f *Frame) int {
	c := 0
	for i := range keys {
		c = c*keys[i].Size + keys[i].Value(f)
	}
	return c
}

func rowKey(row []float64) string {
	b := make([]byte, 0, 8*len(row))
	for _, v := range row {
		u := math.Float64bits(v)
		b = append(b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24), byte(u>>32), byte(u>>40), byte(u>>48), byte(u>>56))
	}
	return string(b)
}

// FillCum writes the cumulative probabilities of st's transitions at step,
// evaluated in f, into row (len(st.Out)), or NaN throughout if any is
// invalid; vals is scratch of the same length. The engine uses it for
// CellTrial cells.
func FillCum(p *Plan, st *State, f *Frame, step int, vals, row []float64) {
	fillCum(p, st, f, step, vals, row)
}

// fillCum writes the cumulative probabilities of st's transitions at step
// into row, evaluated in f, or NaN throughout if any is invalid.
func fillCum(p *Plan, st *State, f *Frame, step int, vals, row []float64) {
	rate, sum := 0.0, 0.0
	bad := false
	for i, id := range st.Out {
		x := p.Transitions[id]
		vals[i] = 0
		if x.Guard != nil && x.Guard.Eval(f) == 0 {
			continue
		}
		if x.Rate != nil && st.Rates >= 2 {
			r := x.Rate.Eval(f) * x.PerDay
			bad = bad || !(r >= 0 && r <= math.MaxFloat64)
			vals[i] = -r // marked negative: a rate
			rate += r
			continue
		}
		v := x.Prob.Eval(f)
		bad = bad || !(v >= 0 && v <= 1)
		vals[i] = v
	}
	scale := 0.0
	if rate > 0 {
		scale = (1 - math.Exp(-rate*p.StepDays[step])) / rate
	}
	for i, v := range vals {
		if v < 0 {
			v = -v * scale
		}
		sum += v
		row[i] = sum
	}
	if bad || sum > 1+1e-12 {
		for i := range row {
			row[i] = math.NaN()
		}
	}
}

// Test is a bool expression at the horizon that reads nothing but
// constants, the horizon's date and a few discrete keys: its value at key
// combination c is bit c of Truth.
type Test struct {
	Keys  []Key
	Truth uint64
}

// Eval evaluates the test in f.
func (t *Test) Eval(f *Frame) bool { return t.Truth>>Combo(t.Keys, f)&1 != 0 }

// buildTests makes truth tables of the outcomes' conditions where it can.
func (b *builder) buildTests() {
	p := b.plan
	for _, o := range p.Outcomes {
		o.WhenTest, o.GivenTest = b.test(o.When), b.test(o.Given)
	}
}

// test returns the truth table of e at the horizon, or nil if e reads
// more than discrete keys or has too many combinations of them.
func (b *builder) test(e *Expr) *Test {
	p := b.plan
	if e == nil {
		return nil
	}
	var keys []Key
	if !e.discreteKeys(p, &keys) || combosOf(keys) > 64 {
		return nil
	}
	t := &Test{Keys: keys}
	f := &Frame{Step: p.Steps, State: make([]int32, len(p.Tracks)), Entry: make([]int32, len(p.States))}
	for c := range combosOf(keys) {
		setCombo(f, keys, c)
		if e.Eval(f) != 0 {
			t.Truth |= 1 << c
		}
	}
	return t
}
