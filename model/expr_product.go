package model

import "math"

// A rate is most often a product that regrouping (see regroup) left in a
// fixed order: a head of constant, time-only and params-only factors, at
// most one factor of time and params (commonly a trend such as
// 1 + k · date / weeks(52)), then factors that read one track's state
// each, hoisted into tables by state. genProduct generates such a chain
// as one straight-line closure: every factor is read inline and the trend
// computed inline, with no loop over operands and no call, which costs a
// third of the generic chain (genChain's loop) on the agreement hazards
// of the reference model.

// headLeaf is a factor of a product's head: a table over time, a slot or
// a constant.
type headLeaf struct {
	kind uint8 // leafTable, leafSlot or leafConst
	tbl  []float64
	idx  int
	c    float64
}

const (
	leafTable uint8 = iota
	leafSlot
	leafConst
)

// read returns the leaf's value in f.
func (l *headLeaf) read(f *Frame) float64 {
	switch l.kind {
	case leafTable:
		return l.tbl[f.Step]
	case leafSlot:
		return f.Slots[l.idx]
	}
	return l.c
}

// headLeafOf returns n as a head leaf, if it is one.
func headLeafOf(n *node) (headLeaf, bool) {
	switch n.op {
	case opTable:
		return headLeaf{kind: leafTable, tbl: n.tbl}, true
	case opSlot:
		return headLeaf{kind: leafSlot, idx: n.idx}, true
	case opConst:
		return headLeaf{kind: leafConst, c: n.val}, true
	}
	return headLeaf{}, false
}

// trend is c0 + (slot · table) / c1, or c0 + slot · table if !div (in any
// order of the sum's and the product's operands, which commute exactly):
// a params-times-time term, computed as genPostOps computes it.
type trend struct {
	c0, c1 float64
	div    bool
	slot   int
	tbl    []float64
}

// trendOf returns n as a trend, if it is one.
func trendOf(n *node) (trend, bool) {
	if n.op != opAdd {
		return trend{}, false
	}
	c0, rest := n.kids[0], n.kids[1]
	if c0.op != opConst {
		c0, rest = rest, c0
	}
	if c0.op != opConst {
		return trend{}, false
	}
	t := trend{c0: c0.val}
	if rest.op == opDiv && rest.kids[1].op == opConst {
		t.div, t.c1, rest = true, rest.kids[1].val, rest.kids[0]
	}
	if rest.op != opMul {
		return trend{}, false
	}
	s, tb := rest.kids[0], rest.kids[1]
	if s.op != opSlot {
		s, tb = tb, s
	}
	if s.op != opSlot || tb.op != opTable {
		return trend{}, false
	}
	t.slot, t.tbl = s.idx, tb.tbl
	return t, true
}

// stateFactor is a factor of a product's tail: a table by one track's
// state, constant (tbl[State[track]]) or made per trial
// (Slots[base+State[track]]).
type stateFactor struct {
	track int
	tbl   []float64 // nil: per-trial slots from base
	base  int
}

// stateFactorOf returns n as a tail factor, if it is one.
func stateFactorOf(n *node) (stateFactor, bool) {
	switch n.op {
	case opStateTbl:
		return stateFactor{track: n.idx, tbl: n.tbl}, true
	case opSlotStateTbl:
		return stateFactor{track: n.idx, base: n.idx2}, true
	}
	return stateFactor{}, false
}

// genProduct generates a product chain (chainTerms of an opMul node) of
// the form head · [trend] · tail, with a head of one or two table, slot
// or constant factors, at most one trend and any number of state factors,
// as one closure that multiplies left to right exactly as genChain's loop
// does. It returns nil for any other shape.
func genProduct(terms []*node) func(*Frame) float64 {
	var head []headLeaf
	i := 0
	for ; i < len(terms) && len(head) < 2; i++ {
		l, ok := headLeafOf(terms[i])
		if !ok {
			break
		}
		head = append(head, l)
	}
	if len(head) == 0 {
		return nil
	}
	tr, hasTrend := trend{}, false
	if i < len(terms) {
		tr, hasTrend = trendOf(terms[i])
		if hasTrend {
			i++
		}
	}
	var tail []stateFactor
	for ; i < len(terms); i++ {
		s, ok := stateFactorOf(terms[i])
		if !ok {
			return nil
		}
		tail = append(tail, s)
	}
	h0 := head[0]
	two := len(head) == 2
	var h1 headLeaf
	if two {
		h1 = head[1]
	}
	// The commonest head, a table over time times a slot (regroup puts
	// time-only factors before params-only ones), is read without the
	// leaves' switch.
	tableSlot := two && h0.kind == leafTable && h1.kind == leafSlot
	hTbl, hSlot := h0.tbl, h1.idx
	if tableSlot && hasTrend && tr.div {
		if fn := genTrendProduct(hTbl, hSlot, tr, tail); fn != nil {
			return fn
		}
	}
	return func(f *Frame) float64 {
		var v float64
		switch {
		case tableSlot:
			v = float64(hTbl[f.Step] * f.Slots[hSlot])
		case two:
			v = float64(h0.read(f) * h1.read(f))
		default:
			v = h0.read(f)
		}
		if hasTrend {
			// As genPostOps computes it: each result rounded on its own.
			x := float64(tr.tbl[f.Step] * f.Slots[tr.slot])
			if tr.div {
				x = float64(x / tr.c1)
			}
			v = float64(v * float64(tr.c0+x))
		}
		for j := range tail {
			s := &tail[j]
			if s.tbl != nil {
				v = float64(v * s.tbl[f.State[s.track]])
			} else {
				v = float64(v * f.Slots[s.base+int(f.State[s.track])])
			}
		}
		return v
	}
}

