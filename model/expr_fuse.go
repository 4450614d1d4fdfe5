package model

import (
	"math"
	"slices"
)

// genLeafPair generates +, − and * of two leaves that are each a slot or
// a table over time (e.g. rearm_pressure · date), both read inline.
func genLeafPair(n *node) func(*Frame) float64 {
	l, r := n.kids[0], n.kids[1]
	slotOrTable := func(x *node) bool { return x.op == opSlot || x.op == opTable }
	if !slotOrTable(l) || !slotOrTable(r) {
		return nil
	}
	li, ri := l.idx, r.idx
	lt, rt := l.tbl, r.tbl
	switch {
	case l.op == opSlot && r.op == opTable:
		switch n.op {
		case opMul:
			return func(f *Frame) float64 { return f.Slots[li] * rt[f.Step] }
		case opAdd:
			return func(f *Frame) float64 { return f.Slots[li] + rt[f.Step] }
		case opSub:
			return func(f *Frame) float64 { return f.Slots[li] - rt[f.Step] }
		}
	case l.op == opTable && r.op == opSlot:
		switch n.op {
		case opMul:
			return func(f *Frame) float64 { return lt[f.Step] * f.Slots[ri] }
		case opAdd:
			return func(f *Frame) float64 { return lt[f.Step] + f.Slots[ri] }
		case opSub:
			return func(f *Frame) float64 { return lt[f.Step] - f.Slots[ri] }
		}
	case l.op == opSlot:
		switch n.op {
		case opMul:
			return func(f *Frame) float64 { return f.Slots[li] * f.Slots[ri] }
		case opAdd:
			return func(f *Frame) float64 { return f.Slots[li] + f.Slots[ri] }
		case opSub:
			return func(f *Frame) float64 { return f.Slots[li] - f.Slots[ri] }
		}
	default:
		switch n.op {
		case opMul:
			return func(f *Frame) float64 { return lt[f.Step] * rt[f.Step] }
		case opAdd:
			return func(f *Frame) float64 { return lt[f.Step] + rt[f.Step] }
		case opSub:
			return func(f *Frame) float64 { return lt[f.Step] - rt[f.Step] }
		}
	}
	return nil
}

// postOp is one step of genPostOps: v ← v ∘ x, or x ∘ v, with x a
// constant, a table over time, a slot or a var; code says which (see
// postCode).
type postOp struct {
	code uint8
	c    float64
	idx  int
	tbl  []float64
}

// postCode is a postOp's code: its arithmetic (0 x+v, 1 x·v, 2 v−x, 3 x−v,
// 4 v/x, 5 x/v) plus 6 times the kind of x (0 constant, 1 table, 2 slot,
// 3 var),
// so that one switch (a jump table) does each step.
func postCode(o op, left bool, kind uint8) uint8 {
	a := uint8(0)
	switch {
	case o == opAdd:
		a = 0
	case o == opMul:
		a = 1
	case o == opSub && !left:
		a = 2
	case o == opSub:
		a = 3
	case !left: // opDiv
		a = 4
	default:
		a = 5
	}
	return a + 6*kind
}

// genPostOps generates a nest of two or more +, −, * and / whose every
// level has a constant, a slot, a var or a table over time as one operand
// (e.g. 1 + rearm_pressure · date / weeks(52), rate · (date − entry(s)) /
// weeks(1), or cohesion + erosion · (1 − cohesion)) as one closure: the innermost operand (a leaf read inline, an
// entry, or a closure) and then each level's operation in turn, exactly as
// the tree of closures computes it. It returns nil for other shapes.
func genPostOps(n *node) func(*Frame) float64 {
	if fn := genElapsed(n); fn != nil {
		return fn
	}
	return genPostOpsLoop(n)
}

