package model

import (
	"slices"
)

// finish hoists and generates code for a typed tree.
func (c *compiler) finish(n *node, t text) *Expr {
	closeDeps(n, map[*node]bool{})
	n = c.regroup(fold(n))
	e := &Expr{Src: t.S, Pos: t.Pos, Type: n.typ, Dep: n.dep}
	before := c.env.overBudget()
	defer func() {
		if !before && c.env.overBudget() {
			c.errs.Add(t.Pos, t.lineAt(t.Pos), "time-dependent expressions up to here are too many or too large to precompute for %d steps: use fewer steps or fewer time-dependent terms", c.env.steps)
		}
	}()
	switch {
	case n.op == opConst:
		e.Mode, e.Const = ModeConst, n.val
	case n.dep == DepTime:
		if tbl := c.table(n); tbl != nil {
			e.Mode, e.Table = ModeTable, tbl
		} else {
			// Over the table budget: evaluated at each step.
			e.Mode, e.Fn, e.tree, e.points = ModeFunc, c.gen(n), n, c.env.steps+1
			e.spanTree = cloneTree(n)
		}
	case n.op == opSlot:
		e.Mode, e.Slot = ModeSlot, n.idx
	case n.dep == DepTrial:
		e.Mode, e.Slot = ModeSlot, c.slot(n)
	default:
		h := c.hoist(n)
		switch h.op {
		case opStateTbl:
			e.Mode, e.Table, e.Track = ModeState, h.tbl, h.idx
		case opSlotStateTbl:
			e.Mode, e.Slot, e.Track = ModeState, h.idx2, h.idx
		default:
			e.Mode, e.Fn = ModeFunc, c.gen(h)
			if hasOp(h, opStepMemo) {
				e.plain = c.gen(withoutMemos(h))
			}
		}
		e.tree, e.spanTree = h, cloneTree(h)
		e.needs = c.needs(h, nil)
	}
	if e.Mode == ModeSlot && e.Slot >= c.env.nparams {
		e.needs = c.env.slotNeeds[e.Slot-c.env.nparams]
	}
	if e.needs != nil {
		e.needSet = c.env.needSets
		c.env.needSets++
	}
	e.bindCall()
	return e
}

// table evaluates a time-only tree at every step, or returns nil if the
// table does not fit in the budget of precomputed tables.
func (c *compiler) table(n *node) []float64 {
	if n.op == opTable {
		return n.tbl
	}
	if !c.env.use.take(TableTime, 8*int64(c.env.steps+1)) {
		return nil
	}
	c.env.work += (c.env.steps + 1) * expandedSize(n, MaxTableWork, map[*node]int{})
	if c.env.overBudget() {
		if c.env.zeros == nil {
			c.env.zeros = make([]float64, c.env.steps+1)
		}
		return c.env.zeros
	}
	c.env.filled += (c.env.steps + 1) * expandedSize(n, MaxTableWork, map[*node]int{})
	fn := c.gen(n)
	t := make([]float64, c.env.steps+1)
	var f Frame
	for k := range t {
		f.Step = k
		t[k] = fn(&f)
	}
	return t
}

// slot registers a params-only tree as a per-trial value.
func (c *compiler) slot(n *node) int {
	needs := c.needs(n, nil)
	c.env.slotNeeds = append(c.env.slotNeeds, append(needs, int32(len(c.env.slotFns))))
	c.env.slotFns = append(c.env.slotFns, c.gen(n))
	c.env.slotTrees = append(c.env.slotTrees, slotTree{tree: cloneTree(n), track: -1, state: -1})
	return c.env.nparams + len(c.env.slotFns) - 1
}

