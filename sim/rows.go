package sim

import (
	"math"
	"slices"

	"scensim/model/kernel"
)

// Per-trial rows (CellTrial cells) by step length class, and the frame
// generation that keys them.

// rowCache holds a state's per-trial rows (CellTrial cells) for the
// current trial, one copy per step length class (see stepClasses).
type rowCache struct {
	rows []float64 // (TrialRows × classes) × len(Out), row v of class c at v*classes+c
	meta []rowMeta // per row: what it was made for
}

// rowMeta is what a per-trial row was made for.
type rowMeta struct {
	gen   uint64  // the trial generation (Frame.Gen), 0: none
	days  float64 // the step length
	valid bool    // its values are valid (else they are evaluated, which reports the error)
}

// maxStepClasses bounds the step length classes whose per-trial rows are
// kept side by side; steps of further lengths share the last class.
const maxStepClasses = 8

// stepClasses returns, per step, the class of its length: the index of
// its length among the distinct lengths in order of first appearance,
// at most maxStepClasses-1, and the number of classes. A calendar grid
// has few distinct lengths (full steps and the parts of split steps), so
// that a trial fills each per-trial row once per length it meets rather
// than at every change of length.
func stepClasses(days []float64) (class []int32, classes int) {
	class = make([]int32, len(days))
	var seen []float64
	for k, d := range days {
		c := slices.Index(seen, d)
		if c < 0 {
			if len(seen) < maxStepClasses {
				seen = append(seen, d)
			}
			c = len(seen) - 1
		}
		class[k] = int32(c)
	}
	return class, max(len(seen), 1)
}

// current reports whether per-trial row at (row v of a state, at
// v*classes + the step's class) was made for the frame generation gen and
// a step of days days; the step loop then reads it in place, and fillRow
// fills it otherwise. Rows are keyed on the frame's generation, which
// every trial with new params advances, never on the trial index: a trial
// run again (perhaps under another design) must not reuse the rows of its
// last run. The step length is checked too, so that steps that share the
// last class (more lengths than classes) refill the row when the length
// changes. It is small enough to be inlined into the step loop.
func (rc *rowCache) current(at int, gen uint64, days float64) bool {
	if at >= len(rc.meta) {
		return false
	}
	m := &rc.meta[at]
	return m.gen == gen && m.days == days
}

// fillRow fills per-trial row v (at index at of rc, see current) for
// the current trial and step, making rc's rows on first use.
func (r *runner) fillRow(rc *rowCache, tbl *kernel.StateTable, n int, v int32, at, step int) (row []float64, valid bool) {
	if rc.meta == nil {
		slots := tbl.TrialRows() * r.classes
		rc.rows = make([]float64, slots*n)
		rc.meta = make([]rowMeta, slots)
	}
	row = rc.rows[at*n : at*n+n]
	valid = tbl.Fill(&r.f, step, v, row, r.scratch[:n])
	r.work.fills++
	rc.meta[at] = rowMeta{gen: r.f.Gen(), days: r.p.StepDays[step], valid: valid}
	return row, valid
}

// newGeneration starts a new frame generation unless the params hold the
// values they held in the last trial this runner ran. Everything keyed on
// the generation (lazy slots, per-trial rows) is a function of the param
// values alone (model: DepTrial means "reads params"), so equal values,
// compared bit for bit, give equal slots and rows; any difference, and the
// first trial, start a new generation.
func (r *runner) newGeneration() {
	same := r.f.Gen() != 0
	for j := range r.params { // the other params never change
		v := r.f.Slots[r.params[j].slot]
		if math.Float64bits(v) != math.Float64bits(r.lastParams[j]) {
			same = false
			r.lastParams[j] = v
		}
	}
	if !same {
		r.f.NextTrial()
	}
}
