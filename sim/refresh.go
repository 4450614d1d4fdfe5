package sim

import (
	"math"

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
	reads uint64             // bit j%64 for each track j whose moves can change the combination (see readBits)
	class int32              // the class of the combination (see kernel.StateTable.Class), with tbl
}

// readBits returns the bits of tracks in trackCache.reads: bit j%64 for
// each track j. With more than 64 tracks two tracks share a bit, so that
// a set bit says only that a move may change the combination.
func readBits(tracks []int32) uint64 {
	var bits uint64
	for _, j := range tracks {
		bits |= 1 << (uint(j) % 64)
	}
	return bits
}

// The track's wake (runner.wake) is kept apart from its cache, so that the
// step loop passes over sleeping tracks reading one int32 each.

// builtCaches holds, per global state and combination of its table's
// keys, the cache of a track in that state at that combination, built
// the first time a refresh needs it, so that a refresh is a combination,
// an index and a copy. Entry base[g]+c is state g's combination c (a
// state without a table has one entry, c = 0).
type builtCaches struct {
	base  []int32              // per global state: its first entry, or -1: not kept (see maxBuiltCaches), cacheFor fills the cache
	tbl   []*kernel.StateTable // per global state: its table, or nil
	entry []trackCache         // per entry: the cache, or out nil: not built yet
	now   []kernel.Cell        // per entry: the track's runner.now entry
}

// maxBuiltCaches bounds the entries a runner keeps; the states beyond it
// fill their caches from the frame at each refresh.
const maxBuiltCaches = 1 << 15

// newBuiltCaches lays out r's entries (none is built yet).
func (r *runner) newBuiltCaches() builtCaches {
	p := r.p
	bc := builtCaches{base: make([]int32, len(p.States)), tbl: make([]*kernel.StateTable, len(p.States))}
	n := 0
	for g := range p.States {
		bc.base[g] = -1
		tbl := r.kt.State(g)
		bc.tbl[g] = tbl
		combos := 1
		if tbl != nil {
			combos = tbl.Combos()
		}
		if len(p.States[g].Out) == 0 || combos > maxBuiltCaches-n {
			continue
		}
		bc.base[g] = int32(n)
		n += combos
	}
	bc.entry = make([]trackCache, n)
	bc.now = make([]kernel.Cell, n)
	return bc
}

// build builds entry i, state g's combination c.
func (r *runner) build(i, g, c int) {
	bc := &r.built
	tc := &bc.entry[i]
	tc.out, tc.tbl, tc.reads = r.p.States[g].Out, bc.tbl[g], readBits(r.reads[g])
	if tc.tbl != nil {
		tc.class = tc.tbl.Class(c)
		r.paths.setPath(tc, g, tc.tbl, c)
	}
	bc.now[i] = nowCell(tc)
}

// nowCell returns a track's runner.now entry for cache tc.
func nowCell(tc *trackCache) kernel.Cell {
	if tc.mask == 0 && tc.cells != nil && tc.cells[0].Kind != kernel.CellNone {
		return tc.cells[0]
	}
	return kernel.Cell{Kind: cellVaries}
}

// refresh updates track k's cache from the frame.
func (r *runner) refresh(k, step int) {
	tc := &r.cache[k]
	g := r.f.State[k]
	r.work.refreshes++
	if b := r.built.base[g]; b >= 0 {
		i := int(b)
		if tbl := r.built.tbl[g]; tbl != nil {
			i += tbl.Combo(&r.f)
		}
		src := &r.built.entry[i]
		if src.out == nil {
			r.build(i, int(g), i-int(b))
		}
		*tc = *src
		r.cacheChanged = true
		r.now[k] = r.built.now[i]
		r.wake[k] = int32(step)
		if src.live != nil && step < r.p.Steps {
			r.wake[k] = max(int32(step), src.live[step&src.mask])
		}
		return
	}
	if r.paths.out[g] == 0 {
		// It stays in this state, and its cache is not read again.
		r.wake[k] = math.MaxInt32
		if tc.reads != 0 {
			tc.reads, r.cacheChanged = 0, true
		}
		r.now[k].Kind = cellVaries
		return
	}
	r.cacheChanged = true
	r.cacheFor(tc, int(g))
	r.wake[k] = int32(step)
	if tc.live != nil && step < r.p.Steps {
		r.wake[k] = max(int32(step), tc.live[step&tc.mask])
	}
	r.now[k] = nowCell(tc)
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
		bit := uint64(1) << (uint(j) % 64)
		for _, k := range r.readers[j] {
			if tc := &r.cache[k]; r.stamp[k] != r.round && tc.reads&bit != 0 {
				if tc.tbl.Class(tc.tbl.Combo(&r.f)) == tc.class {
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
	tc.out, tc.tbl, tc.cells, tc.live, tc.mask, tc.row, tc.reads = st.Out, tbl, nil, nil, 0, nil, readBits(r.reads[g])
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
		tc.out, tc.tbl, tc.reads = st.Out, tbl, readBits(r.reads[g])
		if tbl != nil {
			tc.class = tbl.Class(c)
			r.paths.setPath(tc, g, tbl, c)
		}
	}
	return own
}
