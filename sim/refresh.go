package sim

import (
	"math"

	"scensim/model/kernel"
)

// Track caches and their refresh after moves.

// trackCache is what the step loop needs of a track's current state,
// kept until the track or a track its keys read moves. A track's cache
// (runner.cache) points at an entry of builtCaches, shared by every track
// in that state and combination, at deadCache, or at the track's own
// storage (runner.fill, runner.initFill); the step loop only reads it.
type trackCache struct {
	// What a move of another track reads, first, with the pointers the
	// step loop reads after it.
	reads uint64 // bit j%64 for each track j whose moves can change the combination (see readBits)
	// The combination's class: with base ≥ 0 (a built cache, see
	// builtCaches), the entry of the first combination of its class (see
	// kernel.StateTable.Class), else its class in tbl.
	class int32
	base  int32 // the state's first entry in builtCaches, or -1
	key   int32 // with base ≥ 0: the track whose state is the table's single key, or keyNone, keyMany (tbl.Combo)
	first int32 // with key ≥ 0: the first global state of that track

	tbl   *kernel.StateTable // the state's table, or nil: evaluate
	out   []int
	cells []kernel.Cell // for the current key combination, the cell at step k is cells[k&mask]; nil: evaluate
	live  []int32       // for the current key combination: see kernel.StateTable.Path
	mask  int           // see cells
	row   []float64     // the row of the cell when it is a CellTable cell at every step, else nil (see rowOf)
	picks []pick        // the state's picks, index by index with out (see statePicks)
}

// trackCache.key of a state without keys, or with keys other than a single
// track's state.
const (
	keyNone = -1
	keyMany = -2
)

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
// an index and a pointer. Entry base+c is a state's combination c (a state
// without a table has one entry, c = 0).
type builtCaches struct {
	state []builtState // per global state
	entry []trackCache // per entry: the cache, once built (see cacheHead.wake0)
	head  []cacheHead  // per entry: what a refresh writes besides the pointer
	class []int32      // per entry: its cache's class (the entry of the first combination of its class)
}

// cacheHead is what a refresh to a built entry writes besides the
// track's cache pointer.
type cacheHead struct {
	now kernel.Cell // the track's runner.now entry
	// wake0 ≥ 0 is the first step at which something can fire, from any
	// step before it (live[0] of a single cell); -1: the track is awake at
	// every step (no cells: it is evaluated); else wakeVaries or notBuilt.
	wake0 int32
}

const (
	wakeVaries = -2 // cacheHead.wake0: the wake is read from the entry's live, by step
	notBuilt   = -3 // cacheHead.wake0: the entry is not built yet
)

// builtState is how a global state's entries are found.
type builtState struct {
	base  int32 // its first entry, or -1: not kept (see maxBuiltCaches, or nothing leaves the state)
	key   int32 // see trackCache.key
	first int32 // see trackCache.first
	tbl   *kernel.StateTable
}

// combos is the number of the state's entries.
func (s *builtState) combos() int {
	if s.tbl == nil {
		return 1
	}
	return s.tbl.Combos()
}

// combo returns the combination of tbl's keys that holds in f, key and
// first as in trackCache.
func combo(tbl *kernel.StateTable, key, first int32, f *kernel.Frame) int {
	if key >= 0 {
		return int(f.State[key] - first)
	}
	if key == keyNone {
		return 0
	}
	return tbl.Combo(f)
}

// maxBuiltCaches bounds the entries a runner keeps (a variable for
// tests); the states beyond it fill their caches from the frame at each
// refresh.
var maxBuiltCaches = 1 << 14

