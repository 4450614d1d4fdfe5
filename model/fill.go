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

// fillTerm is what filling a row needs of one transition.
type fillTerm struct {
	kind   uint8   // termProb, termLoneRate or termRace
	rate   *Expr   // termLoneRate, termRace
	prob   *Expr   // termProb, termLoneRate
	perDay float64 // termRace: the rate's factor to a rate per day
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

// newRowFiller returns st's row filler.
func newRowFiller(p *Plan, st *State) *rowFiller {
	rf := &rowFiller{terms: make([]fillTerm, len(st.Out)), stepDays: p.StepDays}
	competing := st.Rates >= 2
	for i, id := range st.Out {
		x := p.Transitions[id]
		t := &rf.terms[i]
		switch {
		case x.Rate != nil && competing:
			t.kind, t.rate, t.perDay = termRace, x.Rate, x.PerDay
			rf.races |= 1 << i
		case x.Rate != nil:
			t.kind, t.rate, t.prob = termLoneRate, x.Rate, x.Prob
		default:
			t.kind, t.prob = termProb, x.Prob
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
			r := t.rate.Eval(f) * t.perDay
			ok = ok && r >= 0 && r <= math.MaxFloat64
			vals[i] = r
			rate += r
			continue
		case termLoneRate:
			r := t.rate.Eval(f)
			ok = ok && r >= 0 && r <= math.MaxFloat64
		}
		v := t.prob.Eval(f)
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
