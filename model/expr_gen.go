package model

import (
	"fmt"
	"math"
)

// gen generates the closure of a node.
func (c *compiler) gen(n *node) func(*Frame) float64 { return genNode(n) }

func genNode(n *node) func(*Frame) float64 {
	switch n.op {
	case opConst:
		v := n.val
		return func(*Frame) float64 { return v }
	case opSlot:
		i := n.idx
		return func(f *Frame) float64 { return f.Slots[i] }
	case opVar:
		i := n.idx
		return func(f *Frame) float64 { return f.Vars[i] }
	case opTable:
		tbl := n.tbl
		return func(f *Frame) float64 { return tbl[f.Step] }
	case opInState:
		k, g := n.idx, int32(n.idx2)
		return func(f *Frame) float64 {
			if f.State[k] == g {
				return 1
			}
			return 0
		}
	case opInStates:
		k, set := n.idx, n.set
		return func(f *Frame) float64 {
			s := f.State[k]
			for _, g := range set {
				if s == g {
					return 1
				}
			}
			return 0
		}
	case opDwell:
		k, pos := n.idx, n.tbl
		if pos != nil { // an irregular grid: regular steps elapsed
			return func(f *Frame) float64 { return pos[f.Step] - pos[f.Since[k]] }
		}
		return func(f *Frame) float64 { return float64(int32(f.Step) - f.Since[k]) }
	case opReached:
		g := n.idx
		return func(f *Frame) float64 {
			if f.Entry[g] >= 0 {
				return 1
			}
			return 0
		}
	case opStateTbl:
		k, tbl := n.idx, n.tbl
		return func(f *Frame) float64 { return tbl[f.State[k]] }
	case opStepMemo:
		j, fn := n.idx, genNode(n.kids[0])
		return func(f *Frame) float64 { return f.StepMemo(j, fn) }
	case opVarMemo:
		j, fn := n.idx, genNode(n.kids[0])
		return func(f *Frame) float64 { return f.VarMemo(j, fn) }
	case opSlotStateTbl:
		k, base := n.idx, n.idx2
		return func(f *Frame) float64 { return f.Slots[base+int(f.State[k])] }
	case opMul, opAdd:
		if fn := genChain(n); fn != nil {
			return fn
		}
	case opEntries:
		g := n.idx
		return func(f *Frame) float64 { return float64(f.Entries[g]) }
	case opEntry:
		g, days := n.idx, n.tbl
		return func(f *Frame) float64 {
			if e := f.Entry[g]; e >= 0 {
				return days[e]
			}
			return math.Inf(1)
		}
	case opReachedBy:
		g, days, d := n.idx, n.tbl, genNode(n.kids[0])
		return func(f *Frame) float64 {
			if e := f.Entry[g]; e >= 0 && days[e] <= d(f) {
				return 1
			}
			return 0
		}
	case opFunc1:
		x, fn := genNode(n.kids[0]), n.fn1
		return func(f *Frame) float64 { return fn(x(f)) }
	case opNeg:
		x := genNode(n.kids[0])
		return func(f *Frame) float64 { return -x(f) }
	case opNot:
		x := genNode(n.kids[0])
		return func(f *Frame) float64 { return 1 - x(f) }
	case opCond:
		cond, x, y := genNode(n.kids[0]), genNode(n.kids[1]), genNode(n.kids[2])
		return func(f *Frame) float64 {
			if cond(f) != 0 {
				return x(f)
			}
			return y(f)
		}
	case opAnd:
		x, y := genNode(n.kids[0]), genNode(n.kids[1])
		return func(f *Frame) float64 {
			if x(f) == 0 {
				return 0
			}
			return y(f)
		}
	case opOr:
		x, y := genNode(n.kids[0]), genNode(n.kids[1])
		return func(f *Frame) float64 {
			if x(f) != 0 {
				return 1
			}
			return y(f)
		}
	case opClamp:
		x, lo, hi := genNode(n.kids[0]), genNode(n.kids[1]), genNode(n.kids[2])
		return func(f *Frame) float64 { return math.Min(math.Max(x(f), lo(f)), hi(f)) }
	}
	if len(n.kids) == 2 {
		return genBinary(n)
	}
	panic(fmt.Sprintf("model: no code for op %d", n.op))
}

