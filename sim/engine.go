// Package sim runs Monte Carlo trials of a compiled scenario plan.
//
// A trial walks every track of the plan through calendar time, one step at
// a time, with the synchronous semantics documented in the README. All
// aggregates are integer counts, so merging the tallies of any number of
// workers in any order gives the same result, bit for bit.
package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync/atomic"

	"scensim/model"
	"scensim/tally"
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
	// Latin hypercube, Sobol matrices).
	Design Design
}

// Design fills vals (one entry per plan param, NaN on entry) with the
// values that trial must use for params with a dist; entries left NaN keep
// the plan's draw. A fixed param (no dist) is folded into the expressions
// that use it when the plan is compiled, so a design cannot move it: give
// it a dist (e.g. uniform over its range) in the plan to vary it. It must be a pure function of the trial index and safe for
// concurrent use, so that results stay independent of workers.
type Design func(trial int64, vals []float64)

// Tally holds the integer counts of a run: the one counts type, shared
// with the results (see package tally for the layout of its slices and its
// Merge). Global state g runs over the tracks in order, then over each
// track's states; P = Steps+1 points; each sampled param has HistBins+2
// histogram counters (under, bins, over).
type Tally = tally.Counts

// NewTally returns a zero tally sized for plan.
func NewTally(p *model.Plan) *Tally {
	nd := 0
	for _, par := range p.Params {
		if par.Dist != nil {
			nd++
		}
	}
	return tally.New(len(p.Outcomes), len(p.States), p.Steps+1, nd*(HistBins+2))
}

// RuntimeError is a probability that turned out invalid during a trial,
// or a check that a trial's path broke (see checks.go).
type RuntimeError struct {
	Trial      int64
	Step       int
	Date       string
	Transition string // "track: name", or a list for a sum
	Value      float64
	Kind       ErrorKind
	Check      *model.Check // the check broken, for a check error
}

// ErrorKind says what was wrong at run time.
type ErrorKind uint8

const (
	errProb  ErrorKind = iota // a probability outside [0, 1] or NaN
	errSum                    // probabilities out of one state summing above 1
	errRate                   // a negative, infinite or NaN rate
	errCheck                  // a check that does not hold
)

func (e *RuntimeError) Error() string {
	switch e.Kind {
	case errSum:
		return fmt.Sprintf("trial %d, step %d (%s): probabilities of %s sum to %g > 1", e.Trial, e.Step, e.Date, e.Transition, e.Value)
	case errRate:
		return fmt.Sprintf("trial %d, step %d (%s): transition %s has rate %g; a rate must be finite and ≥ 0", e.Trial, e.Step, e.Date, e.Transition, e.Value)
	case errCheck:
		return e.checkMessage()
	}
	return fmt.Sprintf("trial %d, step %d (%s): transition %s has probability %g outside [0, 1]", e.Trial, e.Step, e.Date, e.Transition, e.Value)
}

// ErrInterrupted is returned (wrapped in *Interrupted) when the context is
// cancelled before all trials are done.
var ErrInterrupted = errors.New("interrupted")

// Interrupted reports how far a cancelled run got.
type Interrupted struct {
	Completed int64
	Trials    int64
}

func (e *Interrupted) Error() string {
	return fmt.Sprintf("interrupted after %d of %d trials", e.Completed, e.Trials)
}

func (e *Interrupted) Unwrap() error { return ErrInterrupted }

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
		runners[w], tallies[w] = newRunner(p, opts.Seed), NewTally(p)
		runners[w].setDesign(opts.Design)
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
	total := NewTally(p)
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
	streams []uint64     // per track
	fired   []fired      // transitions taken this step that move a track, in track order
	cache   []trackCache // per track
	deps    []uint64     // per global state: the tracks its keys read (see trackBit)
	init    []trackCache // the cache at the start of every trial
	moves   []int64      // [k*S+g]: entries into g at point k minus exits (occupancy, differenced)
	pending []pendingSet
	sampled []int // indices of sampled params
	src     source
	vals    []float64  // scratch for competing rates, sized to the largest Out
	outcome []int8     // the last trial's outcomes: 1 hit, 0 miss, -1 given false
	memo    []expMemo  // per global state: the last competing-rates scale
	rows    []rowCache // per global state, for CellTrial cells
	plain   []bool     // per transition: no effects to compute when it fires
	to      []int32    // per transition: the state it goes to
	design  Design     // nil: params are drawn as the plan says
	set     []float64  // the design's values for this trial
}

