// Package sim runs Monte Carlo trials of a compiled scenario plan.
//
// A trial walks every track of the plan through calendar time, one step at
// a time, with the synchronous semantics documented in docs/scenario-format.md. All
// aggregates are integer counts, so merging the tallies of any number of
// workers in any order gives the same result, bit for bit.
package sim

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync/atomic"

	"scensim/model"
	"scensim/model/kernel"
)

// HistBins is the number of bins of each sampled param's histogram.
const HistBins = 40

// Options control a run.
type Options struct {
	Trials  int64  // number of trials
	First   int64  // index of the first trial (trials First .. First+Trials-1)
	Seed    uint64 // the run's seed
	Workers int    // goroutines; 0 means GOMAXPROCS
	// Done, if not nil, is advanced by the number of trials each finished
	// chunk held, for progress reporting.
	Done *atomic.Int64
	// Design, if not nil, sets param values per trial (sensitivity designs:
	// Latin hypercube, Sobol matrices), or per draw in a nested run.
	Design Design
	// Params says how params with a dist are drawn: per trial (the zero
	// value), nested in draws, or fixed at their values (see Params).
	Params Params
}

// Design fills vals (one entry per plan param, NaN on entry) with the
// values that trial must use for params with a dist; entries left NaN keep
// the plan's draw. A fixed param (no dist) is folded into the expressions
// that use it when the plan is compiled, so a design cannot move it: give
// it a dist (e.g. uniform over its range) in the plan to vary it. It must be a pure function of the trial index and safe for
// concurrent use, so that results stay independent of workers.
type Design func(trial int64, vals []float64)

// Run runs opts.Trials trials of p and returns their tally. The tally
// depends only on (p, Seed, First, Trials), never on Workers or scheduling.
func Run(ctx context.Context, p *model.Plan, opts Options) (*Tally, error) {
	if opts.Trials < 0 || opts.Trials > model.MaxTrials {
		return nil, fmt.Errorf("trials must be from 0 to %d", int64(model.MaxTrials))
	}
	workers := workersFor(opts)
	runners := make([]*runner, workers)
	tallies := make([]*Tally, workers)
	errs := make([]*RuntimeError, workers)
	start := func(w int) {
		runners[w], tallies[w] = newRunner(p, opts.Seed), newTallyFor(p, opts.Params, opts.First, opts.Trials)
		runners[w].setDesign(opts.Design)
		runners[w].nest.params = opts.Params
	}
	completed := inChunks(ctx, opts, workers, start, func(w int, lo, hi int64) bool {
		r, t := runners[w], tallies[w]
		for trial := lo; trial < hi; trial++ {
			if err := r.trial(trial, t, nil); err != nil {
				errs[w] = err
				return false
			}
		}
		return true
	})
	var first *RuntimeError
	for _, e := range errs {
		if e != nil && (first == nil || e.Trial < first.Trial) {
			first = e
		}
	}
	if first != nil {
		return nil, first
	}
	if ctx.Err() != nil && completed < opts.Trials {
		return nil, &Interrupted{Completed: completed, Trials: opts.Trials}
	}
	total := newTallyFor(p, opts.Params, opts.First, opts.Trials)
	for w, t := range tallies {
		runners[w].flush(t)
		total.Merge(t)
	}
	return total, nil
}

// runner holds one worker's buffers; it is not safe for concurrent use.
type runner struct {
	p       *model.Plan
	seed    uint64
	f       model.Frame
	kt      *kernel.Tables
	streams []uint64     // per track
	fired   []fired      // transitions taken this step that move a track, in track order
	cache   []trackCache // per track
	deps    []uint64     // per global state: the tracks its keys read (see trackBit)
	init    []trackCache // the cache at the start of every trial
	moves   []int64      // [k*S+g]: entries into g at point k minus exits (occupancy, differenced)
	pending []pendingSet
	sampled []int // indices of sampled params
	src     source
	vals    []kernel.Entry // scratch for competing rates, sized to the largest Out
	scratch []float64      // scratch for per-trial rows, sized to the largest Out
	outcome []int8         // the last trial's outcomes: 1 hit, 0 miss, -1 given false
	memo    []expMemo      // per global state: the last competing-rates scale
	rows    []rowCache     // per global state, for CellTrial cells
	plain   []bool         // per transition: no effects to compute when it fires
	to      []int32        // per transition: the state it goes to
	design  Design         // nil: params are drawn as the plan says
	set     []float64      // the design's values for this trial
	nest    nestState      // how params are drawn, and a nested run's draw (nested.go)
	values  valueState     // value outcomes (see values.go)
	ev      evidenceState  // the trial's history for evidence (see evidence.go)
}

