package model

import (
	"math"
	"slices"

	"scensim/model/kernel"
)

// Limits of the tables made by buildCells.
const (
	maxKeyCombos = kernel.MaxCombos // combinations of discrete inputs per state
	maxCellWork  = 1 << 20          // steps × combinations × transitions per state
)

// What a state table is counted at against the table budget: per cell
// (a kernel.Cell and its int32 in the index of live cells), and per entry
// of the maps that dedupe rows while the table is built (besides the row's
// bytes as the map's key).
// A truth table is counted at truthBytes plus keyBytes per key.
const (
	cellBytes     = 20
	mapEntryBytes = 64
	truthBytes    = 64
	keyBytes      = 64
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
// their dependencies allow (the plan's kernel tables). Guards that read
// only time, constants and discrete keys are evaluated for every step and
// key combination, so the engine never evaluates them; where the
// transitions that can fire read no more than the guards do (plus params
// drawn per trial), their cumulative probabilities are tabled before the
// run or once per trial. What remains is evaluated at each step, as
// written.
func (b *builder) buildCells() {
	p := b.plan
	if slotConstHook != nil {
		slotConstHook(p, b.env.slotConst)
	}
	sp := newSpanner(p)
	for g, st := range p.States {
		t := b.buildStateCells(g, st, sp)
		if t != nil {
			p.Kernel.SetState(g, t)
		}
		if t == nil && len(st.Out) == 1 {
			b.setLoneBound(g, st, sp)
		}
	}
}

// setLoneBound gives state g, whose one transition is evaluated at every
// step (it has no table), its per-step chance bounds (see
// kernel.Tables.LoneBound) if that transition is an unguarded rate and
// they are known at some step and fit in the table budget.
func (b *builder) setLoneBound(g int, st *State, sp *spanner) {
	p := b.plan
	x := p.Transitions[st.Out[0]]
	if x.Rate == nil || x.Guard != nil {
		return
	}
	n := 8 * int64(p.Steps)
	if !p.TableUse.take(TableBound, n) { // reserved before it is allocated
		return
	}
	if bounds := sp.loneBound(g, x); bounds != nil {
		p.Kernel.SetLoneBound(g, bounds)
		return
	}
	p.TableUse.give(n)
}

// buildStateCells returns the table of st (global state g), or nil if it
// would not save work. A CellEval cell's Total is its static chance bound
// (see spanner.cellBound): +Inf if none is known.
func (b *builder) buildStateCells(g int, st *State, sp *spanner) *kernel.StateTable {
	p := b.plan
	n := len(st.Out)
	if n == 0 || n > 64 {
		return nil
	}
	// The guards decide the keys everything else must fit in.
	var guardKeys []kernel.Key
	for _, id := range st.Out {
		if !p.Transitions[id].Guard.discreteKeys(p, &guardKeys) {
			return nil
		}
	}
	classes := make([]class, n)
	keys := append([]kernel.Key(nil), guardKeys...)
	for i, id := range st.Out {
		classes[i] = transitionClass(p, p.Transitions[id], &keys)
	}
	if kernel.Combos(keys) > maxKeyCombos {
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
	combos := kernel.Combos(keys)
	if combos > maxKeyCombos || p.Steps*combos*n > maxCellWork {
		return nil
	}
	all := uint64(1)<<n - 1
	if n == 64 {
		all = math.MaxUint64
	}
	// Counted against the table budget before they are allocated: the
	// cells and the engine's index of live cells now, each new row (and
	// its entry in the map that dedupes rows) as it is added. The maps'
	// share is given back once the table is made.
	use := &p.TableUse
	reserved := int64(p.Steps*combos) * cellBytes
	if !use.take(TableCells, reserved) {
		return nil
	}
	var mapBytes int64
	overBudget := false
	grow := func(rowBytes int64) bool {
		if overBudget || !use.take(TableCells, rowBytes+mapEntryBytes+rowBytes) {
			overBudget = true
			return false
		}
		reserved += rowBytes + mapEntryBytes + rowBytes
		mapBytes += mapEntryBytes + rowBytes
		return true
	}
	cells := make([]kernel.Cell, p.Steps*combos)
	var rows []float64
	var known []kernel.Entry
	rowAt := map[string]int32{}      // dedupes identical rows
	knownAt := map[string]int32{}    // dedupes identical known rows
	trialAt := map[[2]uint64]int32{} // (combination, mask) → trial row
	var trialOn []uint64             // per trial row: its mask
	useful := false
	// Slots: zero but for the constant slots setConstSlots sets for one
	// cell (setSlots), reset after the cell.
	f := &Frame{State: make([]int32, len(p.Tracks)), Entry: make([]int32, len(p.States)), Slots: make([]float64, p.Kernel.Slots())}
	var setSlots []int
	vals := make([]float64, n)
	row := make([]float64, n)
	entries := make([]kernel.Entry, n)
	addRow := func() int32 {
		key := rowKey(row)
		at, ok := rowAt[key]
		if !ok && grow(8*int64(n)) {
			at = int32(len(rows) / n)
			rows = append(rows, row...)
			rowAt[key] = at
		}
		return at
	}
	addKnown := func() int32 {
		key := entriesKey(entries)
		at, ok := knownAt[key]
		if !ok && grow(16*int64(n)) {
			at = int32(len(known) / n)
			known = append(known, entries...)
			knownAt[key] = at
		}
		return at
	}
	for c := range combos {
		kernel.SetCombo(f, keys, c)
		for step := range p.Steps {
			if overBudget {
				break
			}
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
			trialCell := func() {
				key := [2]uint64{uint64(c), on}
				at, ok := trialAt[key]
				if !ok {
					at = int32(len(trialAt))
					trialAt[key] = at
					trialOn = append(trialOn, on)
				}
				*cell = kernel.Cell{Kind: kernel.CellTrial, Row: at}
				useful = true
			}
			// A per-trial row whose rates read only constant slots of
			// per-trial state tables at this combination is tabled too.
			constSlots := false
			if !static && on != 0 && timeFree {
				constSlots, setSlots = b.setConstSlots(st, f, keys, classes, on, setSlots[:0])
			}
			switch {
			case on == 0:
				cell.Kind = kernel.CellNone
				useful = true
				continue
			case static || constSlots:
				valid := fillCum(p, st, f, step, on, vals, row)
				for _, j := range setSlots {
					f.Slots[j] = 0
				}
				setSlots = setSlots[:0]
				if valid && row[n-1] == 0 {
					cell.Kind = kernel.CellNone // no chance at all: nothing to draw
					useful = true
					continue
				}
				if valid {
					*cell = kernel.Cell{Kind: kernel.CellTable, Row: addRow(), Total: row[n-1]}
					useful = true
					continue
				}
				if constSlots {
					trialCell() // filled per trial, which finds the row invalid
					continue
				}
				// Invalid: evaluated at run time, which reports the error.
			case timeFree:
				trialCell()
				continue
			}
			isKnown, sum := partialRow(p, st, f, classes, on, entries)
			bound := sp.cellBound(st, g, step, keys, f, entries, sum)
			*cell = kernel.Cell{Kind: kernel.CellEval, Row: addKnown(), Total: bound}
			useful = useful || on != all || isKnown
		}
	}
	if overBudget || !useful {
		// Over the budget, or every step evaluates every transition
		// anyway: no table, what was reserved is free again.
		use.give(reserved)
		return nil
	}
	use.give(mapBytes)
	var tracks []int
	for _, k := range keys {
		t := k.Track
		if t < 0 {
			t = p.States[k.Reached].Track
		}
		if !slices.Contains(tracks, t) {
			tracks = append(tracks, t)
		}
	}
	filler := newRowFiller(p, b.env, st)
	if rowFillerHook != nil {
		rowFillerHook(st, filler)
	}
	return kernel.NewStateTable(kernel.StateSpec{
		Keys: keys, Steps: p.Steps, Out: n, Cells: cells, Rows: rows, Known: known,
		TrialOn: trialOn, Tracks: tracks,
		Fill: filler.fill,
	})
}

// setConstSlots reports whether every transition of st that is on (bit
// i: Out[i]) and not of classStatic reads, at the key combination set in
// f, one constant slot of a per-trial table by one track's state (see
// env.slotConst), and if so sets those slots in f.Slots and appends their
// indices to set. If not, it sets none. Lone rates do not qualify (their
// probabilities are evaluated too).
func (b *builder) setConstSlots(st *State, f *Frame, keys []kernel.Key, classes []class, on uint64, set []int) (bool, []int) {
	p := b.plan
	n := len(set)
	for i, id := range st.Out {
		if on>>i&1 == 0 || classes[i] == classStatic {
			continue
		}
		x := p.Transitions[id]
		e := x.Prob
		if x.Rate != nil {
			if st.Rates < 2 {
				return false, set[:n]
			}
			e = x.Rate
		}
		keyed := slices.ContainsFunc(keys, func(k kernel.Key) bool { return k.Track == e.Track })
		if classes[i] != classTrial || e.Mode != ModeState || e.Table != nil || !keyed {
			return false, set[:n]
		}
		j := e.Slot + int(f.State[e.Track])
		if _, ok := b.env.slotConst[j-b.env.nparams]; !ok {
			return false, set[:n]
		}
		set = append(set, j)
	}
	for _, j := range set[n:] { // every one qualifies: set them all
		f.Slots[j] = b.env.slotConst[j-b.env.nparams]
	}
	return true, set
}

// partialRow writes what is known in advance of each transition of st at
// f's step and key combination into row, for the transitions on (bit i:
// Out[i]'s guard holds). It reports whether any value is known in
// advance, and the known values' part of the chance of leaving: their
// probabilities, and for competing rates their rates times the step (at
// least the chance they make).
func partialRow(p *Plan, st *State, f *Frame, classes []class, on uint64, row []kernel.Entry) (known bool, sum float64) {
	for i, id := range st.Out {
		x := p.Transitions[id]
		row[i] = kernel.Entry{Kind: kernel.Evaluate}
		switch {
		case on>>i&1 == 0:
			row[i] = kernel.Entry{Kind: kernel.Off}
		case classes[i] != classStatic:
		case x.Rate != nil && st.Rates >= 2:
			if r := x.Rate.Eval(f); r >= 0 && r <= math.MaxFloat64 {
				row[i], known = kernel.Entry{Kind: kernel.Rate, V: r * x.PerDay}, true
				sum += row[i].V * p.StepDays[f.Step]
			}
		default:
			if v := x.Prob.Eval(f); v >= 0 && v <= 1 {
				row[i], known = kernel.Entry{Kind: kernel.Prob, V: v}, true
				sum += v
			}
		}
	}
	return known, sum
}

// transitionClass adds the keys x reads to keys and classifies x. A rate
// is classified by the rate itself: its probability also reads the step's
// length, which the engine's per-trial rows take into account.
func transitionClass(p *Plan, x *Transition, keys *[]kernel.Key) class {
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
func sameKeys(a, b []kernel.Key) bool {
	return slices.EqualFunc(a, b, func(x, y kernel.Key) bool {
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

func rowKey(row []float64) string {
	b := make([]byte, 0, 8*len(row))
	for _, v := range row {
		u := math.Float64bits(v)
		b = append(b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24), byte(u>>32), byte(u>>40), byte(u>>48), byte(u>>56))
	}
	return string(b)
}

func entriesKey(row []kernel.Entry) string {
	b := make([]byte, 0, 9*len(row))
	for _, e := range row {
		u := math.Float64bits(e.V)
		b = append(b, byte(e.Kind), byte(u), byte(u>>8), byte(u>>16), byte(u>>24), byte(u>>32), byte(u>>40), byte(u>>48), byte(u>>56))
	}
	return string(b)
}

// fillCum writes the cumulative probabilities of st's transitions at step,
// evaluated in f, into row (vals is scratch of the same length), and
// reports whether every value is valid and their sum at most 1. on says
// which transitions' guards hold in f (bit i: Out[i]); the guards are
// not evaluated.
func fillCum(p *Plan, st *State, f *Frame, step int, on uint64, vals, row []float64) bool {
	rate, sum := 0.0, 0.0
	ok := true
	competing := st.Rates >= 2
	for i, id := range st.Out {
		x := p.Transitions[id]
		vals[i] = 0
		if on>>i&1 == 0 {
			continue
		}
		if x.Rate != nil && competing {
			r := x.Rate.Eval(f) * x.PerDay
			ok = ok && r >= 0 && r <= math.MaxFloat64
			vals[i] = r
			rate += r
			continue
		}
		if x.Rate != nil {
			// A lone rate: an infinite rate would give a probability of 1.
			r := x.Rate.Eval(f)
			ok = ok && r >= 0 && r <= math.MaxFloat64
		}
		v := x.Prob.Eval(f)
		ok = ok && v >= 0 && v <= 1
		vals[i] = v
	}
	scale := 0.0
	if rate > 0 {
		scale = (1 - math.Exp(-rate*p.StepDays[step])) / rate
	}
	for i, v := range vals {
		if competing && p.Transitions[st.Out[i]].Rate != nil {
			v *= scale
		}
		sum += v
		row[i] = sum
	}
	return ok && sum <= 1+1e-12
}

// buildTests makes truth tables of the outcomes' conditions where it can.
func (b *builder) buildTests() {
	p := b.plan
	for i, o := range p.Outcomes {
		p.Kernel.SetOutcome(i, b.test(o.When), b.test(o.Given))
	}
}

// test returns the truth table of e at the horizon, or nil if e reads
// more than the inputs horizonKeys allows or has too many combinations of
// them.
func (b *builder) test(e *Expr) *kernel.Test {
	p := b.plan
	if e == nil {
		return nil
	}
	var keys []kernel.Key
	if !e.horizonKeys(p, &keys) {
		return nil
	}
	combos := kernel.CombosUpTo(keys, maxTestCombos)
	if combos > maxTestCombos {
		return nil
	}
	bytes := truthBytes + keyBytes*int64(len(keys))
	if combos > 64 {
		bytes += int64(combos+63) / 64 * 8
	}
	if !p.TableUse.take(TableTruth, bytes) {
		return nil
	}
	truth := make([]uint64, (combos+63)/64)
	f := &Frame{Step: p.Steps, State: make([]int32, len(p.Tracks)), Entry: make([]int32, len(p.States))}
	for c := range combos {
		kernel.SetCombo(f, keys, c)
		if e.Eval(f) != 0 {
			truth[c/64] |= 1 << (c % 64)
		}
	}
	if combos > 64 {
		return kernel.NewBigTest(keys, truth)
	}
	return kernel.NewTest(keys, truth[0])
}
