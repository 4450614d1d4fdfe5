package model

import (
	"math"
	"reflect"
	"runtime"
)

// Static chance bounds. For a state resolved at a known step and key
// combination (a CellEval cell), or for a state whose one transition is an
// unguarded rate, every value its evaluated transitions can take is bounded,
// given that the trial's sampled params lie in their intervals ([Dist.Lo],
// [Dist.Hi], the ranges of their histograms, which the engine checks per
// trial). The compiler evaluates each transition's expression over
// intervals (spans) instead of numbers: the step and the keys are fixed,
// the params range over their intervals, the states of tracks that are not
// keys over their states, dwell and entries over what the step allows. A
// span it cannot bound (a var, a division by a span that holds 0, a power, a
// function not known to be monotone, an infinite or NaN end) is unknown,
// and so is every span computed from it: the bound fails closed.
//
// Rounding: a span is evaluated on the very tree the expression's closure
// was generated from (Expr.spanTree, copied when it was compiled), with
// each operation of + − · / computed on the ends in float64 and moved one
// ulp outward unless that operation was exact, so that the span holds both
// the exact result and any float64 result of the same operations on values
// within the operands' spans (rounded once or fused). A chain of + or ·
// is evaluated in both orders its closures may take (see chain). Library functions
// (exp, log, ...) are taken within a relative 1e-12 of their exact values,
// and their ends are widened by that much, except where a function is
// known never to compute a value past a limit (see monotone.most).

// span is the closed interval [lo, hi] of finite float64 values, or
// unknown (ok false).
type span struct {
	lo, hi float64
	ok     bool
}

var unknown = span{}

// pointSpan is the span of the single value v (unknown if v is not finite).
func pointSpan(v float64) span { return mkSpan(v, v) }

// mkSpan is [lo, hi], or unknown unless both ends are finite and lo ≤ hi.
func mkSpan(lo, hi float64) span {
	if !(lo <= hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return unknown
	}
	return span{lo, hi, true}
}

// hull is the smallest span holding a and b, unknown if either is.
func hull(a, b span) span {
	if !a.ok || !b.ok {
		return unknown
	}
	return span{math.Min(a.lo, b.lo), math.Max(a.hi, b.hi), true}
}

// isPoint reports whether s holds a single value.
func (s span) isPoint() bool { return s.ok && s.lo == s.hi }

// excludesZero reports whether no value of s is 0 (a test of it is true).
func (s span) excludesZero() bool { return s.ok && (s.lo > 0 || s.hi < 0) }

// isZero reports whether s is exactly 0.
func (s span) isZero() bool { return s.ok && s.lo == 0 && s.hi == 0 }

// down and up move a computed end one ulp outward unless exact.
func down(v float64, exact bool) float64 {
	if exact {
		return v
	}
	return math.Nextafter(v, math.Inf(-1))
}

func up(v float64, exact bool) float64 {
	if exact {
		return v
	}
	return math.Nextafter(v, math.Inf(1))
}

// tiny is the magnitude below which a product or quotient is not trusted
// to be exact (its rounding error may itself round to 0).
const tiny = 0x1p-900

// addExact reports whether s = a + b exactly (TwoSum error 0).
func addExact(a, b, s float64) bool {
	bb := s - a
	return (a-(s-bb))+(b-bb) == 0
}

func mulExact(a, b, p float64) bool {
	return a == 0 || b == 0 || (math.Abs(p) >= tiny && math.FMA(a, b, -p) == 0)
}

func divExact(a, b, q float64) bool {
	return a == 0 || (math.Abs(q) >= tiny && math.FMA(-q, b, a) == 0)
}

// spanAdd, spanSub, spanMul and spanDiv are interval arithmetic rounded
// outward.
func spanAdd(a, b span) span {
	if !a.ok || !b.ok {
		return unknown
	}
	lo, hi := a.lo+b.lo, a.hi+b.hi
	return mkSpan(down(lo, addExact(a.lo, b.lo, lo)), up(hi, addExact(a.hi, b.hi, hi)))
}

func spanSub(a, b span) span {
	if !a.ok || !b.ok {
		return unknown
	}
	lo, hi := a.lo-b.hi, a.hi-b.lo
	return mkSpan(down(lo, addExact(a.lo, -b.hi, lo)), up(hi, addExact(a.hi, -b.lo, hi)))
}