// rowCache holds a state's per-trial rows (CellTrial cells) for the
// current trial.
type rowCache struct {
	rows  []float64 // TrialRows × len(Out)
	valid []bool    // per row: its values are valid (else they are evaluated, which reports the error)
	gen   []uint64  // per row: the trial generation (Frame.Gen) it was made for, 0: none
	days  []float64 // per row: the step length it was made for
}

// trialRow returns row v of state g's per-trial rows, computing it once
// per trial (and step length). Rows are keyed on the frame's generation,
// which every trial advances, never on the trial index: a trial run again
// (perhaps under another design) must not reuse the rows of its last run.
func (r *runner) trialRow(g int32, tbl *kernel.StateTable, n int, v int32, step int) (row []float64, valid bool) {
	rc := &r.rows[g]
	if rc.rows == nil {
		rc.rows = make([]float64, tbl.TrialRows()*n)
		rc.valid = make([]bool, tbl.TrialRows())
		rc.gen = make([]uint64, tbl.TrialRows())
		rc.days = make([]float64, tbl.TrialRows())
	}
	row = rc.rows[int(v)*n : int(v+1)*n]
	if gen, days := r.f.Gen(), r.p.StepDays[step]; rc.gen[v] != gen || rc.days[v] != days {
		rc.valid[v] = tbl.Fill(&r.f, step, row, r.scratch[:n])
		rc.gen[v], rc.days[v] = gen, days
	}
	return row, rc.valid[v]
}

// flush adds the occupancy of the trials run since the last flush to t
// (the step loop records only changes of state) and clears the record.
func (r *runner) flush(t *Tally) {
	S := len(r.p.States)
	for i := S; i < len(r.moves); i++ {
		r.moves[i] += r.moves[i-S] // now the trials in state g at point k
	}
	for i, m := range r.moves {
		t.Occupancy[i] += m
	}
	clear(r.moves)
}

// expMemo remembers (1 − exp(−x))/rate for the last x and rate seen.
type expMemo struct{ x, rate, scale float64 }

// trackCache is what the step loop needs of a track's current state,
// kept until the track or a track its keys read moves.
type trackCache struct {
	st    *model.State
	out   []int
	tbl   *kernel.StateTable // the state's table, or nil: evaluate
	cells []kernel.Cell      // by step, for the current key combination; nil: evaluate
	deps  uint64             // tracks whose moves can change the combination (see trackBit)
	wake  int32              // nothing can fire before this step
}

// trackBit is track k's bit in a set of tracks; beyond 64 tracks every
// track shares every bit, which only costs refreshes.
func trackBit(k int) uint64 {
	if k >= 64 {
		return ^uint64(0)
	}
	return 1 << k
}

// refresh updates track k's cache from the frame.
func (r *runner) refresh(k, step int) {
	p, tc := r.p, &r.cache[k]
	g := r.f.State[k]
	st := p.States[g]
	tbl := r.kt.State(int(g))
	tc.st, tc.out, tc.tbl, tc.cells, tc.deps, tc.wake = st, st.Out, tbl, nil, r.deps[g], int32(step)
	if len(st.Out) == 0 {
		tc.wake = math.MaxInt32 // it stays in this state
	}
	if tbl != nil {
		c := tbl.Combo(&r.f)
		tc.cells = tbl.Cells(c)
		if step < p.Steps {
			tc.wake = tbl.Wake(c, step)
		}
	}
}

// fired is a transition taken by a track in the current step.
type fired struct {
	track int
	id    int32
}

type pendingSet struct {
	v   int
	val float64
}

