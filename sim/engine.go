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
		// Step memos pay when trials share param values: a nested run's
		// draws, fixed params. A flat run draws new values every trial.
		runners[w].f.KeepStepMemos(opts.Params.PerDraw > 0 || opts.Params.Fixed)
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
	seedKey uint64 // seedKey(seed)
	f       model.Frame
	kt      *kernel.Tables
	streams []uint64     // per track
	fired   []fired      // transitions taken this step that move a track, in track order
	reads   [][]int32    // per global state: the tracks whose moves can change its table's combination
	readers [][]int32    // per track j: the other tracks with a state that reads j (see reads)
	paths   compactPaths // the tables' single cells, side by side
	stamp   []uint64     // per track: the last refresh's round (see refreshed)
	round   uint64       // counts the steps with moves, to refresh a track once per step
	cross   bool         // some track reads another (see readers)
	solo    bool         // the plan has a single track (see soloRun)
	// The current trial's step loop: soloNow, it hands steps to soloRun;
	// walkAll, it walks every step. Fields rather than locals, so that
	// the loop keeps fewer values in registers across its calls.
	soloNow, walkAll bool
	// lastParams holds the values of the params with a dist in the last
	// trial run; a trial with the same values (every trial of a nested
	// run's draw) keeps the frame's generation, so per-trial slots and rows
	// are not recomputed. The other params never change.
	lastParams []float64
	params     []sampledParam // the params with a dist (setParams)
	sampled    []int          // their indices in Plan.Params
	bins       []int          // per param with a dist: its histogram counter in the last trial
	fixedSet   bool           // a run with fixed params has set their slots and bins
	varsInit   []float64      // the vars' initial values in generation varsGen of the frame
	varsGen    uint64
	initial    []int32      // per track: its initial state
	trackKeys  []uint64     // per track: the key of its random stream
	reached    []int32      // the global states the current trial has entered, in order of first entry
	wake       []int32      // per track: nothing can fire before this step (see trackCache)
	initW      []int32      // wake at the start of every trial
	own        []trackCache // per global state: the cache of a track in it, if that depends on nothing else (see ownCaches)
	occ        occRecord    // occupancy, as changes of state (see occRecord)
	pending    []pendingSet
	src        source
	vals       []kernel.Entry // scratch for competing rates, sized to the largest Out
	scratch    []float64      // scratch for per-trial rows, sized to the largest Out
	outcome    []int8         // the last trial's outcomes: 1 hit, 0 miss, -1 given false (see outcomes)
	hz         horizonState   // judges outcomes and checks at the horizon
	memo       []expMemo      // per global state: the last competing-rates scale
	rows       []rowCache     // per global state, for CellTrial cells
	stepClass  []int32        // per step: the class of its length (see stepClasses)
	classes    int            // number of step length classes
	picks      []pick         // per transition: what a fire without a trace needs (see pick)
	statePicks [][]pick       // per global state: its transitions' picks (see statePicks)
	asWritten  bool           // effects are evaluated as written, not computed inline (tables without shortcuts)
	competes   []bool         // per global state: two or more of its transitions are rates (see competing)
	lone       []loneRate     // per global state: its only transition, an unguarded rate (see probs)
	to         []int32        // per transition: the state it goes to
	design     Design         // nil: params are drawn as the plan says
	set        []float64      // the design's values for this trial
	nest       nestState      // how params are drawn, and a nested run's draw (nested.go)
	values     valueState     // value outcomes (see values.go)
	ev         evidenceState  // the trial's history for evidence (see evidence.go)
	work       work           // what the trials run did, for tests that count work
	// inBounds says that the current trial's sampled params all lie in
	// their histograms' ranges, where the static chance bounds hold (see
	// kernel.Cell.Total).
	inBounds bool
	// held holds the values of the params with a dist drawn since they
	// were last counted in the histograms, trial after trial (one per
	// param each), up to heldTrials(len(params)) trials: a flat run
	// without evidence counts them in blocks (countHeld), where the
	// divisions of histBin overlap one another, rather than as each
	// trial draws them. Nil until such a run's first trial.
	held []float64

	// The step loop reads the cell of a track whose cells are the same at
	// every step from now, a dense array of all tracks, rather than from
	// its cache.
	now     []kernel.Cell // per track: its cell if the same at every step, else Kind cellVaries (see refresh)
	initNow []kernel.Cell // now at the start of every trial
	// cacheChanged says that a refresh may have changed cache since it was
	// last set to init; a single-track plan's trial sets it again only
	// then (its loop reads the caches of the states it moves through in
	// place, see soloRun).
	cacheChanged bool

	// Track caches (see refresh): a track's cache is an entry of built
	// (one per state and combination of its table's keys), deadCache, or
	// the track's own storage in fill (initFill while init is made).
	cache    []*trackCache // per track
	init     []*trackCache // cache at the start of every trial
	built    builtCaches
	fill     []trackCache // per track
	initFill []trackCache // per track

	// The workers' runners are allocated one after another: padding keeps
	// the fields one worker reads at every step off the cache lines the
	// next worker's runner writes.
	_ [128]byte
}

