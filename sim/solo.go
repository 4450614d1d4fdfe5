package sim

import "scensim/model/kernel"

// soloCell returns the cell at step of the only track of a plan with a
// single track if the track is awake at step and that cell is a CellTable
// cell (the cells soloRun starts from), else nil.
func (r *runner) soloCell(step int) *kernel.Cell {
	if int32(step) < r.wake[0] {
		return nil
	}
	cell := &r.now[0]
	if cell.Kind == cellVaries {
		tc := r.cache[0]
		if tc.cells == nil {
			return nil
		}
		cell = &tc.cells[step&tc.mask]
	}
	if cell.Kind != kernel.CellTable {
		return nil
	}
	return cell
}

// soloRun resolves the only track of a plan with a single track from
// step, a step whose cell is a CellTable cell, on to the steps after it
// while their cells are CellTable cells, up to the last step before steps.
// With a single track, such a step is nothing but the track's draw: no
// other track is resolved and, until the track moves, its cells stay
// those of its cache. A step at which nothing fires goes on to the next.
// With inline (the caller's trial is not traced and the plan has no
// evidence, which logs moves), a step at which a transition without
// effects fires takes it here, as the step loop would (state, first
// entry, occupancy record, the track's refresh; an event back to the
// same state moves nothing), and goes on at the next step if the track
// is awake there and its cache has a CellTable cell there.
//
// It returns the step it stopped at and done = true if that step is
// resolved (its transition taken here, nothing else to do at it);
// otherwise that step's cell and the uniform number drawn there, and the
// caller fires if u < cell.Total: a transition not taken here (with
// effects, or not inline), or nothing fires at the horizon or before a
// cell that is not a CellTable cell (the step loop resolves it as usual).
// Every step draws exactly what the step loop would have drawn, and each
// step after the first counts as walked.
func (r *runner) soloRun(step, steps int, inline bool) (int, *kernel.Cell, float64, bool) {
	f := &r.f
	stream := r.streams[0]
	tc := r.cache[0]
	// cur is the track's cache: tc, or after a move into a state whose
	// cache depends on nothing but the state (runner.own), that cache
	// itself, read in place; tc is brought up to date (the refresh of the
	// last such move, at point pending) when the loop returns.
	cur, pending, wake := tc, int32(-1), r.wake[0]
	cells, mask := cur.cells, cur.mask
	cell := &cells[step&mask]
	walked := int64(0)
	g, states := f.State[0], len(r.p.States) // the track's state; the plan's number of states
	for {
		u := uniform(stream, step)
		if mask == 0 {
			// The same cell at every step: the next is tabled too.
			total, from := cell.Total, step
			for u >= total && step+1 < steps {
				step++
				u = uniform(stream, step)
			}
			walked += int64(step - from)
		} else {
			for u >= cell.Total && step+1 < steps {
				next := &cells[(step+1)&mask]
				if next.Kind != kernel.CellTable {
					break
				}
				step, cell, walked = step+1, next, walked+1
				u = uniform(stream, step)
			}
		}
		if u >= cell.Total || !inline {
			r.soloReturn(walked, pending)
			return step, cell, u, false
		}
		row := cur.rowOf(cell)
		i := 0
		for u >= row[i] {
			i++
		}
		pk := &cur.picks[i]
		if pk.how != pickPlain {
			r.soloReturn(walked, pending)
			return step, cell, u, false
		}
		if !pk.stays { // an event (back to the same state) moves nothing
			from, to := g, pk.to
			if r.values.spans {
				for _, a := range r.values.byTrack[0] {
					r.addSpan(a, int(f.Since[0]), step+1) // as closeSpans, before the move
				}
			}
			at := int32(step + 1)
			f.State[0], f.Since[0], g = to, at, to
			if f.Entry[to] < 0 {
				f.Entry[to] = at
				r.reached = append(r.reached, to)
			}
			f.Entries[to]++
			moves := int(at) * states // the move's point in the occupancy record
			r.occ.moves[moves+int(from)]--
			r.occ.moves[moves+int(to)]++
			r.work.moves++
			// A state that something leaves has transitions: its own
			// cache, if it has one, has out.
			if own := &r.own[to]; len(own.out) != 0 {
				// As refresh would set the wake; the cache is read in place.
				cur, pending, wake = own, at, at
				if own.live != nil && int(at) < steps {
					wake = max(at, own.live[int(at)&own.mask])
				}
			} else {
				// A state without an own cache, or one that nothing
				// leaves (whose refresh keeps the cells and puts the
				// track to sleep for good).
				r.refresh(0, int(at))
				tc = r.cache[0]
				cur, pending, wake = tc, -1, r.wake[0]
			}
			cells, mask = cur.cells, cur.mask
		}
		if step+1 >= steps || wake > int32(step+1) || cells == nil || cells[(step+1)&mask].Kind != kernel.CellTable {
			r.soloReturn(walked, pending)
			return step, nil, 0, true
		}
		step, walked = step+1, walked+1
		cell = &cells[step&mask]
	}
}

// soloReturn counts the steps soloRun walked and, if a move at point
// pending (≥ 0) left the track's cache to be refreshed, refreshes it, as
// the move's own refresh would have: a state's own cache and the wake it
// gives depend on nothing but the state and the point of entry.
func (r *runner) soloReturn(walked int64, pending int32) {
	r.work.steps += walked
	if pending >= 0 {
		r.refresh(0, int(pending))
	}
}