// genBinary specialises binary operators with a constant operand, the
// commonest shape after folding.
func genBinary(n *node) func(*Frame) float64 {
	l, r := n.kids[0], n.kids[1]
	if fn := genPostOps(n); fn != nil {
		return fn
	}
	if fn := genVarConst(n); fn != nil {
		return fn
	}
	if r.op == opConst {
		x, c := genNode(l), r.val
		switch n.op {
		case opAdd:
			return func(f *Frame) float64 { return x(f) + c }
		case opSub:
			return func(f *Frame) float64 { return x(f) - c }
		case opMul:
			return func(f *Frame) float64 { return x(f) * c }
		case opDiv:
			return func(f *Frame) float64 { return x(f) / c }
		case opLt:
			return func(f *Frame) float64 { return b2f(x(f) < c) }
		case opGt:
			return func(f *Frame) float64 { return b2f(x(f) > c) }
		}
	}
	if fn := genRateProb(n); fn != nil {
		return fn
	}
	if l.op == opConst {
		c, y := l.val, genNode(r)
		switch n.op {
		case opMul:
			return func(f *Frame) float64 { return c * y(f) }
		case opSub:
			return func(f *Frame) float64 { return c - y(f) }
		case opAdd:
			return func(f *Frame) float64 { return c + y(f) }
		}
	}
	if fn := genLeafBinary(n); fn != nil {
		return fn
	}
	x, y := genNode(l), genNode(r)
	switch n.op {
	case opAdd:
		return func(f *Frame) float64 { return x(f) + y(f) }
	case opSub:
		return func(f *Frame) float64 { return x(f) - y(f) }
	case opMul:
		return func(f *Frame) float64 { return x(f) * y(f) }
	case opDiv:
		return func(f *Frame) float64 { return x(f) / y(f) }
	case opMod:
		return func(f *Frame) float64 { return math.Mod(x(f), y(f)) }
	case opPow:
		return func(f *Frame) float64 { return math.Pow(x(f), y(f)) }
	case opEq:
		return func(f *Frame) float64 { return b2f(x(f) == y(f)) }
	case opNe:
		return func(f *Frame) float64 { return b2f(x(f) != y(f)) }
	case opLt:
		return func(f *Frame) float64 { return b2f(x(f) < y(f)) }
	case opLe:
		return func(f *Frame) float64 { return b2f(x(f) <= y(f)) }
	case opGt:
		return func(f *Frame) float64 { return b2f(x(f) > y(f)) }
	case opGe:
		return func(f *Frame) float64 { return b2f(x(f) >= y(f)) }
	case opMin:
		return func(f *Frame) float64 { return math.Min(x(f), y(f)) }
	case opMax:
		return func(f *Frame) float64 { return math.Max(x(f), y(f)) }
	}
	panic(fmt.Sprintf("model: no code for binary op %d", n.op))
}

// genVarConst generates +, −, * and / of a var or a slot with a constant
// (e.g. the effect cohesion · (1 − erosion)), read inline.
func genVarConst(n *node) func(*Frame) float64 {
	l, r := n.kids[0], n.kids[1]
	var leaf *node
	var c float64
	left := true
	switch {
	case (l.op == opVar || l.op == opSlot) && r.op == opConst:
		leaf, c = l, r.val
	case l.op == opConst && (r.op == opVar || r.op == opSlot):
		leaf, c, left = r, l.val, false
	default:
		return nil
	}
	i, isVar := leaf.idx, leaf.op == opVar
	switch {
	case n.op == opMul && isVar:
		return func(f *Frame) float64 { return f.Vars[i] * c }
	case n.op == opMul:
		return func(f *Frame) float64 { return f.Slots[i] * c }
	case n.op == opAdd && isVar:
		return func(f *Frame) float64 { return f.Vars[i] + c }
	case n.op == opAdd:
		return func(f *Frame) float64 { return f.Slots[i] + c }
	case n.op == opSub && left:
		return func(f *Frame) float64 { return readLeaf(f, isVar, i) - c }
	case n.op == opSub:
		return func(f *Frame) float64 { return c - readLeaf(f, isVar, i) }
	case n.op == opDiv && left:
		return func(f *Frame) float64 { return readLeaf(f, isVar, i) / c }
	}
	return nil
}

// readLeaf reads var i, or slot i.
func readLeaf(f *Frame, isVar bool, i int) float64 {
	if isVar {
		return f.Vars[i]
	}
	return f.Slots[i]
}

// genRateProb generates c − exp(−(x·d)) with d a constant or a table over
// time, the step probability of a lone rate x (see rateToProb), or
// c − exp(−x), as one closure; it computes exactly what the tree of
// closures would.
func genRateProb(n *node) func(*Frame) float64 {
	if n.op != opSub || n.kids[0].op != opConst {
		return nil
	}
	ex := n.kids[1]
	if ex.op != opFunc1 || ex.name != "exp" || ex.kids[0].op != opNeg {
		return nil
	}
	c, arg := n.kids[0].val, ex.kids[0].kids[0]
	if arg.op == opMul {
		x, d := genNode(arg.kids[0]), arg.kids[1]
		switch d.op {
		case opConst:
			dt := d.val
			return func(f *Frame) float64 { return c - math.Exp(-(x(f) * dt)) }
		case opTable:
			tbl := d.tbl
			return func(f *Frame) float64 { return c - math.Exp(-(x(f) * tbl[f.Step])) }
		}
	}
	x := genNode(arg)
	return func(f *Frame) float64 { return c - math.Exp(-x(f)) }
}

// operand reads a leaf (a table, a slot or a var) without a function call,
// or calls the closure of any other node.
type operand struct {
	kind  uint8 // 0 closure, 1 table, 2 slot, 3 var, 4 state table, 5 state slots, 6 const
	idx   int
	track int
	val   float64
	tbl   []float64
	fn    func(*Frame) float64
}