func newRunner(p *model.Plan, seed uint64) *runner {
	r := &runner{p: p, seed: seed, kt: p.Kernel}
	r.f = r.kt.NewFrame(len(p.Vars), len(p.Tracks), len(p.States))
	r.streams = make([]uint64, len(p.Tracks))
	r.fired = make([]fired, 0, len(p.Tracks))
	r.moves = make([]int64, (p.Steps+1)*len(p.States))
	r.cache = make([]trackCache, len(p.Tracks))
	r.deps = make([]uint64, len(p.States))
	for g := range p.States {
		if tbl := r.kt.State(g); tbl != nil {
			for _, k := range tbl.Tracks() {
				r.deps[g] |= trackBit(k)
			}
		}
	}
	r.outcome = make([]int8, len(p.Outcomes))
	r.values.init(p)
	r.rows = make([]rowCache, len(p.States))
	r.plain = make([]bool, len(p.Transitions))
	r.to = make([]int32, len(p.Transitions))
	for i, x := range p.Transitions {
		r.plain[i], r.to[i] = len(x.Effects) == 0, int32(x.To)
	}
	r.nest.datePoints = datePointsOf(p)
	r.ev.on = len(p.Evidence) > 0
	r.memo = make([]expMemo, len(p.States)) // x = 0 never matches: a zero rate skips the memo
	for _, st := range p.States {
		r.vals = make([]kernel.Entry, max(len(r.vals), len(st.Out)))
		r.scratch = make([]float64, max(len(r.scratch), len(st.Out)))
	}
	for i, par := range p.Params {
		if par.Dist != nil {
			r.sampled = append(r.sampled, i)
		}
	}
	return r
}

// histBin returns the index of v in a param's histogram block of HistBins+2
// counters over [lo, hi): 0 below lo, 1..HistBins for the equal bins,
// HistBins+1 at or above hi and for NaN (the rule of results.ParamLayout.Bin),
// so that any v gives an index inside the block.
func histBin(v, lo, hi float64) int {
	switch {
	case v < lo:
		return 0
	case !(v < hi):
		return HistBins + 1
	}
	return 1 + min(int((v-lo)/(hi-lo)*HistBins), HistBins-1)
}

// Event is one transition that fired in a traced trial.
type Event struct {
	Step       int
	Track      string
	Transition string
	From, To   string
	P          float64 // the transition's probability at that step
	Total      float64 // the total probability of leaving (or an event) at that step
	U          float64 // the uniform number drawn
	Sets       []string
}

