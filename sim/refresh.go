package sim

import (
	"math"
	"slices"

	"scensim/model/kernel"
)

// Track caches and their refresh after moves.

// trackCache is what the step loop needs of a track's current state,
// kept until the track or a track its keys read moves.
type trackCache struct {
	out   []int
	tbl   *kernel.StateTable // the state's table, or nil: evaluate
	cells []kernel.Cell      // for the current key combination, the cell at step k is cells[k&mask]; nil: evaluate
	live  []int32            // for the current key combination: see kernel.StateTable.Path
	mask  int                // see cells
	row   []float64          // the row of the cell when it is a CellTable cell at every step, else nil (see rowOf)
	reads []int32            // tracks whose moves can change the combination
	class int32              // the class of the combination (see kernel.StateTable.Class), with tbl
}

// The track's wake (runner.wake) is kept apart from its cache, so that the
// step loop passes over sleeping tracks reading one int32 each.

// refresh updates track k's cache from the frame.
func (r *runner) refresh(k, step int) {
	tc := &r.cache[k]
	g := r.f.State[k]
	r.work.refreshes++
	if r.paths.out[g] == 0 {
		// It stays in this state, and its cache is not read again.
		r.wake[k] = math.MaxInt32
		if tc.reads != nil {
			tc.reads, r.cacheChanged = nil, true
		}
		r.now[k].Kind = cellVaries
		return
	}
	src := tc // what the cache now holds; read from an own cache, not from the copy just written
	r.cacheChanged = true
	if own := &r.own[g]; own.out != nil {
		*tc, src = *own, own
	} else {
		r.cacheFor(tc, int(g))
	}
	r.wake[k] = int32(step)
	if src.live != nil && step < r.p.Steps {
		r.wake[k] = max(int32(step), src.live[step&src.mask])
	}
	r.now[k].Kind = cellVaries
	if src.mask == 0 && src.cells != nil && src.cells[0].Kind != kernel.CellNone {
		r.now[k] = src.cells[0]
	}
}

// refreshMoved refreshes, after the step before step in which the tracks
// of r.fired moved, every track whose cache a move can change: the track
// that moved, and the tracks whose current state's combination reads it
// and now falls in another class (a combination of the same class has
// the same cells and wakes: the cache would not change). Each is
// refreshed once, and the work is proportional to the readers of the
// tracks that moved, not to the size of the model. It returns the
// smallest wake among them, and how many of them had resolved the step
// (their wake was before step).
func (r *runner) refreshMoved(step int) (next int32, resolved int) {
	next = math.MaxInt32
	if !r.cross {
		// No track reads another: each track in r.fired (once each) is
		// the only one its move changes.
		for _, fd := range r.fired {
			if r.wake[fd.track] < int32(step) {
				resolved++
			}
			r.refresh(fd.track, step)
			next = min(next, r.wake[fd.track])
		}
		return next, resolved
	}
	r.round++
	for _, fd := range r.fired {
		j := fd.track
		if r.stamp[j] != r.round {
			if r.wake[j] < int32(step) {
				resolved++
			}
			r.stamp[j] = r.round
			r.refresh(j, step)
			next = min(next, r.wake[j])
		}
		for _, k := range r.readers[j] {
			if r.stamp[k] != r.round && slices.Contains(r.cache[k].reads, int32(j)) {
				if tc := &r.cache[k]; tc.tbl.Class(tc.tbl.Combo(&r.f)) == tc.class {
					// Not stamped: if k moved too, its own turn refreshes it.
					continue
				}
				if r.wake[k] < int32(step) {
					resolved++
				}
				r.stamp[k] = r.round
				r.refresh(int(k), step)
				next = min(next, r.wake[k])
			}
		}
	}
	return next, resolved
}

// cacheFor fills tc for a track in global state g from the frame (its
// wake is left to the caller).
func (r *runner) cacheFor(tc *trackCache, g int) {
	st := r.p.States[g]
	tbl := r.kt.State(g)
	tc.out, tc.tbl, tc.cells, tc.live, tc.reads = st.Out, tbl, nil, nil, r.reads[g]
	if tbl != nil {
		c := tbl.Combo(&r.f)
		tc.class = tbl.Class(c)
		r.paths.setPath(tc, g, tbl, c)
	}
}

// ownCaches returns, per global state, the cache of a track in it when
// that depends on nothing but the state (no table, or a table whose keys
// read only the state's own track), else a zero trackCache (out nil).
func (r *runner) ownCaches() []trackCache {
	p := r.p
	own := make([]trackCache, len(p.States))
	for g, st := range p.States {
		tbl := r.kt.State(g)
		c := 0
		if tbl != nil {
			for _, key := range tbl.Keys() {
				if key.Track != st.Track {
					c = -1
					break
				}
				c = c*key.Size + g - key.First
			}
		}
		if c < 0 {
			continue
		}
		tc := &own[g]
		tc.out, tc.tbl, tc.reads = st.Out, tbl, r.reads[g]
		if tbl != nil {
			tc.class = tbl.Class(c)
			r.paths.setPath(tc, g, tbl, c)
		}
	}
	return own
}
