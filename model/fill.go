package model

import (
	"math"
	"math/bits"
)

// Per-trial rows (kernel.CellTrial) are filled by a rowFiller: fillCum
// with what it looks up per transition (the transition, whether it is a
// rate, its expressions' evaluators, its rate's scale to days) gathered
// once when the plan is built, and only the transitions that are on
// visited. It does the same arithmetic in the same order as fillCum, so
// the rows are the same bit for bit.
//
// An expression of one track's state made per trial (ModeState on
// slots, such as "talks.collapsed ? a : b" with a param drawn per trial)
// reads one slot per state of the track, each computed when first
// needed in a trial. Expr.Eval computes the slots of every state of the
// track; a row is filled at one state of the track (one of its keys), so
// the filler computes only that state's slot (and the slots it needs):
// the same value, as a slot is a function of the params alone.

// rowFillerHook, if set (by tests), is given each state's row filler as
// the plan is built.
var rowFillerHook func(st *State, rf *rowFiller)

// fillTerm is what filling a row needs of one transition.
type fillTerm struct {
	kind   uint8    // termProb, termLoneRate or termRace
	rate   termExpr // termLoneRate, termRace
	prob   termExpr // termProb, termLoneRate
	perDay float64  // termRace: the rate's factor to a rate per day
}

// termExpr evaluates an expression of a row.
type termExpr struct {
	e *Expr
	// For an expression of one track's state made per trial: the track,
	// its first global state, and per state of the track (from first) the
	// slots its value needs, in the order Frame.Ensure computes them;
	// else nil.
	track, first int
	needs        [][]int32
}

// newTermExpr returns e's evaluator in plan p, whose compiler
// environment is env.
func newTermExpr(p *Plan, env *env, e *Expr) termExpr {
	t := termExpr{e: e}
	if e == nil || e.Mode != ModeState || e.Table != nil || env == nil {
		return t
	}
	tr := p.Tracks[e.Track]
	needs := make([][]int32, tr.NStates)
	for i := range needs {
		j := e.Slot + tr.First + i - env.nparams // the state's lazy slot
		if j < 0 || j >= len(env.slotNeeds) || env.slotNeeds[j][len(env.slotNeeds[j])-1] != int32(j) {
			return t // not the layout stateTable makes: evaluate as written
		}
		needs[i] = env.slotNeeds[j]
	}
	t.track, t.first, t.needs = e.Track, tr.First, needs
	return t
}

// evalState returns the value in f, as e.Eval does, of an expression
// of one track's state made per trial (needs not nil); fill calls e.Eval
// for the others.
func (t *termExpr) evalState(f *Frame) float64 {
	g := int(f.State[t.track])
	if i := g - t.first; uint(i) < uint(len(t.needs)) {
		f.Ensure(t.needs[i])
		return f.Slots[t.e.Slot+g]
	}
	return t.e.Eval(f)
}

const (
	termProb     uint8 = iota // a probability
	termLoneRate              // a rate that does not compete: checked, its probability used
	termRace                  // one of the state's competing rates
)

// rowFiller fills the per-trial rows of one state.
type rowFiller struct {
	terms    []fillTerm
	races    uint64 // bit i: terms[i] is a competing rate
	stepDays []float64
}

// newRowFiller returns st's row filler in plan p, whose compiler
// environment is env (nil: every expression is evaluated as written).
func newRowFiller(p *Plan, env *env, st *State) *rowFiller {
	rf := &rowFiller{terms: make([]fillTerm, len(st.Out)), stepDays: p.StepDays}
	competing := st.Rates >= 2
	for i, id := range st.Out {
		x := p.Transitions[id]
		t := &rf.terms[i]
		switch {
		case x.Rate != nil && competing:
			t.kind, t.rate, t.perDay = termRace, newTermExpr(p, env, x.Rate), x.PerDay
			rf.races |= 1 << i
		case x.Rate != nil:
			t.kind, t.rate, t.prob = termLoneRate, newTermExpr(p, env, x.Rate), newTermExpr(p, env, x.Prob)
		default:
			t.kind, t.prob = termProb, newTermExpr(p, env, x.Prob)
		}
	}
	return rf
}

// fill is fillCum(p, st, f, step, on, vals, row) for the state the filler
// was made for (a kernel.FillFunc: vals is scratch as long as row).
func (rf *rowFiller) fill(f *Frame, step int, on uint64, row, vals []float64) bool {
	terms := rf.terms
	vals = vals[:len(terms)]
	row = row[:len(terms)]
	rate := 0.0
	ok := true
	for i := range vals {
		vals[i] = 0
	}
	for m := on; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		if i >= len(terms) {
			break
		}
		t := &terms[i]
		switch t.kind {
		case termRace:
			var r float64
			if t.rate.needs == nil {
				r = t.rate.e.Eval(f)
			} else {
				r = t.rate.evalState(f)
			}
			r *= t.perDay
			ok = ok && r >= 0 && r <= math.MaxFloat64
			vals[i] = r
			rate += r
			continue
		case termLoneRate:
			var r float64
			if t.rate.needs == nil {
				r = t.rate.e.Eval(f)
			} else {
				r = t.rate.evalState(f)
			}
			ok = ok && r >= 0 && r <= math.MaxFloat64
		}
		var v float64
		if t.prob.needs == nil {
			v = t.prob.e.Eval(f)
		} else {
			v = t.prob.evalState(f)
		}
		ok = ok && v >= 0 && v <= 1
		vals[i] = v
	}
	scale := 0.0
	if rate > 0 {
		scale = (1 - math.Exp(-rate*rf.stepDays[step])) / rate
	}
	sum := 0.0
	for i, v := range vals {
		if rf.races>>i&1 != 0 {
			v *= scale
		}
		sum += v
		row[i] = sum
	}
	return ok && sum <= 1+1e-12
}