// needs returns the slots after the params that n reads, with the slots
// those read in turn, ascending (so that computing them in order computes
// each after its own needs), added to to.
func (c *compiler) needs(n *node, to []int32) []int32 {
	np := c.env.nparams
	add := func(j int) {
		for _, d := range c.env.slotNeeds[j] {
			if i, found := slices.BinarySearch(to, d); !found {
				to = slices.Insert(to, i, d)
			}
		}
	}
	var walk func(x *node)
	walk = func(x *node) {
		if x.op.info().reads&readsSlot == 0 {
			for _, k := range x.kids {
				walk(k)
			}
			return
		}
		switch x.op {
		case opSlot:
			if x.idx >= np {
				add(x.idx - np)
			}
		case opSlotStateTbl:
			for _, g := range c.env.states[x.idx] {
				add(x.idx2 + g - np)
			}
		default:
			// A slot reader this pass does not know: every slot so far.
			for j := range c.env.slotNeeds {
				add(j)
			}
		}
		for _, k := range x.kids {
			walk(k)
		}
	}
	walk(n)
	return to
}

// hoist replaces maximal time-only subtrees by tables and params-only
// subtrees by slots, so that a closure only computes what changes per step.
func (c *compiler) hoist(n *node) *node {
	switch {
	case n.op == opConst || n.op == opSlot || n.op == opTable:
		return n
	case n.dep == DepTime:
		if tbl := c.table(n); tbl != nil {
			return &node{op: opTable, typ: n.typ, dep: DepTime, tbl: tbl, off: n.off}
		}
		return n // over the table budget: evaluated as written
	case n.dep == DepTrial:
		return &node{op: opSlot, typ: n.typ, dep: DepTrial, idx: c.slot(n), off: n.off}
	case n.op == opStateTbl || n.op == opSlotStateTbl || n.op == opStepMemo || n.op == opVarMemo:
		return n
	case n.dep&DepState != 0 && varsAndParams(n) && costly(n):
		// Vars and params: computed again only when a var or a param
		// changes, not at every step (e.g. exp(k · (cohesion − 0.5))).
		for i, k := range n.kids {
			n.kids[i] = c.hoist(k)
		}
		c.env.varMemos++
		return &node{op: opVarMemo, typ: n.typ, dep: n.dep, idx: c.env.varMemos - 1, kids: []*node{n}, off: n.off}
	case n.dep == DepTime|DepTrial && costly(n) && c.env.use.take(TableTime, memoBytes*int64(c.env.steps+1)):
		// Time and params: computed once per step and set of param values
		// (the trials of a nested run's draw share them).
		for i, k := range n.kids {
			n.kids[i] = c.hoist(k)
		}
		c.env.memos++
		return &node{op: opStepMemo, typ: n.typ, dep: n.dep, idx: c.env.memos - 1, kids: []*node{n}, off: n.off}
	case n.dep&DepTime == 0:
		if k, ok := c.oneTrack(n); ok {
			if t := c.stateTable(n, k); t != nil {
				return t
			}
		}
	}
	for i, k := range n.kids {
		n.kids[i] = c.hoist(k)
	}
	return n
}

// memoBytes is what one point of a step memo is counted at against the
// table budget: its value and its generation in each frame.
const memoBytes = 16

// hasOp reports whether the tree n holds an op o node.
func hasOp(n *node, o op) bool {
	return n != nil && (n.op == o || slices.ContainsFunc(n.kids, func(k *node) bool { return hasOp(k, o) }))
}

// withoutMemos returns a copy of n in which every step memo is replaced by
// the subtree it keeps.
func withoutMemos(n *node) *node {
	if n.op == opStepMemo {
		return withoutMemos(n.kids[0])
	}
	if !hasOp(n, opStepMemo) {
		return n
	}
	c := *n
	c.kids = make([]*node, len(n.kids))
	for i, k := range n.kids {
		c.kids[i] = withoutMemos(k)
	}
	return &c
}

// costly reports whether n calls a function or raises to a power, which
// costs more than looking its value up in a step memo.
func costly(n *node) bool {
	if n.op == opFunc1 || n.op == opPow {
		return true
	}
	return slices.ContainsFunc(n.kids, costly)
}