// work counts what trials did.
type work struct {
	steps     int64 // steps walked
	moves     int64 // tracks that changed state
	refreshes int64 // track caches refreshed (see refresh)
	fills     int64 // per-trial rows filled (see fillRow)
	// boundSkips counts the resolutions a static chance bound decided
	// (CellEval cells and lone rates) with nothing evaluated.
	boundSkips int64
}

// flush adds the occupancy of the trials run since the last flush to t
// (the step loop records only changes of state) and clears the record,
// counts the param values it holds (see runner.held) in t's histograms,
// and completes t's counts of states never entered (see countUnentered)
// and of the givens of outcomes without a given condition (see
// horizonState.countAlways).
// t must be the tally the runner's trials were counted into.
func (r *runner) flush(t *Tally) {
	r.countHeld(t.ParamHist)
	r.countUnentered(t)
	r.hz.countAlways(t)
	r.occ.flush(t.Occupancy, len(r.p.States))
}

// countUnentered sets, in t.Entry, each state's count of trials that never
// entered it: a trial counts only the states it entered (runner.reached),
// and every counted trial enters each state at one point or never, so the
// count is t.Trials less the trials counted at a point.
func (r *runner) countUnentered(t *Tally) {
	P := r.p.Steps + 1
	for g := range r.p.States {
		row := t.Entry[g*(P+1) : (g+1)*(P+1)]
		entered := int64(0)
		for _, n := range row[:P] {
			entered += n
		}
		row[P] = t.Trials - entered
	}
}