// genTrendProduct generates the commonest hazard of all, a table over time
// times a slot, times a trend c0 + (slot · table) / c1, times one to three
// constant tables by a track's state (on the baseline, the agreement
// hazards), with no branch and no loop: the same products, in the same
// order, as genProduct's general closure. It returns nil for a tail of
// another length or one with a table made per trial.
func genTrendProduct(hTbl []float64, hSlot int, tr trend, tail []stateFactor) func(*Frame) float64 {
	for _, s := range tail {
		if s.tbl == nil {
			return nil
		}
	}
	tTbl, tSlot, c0, c1 := tr.tbl, tr.slot, tr.c0, tr.c1
	switch len(tail) {
	case 1:
		k1, t1 := tail[0].track, tail[0].tbl
		return func(f *Frame) float64 {
			v := float64(hTbl[f.Step] * f.Slots[hSlot])
			x := float64(float64(tTbl[f.Step]*f.Slots[tSlot]) / c1)
			v = float64(v * float64(c0+x))
			return float64(v * t1[f.State[k1]])
		}
	case 2:
		k1, t1, k2, t2 := tail[0].track, tail[0].tbl, tail[1].track, tail[1].tbl
		return func(f *Frame) float64 {
			v := float64(hTbl[f.Step] * f.Slots[hSlot])
			x := float64(float64(tTbl[f.Step]*f.Slots[tSlot]) / c1)
			v = float64(v * float64(c0+x))
			v = float64(v * t1[f.State[k1]])
			return float64(v * t2[f.State[k2]])
		}
	case 3:
		k1, t1, k2, t2, k3, t3 := tail[0].track, tail[0].tbl, tail[1].track, tail[1].tbl, tail[2].track, tail[2].tbl
		return func(f *Frame) float64 {
			v := float64(hTbl[f.Step] * f.Slots[hSlot])
			x := float64(float64(tTbl[f.Step]*f.Slots[tSlot]) / c1)
			v = float64(v * float64(c0+x))
			v = float64(v * t1[f.State[k1]])
			v = float64(v * t2[f.State[k2]])
			return float64(v * t3[f.State[k3]])
		}
	}
	return nil
}

// genElapsed generates k · (t − entry(s)) / c and k · (t − entry(s)), with
// k a slot, t a table over time (commonly the date) and c a constant (the
// operands of the product in either order): a rate that grows with the
// time since a state was entered. It computes what genPostOps computes,
// inline; it returns nil for any other shape.
func genElapsed(n *node) func(*Frame) float64 {
	div, c := false, 0.0
	if n.op == opDiv && n.kids[1].op == opConst {
		div, c, n = true, n.kids[1].val, n.kids[0]
	}
	if n.op != opMul {
		return nil
	}
	k, d := n.kids[0], n.kids[1]
	if k.op != opSlot {
		k, d = d, k
	}
	if k.op != opSlot || d.op != opSub || d.kids[0].op != opTable || d.kids[1].op != opEntry {
		return nil
	}
	slot, tbl := k.idx, d.kids[0].tbl
	g, days := d.kids[1].idx, d.kids[1].tbl
	return func(f *Frame) float64 {
		v := math.Inf(1) // never entered
		if e := f.Entry[g]; e >= 0 {
			v = days[e]
		}
		v = float64(f.Slots[slot] * float64(tbl[f.Step]-v))
		if div {
			v = float64(v / c)
		}
		return v
	}
}