// varsAndParams reports whether n reads nothing but vars, slots and
// constants.
func varsAndParams(n *node) bool {
	if n.op.info().reads&^(readsVar|readsSlot) != 0 {
		return false
	}
	return !slices.ContainsFunc(n.kids, func(k *node) bool { return !varsAndParams(k) })
}

// oneTrack reports whether n reads the trial's state only through the
// current state of one track (no vars, dwell or entries), and which.
func (c *compiler) oneTrack(n *node) (int, bool) {
	track := -1
	ok := true
	var walk func(x *node)
	walk = func(x *node) {
		r := x.op.info().reads
		if r&readsState != 0 {
			if track >= 0 && track != x.idx {
				ok = false
			}
			track = x.idx
		}
		if r&^(readsState|readsSlot) != 0 {
			ok = false // vars, dwell, entries, time: not a function of one state
		}
		for _, k := range x.kids {
			walk(k)
		}
	}
	walk(n)
	return track, ok && track >= 0
}

// stateTable turns an expression of one track's state (and params) into a
// table indexed by global state: made once if it does not depend on
// params, else filled in per-trial slots (computed when first needed).
// It returns nil if the table does not fit in the budget of precomputed
// tables (per-trial slots are counted at slotBytes each).
func (c *compiler) stateTable(n *node, k int) *node {
	first, count := len(c.env.stateNames), 0
	for _, g := range c.env.states[k] {
		first = min(first, g)
		count++
	}
	size := 8 * int64(first+count)
	if n.dep&DepTrial != 0 {
		size = slotBytes * int64(count)
	}
	if !c.env.use.take(TableState, size) {
		return nil
	}
	fn := c.gen(n)
	eval := func(f *Frame, g int) float64 {
		save := f.State[k]
		f.State[k] = int32(g)
		v := fn(f)
		f.State[k] = save
		return v
	}
	if n.dep&DepTrial == 0 {
		tbl := make([]float64, first+count)
		f := &Frame{State: make([]int32, len(c.env.states))}
		for g := first; g < first+count; g++ {
			tbl[g] = eval(f, g)
		}
		return &node{op: opStateTbl, typ: n.typ, dep: DepState, idx: k, tbl: tbl, off: n.off}
	}
	base := c.env.nparams + len(c.env.slotFns)
	needs := c.needs(n, nil)
	at := &Frame{State: make([]int32, len(c.env.states))}
	tree := cloneTree(n)
	for g := first; g < first+count; g++ {
		if v, ok := valueAtState(n, k, g, at); ok {
			if c.env.slotConst == nil {
				c.env.slotConst = map[int]float64{}
			}
			c.env.slotConst[len(c.env.slotFns)] = v
		}
		c.env.slotNeeds = append(c.env.slotNeeds, append(slices.Clone(needs), int32(len(c.env.slotFns))))
		c.env.slotFns = append(c.env.slotFns, func(f *Frame) float64 { return eval(f, g) })
		c.env.slotTrees = append(c.env.slotTrees, slotTree{tree: tree, track: k, state: g})
	}
	return &node{op: opSlotStateTbl, typ: n.typ, dep: DepState | DepTrial, idx: k, idx2: base - first, off: n.off}
}

// slotBytes is what one per-trial slot of a state table is counted at
// against the table budget: its value in every frame, its closure and its
// list of needs.
const slotBytes = 128

// fold evaluates constant subtrees.
func fold(n *node) *node {
	for i, k := range n.kids {
		n.kids[i] = fold(k)
	}
	if info := n.op.info(); n.dep != 0 || n.op == opConst || !info.value || info.reads != 0 {
		return n
	}
	v := genNode(n)(&Frame{})
	return cnst(v, n.typ, n.off)
}