// expMemo remembers (1 − exp(−x))/rate for the last x and rate seen.
type expMemo struct{ x, rate, scale float64 }

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
	r := &runner{p: p, seed: seed, seedKey: seedKey(seed), kt: p.Kernel}
	r.f = r.kt.NewFrame(len(p.Vars), len(p.Tracks), len(p.States))
	for g := range r.f.Entry {
		r.f.Entry[g] = -1 // every trial resets the states the last one entered (see reached)
	}
	r.reached = make([]int32, 0, len(p.States))
	r.varsInit = make([]float64, len(p.Vars))
	for _, tr := range p.Tracks {
		r.initial, r.trackKeys = append(r.initial, int32(tr.Initial)), append(r.trackKeys, tr.Key)
	}
	r.streams = make([]uint64, len(p.Tracks))
	r.fired = make([]fired, 0, len(p.Tracks))
	r.occ = newOccRecord(p.Steps+1, len(p.States))
	r.cache = make([]*trackCache, len(p.Tracks))
	r.reads = make([][]int32, len(p.States))
	r.readers = make([][]int32, len(p.Tracks))
	r.paths = newCompactPaths(p)
	var reads []int32 // every state's reads, side by side
	for g := range p.States {
		if tbl := r.kt.State(g); tbl != nil {
			for _, j := range tbl.Tracks() {
				reads = append(reads, int32(j))
			}
		}
	}
	for g, st := range p.States {
		tbl := r.kt.State(g)
		if tbl == nil {
			continue
		}
		n := len(tbl.Tracks())
		r.reads[g], reads = reads[:n:n], reads[n:]
		for _, j := range tbl.Tracks() {
			if j != st.Track && !slices.Contains(r.readers[j], int32(st.Track)) {
				r.readers[j] = append(r.readers[j], int32(st.Track))
				r.cross = true
			}
		}
	}
	total := 0
	for _, rs := range r.readers {
		total += len(rs)
	}
	packed := make([]int32, 0, total) // the readers side by side
	for j, rs := range r.readers {
		packed = append(packed, rs...)
		r.readers[j] = packed[len(packed)-len(rs) : len(packed) : len(packed)]
	}
	r.stamp = make([]uint64, len(p.Tracks))
	r.solo = len(p.Tracks) == 1
	r.wake = make([]int32, len(p.Tracks))
	r.now = make([]kernel.Cell, len(p.Tracks))
	// Tables without shortcuts (kernel.Tables.Evaluated, the only ones
	// that walk every step) evaluate effects as written too, so that runs
	// with and without shortcuts check the inline forms.
	r.asWritten = r.kt.WalkEveryStep()
	r.picks = newPicks(p, r.asWritten)
	r.statePicks = statePicks(p, r.picks) // read by the caches
	r.own = r.ownCaches()
	r.built = r.newBuiltCaches()
	r.fill, r.initFill = make([]trackCache, len(p.Tracks)), make([]trackCache, len(p.Tracks))
	r.outcome = make([]int8, len(p.Outcomes))
	r.hz.init(p)
	r.values.init(p)
	r.rows = make([]rowCache, len(p.States))
	r.stepClass, r.classes = stepClasses(p.StepDays)
	r.params = sampledParams(p)
	r.lastParams = make([]float64, len(r.params))
	r.bins = make([]int, len(r.params))
	for _, sp := range r.params {
		r.sampled = append(r.sampled, sp.slot)
	}
	for i, par := range p.Params {
		r.f.Slots[i] = par.Value // the params with a dist are set per trial (setParams)
	}
	r.competes = make([]bool, len(p.States))
	for g, st := range p.States {
		r.competes[g] = st.Rates >= 2
	}
	r.to = make([]int32, len(p.Transitions))
	for i, x := range p.Transitions {
		r.to[i] = int32(x.To)
	}
	r.lone = loneRates(p, r.asWritten)
	r.nest.datePoints = datePointsOf(p)
	r.ev.on = len(p.Evidence) > 0
	r.initValueItems()
	r.memo = make([]expMemo, len(p.States)) // x = 0 never matches: a zero rate skips the memo
	for _, st := range p.States {
		r.vals = make([]kernel.Entry, max(len(r.vals), len(st.Out)))
		r.scratch = make([]float64, max(len(r.scratch), len(st.Out)))
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
	tk := trialKeyOf(r.seedKey, trial)
	f.Step = 0
	if len(r.lastParams) != 0 || f.Gen() == 0 { // a plan without params with a dist keeps its first generation
		r.setParams(trial, tk, t)
		r.newGeneration() // the slots after the params are computed when first needed
	}
	r.ev.log, r.ev.rejected = r.ev.log[:0], false
	if r.varsGen != f.Gen() || f.Gen() == 0 { // the vars' initial values read params only
		for i, v := range p.Vars {
			r.varsInit[i] = v.Init.Eval(f)
		}
		r.varsGen = f.Gen()
	}
	for i, v := range r.varsInit { // a loop: most plans have a few vars, or none
		f.Vars[i] = v
	}
	f.VarsChanged()
	for _, g := range r.reached { // the states the last trial entered; the others are unentered
		f.Entry[g] = -1
		f.Entries[g] = 0
	}
	r.occ.beginTrial()
	r.reached = append(r.reached[:0], r.initial...)
	for k, g := range r.initial {
		f.State[k] = g
		f.Since[k] = 0
		f.Entry[g] = 0
		f.Entries[g] = 1
		r.streams[k] = streamKey(tk, r.trackKeys[k])
		r.occ.moves[g]++
	}
	if r.init == nil {
		// Every trial starts in the same states, with nothing else reached.
		for k := range r.cache {
			r.refresh(k, 0)
		}
		r.init, r.initW, r.initNow = slices.Clone(r.cache), slices.Clone(r.wake), slices.Clone(r.now)
	}
	if !r.solo || r.cacheChanged {
		copy(r.cache, r.init)
		r.cacheChanged = false
	}
	copy(r.wake, r.initW)
	copy(r.now, r.initNow)
	// Steps at which no track can fire are skipped: nothing moves, no
	// number is drawn (a uniform number is a function of its step, so the
	// steps that follow draw the same), and occupancy is recorded as
	// changes. A plan with an accumulated value that must be evaluated at
	// every point (see values.go) walks every step.
	walk := r.kt.WalkEveryStep() || r.ev.walk
	walk = r.values.start(walk) || walk
	r.walkAll, r.soloNow = walk, r.solo && !walk
	// r.fired and r.pending are empty at the start of every step: emptied
	// here, and after each step that filled them.
	r.pending = r.pending[:0]
	r.fired = r.fired[:0]
	for step := 0; step < r.p.Steps; step++ {
		r.work.steps++
		f.Step = step
		if r.walkAll {
			if r.ev.walk {
				r.valuesAt(step)
			}
			r.accumulateValues(step)
		}
		busy := 0 // tracks that resolved this step: they may fire at the next
		if r.soloNow {
			// The only track, at a CellTable cell: see soloRun. Resolved
			// here rather than in the loop over tracks, so that the loop
			// neither changes step nor tests for a single track.
			if cell := r.soloCell(step); cell != nil {
				var u float64
				var done bool
				step, cell, u, done = r.soloRun(step, r.p.Steps, trace == nil && !r.ev.on)
				f.Step = step
				if !done {
					busy = 1
					if u < cell.Total {
						tc := r.cache[0]
						row := tc.rowOf(cell)
						i := pickIndex(row, u)
						r.fire(0, tc.picks[i].id, step, u, rowProb(row, i), cell.Total, trace)
					}
				} else if r.wake[0] <= int32(step+1) {
					busy = 1
				} // else it sleeps until its wake
				goto moves
			}
		}
		for k, w := range r.wake {
			if int32(step) < w {
				continue // asleep (see nextWake)
			}
			var part []kernel.Entry // a CellEval row; nil: evaluate every guard
			var u float64           // with part: the step's uniform number
			cell := &r.now[k]       // the cell at every step, unless cellVaries (see runner.now); nil: evaluate
			if cell.Kind == cellVaries {
				cell = nil
				if tc := r.cache[k]; tc.cells != nil {
					cell = &tc.cells[step&tc.mask]
					if cell.Kind == kernel.CellNone {
						r.wake[k] = max(int32(step), tc.live[step&tc.mask]) // the combination holds until a refresh
						continue
					}
				}
			}
			busy++ // this track may fire at the next step too
			if cell != nil {
				switch cell.Kind {
				case kernel.CellTable:
					// The commonest case: nothing fires unless u < Total.
					if u := uniform(r.streams[k], step); u < cell.Total {
						tc := r.cache[k] // read here: a track that fires nothing needs only its cell
						row := tc.rowOf(cell)
						i := pickIndex(row, u)
						if pk := &tc.picks[i]; pk.how != pickFire && trace == nil {
							// runner.take, written out: a call would
							// spill the loop's values around it.
							if !pk.stays { // an event (back to the same state) moves nothing
								r.fired = append(r.fired, fired{k, pk.id})
							}
							if pk.how == pickInline {
								r.pending = append(r.pending, pendingSet{int(pk.eff.Var), pk.eff.Compute(f.Vars)})
							}
						} else {
							r.fire(k, pk.id, step, u, rowProb(row, i), cell.Total, trace)
						}
					}
					continue
				case kernel.CellEval:
					// Nothing fires if u is above the cell's static chance
					// bound and the trial's params lie where it holds.
					u = uniform(r.streams[k], step)
					if aboveBound(u, cell.Total) && r.inBounds {
						r.work.boundSkips++
						continue
					}
					part = r.cache[k].tbl.Known(cell)
				case kernel.CellTrial:
					// The state's per-trial row for this trial and step
					// length, read in place if made (see rowCache.current),
					// else filled out of line.
					tc := r.cache[k]
					n := len(tc.out)
					rc := &r.rows[f.State[k]] // the track's state's rows
					at := int(cell.Row)*r.classes + int(r.stepClass[step])
					var row []float64
					var valid bool
					if rc.current(at, f.Gen(), r.p.StepDays[step]) {
						row, valid = rc.rows[at*n:at*n+n], rc.meta[at].valid
					} else {
						row, valid = r.fillRow(rc, tc.tbl, n, cell.Row, at, step)
					}
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
							r.fire(k, int32(tc.out[i]), step, u, rowProb(row, i), last, trace)
						}
						continue
					}
				}
			}
			out := r.cache[k].out
			if part == nil {
				u = uniform(r.streams[k], step)
			}
			var err *RuntimeError
			if r.competes[f.State[k]] {
				err = r.competing(trial, step, k, out, u, part, trace)
			} else {
				err = r.probs(trial, step, k, out, u, part, trace)
			}
			if err != nil {
				return err
			}
		}
	moves:
		moved := len(r.fired) != 0
		if moved {
			r.work.moves += int64(len(r.fired))
			if r.values.spans {
				r.closeSpans(step)
			}
		}
		for _, fd := range r.fired {
			from, to := f.State[fd.track], r.to[fd.id]
			f.State[fd.track] = to
			f.Since[fd.track] = int32(step + 1)
			if f.Entry[to] < 0 {
				f.Entry[to] = int32(step + 1)
				r.reached = append(r.reached, to)
			}
			f.Entries[to]++
			moves := r.occ.moves[(step+1)*len(r.p.States):]
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
			r.pending = r.pending[:0]
		}
		if moved {
			// A refresh can move a wake either way (a track may wake
			// earlier; one that resolved this step may now sleep): the
			// tracks it refreshed are no longer counted as busy, their
			// new wakes count.
			_, resolved := r.refreshMoved(step + 1)
			busy -= resolved
			r.fired = r.fired[:0]
		}
		if busy == 0 && !r.walkAll {
			// Every track sleeps past this step: the loop goes on at the
			// earliest wake, or ends.
			step = int(r.nextWake(step+1)) - 1
		}
	}
	p = r.p // not kept across the step loop
	f.Step = p.Steps
	if !r.ev.on && r.hz.single() {
		r.hz.judgeCountOne(f, t)
	} else {
		r.hz.judge(f)
		if r.ev.on && !r.accepted() {
			r.reject(trial, t)
			return r.checks(trial)
		}
		r.hz.countOutcomes(f, t)
	}
	if r.nest.params.nested() {
		r.countDraw(trial, t)
	}
	if len(p.Values) != 0 {
		if err := r.countValues(trial, t); err != nil {
			return err
		}
	}
	// First entries; the states never entered are counted by flush.
	P := p.Steps + 1
	for _, g := range r.reached {
		t.Entry[int(g)*(P+1)+int(f.Entry[g])]++
	}
	t.Trials++
	if len(p.Checks) == 0 {
		return nil
	}
	return r.checks(trial)
}

