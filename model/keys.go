package model

import (
	"math"
	"scensim/model/kernel"
	"sort"
)

// discreteKeys adds to keys the discrete inputs e reads and reports whether
// those are all it reads besides time and constants: no params drawn per
// trial, vars, dwell or entry dates.
func (e *Expr) discreteKeys(p *Plan, keys *[]kernel.Key) bool {
	ok, trial := e.keysAndTrial(p, keys)
	return ok && !trial
}

// keysAndTrial is discreteKeys that also allows params drawn per trial,
// reporting whether e reads any.
func (e *Expr) keysAndTrial(p *Plan, keys *[]kernel.Key) (ok, trial bool) {
	if e == nil || e.Mode == ModeConst || e.Mode == ModeTable {
		return true, false
	}
	if e.Mode == ModeSlot {
		return true, true
	}
	if e.tree == nil {
		return false, false
	}
	addTrack := func(k int) {
		for _, x := range *keys {
			if x.Track == k {
				return
			}
		}
		tr := p.Tracks[k]
		*keys = append(*keys, kernel.Key{Track: k, First: tr.First, Size: tr.NStates, Reached: -1})
	}
	addReached := func(g int, bound int32) { addBound(p, keys, g, bound) }
	ok = true
	var walk func(n *node)
	walk = func(n *node) {
		r := n.op.info().reads
		if r&(readsVar|readsDwell|readsEntry) != 0 {
			ok = false // not discrete
		}
		if r&readsState != 0 {
			addTrack(n.idx)
		}
		if r&readsSlot != 0 {
			trial = true
		}
		if r&readsReached != 0 {
			switch d := n.kids; {
			case n.op == opReached:
				addReached(n.idx, math.MaxInt32)
			case n.op == opReachedBy && d[0].op == opConst:
				// The last point whose day is at most d: the key tells
				// whether the state was entered by then.
				addReached(n.idx, int32(sort.Search(len(n.tbl), func(i int) bool { return n.tbl[i] > d[0].val })-1))
			default:
				ok = false
			}
		}
		// Time is read at the step the tables are made for.
		for _, k := range n.kids {
			walk(k)
		}
	}
	walk(e.tree)
	return ok, trial
}

// timeFree reports whether e does not depend on the step.
func (e *Expr) timeFree() bool { return e == nil || e.Dep&DepTime == 0 }