// rowCache holds a state's per-trial rows (CellTrial cells) for the
// current trial.
type rowCache struct {
	rows []float64 // TrialRows × len(Out)
	gen  []uint64  // per row: the trial generation (Frame.Gen) it was made for, 0: none
	days []float64 // per row: the step length it was made for
}

// trialRow returns row v of state g's per-trial rows, computing it once
// per trial (and step length). Rows are keyed on the frame's generation,
// which every trial advances, never on the trial index: a trial run again
// (perhaps under another design) must not reuse the rows of its last run.
func (r *runner) trialRow(g int32, st *model.State, v int32, step int) []float64 {
	rc := &r.rows[g]
	n := len(st.Out)
	if rc.rows == nil {
		rc.rows = make([]float64, st.TrialRows*n)
		rc.gen = make([]uint64, st.TrialRows)
		rc.days = make([]float64, st.TrialRows)
	}
	row := rc.rows[int(v)*n : int(v+1)*n]
	if days := r.p.StepDays[step]; rc.gen[v] != r.f.Gen || rc.days[v] != days {
		model.FillCum(r.p, st, &r.f, step, r.vals[:n], row)
		rc.gen[v], rc.days[v] = r.f.Gen, days
	}
	return row
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
	cells []model.Cell // by step, for the current key combination; nil: evaluate
	deps  uint64       // tracks whose moves can change the combination (see trackBit)
	wake  int32        // nothing can fire before this step
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
	tc.st, tc.out, tc.cells, tc.deps, tc.wake = st, st.Out, nil, r.deps[g], int32(step)
	if len(st.Out) == 0 {
		tc.wake = math.MaxInt32 // it stays in this state
	}
	if st.Cells != nil {
		c := 0
		if len(st.Keys) == 1 && st.Keys[0].Track >= 0 {
			c = int(r.f.State[st.Keys[0].Track]) - st.Keys[0].First
		} else {
			c = model.Combo(st.Keys, &r.f)
		}
		tc.cells = st.Cells[c*p.Steps : (c+1)*p.Steps]
		if step < p.Steps {
			tc.wake = st.Live[c*p.Steps+step]
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
	r := &runner{p: p, seed: seed}
	r.f.Slots = make([]float64, len(p.Params)+len(p.SlotFns))
	if len(p.SlotFns) > 0 {
		r.f.SlotFns, r.f.SlotGen, r.f.NParams = p.SlotFns, make([]uint64, len(p.SlotFns)), len(p.Params)
	}
	r.f.Vars = make([]float64, len(p.Vars))
	r.f.State = make([]int32, len(p.Tracks))
	r.f.Since = make([]int32, len(p.Tracks))
	r.f.Entry = make([]int32, len(p.States))
	r.streams = make([]uint64, len(p.Tracks))
	r.fired = make([]fired, 0, len(p.Tracks))
	r.moves = make([]int64, (p.Steps+1)*len(p.States))
	r.cache = make([]trackCache, len(p.Tracks))
	r.deps = make([]uint64, len(p.States))
	for g, st := range p.States {
		for _, key := range st.Keys {
			if key.Track >= 0 {
				r.deps[g] |= trackBit(key.Track)
			} else {
				r.deps[g] |= trackBit(p.States[key.Reached].Track)
			}
		}
	}
	r.outcome = make([]int8, len(p.Outcomes))
	r.rows = make([]rowCache, len(p.States))
	r.plain = make([]bool, len(p.Transitions))
	r.to = make([]int32, len(p.Transitions))
	for i, x := range p.Transitions {
		r.plain[i], r.to[i] = len(x.Effects) == 0, int32(x.To)
	}
	r.memo = make([]expMemo, len(p.States)) // x = 0 never matches: a zero rate skips the memo
	for _, st := range p.States {
		r.vals = make([]float64, max(len(r.vals), len(st.Out)))
	}
	for i, par := range p.Params {
		if par.Dist != nil {
			r.sampled = append(r.sampled, i)
		}
	}
	return r
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
	for i, par := range p.Params {
		f.Slots[i] = par.Value
	}
	if r.design != nil {
		for i := range r.set {
			r.set[i] = math.NaN()
		}
		r.design(trial, r.set)
	}
	for j, i := range r.sampled {
		par := p.Params[i]
		var v float64
		if r.design != nil && !math.IsNaN(r.set[i]) {
			v = r.set[i]
		} else {
			r.src.state = streamKey(tk, par.Key)
			v = par.Dist.Sample(&r.src)
		}
		f.Slots[i] = v
		bin := 0
		switch {
		case v < par.Dist.Lo:
		case v >= par.Dist.Hi:
			bin = HistBins + 1
		default:
			bin = 1 + min(int((v-par.Dist.Lo)/(par.Dist.Hi-par.Dist.Lo)*HistBins), HistBins-1)
		}
		t.ParamHist[j*(HistBins+2)+bin]++
	}
	f.Step = 0
	f.Gen++ // the slots after the params are computed when first needed
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
		r.pending = r.pending[:0]
		r.fired = r.fired[:0]
		for k := range r.cache {
			tc := &r.cache[k]
			if int32(step) < tc.wake {
				continue
			}
			out := tc.out
			g, st := f.State[k], tc.st
			var part []float64 // a CellEval row; nil: evaluate every guard
			var known float64  // with part: the known values' part of the chance bound
			if tc.cells != nil {
				cell := &tc.cells[step]
				switch cell.Kind {
				case model.CellNone:
					continue
				case model.CellTable:
					// The commonest case: nothing fires unless u < Total.
					if u := uniform(r.streams[k], step); u < cell.Total {
						row := st.Rows[cell.Row : int(cell.Row)+len(out)]
						i := 0
						for u >= row[i] {
							i++
						}
						r.fire(k, int32(out[i]), step, u, rowProb(row, i), cell.Total, trace)
					}
					continue
				case model.CellEval:
					part, known = st.Rows[cell.Row:int(cell.Row)+len(out)], cell.Total
				case model.CellTrial:
					row := r.trialRow(g, st, cell.Row, step)
					last := row[len(row)-1]
					if last == 0 {
						continue
					}
					if last == last { // not NaN: valid; else evaluate, which reports the error
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
	P := p.Steps + 1
	for g, e := range f.Entry {
		if e < 0 {
			e = int32(P)
		}
		t.Entry[g*(P+1)+int(e)]++
	}
	for i, o := range p.Outcomes {
		r.outcome[i] = -1
		if !holds(o.GivenTest, o.Given, f, true) {
			continue
		}
		t.Given[i]++
		r.outcome[i] = 0
		if holds(o.WhenTest, o.When, f, false) {
			t.Hits[i]++
			r.outcome[i] = 1
		}
	}
	t.Trials++
	return r.checks(trial)
}

// holds evaluates a condition by its truth table if it has one, else by
// its expression; with neither it is def.
func holds(t *model.Test, e *model.Expr, f *model.Frame, def bool) bool {
	switch {
	case t != nil:
		return t.Truth>>model.Combo(t.Keys, f)&1 != 0
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

// rowProb is the probability of Out[i] in a cumulative row.
func rowProb(row []float64, i int) float64 {
	if i == 0 {
		return row[0]
	}
	return row[i] - row[i-1]
}

// known returns what a CellEval row part (nil: none) says about
// transition i: whether it can fire (else its guard does not hold) and its
// value if known in advance (else NaN: it must be evaluated).
func (r *runner) known(x *model.Transition, i int, part []float64) (on bool, v float64) {
	if part != nil {
		v = part[i]
		return v >= 0 || v != v, v
	}
	return r.guard(x), nan
}

// nan marks a value not known in advance.
var nan = math.NaN()

// guard evaluates x's guard (not inlined, so that known is).
//
//go:noinline
func (r *runner) guard(x *model.Transition) bool { return x.Guard == nil || x.Guard.Eval(&r.f) != 0 }

// probs resolves a state with at most one rate transition: each
// transition that can fire has its own probability; they are taken in
// file order against the uniform number u. part is the step's CellEval
// row, or nil.
func (r *runner) probs(trial int64, step, k int, out []int, u float64, part []float64, trace *[]Event) *RuntimeError {
	p := r.p
	if r.nothingFires(step, out, u, part) {
		return nil
	}
	cum := 0.0
	pick, pickP := int32(-1), 0.0
	for i, id := range out {
		x := p.Transitions[id]
		on, pr := r.known(x, i, part)
		if !on {
			continue
		}
		if pr != pr {
			pr = x.Prob.Eval(&r.f)
			if !(pr >= 0 && pr <= 1) {
				return r.errorAt(trial, step, p.Tracks[k].Name+": "+x.Name, pr, errProb)
			}
		}
		cum += pr
		if pick < 0 && u < cum {
			pick, pickP = int32(id), pr
		}
	}
	if cum > 1+1e-12 {
		return r.errorAt(trial, step, r.outNames(k), cum, errSum)
	}
	if pick >= 0 {
		r.fire(k, pick, step, u, pickP, cum, trace)
	}
	return nil
}

// Chance bounds. A rate h (per step) gives a chance 1 − exp(−h) ≤ h, so a
// uniform number u at or above the sum of the chances with each rate's h in
// place of its chance takes no transition, and the exponential need not be
// computed. The bound allows for rounding (relative 1e-12, absolute 1e-15,
// far above the few ulps of the exact computation), so the shortcut
// decides exactly as the full computation would.
func aboveBound(u, bound float64) bool { return u >= bound*(1+1e-12)+1e-15 }

// nothingFires reports, for a state with at most one rate transition,
// whether u is above the chance bound of the transitions that can fire.
// It evaluates the rate (cheaper than its chance); it gives up (false) when
// a probability must be evaluated or a value is invalid, which the full
// computation then reports.
func (r *runner) nothingFires(step int, out []int, u float64, part []float64) bool {
	p := r.p
	bound := 0.0
	lone := false
	for i, id := range out {
		x := p.Transitions[id]
		on, v := r.known(x, i, part)
		switch {
		case !on:
			continue
		case v == v:
		case x.Rate != nil:
			v = x.Rate.Eval(&r.f) * x.PerDay * p.StepDays[step]
			if !(v >= 0 && v <= math.MaxFloat64) {
				return false
			}
			lone = true
		default:
			return false
		}
		bound += v
	}
	return lone && aboveBound(u, bound)
}

// competing resolves a state with two or more rate transitions: the rates
// (per day) add up to R, the chance of taking one of them in the step is
// 1 − exp(−R·d), shared in proportion to the rates; transitions given by p
// keep their probabilities. Transitions are taken in file order against u.
// part is the step's CellEval row, or nil, and known its cell's Total.
func (r *runner) competing(trial int64, step, k int, out []int, u float64, part []float64, known float64, trace *[]Event) *RuntimeError {
	p, f := r.p, &r.f
	vals := r.vals[:len(out)]
	sumP, rate := 0.0, 0.0
	if part != nil {
		// Evaluate only what is not known in advance, and stop there if u
		// is above the chance bound (see aboveBound).
		bound := known
		for i, v := range part {
			vals[i] = v
			if v == v {
				continue
			}
			x := p.Transitions[out[i]]
			if x.Rate != nil {
				v = x.Rate.Eval(f)
				if !(v >= 0 && v <= math.MaxFloat64) {
					return r.errorAt(trial, step, p.Tracks[k].Name+": "+x.Name, v, errRate)
				}
				vals[i] = v * x.PerDay
				bound += vals[i] * p.StepDays[step]
				continue
			}
			v = x.Prob.Eval(f)
			if !(v >= 0 && v <= 1) {
				return r.errorAt(trial, step, p.Tracks[k].Name+": "+x.Name, v, errProb)
			}
			vals[i] = v
			bound += v
		}
		if aboveBound(u, bound) {
			return nil
		}
		for i, id := range out { // the exact sums, in file order
			if v := vals[i]; v >= 0 {
				if p.Transitions[id].Rate != nil {
					rate += v
				} else {
					sumP += v
				}
			}
		}
	} else {
		// No cells: every guard is evaluated.
		for i, id := range out {
			x := p.Transitions[id]
			vals[i] = -1 // cannot fire
			if !r.guard(x) {
				continue
			}
			if x.Rate != nil {
				v := x.Rate.Eval(f)
				if !(v >= 0 && v <= math.MaxFloat64) {
					return r.errorAt(trial, step, p.Tracks[k].Name+": "+x.Name, v, errRate)
				}
				vals[i] = v * x.PerDay
				rate += vals[i]
				continue
			}
			v := x.Prob.Eval(f)
			if !(v >= 0 && v <= 1) {
				return r.errorAt(trial, step, p.Tracks[k].Name+": "+x.Name, v, errProb)
			}
			vals[i] = v
			sumP += v
		}
	}
	if aboveBound(u, sumP+rate*p.StepDays[step]) {
		return nil // see aboveBound
	}
	scale := 0.0
	if rate > 0 {
		// The rates out of a state often stay the same from step to step,
		// so the last result per state is kept (per worker).
		g := f.State[k]
		x := rate * p.StepDays[step]
		if m := &r.memo[g]; m.x == x && m.rate == rate {
			scale = m.scale
		} else {
			scale = (1 - math.Exp(-x)) / rate
			*m = expMemo{x: x, rate: rate, scale: scale}
		}
	}
	total := sumP + rate*scale
	if total > 1+1e-12 {
		return r.errorAt(trial, step, r.outNames(k), total, errSum)
	}
	cum := 0.0
	for i, id := range out {
		if vals[i] < 0 {
			continue
		}
		pr := vals[i]
		if p.Transitions[id].Rate != nil {
			pr = vals[i] * scale
		}
		cum += pr
		if u < cum {
			r.fire(k, int32(id), step, u, pr, total, trace)
			return nil
		}
	}
	return nil
}

func (r *runner) errorAt(trial int64, step int, what string, v float64, kind ErrorKind) *RuntimeError {
	return &RuntimeError{Trial: trial, Step: step, Date: r.p.Points[step].Format("2006-01-02"), Transition: what, Value: v, Kind: kind}
}

func (r *runner) outNames(k int) string {
	p := r.p
	s := ""
	for i, id := range p.States[r.f.State[k]].Out {
		x := p.Transitions[id]
		if x.Guard != nil && x.Guard.Eval(&r.f) == 0 {
			continue
		}
		if i > 0 && s != "" {
			s += ", "
		}
		s += x.Name
	}
	return p.Tracks[k].Name + ": " + s
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

// Path is the record of one replayed trial.
type Path struct {
	Trial    int64
	Params   []float64 // every param's value in this trial
	Events   []Event
	Final    []string  // per track: state at the horizon
	Vars     []float64 // at the horizon
	Entry    []int32   // per global state: point of first entry, -1 if never
	Outcomes []int8    // per outcome: 1 hit, 0 miss, -1 given did not hold
	Checks   []bool    // per check: whether it holds
	Tally    *Tally    // the trial's counts, as a run would add them
}

// Replay runs one trial alone and records its story. It gives exactly the
// trial that Run runs under the same seed and index. A check the trial
// breaks is no error here: Path.Checks shows it.
func Replay(p *model.Plan, seed uint64, trial int64) (*Path, error) {
	r := newRunner(p, seed)
	t := NewTally(p)
	var events []Event
	if err := r.trial(trial, t, &events); err != nil && !err.IsCheck() {
		return nil, err // a broken check is shown in Path.Checks
	}
	r.flush(t)
	path := &Path{
		Trial: trial, Events: events, Tally: t,
		Params: append([]float64(nil), r.f.Slots[:len(p.Params)]...),
		Vars:   append([]float64(nil), r.f.Vars...),
		Entry:  append([]int32(nil), r.f.Entry...),
	}
	for k := range p.Tracks {
		path.Final = append(path.Final, p.States[r.f.State[k]].Name)
	}
	path.Outcomes = append(path.Outcomes, r.outcome...)
	path.Checks = r.checkResults()
	return path, nil
}

func (r *runner) setDesign(d Design) {
	r.design = d
	if d != nil && r.set == nil {
		r.set = make([]float64, len(r.p.Params))
	}
}

// Trialer runs single trials of a plan, one after another, reusing its
// buffers: the building block of paired (common random numbers) designs,
// where trial i of several plans must be compared one by one. It is not
// safe for concurrent use; make one per goroutine.
type Trialer struct {
	r *runner
	t *Tally
}

// NewTrialer returns a Trialer for plan p and seed.
func NewTrialer(p *model.Plan, seed uint64) *Trialer {
	return &Trialer{r: newRunner(p, seed), t: NewTally(p)}
}

// Trial runs trial i, adds it to the Trialer's tally, and returns its
// outcomes in plan order: 1 hit, 0 miss, -1 when the outcome's given did
// not hold. The slice is reused by the next call.
func (tr *Trialer) Trial(i int64) ([]int8, error) {
	if err := tr.r.trial(i, tr.t, nil); err != nil {
		return nil, err
	}
	return tr.r.outcome, nil
}

// Tally returns the counts of all trials run so far.
func (tr *Trialer) Tally() *Tally {
	tr.r.flush(tr.t)
	return tr.t
}

// SetDesign makes the following trials take param values from d (nil: as
// the plan says).
func (tr *Trialer) SetDesign(d Design) { tr.r.setDesign(d) }

// Params returns the param values of the last trial (reused by the next call).
func (tr *Trialer) Params() []float64 { return tr.r.f.Slots[:len(tr.r.p.Params)] }

// Entry returns, for the last trial, the point of first entry into each
// global state (-1 if never). The slice is reused by the next call.
func (tr *Trialer) Entry() []int32 { return tr.r.f.Entry }