func newOperand(n *node) operand {
	switch n.op {
	case opTable:
		return operand{kind: 1, tbl: n.tbl}
	case opSlot:
		return operand{kind: 2, idx: n.idx}
	case opVar:
		return operand{kind: 3, idx: n.idx}
	case opStateTbl:
		return operand{kind: 4, track: n.idx, tbl: n.tbl}
	case opSlotStateTbl:
		return operand{kind: 5, track: n.idx, idx: n.idx2}
	case opConst:
		return operand{kind: 6, val: n.val}
	}
	return operand{fn: genNode(n)}
}

func (o *operand) get(f *Frame) float64 {
	switch o.kind {
	case 1:
		return o.tbl[f.Step]
	case 2:
		return f.Slots[o.idx]
	case 3:
		return f.Vars[o.idx]
	case 4:
		return o.tbl[f.State[o.track]]
	case 5:
		return f.Slots[o.idx+int(f.State[o.track])]
	case 6:
		return o.val
	}
	return o.fn(f)
}

// genChain generates a chain of three or more + or * as one loop over its
// operands, leaves read inline, instead of a tree of closures.
func genChain(n *node) func(*Frame) float64 {
	terms := chainTerms(n)
	if len(terms) < 3 {
		return nil
	}
	if n.op == opMul {
		if fn := genProduct(terms); fn != nil {
			return fn
		}
	}
	return genChainLoop(n, terms)
}

// genChainLoop generates the chain of terms (the operands of n's op, see
// chainTerms) as one loop over its operands.
func genChainLoop(n *node, terms []*node) func(*Frame) float64 {
	ops := make([]operand, len(terms))
	for i, t := range terms {
		ops[i] = newOperand(t)
	}
	// Leaves are read inline (a call to get costs more than the read).
	mul := n.op == opMul
	return func(f *Frame) float64 {
		v := 0.0
		for i := range ops {
			var x float64
			switch o := &ops[i]; o.kind {
			case 0:
				x = o.fn(f)
			case 1:
				x = o.tbl[f.Step]
			case 2:
				x = f.Slots[o.idx]
			case 4:
				x = o.tbl[f.State[o.track]]
			default:
				x = o.get(f)
			}
			switch {
			case i == 0:
				v = x
			case mul:
				v *= x
			default:
				v += x
			}
		}
		return v
	}
}

// genLeafBinary generates + and * with a leaf operand read inline, the
// commonest shapes after regrouping (a table or slot times a state term).
func genLeafBinary(n *node) func(*Frame) float64 {
	l, r := n.kids[0], n.kids[1]
	isLeaf := func(x *node) bool {
		switch x.op {
		case opTable, opSlot, opVar, opStateTbl, opSlotStateTbl:
			return true
		}
		return false
	}
	if !isLeaf(l) && !isLeaf(r) {
		return nil
	}
	if fn := genLeafClosure(n, isLeaf); fn != nil {
		return fn
	}
	if fn := genLeafPair(n); fn != nil {
		return fn
	}
	a, b := newOperand(l), newOperand(r)
	switch n.op {
	case opMul:
		return func(f *Frame) float64 { return a.get(f) * b.get(f) }
	case opAdd:
		return func(f *Frame) float64 { return a.get(f) + b.get(f) }
	case opSub:
		return func(f *Frame) float64 { return a.get(f) - b.get(f) }
	}
	return nil
}

// genLeafClosure generates +, − and * of a slot or a table with a closure
// (e.g. rate · (date − entry(s))), the leaf read inline.
func genLeafClosure(n *node, isLeaf func(*node) bool) func(*Frame) float64 {
	l, r := n.kids[0], n.kids[1]
	leaf, other, left := l, r, true
	if isLeaf(l) == isLeaf(r) || (n.op != opMul && n.op != opAdd && n.op != opSub) {
		return nil
	}
	if isLeaf(r) {
		leaf, other, left = r, l, false
	}
	y := genNode(other)
	switch leaf.op {
	case opSlot:
		i := leaf.idx
		switch {
		case n.op == opMul: // x·y = y·x exactly, as is x+y = y+x
			return func(f *Frame) float64 { return f.Slots[i] * y(f) }
		case n.op == opAdd:
			return func(f *Frame) float64 { return f.Slots[i] + y(f) }
		case left:
			return func(f *Frame) float64 { return f.Slots[i] - y(f) }
		default:
			return func(f *Frame) float64 { return y(f) - f.Slots[i] }
		}
	case opTable:
		tbl := leaf.tbl
		switch {
		case n.op == opMul:
			return func(f *Frame) float64 { return tbl[f.Step] * y(f) }
		case n.op == opAdd:
			return func(f *Frame) float64 { return tbl[f.Step] + y(f) }
		case left:
			return func(f *Frame) float64 { return tbl[f.Step] - y(f) }
		default:
			return func(f *Frame) float64 { return y(f) - tbl[f.Step] }
		}
	}
	return nil
}