// trial runs one trial, adding its counts to t; if trace is not nil, the
// fired transitions are appended to it. A broken check is reported after
// the trial is counted.
func (r *runner) trial(trial int64, t *Tally, trace *[]Event) *RuntimeError {
	p, f := r.p, &r.f
	tk := trialKey(r.seed, trial)
	r.setParams(trial, t)
	f.Step = 0
	f.NextTrial() // the slots after the params are computed when first needed
	r.ev.log, r.ev.rejected = r.ev.log[:0], false
	for i, v := range p.Vars {
		f.Vars[i] = v.Init.Eval(f)
	}
	for g := range f.Entry {
		f.Entry[g] = -1
	}
	S := len(p.States)
	for k, tr := range p.Tracks {
		f.State[k] = int32(tr.Initial)
		f.Since[k] = 0
		f.Entry[tr.Initial] = 0
		r.streams[k] = streamKey(tk, tr.Key)
		r.moves[tr.Initial]++
	}
	if r.init == nil {
		// Every trial starts in the same states, with nothing else reached.
		for k := range r.cache {
			r.refresh(k, 0)
		}
		r.init = slices.Clone(r.cache)
	}
	copy(r.cache, r.init)
	for step := 0; step < p.Steps; step++ {
		f.Step = step
		if len(r.values.perStep) != 0 {
			r.accumulateValues(step)
		}
		r.pending = r.pending[:0]
		r.fired = r.fired[:0]
		for k := range r.cache {
			tc := &r.cache[k]
			if int32(step) < tc.wake {
				continue
			}
			out := tc.out
			g, st := f.State[k], tc.st
			var part []kernel.Entry // a CellEval row; nil: evaluate every guard
			var known float64       // with part: the known values' part of the chance bound
			if tc.cells != nil {
				cell := &tc.cells[step]
				switch cell.Kind {
				case kernel.CellNone:
					continue
				case kernel.CellTable:
					// The commonest case: nothing fires unless u < Total.
					if u := uniform(r.streams[k], step); u < cell.Total {
						row := tc.tbl.Row(cell)
						i := 0
						for u >= row[i] {
							i++
						}
						r.fire(k, int32(out[i]), step, u, rowProb(row, i), cell.Total, trace)
					}
					continue
				case kernel.CellEval:
					part, known = tc.tbl.Known(cell), cell.Total
				case kernel.CellTrial:
					row, valid := r.trialRow(g, tc.tbl, len(out), cell.Row, step)
					last := row[len(row)-1]
					if valid && last == 0 {
						continue
					}
					if valid { // else evaluate, which reports the error
						if u := uniform(r.streams[k], step); u < last {
							i := 0
							for u >= row[i] {
								i++
							}
							r.fire(k, int32(out[i]), step, u, rowProb(row, i), last, trace)
						}
						continue
					}
				}
			}
			u := uniform(r.streams[k], step)
			var err *RuntimeError
			if st.Rates >= 2 {
				err = r.competing(trial, step, k, out, u, part, known, trace)
			} else {
				err = r.probs(trial, step, k, out, u, part, trace)
			}
			if err != nil {
				return err
			}
		}
		moved := uint64(0)
		for _, fd := range r.fired {
			from, to := f.State[fd.track], int32(p.Transitions[fd.id].To)
			if to != from {
				moved |= trackBit(fd.track)
				f.State[fd.track] = to
				f.Since[fd.track] = int32(step + 1)
				if f.Entry[to] < 0 {
					f.Entry[to] = int32(step + 1)
				}
				moves := r.moves[(step+1)*S:]
				moves[from]--
				moves[to]++
				if r.ev.on {
					r.logMove(int32(step+1), from, to)
				}
			}
		}
		for _, ps := range r.pending {
			f.Vars[ps.v] = ps.val
		}
		if moved != 0 {
			for k := range r.cache {
				if tc := &r.cache[k]; (tc.deps|trackBit(k))&moved != 0 {
					r.refresh(k, step+1)
				}
			}
		}
	}
	f.Step = p.Steps
	if r.ev.on && !r.accepted() {
		r.reject(trial, t)
		return r.checks(trial)
	}
	P := p.Steps + 1
	for g, e := range f.Entry {
		if e < 0 {
			e = int32(P)
		}
		t.Entry[g*(P+1)+int(e)]++
	}
	for i, o := range p.Outcomes {
		r.outcome[i] = -1
		if !holds(r.kt.Given(i), o.Given, f, true) {
			continue
		}
		t.Given[i]++
		r.outcome[i] = 0
		if holds(r.kt.When(i), o.When, f, false) {
			t.Hits[i]++
			r.outcome[i] = 1
		}
	}
	r.countDraw(trial, t)
	if len(p.Values) != 0 {
		if err := r.countValues(trial, t); err != nil {
			return err
		}
	}
	t.Trials++
	return r.checks(trial)
}

// holds evaluates a condition by its truth table if it has one, else by
// its expression; with neither it is def.
func holds(t *kernel.Test, e *model.Expr, f *model.Frame, def bool) bool {
	switch {
	case t != nil:
		return t.Holds(f)
	case e != nil:
		return e.Eval(f) != 0
	}
	return def
}

// fire records that track k takes transition pick this step, with
// probability pr out of a total chance total of leaving, and computes its
// effects from the state at the start of the step.
func (r *runner) fire(k int, pick int32, step int, u, pr, total float64, trace *[]Event) {
	if r.to[pick] != r.f.State[k] { // an event (back to the same state) moves nothing
		r.fired = append(r.fired, fired{k, pick})
	}
	if r.plain[pick] && trace == nil {
		return
	}
	x := r.p.Transitions[pick]
	for _, e := range x.Effects {
		r.pending = append(r.pending, pendingSet{e.Var, e.Value.Eval(&r.f)})
	}
	if trace != nil {
		*trace = append(*trace, r.event(k, x, step, u, pr, total))
	}
}

func (r *runner) event(k int, x *model.Transition, step int, u, pr, total float64) Event {
	p := r.p
	e := Event{
		Step: step, Track: p.Tracks[k].Name, Transition: x.Name,
		From: p.States[r.f.State[k]].Name, To: p.States[x.To].Name,
		P: pr, Total: total, U: u,
	}
	for _, ef := range x.Effects {
		v := ef.Value.Eval(&r.f)
		val := fmt.Sprintf("%.4g", v)
		if p.Vars[ef.Var].Type == model.TypeBool {
			val = fmt.Sprint(v != 0)
		}
		e.Sets = append(e.Sets, p.Vars[ef.Var].Name+"="+val)
	}
	return e
}

func (r *runner) setDesign(d Design) {
	r.design = d
	if d != nil && r.set == nil {
		r.set = make([]float64, len(r.p.Params))
	}
}
