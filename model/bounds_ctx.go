package model

import (
	"math"

	"scensim/model/kernel"
)

// slotTree is what computes a per-trial slot after the params: tree (a
// copy of what its closure was generated from), with track's state set to
// state when track ≥ 0 (a slot of a per-trial table by a track's state).
type slotTree struct {
	tree         *node
	track, state int
}

// spanner evaluates spans (see bounds.go) of one plan's expressions,
// remembering the spans of per-trial slots, which depend on the params
// alone.
type spanner struct {
	p    *Plan
	memo []span
	done []bool
	// ascending remembers, per time table (by its first entry), whether
	// it never decreases.
	ascending map[*float64]bool
	ctx       spanCtx // reused by cellCtx
}

func newSpanner(p *Plan) *spanner {
	n := len(p.slotTrees)
	return &spanner{p: p, memo: make([]span, n), done: make([]bool, n), ascending: map[*float64]bool{}}
}

// isAscending reports whether tbl never decreases (and holds no NaN).
func (s *spanner) isAscending(tbl []float64) bool {
	if len(tbl) == 0 {
		return false
	}
	asc, ok := s.ascending[&tbl[0]]
	if !ok {
		asc = true
		for i := 1; i < len(tbl); i++ {
			asc = asc && tbl[i-1] <= tbl[i]
		}
		s.ascending[&tbl[0]] = asc
	}
	return asc
}

// spanCtx is where a span is evaluated: a step (-1: none, for slots), the
// tracks whose states are fixed, and the global state being resolved.
type spanCtx struct {
	s     *spanner
	step  int
	state []int32 // per track: its state if fixed, else -1
	own   int     // the global state being resolved, or -1
}

// cellCtx returns the context of state g at step with the states of the
// key tracks as set in f (the other keys, reached and reached_by, are left
// free). The context is valid until the next call.
func (s *spanner) cellCtx(g, step int, keys []kernel.Key, f *Frame) *spanCtx {
	p := s.p
	c := &s.ctx
	if c.state == nil {
		c.state = make([]int32, len(p.Tracks))
	}
	c.s, c.step, c.own = s, step, g
	for k := range c.state {
		c.state[k] = -1
	}
	for _, k := range keys {
		if k.Track >= 0 {
			c.state[k.Track] = f.State[k.Track]
		}
	}
	if t := p.States[g].Track; c.state[t] < 0 {
		c.state[t] = int32(g)
	}
	return c
}

// span evaluates n's span by its op's rule (unknown without one).
func (c *spanCtx) span(n *node) span {
	if int(n.op) >= len(opSpans) || opSpans[n.op] == nil {
		return unknown
	}
	return opSpans[n.op](c, n)
}

// exprSpan is the span of a compiled expression in c.
func (c *spanCtx) exprSpan(e *Expr) span {
	switch e.Mode {
	case ModeConst:
		return pointSpan(e.Const)
	case ModeTable:
		if c.step < 0 || c.step >= len(e.Table) {
			return unknown
		}
		return pointSpan(e.Table[c.step])
	case ModeSlot:
		return c.slotSpan(e.Slot)
	}
	if e.spanTree == nil {
		return unknown
	}
	return c.span(e.spanTree)
}

// slotSpan is the span of slot i: a param's interval (its dist's range, or
// its value if it has none), or the span of a per-trial slot's tree.
func (c *spanCtx) slotSpan(i int) span {
	p := c.s.p
	if i < 0 {
		return unknown
	}
	if i < len(p.Params) {
		par := p.Params[i]
		if par.Dist != nil {
			return mkSpan(par.Dist.Lo, par.Dist.Hi)
		}
		return pointSpan(par.Value)
	}
	j := i - len(p.Params)
	if j >= len(p.slotTrees) || p.slotTrees[j].tree == nil {
		return unknown
	}
	s := c.s
	if !s.done[j] {
		st := p.slotTrees[j]
		sc := &spanCtx{s: s, step: -1, state: make([]int32, len(p.Tracks)), own: -1}
		for k := range sc.state {
			sc.state[k] = -1
		}
		if st.track >= 0 {
			sc.state[st.track] = int32(st.state)
		}
		s.done[j] = true // a slot reads only slots before it: no cycle
		s.memo[j] = sc.span(st.tree)
	}
	return s.memo[j]
}

// trackStates calls fn for each global state of track k.
func (c *spanCtx) trackStates(k int, fn func(g int)) {
	t := c.s.p.Tracks[k]
	for g := t.First; g < t.First+t.NStates; g++ {
		fn(g)
	}
}

// stateTest is the span of a test of track k's state.
func (c *spanCtx) stateTest(k int, holds func(g int) bool) span {
	if k < 0 || k >= len(c.state) {
		return boolSpan
	}
	if g := c.state[k]; g >= 0 {
		return pointSpan(b2f(holds(int(g))))
	}
	some, all := false, true
	c.trackStates(k, func(g int) {
		h := holds(g)
		some, all = some || h, all && h
	})
	switch {
	case all:
		return pointSpan(1)
	case !some:
		return pointSpan(0)
	}
	return boolSpan
}

