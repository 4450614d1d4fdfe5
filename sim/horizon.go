package sim

import (
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
	// givenExpr and whenExpr are the outcomes whose given or when
	// condition has no truth table, with the expression to evaluate.
	givenExpr, whenExpr []exprCond
	// checkExpr, per check: the expression to evaluate, or nil if the
	// check has a truth table (or no expression: it holds).
	checkExpr []*model.Expr
	checkBit  []int // per check: its bit of the verdict; −1: it holds (no condition)
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
	for i, o := range p.Outcomes {
		switch {
		case kt.Given(i) != nil:
		case o.Given != nil:
			h.givenExpr = append(h.givenExpr, exprCond{i, o.Given})
		default:
			h.always[i/64] |= 1 << (i % 64)
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

// countOutcomes judges every outcome in f (after judge) into outcome (1
// hit, 0 miss, −1 given false) and adds it to t's counts.
func (h *horizonState) countOutcomes(f *model.Frame, t *Tally, outcome []int8) {
	given, when := h.verdict.Bits[:h.words], h.verdict.Bits[h.words:2*h.words]
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
	for i := range outcome {
		g := given[i/64] >> (i % 64) & 1
		hit := when[i/64] >> (i % 64) & g
		t.Given[i] += int64(g)
		t.Hits[i] += int64(hit)
		outcome[i] = int8(g+hit) - 1
	}
}

// checkHolds reports whether check i holds in f (after judge).
func (h *horizonState) checkHolds(i int, f *model.Frame) bool {
	if e := h.checkExpr[i]; e != nil {
		return e.Eval(f) != 0
	}
	return h.checkBit[i] < 0 || h.verdict.Holds(h.checkBit[i])
}