// regroup reorders chains of + and of * (which commute) so that factors of
// the same dependency stand together: constants fold into one, time-only
// factors into one table, param-only factors into one per-trial slot, and
// only the state-dependent rest is left for the step loop. For example
// rate·ramp(d0, d1)·(talks.open ? 2 : 1) becomes a table of rate·ramp
// times a closure of the state test.
func (c *compiler) regroup(n *node) *node {
	for i, k := range n.kids {
		n.kids[i] = c.regroup(k)
	}
	if (n.op != opAdd && n.op != opMul) || n.dep&DepState == 0 {
		return n
	}
	terms := chainTerms(n)
	// Order: const, time, trial, time+trial, then state-dependent terms in
	// their written order; each group is combined left to right.
	rank := func(x *node) int {
		switch {
		case x.dep == 0:
			return 0
		case x.dep == DepTime:
			return 1
		case x.dep == DepTrial:
			return 2
		case x.dep&DepState == 0:
			return 3
		}
		return 4
	}
	groups := make([][]*node, 5)
	for _, x := range terms {
		groups[rank(x)] = append(groups[rank(x)], x)
	}
	combine := func(a, b *node) *node {
		if a == nil {
			return b
		}
		return &node{op: n.op, typ: TypeNum, dep: a.dep | b.dep, kids: []*node{a, b}, off: n.off}
	}
	var out *node
	for i, g := range groups[:4] {
		var part *node
		for _, x := range g {
			part = combine(part, x)
		}
		if part == nil {
			continue
		}
		part = fold(part)
		if i == 0 && n.op == opMul && part.val == 1 {
			continue // x·1 = x exactly (state-dependent terms follow)
		}
		out = combine(out, part)
	}
	// State-dependent terms that read one and the same track combine first,
	// so that they hoist into a single table indexed by that track's state.
	var byTrack [][]*node
	var other []*node
	trackOf := map[int]int{}
	for _, x := range groups[4] {
		if k, ok := c.oneTrack(x); ok && x.dep&DepTime == 0 {
			if i, seen := trackOf[k]; seen {
				byTrack[i] = append(byTrack[i], x)
				continue
			}
			trackOf[k] = len(byTrack)
			byTrack = append(byTrack, []*node{x})
			continue
		}
		other = append(other, x)
	}
	for _, g := range byTrack {
		var part *node
		for _, x := range g {
			part = combine(part, x)
		}
		out = combine(out, part)
	}
	for _, x := range other {
		out = combine(out, x)
	}
	return out
}

// chainOrders folds the chain of n's op (+ or *) rooted at n in both
// orders its generated code may take at each node of the chain: the terms
// (chainTerms) left to right, as genChain and genProduct compute a chain
// of three or more whatever its grouping, or the node's two operands, as
// genPostOps computes a nest it fuses; each operand node is itself
// computed either way. term gives a term's value (false: none), op
// applies the chain's op, and join merges a node's two orders (false: no
// value). Analyses that must hold for the value the code computes (spans,
// constant slots) go through here, so that they follow the generators.
func chainOrders[T any](n *node, term func(*node) (T, bool), op func(a, b T) T, join func(left, grouped T) (T, bool)) (T, bool) {
	var zero T
	vals := map[*node]T{}
	for _, t := range chainTerms(n) {
		v, ok := term(t)
		if !ok {
			return zero, false
		}
		vals[t] = v
	}
	var either func(x *node) (T, bool)
	either = func(x *node) (T, bool) {
		if x.op != n.op {
			return vals[x], true
		}
		terms := chainTerms(x)
		left := vals[terms[0]]
		for _, t := range terms[1:] {
			left = op(left, vals[t])
		}
		a, okA := either(x.kids[0])
		b, okB := either(x.kids[1])
		if !okA || !okB {
			return zero, false
		}
		return join(left, op(a, b))
	}
	return either(n)
}

// chainTerms returns the operands of a chain of n's op (+ or *), left to
// right: a + (b + c) + d gives a, b, c, d.
func chainTerms(n *node) []*node {
	var terms []*node
	var flatten func(x *node)
	flatten = func(x *node) {
		if x.op == n.op {
			flatten(x.kids[0])
			flatten(x.kids[1])
			return
		}
		terms = append(terms, x)
	}
	flatten(n)
	return terms
}