func spanMul(a, b span) span {
	if !a.ok || !b.ok {
		return unknown
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range [2]float64{a.lo, a.hi} {
		for _, y := range [2]float64{b.lo, b.hi} {
			p := x * y
			e := mulExact(x, y, p)
			lo, hi = math.Min(lo, down(p, e)), math.Max(hi, up(p, e))
		}
	}
	return mkSpan(lo, hi)
}

func spanDiv(a, b span) span {
	if !a.ok || !b.excludesZero() {
		return unknown
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range [2]float64{a.lo, a.hi} {
		for _, y := range [2]float64{b.lo, b.hi} {
			q := x / y
			e := divExact(x, y, q)
			lo, hi = math.Min(lo, down(q, e)), math.Max(hi, up(q, e))
		}
	}
	return mkSpan(lo, hi)
}

// funcMargin is how far (relatively) a library function's result may be
// from its exact value, for spans of monotone functions.
const funcMargin = 1e-12

// widen moves s's ends outward by funcMargin of their magnitudes.
func widen(s span) span {
	if !s.ok {
		return unknown
	}
	return mkSpan(s.lo-math.Abs(s.lo)*funcMargin, s.hi+math.Abs(s.hi)*funcMargin)
}

// monotone is a function of one number that is non-decreasing over its
// domain [lo, hi] (open ends where open).
type monotone struct {
	lo, hi         float64
	openLo, openHi bool
	exact          bool // correctly rounded or exact (sqrt, floor, ...): no widening
	// most, if set, is the largest value the function as computed returns
	// over an argument in x (+Inf: none known): the widened upper end is
	// cut to it. Without it, 1 − exp(−r) over r ≥ 0 would reach below 0
	// (exp's widened end above 1), and the rate or chance it computes
	// would count as possibly invalid, leaving a state with no bound.
	most func(x span) float64
}

// expMost: math.Exp(x) ≤ 1 for every x ≤ 0. Near 0 (k = 0 in the
// argument reduction x = k·ln2 + r) the amd64 assembly computes expm1(r)
// by a series and doublings that stay ≤ 0 for r ≤ 0, then adds 1 (fused
// or not): at most 1. The pure-Go version (and the arm64 and loong64
// assembly, the same algorithm with fused operations) returns 1 + x for
// |x| < 2⁻²⁸ and otherwise 1 − d with d = −r·c/(2−c) − x ≥ 0. With k ≤ −1
// the result is at most about 1.415 · 2⁻¹. TestExpAtMostOne samples it on
// both amd64 paths (with and without FMA). s390x's table-driven version
// is not covered by this argument, so there exp's span is not cut.
func expMost(x span) float64 {
	if x.hi <= 0 && runtime.GOARCH != "s390x" {
		return 1
	}
	return math.Inf(1)
}

// logisticMost: 1 / (1 + math.Exp(−x)) ≤ 1, as a correctly rounded
// division of 1 by a number not below 1.
func logisticMost(span) float64 { return 1 }

// monotoneFuncs are the functions of funcs1 (by name, checked by identity)
// whose spans are their values at the ends of their argument's span; abs is
// handled on its own, and any other function gives unknown.
var monotoneFuncs = map[string]monotone{
	"exp":      {lo: math.Inf(-1), hi: math.Inf(1), most: expMost},
	"log":      {lo: 0, hi: math.Inf(1), openLo: true},
	"sqrt":     {lo: 0, hi: math.Inf(1), exact: true},
	"floor":    {lo: math.Inf(-1), hi: math.Inf(1), exact: true},
	"ceil":     {lo: math.Inf(-1), hi: math.Inf(1), exact: true},
	"round":    {lo: math.Inf(-1), hi: math.Inf(1), exact: true},
	"logistic": {lo: math.Inf(-1), hi: math.Inf(1), most: logisticMost},
	"logit":    {lo: 0, hi: 1, openLo: true, openHi: true},
}

// funcSpan is the span of fn1 named name over x.
func funcSpan(name string, fn func(float64) float64, x span) span {
	if !x.ok || !sameFunc(name, fn) {
		return unknown
	}
	if name == "abs" {
		switch {
		case x.lo >= 0:
			return x
		case x.hi <= 0:
			return span{-x.hi, -x.lo, true}
		}
		return span{0, math.Max(-x.lo, x.hi), true}
	}
	m, ok := monotoneFuncs[name]
	if !ok || x.lo < m.lo || x.hi > m.hi || (m.openLo && x.lo == m.lo) || (m.openHi && x.hi == m.hi) {
		return unknown
	}
	s := mkSpan(fn(x.lo), fn(x.hi))
	if m.exact {
		return s
	}
	s = widen(s)
	if m.most != nil && s.ok {
		cut := m.most(x)
		if s.lo > cut {
			return unknown // the function computes more than its limit at x.lo: fail closed
		}
		s.hi = math.Min(s.hi, cut)
	}
	return s
}

// sameFunc reports whether fn is the function funcs1 registers as name.
func sameFunc(name string, fn func(float64) float64) bool {
	reg, ok := funcs1[name]
	return ok && fn != nil && reflect.ValueOf(reg).Pointer() == reflect.ValueOf(fn).Pointer()
}

// spanRule gives the span of node n (of its op) in context c.
type spanRule func(c *spanCtx, n *node) span

func spanUnknown(*spanCtx, *node) span { return unknown }

// boolSpan is [0, 1], the span of a test that is not decided.
var boolSpan = span{0, 1, true}

// compare is the rule of a comparison: decided when the operands' spans
// decide it, else [0, 1] (a comparison is 0 or 1 whatever its operands,
// NaN included).
func compare(decide func(a, b span) (bool, bool)) spanRule {
	return func(c *spanCtx, n *node) span {
		a, b := c.span(n.kids[0]), c.span(n.kids[1])
		if !a.ok || !b.ok {
			return boolSpan
		}
		if v, ok := decide(a, b); ok {
			return pointSpan(b2f(v))
		}
		return boolSpan
	}
}

func binary(f func(a, b span) span) spanRule {
	return func(c *spanCtx, n *node) span { return f(c.span(n.kids[0]), c.span(n.kids[1])) }
}

// chain is the rule of + and *: the hull, at every node of the chain, of
// its spans in both orders its code may take (see chainOrders), each
// operation rounded outward, so that the span holds the value whichever
// order the code takes.
func chain(op func(a, b span) span) spanRule {
	return func(c *spanCtx, n *node) span {
		s, _ := chainOrders(n,
			func(t *node) (span, bool) { return c.span(t), true },
			op,
			func(left, grouped span) (span, bool) { return hull(left, grouped), true })
		return s
	}
}

// opSpans is each op's interval rule, beside opInfos: an op without one
// fails TestOpSpanTable. (Set in init: the rules call span, which reads
// the table.)
var opSpans [len(opInfos)]spanRule

func init() { opSpans = opSpanRules() }

func opSpanRules() [len(opInfos)]spanRule {
	return [len(opInfos)]spanRule{
		opConst: func(_ *spanCtx, n *node) span { return pointSpan(n.val) },
		opSlot:  func(c *spanCtx, n *node) span { return c.slotSpan(n.idx) },
		opVar:   spanUnknown, // vars are set by effects: no range is known
		opTable: func(c *spanCtx, n *node) span {
			if c.step < 0 || c.step >= len(n.tbl) {
				return unknown // no step (a slot's tree)
			}
			return pointSpan(n.tbl[c.step])
		},
		opInState:   func(c *spanCtx, n *node) span { return c.stateTest(n.idx, func(g int) bool { return g == n.idx2 }) },
		opInStates:  func(c *spanCtx, n *node) span { return c.stateTest(n.idx, func(g int) bool { return inSet(n.set, g) }) },
		opDwell:     func(c *spanCtx, n *node) span { return c.dwell(n) },
		opReached:   func(c *spanCtx, n *node) span { return c.reached(n.idx) },
		opEntry:     func(c *spanCtx, n *node) span { return c.entry(n) },
		opReachedBy: func(*spanCtx, *node) span { return boolSpan },
		opNeg: func(c *spanCtx, n *node) span {
			if s := c.span(n.kids[0]); s.ok {
				return span{-s.hi, -s.lo, true}
			}
			return unknown
		},
		opNot: func(c *spanCtx, n *node) span { return spanSub(pointSpan(1), c.span(n.kids[0])) },
		opAdd: chain(spanAdd),
		opSub: binary(spanSub),
		opMul: chain(spanMul),
		opDiv: binary(spanDiv),
		opMod: spanUnknown,
		opPow: spanUnknown,
		opEq: compare(func(a, b span) (bool, bool) {
			if a.isPoint() && b.isPoint() {
				return a.lo == b.lo, true
			}
			return false, a.hi < b.lo || b.hi < a.lo
		}),
		opNe: compare(func(a, b span) (bool, bool) {
			if a.isPoint() && b.isPoint() {
				return a.lo != b.lo, true
			}
			return true, a.hi < b.lo || b.hi < a.lo
		}),
		opLt: compare(func(a, b span) (bool, bool) {
			switch {
			case a.hi < b.lo:
				return true, true
			case a.lo >= b.hi:
				return false, true
			}
			return false, false
		}),
		opLe: compare(func(a, b span) (bool, bool) {
			switch {
			case a.hi <= b.lo:
				return true, true
			case a.lo > b.hi:
				return false, true
			}
			return false, false
		}),
		opGt: compare(func(a, b span) (bool, bool) {
			switch {
			case a.lo > b.hi:
				return true, true
			case a.hi <= b.lo:
				return false, true
			}
			return false, false
		}),
		opGe: compare(func(a, b span) (bool, bool) {
			switch {
			case a.lo >= b.hi:
				return true, true
			case a.hi < b.lo:
				return false, true
			}
			return false, false
		}),
		// x and y: 0 if x is 0, else y (a NaN x gives y).
		opAnd: func(c *spanCtx, n *node) span {
			x, y := c.span(n.kids[0]), c.span(n.kids[1])
			switch {
			case x.isZero():
				return pointSpan(0)
			case x.excludesZero():
				return y
			}
			return hull(pointSpan(0), y)
		},
		// x or y: 1 if x is not 0 (NaN included), else y.
		opOr: func(c *spanCtx, n *node) span {
			x, y := c.span(n.kids[0]), c.span(n.kids[1])
			switch {
			case x.isZero():
				return y
			case x.excludesZero():
				return pointSpan(1)
			}
			return hull(pointSpan(1), y)
		},
		opCond: func(c *spanCtx, n *node) span {
			cond := c.span(n.kids[0])
			switch {
			case cond.isZero():
				return c.span(n.kids[2])
			case cond.excludesZero():
				return c.span(n.kids[1])
			}
			return hull(c.span(n.kids[1]), c.span(n.kids[2]))
		},
		opMin: binary(func(a, b span) span {
			if !a.ok || !b.ok {
				return unknown
			}
			return span{math.Min(a.lo, b.lo), math.Min(a.hi, b.hi), true}
		}),
		opMax: binary(func(a, b span) span {
			if !a.ok || !b.ok {
				return unknown
			}
			return span{math.Max(a.lo, b.lo), math.Max(a.hi, b.hi), true}
		}),
		// math.Min(math.Max(x, lo), hi): non-decreasing in each operand.
		opClamp: func(c *spanCtx, n *node) span {
			x, lo, hi := c.span(n.kids[0]), c.span(n.kids[1]), c.span(n.kids[2])
			if !x.ok || !lo.ok || !hi.ok {
				return unknown
			}
			return span{math.Min(math.Max(x.lo, lo.lo), hi.lo), math.Min(math.Max(x.hi, lo.hi), hi.hi), true}
		},
		opFunc1:    func(c *spanCtx, n *node) span { return funcSpan(n.name, n.fn1, c.span(n.kids[0])) },
		opTrackRef: spanUnknown,
		opStateRef: spanUnknown,
		opStr:      spanUnknown,
		opList:     spanUnknown,
		opStateTbl: func(c *spanCtx, n *node) span {
			return c.byState(n.idx, func(g int) span { return pointSpan(n.tbl[g]) })
		},
		opSlotStateTbl: func(c *spanCtx, n *node) span {
			return c.byState(n.idx, func(g int) span { return c.slotSpan(n.idx2 + g) })
		},
		opEntries:  func(c *spanCtx, n *node) span { return c.entries(n.idx) },
		opStepMemo: func(c *spanCtx, n *node) span { return c.span(n.kids[0]) },
		opVarMemo:  func(c *spanCtx, n *node) span { return c.span(n.kids[0]) },
	}
}

func inSet(set []int32, g int) bool {
	for _, s := range set {
		if int(s) == g {
			return true
		}
	}
	return false
}
