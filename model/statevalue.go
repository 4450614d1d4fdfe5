package model

import "math"

// A table by one track's state made per trial (see stateTable) holds one
// slot per state of the track. Some of these slots read no param: in
// "talks.collapsed ? mob_rate_collapse : mob_rate_stalled" with
// mob_rate_collapse drawn per trial and mob_rate_stalled fixed, every
// state but collapsed takes the constant mob_rate_stalled. The compiler
// records such constants (env.slotConst), so that a state's per-trial row
// whose rates read only such slots at the row's key combination is tabled
// before the run (see buildStateCells) instead of filled in every trial.

// slotConstHook, if set (by tests), is given each plan's constant slots
// of per-trial state tables (env.slotConst) as the plan is built.
var slotConstHook func(p *Plan, consts map[int]float64)

// valueAtState returns n's value when track k is in global state g, and
// true, if n then reads nothing else of the frame: no param or other
// slot, var, time, dwell or entry, and no other track's state. A
// condition whose test is known reads only the branch it takes, as the
// generated code does; everything else is evaluated by the generated
// code of its node with its operands replaced by their values (the terms
// of a chain of + or *: see chainAtState), so the value is the one the
// slot's own code computes. f is scratch: a frame
// with a State entry per track.
func valueAtState(n *node, k, g int, f *Frame) (float64, bool) {
	switch n.op {
	case opConst:
		return n.val, true
	case opStepMemo, opVarMemo:
		return 0, false
	case opCond:
		c, ok := valueAtState(n.kids[0], k, g, f)
		if !ok {
			return 0, false
		}
		if c != 0 { // as genNode's opCond
			return valueAtState(n.kids[1], k, g, f)
		}
		return valueAtState(n.kids[2], k, g, f)
	}
	if n.op == opAdd || n.op == opMul {
		return chainAtState(n, k, g, f)
	}
	info := n.op.info()
	if !info.value || info.reads&^readsState != 0 || (info.reads&readsState != 0 && n.idx != k) {
		return 0, false
	}
	m := *n
	m.kids = make([]*node, len(n.kids))
	for i, x := range n.kids {
		v, ok := valueAtState(x, k, g, f)
		if !ok {
			return 0, false
		}
		m.kids[i] = cnst(v, x.typ, x.off)
	}
	f.State[k] = int32(g)
	return genNode(&m)(f), true
}

// chainAtState returns the value of the chain of + or * rooted at n at
// state g of track k, and true, if every term (see chainTerms) has one
// (see valueAtState) and the chain has the same value in both orders its
// code may take at each of its nodes (see chainOrders); if rounding makes
// them differ, no value is known and the slot stays per trial.
func chainAtState(n *node, k, g int, f *Frame) (float64, bool) {
	op := func(a, b float64) float64 { return float64(a + b) }
	if n.op == opMul {
		op = func(a, b float64) float64 { return float64(a * b) }
	}
	return chainOrders(n,
		func(t *node) (float64, bool) { return valueAtState(t, k, g, f) },
		op,
		func(left, grouped float64) (float64, bool) {
			return left, math.Float64bits(left) == math.Float64bits(grouped)
		})
}
