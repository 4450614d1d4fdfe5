package sim

import (
	"math/bits"

	"scensim/model"
	"scensim/model/kernel"
)

// horizonState judges a trial's outcomes and checks at its horizon. The
// conditions with truth tables are judged all at once into a verdict
// bitset (kernel.Horizon); the others are evaluated, a when condition only
// if its outcome's given holds.
type horizonState struct {
	hz      *kernel.Horizon
	verdict *kernel.Verdict // the last trial's verdict: see kernel.Tables.Horizon
	words   int             // words of the outcomes' given bits, and of their when bits
	always  []uint64        // per outcome bit: it has no given condition
	cond    []uint64        // per outcome bit: it has a given condition (the others)
	// given and hit are the last trial's outcomes, a bit per outcome:
	// whether its given held, and whether it was a hit (within given). They
	// are words of verdict.
	given, hit []uint64
	// givenExpr and whenExpr are the outcomes whose given or when
	// condition has no truth table, with the expression to evaluate.
	givenExpr, whenExpr []exprCond
	// checkExpr, per check: the expression to evaluate, or nil if the
	// check has a truth table (or no expression: it holds).
	checkExpr []*model.Expr
	checkBit  []int // per check: its bit of the verdict; −1: it holds (no condition)
}

// single reports whether the last trial's outcomes can be judged and
// counted by judgeCountOne: the horizon reads a single input
// (kernel.Horizon.One), the outcomes fit in a word, and none has a
// condition to evaluate. (It is not kept in a field: the runner's hot
// fields keep their places.)
func (h *horizonState) single() bool {
	_, one := h.hz.One()
	return one && h.words == 1 && len(h.givenExpr) == 0 && len(h.whenExpr) == 0
}

// exprCond is an outcome's condition evaluated by expression.
type exprCond struct {
	i int
	e *model.Expr
}

// initHorizon sets up the judgement of p's outcomes and checks.
func (h *horizonState) init(p *model.Plan) {
	kt := p.Kernel
	h.hz = kt.Horizon()
	h.verdict = h.hz.NewVerdict()
	h.words = kt.OutcomeWords()
	h.always = make([]uint64, h.words)
	h.cond = make([]uint64, h.words)
	h.given, h.hit = h.verdict.Bits[:h.words], h.verdict.Bits[h.words:2*h.words]
	for i, o := range p.Outcomes {
		switch {
		case kt.Given(i) != nil:
		case o.Given != nil:
			h.givenExpr = append(h.givenExpr, exprCond{i, o.Given})
		default:
			h.always[i/64] |= 1 << (i % 64)
		}
		if h.always[i/64]>>(i%64)&1 == 0 {
			h.cond[i/64] |= 1 << (i % 64)
		}
		if kt.When(i) == nil && o.When != nil {
			h.whenExpr = append(h.whenExpr, exprCond{i, o.When})
		}
	}
	h.checkExpr = make([]*model.Expr, len(p.Checks))
	h.checkBit = make([]int, len(p.Checks))
	for i, c := range p.Checks {
		h.checkBit[i] = kt.CheckBit(i)
		if kt.Check(i) == nil {
			h.checkExpr[i] = c.Expr
			if c.Expr == nil {
				h.checkBit[i] = -1
			}
		}
	}
}

// judge computes the verdict of every tabled condition in f, at the
// horizon of a trial.
func (h *horizonState) judge(f *model.Frame) { h.hz.Judge(f, h.verdict) }

// judgeCountOne is judge and countOutcomes in one call, with neither's
// loops, for a horizon of a single input (see single).
func (h *horizonState) judgeCountOne(f *model.Frame, t *Tally) {
	w, _ := h.hz.One()
	h.verdict.Bits[w] = h.hz.JudgeOne(f)
	g := h.given[0] | h.always[0]
	hit := h.hit[0] & g
	h.given[0], h.hit[0] = g, hit
	countBits(t.Given, g&h.cond[0])
	countBits(t.Hits, hit)
}

// countOutcomes judges every outcome in f (after judge) into the given
// and hit bits and adds the trial to t's counts of hits, and of givens of
// the outcomes with a given condition: the others' are the trials counted,
// which flush sets (see countAlways).
func (h *horizonState) countOutcomes(f *model.Frame, t *Tally) {
	given, when := h.given, h.hit
	for w, a := range h.always {
		given[w] |= a
	}
	for _, c := range h.givenExpr {
		if c.e.Eval(f) != 0 {
			given[c.i/64] |= 1 << (c.i % 64)
		}
	}
	for _, c := range h.whenExpr {
		if given[c.i/64]>>(c.i%64)&1 != 0 && c.e.Eval(f) != 0 {
			when[c.i/64] |= 1 << (c.i % 64)
		}
	}
	for w, g := range given {
		hit := when[w] & g
		when[w] = hit
		countBits(t.Given[w*64:], g&h.cond[w])
		countBits(t.Hits[w*64:], hit)
	}
}

// countBits adds 1 to n[i] for every bit i set in b.
func countBits(n []int64, b uint64) {
	for ; b != 0; b &= b - 1 {
		n[bits.TrailingZeros64(b)]++
	}
}

// countAlways sets, in t, the given counts of the outcomes without a given
// condition: every trial counted (in each draw, for a nested tally).
func (h *horizonState) countAlways(t *Tally) {
	O := len(t.Given)
	for w, a := range h.always {
		for ; a != 0; a &= a - 1 {
			i := w*64 + bits.TrailingZeros64(a)
			t.Given[i] = t.Trials
			for d, n := range t.DrawTrials {
				t.DrawGiven[d*O+i] = n
			}
		}
	}
}

// outcomes writes the last trial's outcomes into out: 1 hit, 0 miss, −1
// given false.
func (h *horizonState) outcomes(out []int8) {
	for i := range out {
		g := h.given[i/64] >> (i % 64) & 1
		out[i] = int8(g+h.hit[i/64]>>(i%64)&1) - 1
	}
}

// reject marks the last trial's outcomes as not given (see runner.reject).
func (h *horizonState) reject() {
	clear(h.given)
	clear(h.hit)
}

// checkHolds reports whether check i holds in f (after judge).
func (h *horizonState) checkHolds(i int, f *model.Frame) bool {
	if e := h.checkExpr[i]; e != nil {
		return e.Eval(f) != 0
	}
	return h.checkBit[i] < 0 || h.verdict.Holds(h.checkBit[i])
}

// outcomes returns the last trial's outcomes (see runner.outcome).
func (r *runner) outcomes() []int8 {
	r.hz.outcomes(r.outcome)
	return r.outcome
}
