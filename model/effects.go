package model

import "math"

// The commonest effects of transitions (set:) are computed inline, from a
// var and one constant or per-trial value, rather than by evaluating
// their expression: the engine computes an effect each time its
// transition fires.

// effectForm is the shape of an effect's value that Effect.Compute
// computes inline; the zero value evaluates the expression.
type effectForm uint8

const (
	effectEval   effectForm = iota // Value.Eval(f)
	effectK                        // k
	effectScale                    // Vars[src] · k
	effectToward                   // Vars[src] + k·(1 − Vars[src]), the product rounded before the sum
)

// newEffect returns the effect that sets var v to value when its
// transition fires, with the inline form of value if it has one.
func newEffect(v int, value *Expr) Effect {
	e := Effect{Var: v, Value: value, kslot: -1}
	switch value.Mode {
	case ModeConst:
		e.form, e.k = effectK, value.Const
	case ModeSlot:
		e.form, e.kslot = effectK, value.Slot
	case ModeFunc:
		e.form, e.src = formOf(value.tree, &e)
	}
	return e
}

// formOf returns the inline form of the tree n of an effect's value, and
// the var it reads, setting e's k or kslot; effectEval if it has none.
// Sums and products are matched in either order of their operands: IEEE
// addition and multiplication commute exactly.
func formOf(n *node, e *Effect) (effectForm, int) {
	if n == nil || len(n.kids) != 2 {
		return effectEval, 0
	}
	l, r := n.kids[0], n.kids[1]
	switch n.op {
	case opMul: // var · k
		if r.op == opVar {
			l, r = r, l
		}
		if l.op == opVar && e.setK(r) {
			e.affine(effectScale)
			return effectScale, l.idx
		}
	case opAdd: // var + k·(1 − var)
		if r.op == opVar {
			l, r = r, l
		}
		if l.op != opVar || r.op != opMul {
			break
		}
		k, d := r.kids[0], r.kids[1]
		if k.op == opSub {
			k, d = d, k
		}
		if d.op == opSub && d.kids[0].op == opConst && d.kids[0].val == 1 &&
			d.kids[1].op == opVar && d.kids[1].idx == l.idx && e.setK(k) {
			e.affine(effectToward)
			return effectToward, l.idx
		}
	}
	return effectEval, 0
}

// setK makes n, a constant or a slot, the effect's k, and reports whether
// it is one.
func (e *Effect) setK(n *node) bool {
	switch n.op {
	case opConst:
		e.k = n.val
		return true
	case opSlot:
		e.kslot = n.idx
		return true
	}
	return false
}

// Compute returns the effect's value in f: the same float64 as
// Value.Eval(f), computed inline when the expression is a constant, a
// per-trial value, a var times one, or a var moved towards 1 by one
// (v + k·(1 − v)).
func (e *Effect) Compute(f *Frame) float64 {
	if e.form == effectEval {
		return e.Value.Eval(f)
	}
	k := e.k
	if e.kslot >= 0 {
		if x := e.Value; x.needs != nil {
			f.EnsureSet(x.needSet, x.needs)
		}
		k = f.Slots[e.kslot]
	}
	if e.form == effectK {
		return k
	}
	// Both forms as b + k·d, without a branch on the form (which varies
	// from one fired event to the next): a scale has d = −0 + v = v and
	// b = −0, so b + k·v = v·k; a move towards 1 has d = 1 + (−v) = 1 − v
	// and b = v. Each step is exact IEEE arithmetic: x − y is x + (−y),
	// −0 + x is x for every x, and sums and products commute.
	return affineValue(f.Vars[e.src], k, e.d0, e.flip, e.keep)
}

// affineValue is the value of Compute's scale and towards forms for the
// var value x: b + k·d, with d and b made from x by d0, flip and keep.
func affineValue(x, k, d0 float64, flip, keep uint64) float64 {
	v := math.Float64bits(x)
	d := d0 + math.Float64frombits(v^flip)
	b := math.Float64frombits(v&keep | negZero&^keep)
	return b + float64(k*d) // float64(): no fused multiply-add
}

// negZero is the bits of −0.
const negZero = 1 << 63

// affine sets the constants of Compute's scale and towards forms.
func (e *Effect) affine(form effectForm) {
	e.form = form
	if form == effectScale {
		e.d0, e.flip, e.keep = math.Copysign(0, -1), 0, 0
		return
	}
	e.d0, e.flip, e.keep = 1, negZero, math.MaxUint64
}

// Inline reports whether Compute computes the effect without evaluating
// its expression.
func (e *Effect) Inline() bool { return e.form != effectEval }

// VarEffect is an inline effect whose value reads no per-trial value (its
// k is a constant): a small record that computes it from the vars alone,
// for a caller that keeps what it needs of a transition side by side.
// Its Compute gives the float64 Effect.Compute gives, bit for bit.
type VarEffect struct {
	Var   int32 // the var it sets
	src   int32 // the var it reads, unless konst
	konst bool  // its value is k
	k, d0 float64
	flip  uint64
	keep  uint64
}

// VarEffect returns e as a VarEffect, and false if e's value is evaluated
// as written or reads a per-trial value (Compute must then ensure it).
func (e *Effect) VarEffect() (VarEffect, bool) {
	if e.form == effectEval || e.kslot >= 0 {
		return VarEffect{}, false
	}
	return VarEffect{
		Var: int32(e.Var), src: int32(e.src), konst: e.form == effectK,
		k: e.k, d0: e.d0, flip: e.flip, keep: e.keep,
	}, true
}

// Compute returns the effect's value from vars, the values of the plan's
// vars (as in Frame.Vars) at the start of the step.
func (e *VarEffect) Compute(vars []float64) float64 {
	if e.konst {
		return e.k
	}
	return affineValue(vars[e.src], e.k, e.d0, e.flip, e.keep)
}
