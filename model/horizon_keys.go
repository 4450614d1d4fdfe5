package model

import (
	"math"
	"slices"
	"sort"

	"scensim/model/kernel"
)

// maxTestCombos bounds the combinations of keys of an outcome's or a
// check's truth table.
const maxTestCombos = kernel.MaxTestCombos

// horizonKeys adds to keys the inputs e reads at the horizon and reports
// whether they are all it reads besides time and constants. It allows
// what discreteKeys allows and, besides, the entry points of states:
// entry(s), and reached_by(s, d) whatever d is, make s's key tell its
// entry point exactly (never, or point 0, 1, … the horizon). It allows
// no params drawn per trial, vars, dwell or counts of entries.
func (e *Expr) horizonKeys(p *Plan, keys *[]kernel.Key) bool {
	if e.discreteKeys(p, keys) {
		return true
	}
	*keys = (*keys)[:0]
	if e == nil || e.tree == nil {
		return false
	}
	ok := true
	var exact []int // the states whose entry point is read as a number
	var scan func(n *node)
	scan = func(n *node) {
		r := n.op.info().reads
		switch {
		case r&(readsVar|readsDwell|readsSlot) != 0:
			ok = false
		case n.op == opEntry, n.op == opReachedBy && n.kids[0].op != opConst:
			if !slices.Contains(exact, n.idx) {
				exact = append(exact, n.idx)
			}
		case r&readsEntry != 0: // entries(s): a count, not a key
			ok = false
		}
		for _, k := range n.kids {
			scan(k)
		}
	}
	scan(e.tree)
	if !ok || len(exact) == 0 {
		return false
	}
	every := make([]int32, p.Steps) // every point before the last: exact keys
	for i := range every {
		every[i] = int32(i)
	}
	for _, g := range exact {
		*keys = append(*keys, kernel.Key{Track: -1, Reached: g, Bounds: every, Size: len(every) + 2})
	}
	var walk func(n *node)
	walk = func(n *node) {
		r := n.op.info().reads
		if r&readsState != 0 && !slices.ContainsFunc(*keys, func(k kernel.Key) bool { return k.Track == n.idx }) {
			tr := p.Tracks[n.idx]
			*keys = append(*keys, kernel.Key{Track: n.idx, First: tr.First, Size: tr.NStates, Reached: -1})
		}
		if r&readsReached != 0 {
			bound := int32(math.MaxInt32) // reached: whether at all
			if n.op == opReachedBy && n.kids[0].op == opConst {
				d := n.kids[0].val
				bound = int32(sort.Search(len(n.tbl), func(i int) bool { return n.tbl[i] > d }) - 1)
			}
			addBound(p, keys, n.idx, bound)
		}
		for _, k := range n.kids {
			walk(k)
		}
	}
	walk(e.tree)
	return true
}

// addBound makes the key of state g's entry in keys tell whether g was
// entered by point bound (any point, for a bound past the last step).
func addBound(p *Plan, keys *[]kernel.Key, g int, bound int32) {
	i := slices.IndexFunc(*keys, func(x kernel.Key) bool { return x.Track < 0 && x.Reached == g })
	if i < 0 {
		*keys = append(*keys, kernel.Key{Track: -1, Size: 2, Reached: g})
		i = len(*keys) - 1
	}
	k := &(*keys)[i]
	if bound < 0 || int(bound) >= p.Steps {
		return // reached_by before the start never holds; from the horizon on it is reached
	}
	if j, found := slices.BinarySearch(k.Bounds, bound); !found {
		k.Bounds = slices.Insert(slices.Clone(k.Bounds), j, bound)
		k.Size = len(k.Bounds) + 2
	}
}