// newBuiltCaches lays out r's entries (none is built yet).
func (r *runner) newBuiltCaches() builtCaches {
	p := r.p
	bc := builtCaches{state: make([]builtState, len(p.States))}
	n := 0
	for g := range p.States {
		s := &bc.state[g]
		s.base, s.key, s.tbl = -1, keyNone, r.kt.State(g)
		combos := 1
		if s.tbl != nil {
			combos, s.key = s.tbl.Combos(), keyMany
			switch keys := s.tbl.Keys(); {
			case len(keys) == 0:
				s.key = keyNone
			case len(keys) == 1 && keys[0].Track >= 0:
				s.key, s.first = int32(keys[0].Track), int32(keys[0].First)
			}
		}
		if len(p.States[g].Out) == 0 || combos > maxBuiltCaches-n {
			continue
		}
		s.base = int32(n)
		n += combos
	}
	bc.entry = make([]trackCache, n)
	bc.head = make([]cacheHead, n)
	for i := range bc.head {
		bc.head[i].wake0 = notBuilt
	}
	bc.class = make([]int32, n)
	for _, s := range bc.state {
		if s.base < 0 {
			continue
		}
		for c := range bc.class[s.base : int(s.base)+s.combos()] {
			bc.class[int(s.base)+c] = s.base
			if s.tbl != nil {
				bc.class[int(s.base)+c] += s.tbl.Class(c)
			}
		}
	}
	return bc
}

// build builds entry i, state g's combination c.
func (r *runner) build(i, g, c int) {
	bc := &r.built
	s := &bc.state[g]
	tc := &bc.entry[i]
	tc.out, tc.tbl, tc.reads = r.p.States[g].Out, s.tbl, readBits(r.reads[g])
	tc.picks = r.statePicks[g]
	tc.base, tc.key, tc.first, tc.class = s.base, s.key, s.first, bc.class[i]
	if s.tbl != nil {
		r.paths.setPath(tc, g, s.tbl, c)
	}
	h := &bc.head[i]
	h.now, h.wake0 = nowCell(tc), -1
	switch {
	case tc.live != nil && tc.mask == 0:
		h.wake0 = tc.live[0]
	case tc.live != nil:
		h.wake0 = wakeVaries
	}
}

// nowCell returns a track's runner.now entry for cache tc.
func nowCell(tc *trackCache) kernel.Cell {
	if tc.mask == 0 && tc.cells != nil && tc.cells[0].Kind != kernel.CellNone {
		return tc.cells[0]
	}
	return kernel.Cell{Kind: cellVaries}
}

// deadCache is the cache of a track in a state that nothing leaves: its
// wake is never, and it reads no track.
var deadCache = trackCache{base: -1}

// refresh points track k's cache at the one for its state and
// combination in the frame, and sets its wake and runner.now entry.
func (r *runner) refresh(k, step int) {
	g := r.f.State[k]
	r.work.refreshes++
	r.cacheChanged = true
	if s := &r.built.state[g]; s.base >= 0 {
		i := int(s.base) + combo(s.tbl, s.key, s.first, &r.f)
		h := &r.built.head[i]
		if h.wake0 == notBuilt {
			r.build(i, int(g), i-int(s.base))
		}
		r.cache[k] = &r.built.entry[i]
		r.now[k] = h.now
		w := int32(step)
		if step < r.p.Steps {
			switch w0 := h.wake0; {
			case w0 >= 0:
				w = max(w, w0)
			case w0 == wakeVaries:
				w = max(w, r.built.entry[i].live[step])
			}
		}
		r.wake[k] = w
		return
	}
	if r.paths.out[g] == 0 {
		// It stays in this state, and its cache is not read again.
		r.wake[k] = math.MaxInt32
		r.cache[k] = &deadCache
		r.now[k].Kind = cellVaries
		return
	}
	// A state beyond the built entries: the track's own storage (another
	// for the caches at the start of every trial, which are kept).
	tc := &r.fill[k]
	if r.init == nil {
		tc = &r.initFill[k]
	}
	r.cacheFor(tc, int(g))
	r.cache[k] = tc
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
			if tc := r.cache[k]; r.stamp[k] != r.round && tc.reads&bit != 0 {
				same := false
				if tc.base >= 0 {
					same = r.built.class[int(tc.base)+combo(tc.tbl, tc.key, tc.first, &r.f)] == tc.class
				} else {
					same = tc.tbl.Class(tc.tbl.Combo(&r.f)) == tc.class
				}
				if same {
					// The combination that holds is of the cache's class.
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
	tc.base, tc.picks = -1, r.statePicks[g]
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
		tc.out, tc.tbl, tc.reads, tc.base = st.Out, tbl, readBits(r.reads[g]), -1
		tc.picks = r.statePicks[g]
		if tbl != nil {
			tc.class = tbl.Class(c)
			r.paths.setPath(tc, g, tbl, c)
		}
	}
	return own
}