// byState is the span of fn at track k's state: at its state if fixed,
// else the hull over its states.
func (c *spanCtx) byState(k int, fn func(g int) span) span {
	if k < 0 || k >= len(c.state) {
		return unknown
	}
	if g := c.state[k]; g >= 0 {
		return fn(int(g))
	}
	s, first := unknown, true
	c.trackStates(k, func(g int) {
		if first {
			s, first = fn(g), false
			return
		}
		s = hull(s, fn(g))
	})
	return s
}

// dwell: Since is a point from 0 to the step; on an irregular grid the
// dwell is pos[step] − pos[Since], from 0 to pos[step] − pos[0] when the
// positions never decrease (else unknown).
func (c *spanCtx) dwell(n *node) span {
	if c.step < 0 {
		return unknown
	}
	if n.tbl == nil {
		return mkSpan(0, float64(int32(c.step)))
	}
	if c.step >= len(n.tbl) || !c.s.isAscending(n.tbl) {
		return unknown
	}
	return mkSpan(n.tbl[c.step]-n.tbl[c.step], n.tbl[c.step]-n.tbl[0])
}

// entered reports whether global state g is known to have been entered.
func (c *spanCtx) entered(g int) bool {
	if g == c.own {
		return true
	}
	p := c.s.p
	if g < 0 || g >= len(p.States) {
		return false
	}
	return c.state[p.States[g].Track] == int32(g)
}

func (c *spanCtx) reached(g int) span {
	if c.entered(g) {
		return pointSpan(1)
	}
	return boolSpan
}

// entry: a state entered was entered at a point from 0 to the step, whose
// day is from days[0] to days[step] (the days never decrease; else
// unknown); one that may not have been is +Inf then (unknown).
func (c *spanCtx) entry(n *node) span {
	if c.step < 0 || c.step >= len(n.tbl) || !c.entered(n.idx) || !c.s.isAscending(n.tbl) {
		return unknown
	}
	return mkSpan(n.tbl[0], n.tbl[c.step])
}

// entries: at most one entry per step, besides the start.
func (c *spanCtx) entries(g int) span {
	if c.step < 0 {
		return unknown
	}
	lo := 0.0
	if c.entered(g) {
		lo = 1
	}
	return mkSpan(lo, float64(c.step+1))
}

// validRate and validProb report whether every value of s is a valid rate
// ([0, MaxFloat64]) or probability ([0, 1]).
func validRate(s span) bool { return s.ok && s.lo >= 0 && s.hi <= math.MaxFloat64 }
func validProb(s span) bool { return s.ok && s.lo >= 0 && s.hi <= 1 }

// addUp and mulUp are a + b and a · b rounded up (exact results kept).
func addUp(a, b float64) float64 { s := a + b; return up(s, addExact(a, b, s)) }
func mulUp(a, b float64) float64 { m := a * b; return up(m, mulExact(a, b, m)) }

// cellBound returns an upper bound of the chance that a transition of st
// (global state g) is taken at a CellEval cell at step with key
// combination set in f and known entries (partialRow's row and its sum),
// valid for any trial whose sampled params lie in their intervals, and
// such that every value evaluated there is valid; +Inf if no such bound is
// known. For competing rates it bounds the engine's chance bound (the
// known sum, then each evaluated rate per day times the step's length, or
// probability, in order); otherwise the sum of the probabilities, in file
// order.
func (s *spanner) cellBound(st *State, g, step int, keys []kernel.Key, f *Frame, row []kernel.Entry, known float64) float64 {
	p := s.p
	c := s.cellCtx(g, step, keys, f)
	competing := st.Rates >= 2
	bound := 0.0
	if competing {
		bound = known
	}
	days := p.StepDays[step]
	for i, id := range st.Out {
		x := p.Transitions[id]
		switch row[i].Kind {
		case kernel.Off:
			continue
		case kernel.Prob:
			if !competing {
				bound = addUp(bound, row[i].V)
			}
			continue
		case kernel.Rate:
			if !competing {
				return math.Inf(1)
			}
			continue
		}
		if x.Rate != nil && !validRate(c.exprSpan(x.Rate)) {
			return math.Inf(1)
		}
		if x.Rate != nil && competing {
			r := c.exprSpan(x.Rate)
			bound = addUp(bound, mulUp(mulUp(r.hi, x.PerDay), days))
			continue
		}
		pr := c.exprSpan(x.Prob)
		if !validProb(pr) {
			return math.Inf(1)
		}
		bound = addUp(bound, pr.hi)
	}
	if !(bound <= math.MaxFloat64) {
		return math.Inf(1)
	}
	return bound
}

// loneBound returns, per step, an upper bound of rate · PerDay · the
// step's length for state g's one transition x (an unguarded rate), valid
// for any trial whose sampled params lie in their intervals and such that
// the rate is valid there (+Inf at a step without one); nil if no step has
// one.
func (s *spanner) loneBound(g int, x *Transition) []float64 {
	p := s.p
	out := make([]float64, p.Steps)
	any := false
	for step := range out {
		out[step] = math.Inf(1)
		r := s.cellCtx(g, step, nil, nil).exprSpan(x.Rate)
		if !validRate(r) {
			continue
		}
		if v := mulUp(mulUp(r.hi, x.PerDay), p.StepDays[step]); v <= math.MaxFloat64 {
			out[step], any = v, true
		}
	}
	if !any {
		return nil
	}
	return out
}