// nextWake returns the first step from step on at which a track can fire
// (the smallest of the tracks' wakes, at least step), or the plan's
// number of steps if none can. The step loop calls it after a step at
// which no track stays awake, rather than keeping the smallest wake while
// it passes over sleeping tracks.
func (r *runner) nextWake(step int) int32 {
	next := int32(r.p.Steps)
	for _, w := range r.wake {
		next = min(next, w)
	}
	return max(next, int32(step))
}

// fire records that track k takes transition pick this step, with
// probability pr out of a total chance total of leaving, and computes its
// effects from the state at the start of the step.
func (r *runner) fire(k int, pick int32, step int, u, pr, total float64, trace *[]Event) {
	if pk := &r.picks[pick]; pk.how != pickFire && trace == nil {
		r.take(k, r.f.State[k], pick, pk)
		return
	}
	if r.to[pick] != r.f.State[k] { // an event (back to the same state) moves nothing
		r.fired = append(r.fired, fired{k, pick})
	}
	x := r.p.Transitions[pick]
	for i := range x.Effects {
		e := &x.Effects[i]
		var v float64
		if r.asWritten {
			v = e.Value.Eval(&r.f)
		} else {
			v = e.Compute(&r.f)
		}
		r.pending = append(r.pending, pendingSet{e.Var, v})
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