// genPostOpsLoop is genPostOps as one loop over the levels' operations.
func genPostOpsLoop(n *node) func(*Frame) float64 {
	side := func(x *node) (postOp, uint8, bool) {
		switch x.op {
		case opConst:
			return postOp{c: x.val}, 0, true
		case opTable:
			return postOp{tbl: x.tbl}, 1, true
		case opSlot:
			return postOp{idx: x.idx}, 2, true
		case opVar:
			return postOp{idx: x.idx}, 3, true
		}
		return postOp{}, 0, false
	}
	var ops []postOp // outermost first
	for n.op == opAdd || n.op == opSub || n.op == opMul || n.op == opDiv {
		l, r := n.kids[0], n.kids[1]
		if o, kind, ok := side(r); ok {
			o.code = postCode(n.op, false, kind)
			ops = append(ops, o)
			n = l
			continue
		}
		if o, kind, ok := side(l); ok {
			o.code = postCode(n.op, true, kind)
			ops = append(ops, o)
			n = r
			continue
		}
		break
	}
	if len(ops) < 2 {
		return nil
	}
	slices.Reverse(ops) // innermost first: the order they apply in
	// The innermost operand: a leaf read inline, or a closure.
	var (
		kind uint8 // 0 closure, 1 table, 2 slot, 3 var, 4 entry, 5 constant
		c    float64
		idx  int
		tbl  []float64
		fn   func(*Frame) float64
	)
	switch n.op {
	case opTable:
		kind, tbl = 1, n.tbl
	case opSlot:
		kind, idx = 2, n.idx
	case opVar:
		kind, idx = 3, n.idx
	case opEntry:
		kind, idx, tbl = 4, n.idx, n.tbl
	case opConst: // e.g. the 1 of cohesion + erosion · (1 − cohesion)
		kind, c = 5, n.val
	default:
		fn = genNode(n)
	}
	return func(f *Frame) float64 {
		var v float64
		switch kind {
		case 0:
			v = fn(f)
		case 1:
			v = tbl[f.Step]
		case 2:
			v = f.Slots[idx]
		case 3:
			v = f.Vars[idx]
		case 5:
			v = c
		default:
			v = math.Inf(1)
			if e := f.Entry[idx]; e >= 0 {
				v = tbl[e]
			}
		}
		// Each result is rounded on its own (float64(...)), as the tree
		// of closures rounds it: no fused multiply-add. x+v and x·v are
		// v+x and v·x exactly.
		for i := range ops {
			o := &ops[i]
			switch o.code {
			case 0:
				v = float64(o.c + v)
			case 1:
				v = float64(o.c * v)
			case 2:
				v = float64(v - o.c)
			case 3:
				v = float64(o.c - v)
			case 4:
				v = float64(v / o.c)
			case 5:
				v = float64(o.c / v)
			case 6:
				v = float64(o.tbl[f.Step] + v)
			case 7:
				v = float64(o.tbl[f.Step] * v)
			case 8:
				v = float64(v - o.tbl[f.Step])
			case 9:
				v = float64(o.tbl[f.Step] - v)
			case 10:
				v = float64(v / o.tbl[f.Step])
			case 11:
				v = float64(o.tbl[f.Step] / v)
			case 12:
				v = float64(f.Slots[o.idx] + v)
			case 13:
				v = float64(f.Slots[o.idx] * v)
			case 14:
				v = float64(v - f.Slots[o.idx])
			case 15:
				v = float64(f.Slots[o.idx] - v)
			case 16:
				v = float64(v / f.Slots[o.idx])
			case 17:
				v = float64(f.Slots[o.idx] / v)
			case 18:
				v = float64(f.Vars[o.idx] + v)
			case 19:
				v = float64(f.Vars[o.idx] * v)
			case 20:
				v = float64(v - f.Vars[o.idx])
			case 21:
				v = float64(f.Vars[o.idx] - v)
			case 22:
				v = float64(v / f.Vars[o.idx])
			default:
				v = float64(f.Vars[o.idx] / v)
			}
		}
		return v
	}
}
