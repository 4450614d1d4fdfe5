package model

import (
	"math"
	"slices"
	"sort"
)

// Key is a discrete input of an expression: the current state of a track,
// or when a state was first entered, as far as the expression can tell.
type Key struct {
	Track int // ≥ 0: the key is the local index of this track's state
	First int // the track's first global state
	Size  int // number of values: the track's states, or len(Bounds)+2
	// Reached ≥ 0 (when Track < 0): the key says when this global state
	// was first entered: 0 never; 1 at a point ≤ Bounds[0]; i at a point in
	// (Bounds[i-2], Bounds[i-1]]; len(Bounds)+1 after the last bound. With
	// no bounds it is whether the state was reached (reached), with bounds
	// also whether by given points (reached_by with a fixed date).
	Reached int
	Bounds  []int32 // ascending point indices, ≥ 0 and < the last point
}

// Value returns the key's value in f.
func (k *Key) Value(f *Frame) int {
	if k.Track >= 0 {
		return int(f.State[k.Track]) - k.First
	}
	e := f.Entry[k.Reached]
	if e < 0 {
		return 0
	}
	v := 1
	for _, b := range k.Bounds {
		if e <= b {
			break
		}
		v++
	}
	return v
}

// set sets f so that the key has value v.
func (k *Key) set(f *Frame, v int) {
	switch {
	case k.Track >= 0:
		f.State[k.Track] = int32(k.First + v)
	case v == 0:
		f.Entry[k.Reached] = -1
	case v == 1:
		f.Entry[k.Reached] = 0
	default:
		f.Entry[k.Reached] = k.Bounds[v-2] + 1
	}
}

// discreteKeys adds to keys the discrete inputs e reads and reports whether
// those are all it reads besides time and constants: no params drawn per
// trial, vars, dwell or entry dates.
func (e *Expr) discreteKeys(p *Plan, keys *[]Key) bool {
	ok, trial := e.keysAndTrial(p, keys)
	return ok && !trial
}

// keysAndTrial is discreteKeys that also allows params drawn per trial,
// reporting whether e reads any.
func (e *Expr) keysAndTrial(p *Plan, keys *[]Key) (ok, trial bool) {
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
		*keys = append(*keys, Key{Track: k, First: tr.First, Size: tr.NStates, Reached: -1})
	}
	addReached := func(g int, bound int32) {
		i := slices.IndexFunc(*keys, func(x Key) bool { return x.Track < 0 && x.Reached == g })
		if i < 0 {
			*keys = append(*keys, Key{Track: -1, Size: 2, Reached: g})
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
	ok = true
	var walk func(n *node)
	walk = func(n *node) {
		switch n.op {
		case opInState, opInStates, opStateTbl:
			addTrack(n.idx)
		case opSlotStateTbl:
			addTrack(n.idx)
			trial = true
		case opSlot:
			trial = true
		case opReached:
			addReached(n.idx, math.MaxInt32)
		case opReachedBy:
			if d := n.kids[0]; d.op == opConst {
				// The last point whose day is at most d: the key tells
				// whether the state was entered by then.
				addReached(n.idx, int32(sort.Search(len(n.tbl), func(i int) bool { return n.tbl[i] > d.val })-1))
			} else {
				ok = false
			}
		case opVar, opDwell, opEntry:
			ok = false
		}
		for _, k := range n.kids {
			walk(k)
		}
	}
	walk(e.tree)
	return ok, trial
}

// timeFree reports whether e does not depend on the step.
func (e *Expr) timeFree() bool { return e == nil || e.Dep&DepTime == 0 }
