package sim

import "scensim/model/kernel"

// walkSteps runs the steps of the current trial, whose tracks, caches and
// wakes trial has set. walk says that every step is walked (no step is
// skipped), solo that the plan's only track is resolved by soloRun.
//
// The loop over the tracks keeps to the commonest case, an awake track
// whose cell is the same CellTable cell at every step (runner.now), and
// hands every other track to resolveTrack and a draw below the cell's
// total to fireTable, so that its own variables stay in registers.
func (r *runner) walkSteps(trial int64, walk, solo bool, trace *[]Event) *RuntimeError {
	f := &r.f
	wake := r.wake
	now := r.now[:len(wake)]
	streams := r.streams[:len(wake)]
	steps := r.p.Steps
	for step := 0; step < steps; step++ {
		r.work.steps++
		f.Step = step
		if walk {
			if r.ev.walk {
				r.valuesAt(step)
			}
			r.accumulateValues(step)
		}
		r.pending = r.pending[:0]
		r.fired = r.fired[:0]
		next := int32(steps) // no track can fire before this step (see wake) ...
		busy := 0            // ... unless busy > 0: tracks that resolved this step
		for k := range wake {
			w := wake[k]
			if int32(step) < w {
				next = min(next, w)
				continue
			}
			if cell := &now[k]; cell.Kind == kernel.CellTable && !solo {
				// The commonest case: nothing fires unless u < Total.
				busy++ // this track may fire at the next step too
				if u := uniform(streams[k], step); u < cell.Total {
					r.fireTable(k, cell, step, u, trace)
				}
				continue
			}
			var resolved bool
			var err *RuntimeError
			step, next, resolved, err = r.resolveTrack(trial, k, step, next, solo, trace)
			if err != nil {
				return err
			}
			if resolved {
				busy++
			}
		}
		if len(r.fired) != 0 || len(r.pending) != 0 {
			w, resolved := r.applyFired(step)
			next, busy = min(next, w), busy-resolved
		}
		if busy > 0 {
			next = int32(step + 1)
		}
		if !walk && next > int32(step+1) {
			step = int(next) - 1 // the loop goes on at next, or ends
		}
	}
	return nil
}

// fireTable takes the transition of track k's CellTable cell that the
// draw u (below cell.Total) picks at step.
func (r *runner) fireTable(k int, cell *kernel.Cell, step int, u float64, trace *[]Event) {
	tc := &r.cache[k]
	row := tc.rowOf(cell)
	i := 0
	for u >= row[i] {
		i++
	}
	if pick := int32(tc.out[i]); r.plain[pick] && trace == nil {
		if r.to[pick] != r.f.State[k] { // an event (back to the same state) moves nothing
			r.fired = append(r.fired, fired{k, pick})
		}
	} else {
		r.fire(k, pick, step, u, rowProb(row, i), cell.Total, trace)
	}
}

// resolveTrack resolves awake track k at step, whatever its cell: one
// that varies from step to step (read from its cache), a CellEval or
// CellTrial cell, none (evaluate), or the only track's run of steps (see
// soloRun). It returns the step the loop is at (soloRun may go past
// step), next lowered by the wake of a track that sleeps, and resolved =
// true if the track was resolved at that step and may fire at the next.
func (r *runner) resolveTrack(trial int64, k, step int, next int32, solo bool, trace *[]Event) (int, int32, bool, *RuntimeError) {
	f := &r.f
	tc := &r.cache[k]
	g := f.State[k]
	var part []kernel.Entry // a CellEval row; nil: evaluate every guard
	var known float64       // with part: the known values' part of the chance bound
	cell := &r.now[k]       // the cell at every step, unless cellVaries (see runner.now); nil: evaluate
	if cell.Kind == cellVaries {
		cell = nil
		if tc.cells != nil {
			cell = &tc.cells[step&tc.mask]
			if cell.Kind == kernel.CellNone {
				r.wake[k] = max(int32(step), tc.live[step&tc.mask]) // the combination holds until a refresh
				return step, min(next, r.wake[k]), false, nil
			}
		}
	}
	if cell != nil {
		switch cell.Kind {
		case kernel.CellTable:
			var u float64
			if solo {
				// The only track: see soloRun.
				var done bool
				step, cell, u, done = r.soloRun(step, r.p.Steps, trace == nil && !r.ev.on)
				f.Step = step
				if done {
					if w := r.wake[k]; w > int32(step+1) {
						return step, min(next, w), false, nil // it sleeps until w
					}
					return step, next, true, nil
				}
			} else {
				u = uniform(r.streams[k], step)
			}
			if u < cell.Total {
				r.fireTable(k, cell, step, u, trace)
			}
			return step, next, true, nil
		case kernel.CellEval:
			part, known = tc.tbl.Known(cell), cell.Total
		case kernel.CellTrial:
			row, valid := r.trialRow(g, tc.tbl, len(tc.out), cell.Row, step)
			last := row[len(row)-1]
			if valid && last == 0 {
				return step, next, true, nil
			}
			if valid { // else evaluate, which reports the error
				if u := uniform(r.streams[k], step); u < last {
					i := 0
					for u >= row[i] {
						i++
					}
					r.fire(k, int32(tc.out[i]), step, u, rowProb(row, i), last, trace)
				}
				return step, next, true, nil
			}
		}
	}
	u := uniform(r.streams[k], step)
	var err *RuntimeError
	if r.competes[g] {
		err = r.competing(trial, step, k, tc.out, u, part, known, trace)
	} else {
		err = r.probs(trial, step, k, tc.out, u, part, trace)
	}
	return step, next, true, err
}

// applyFired moves the tracks that fired at step and sets the vars the
// fired effects set, as of the next step, and refreshes the caches the
// moves change. It returns the earliest wake of a refreshed track and the
// number of tracks resolved at step that the refresh put to sleep (see
// refreshMoved), or (steps, 0) if nothing moved.
func (r *runner) applyFired(step int) (int32, int) {
	f := &r.f
	S := len(r.p.States)
	moved := false
	r.work.moves += int64(len(r.fired))
	if r.values.spans && len(r.fired) != 0 {
		r.closeSpans(step)
	}
	for _, fd := range r.fired {
		from, to := f.State[fd.track], r.to[fd.id]
		moved = true
		f.State[fd.track] = to
		f.Since[fd.track] = int32(step + 1)
		if f.Entry[to] < 0 {
			f.Entry[to] = int32(step + 1)
			r.reached = append(r.reached, to)
		}
		f.Entries[to]++
		moves := r.occ.moves[(step+1)*S:]
		moves[from]--
		moves[to]++
		if r.ev.on {
			r.logMove(int32(step+1), from, to)
		}
	}
	for _, ps := range r.pending {
		f.Vars[ps.v] = ps.val
	}
	if len(r.pending) != 0 {
		f.VarsChanged() // var memos are computed again
	}
	if !moved {
		return int32(r.p.Steps), 0
	}
	// A refresh can move a wake either way (a track may wake earlier; one
	// that resolved this step may now sleep); next keeps the old wake of a
	// sleeping track it refreshes, which only skips less.
	return r.refreshMoved(step + 1)
}
