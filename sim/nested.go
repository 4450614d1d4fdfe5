package sim

import (
	"math"

	"scensim/model"
)

// Params says how a run gives values to the params that have a dist.
//
// The default (the zero value) draws them per trial: each trial samples its
// own values, keyed by (seed, trial, param name). That mixes the two kinds
// of uncertainty in one number, so a run cannot tell how much of an
// outcome's spread comes from the assumptions.
//
// A nested run (PerDraw > 0) draws K parameter sets and runs PerDraw trials
// under each: trial i belongs to draw d = ⌊i/PerDraw⌋, and the draw's
// values are keyed by (seed, d, param name), never by the trial, so any
// trial can be replayed alone (its draw is computed from its index) and
// the counts do not depend on workers or shards. The tally then keeps
// per-draw hits and given counts (see tally.Counts), from which the results
// derive P(outcome | params) per draw.
//
// Fixed runs every param at its value: (the mean of its dist when it has
// no value), drawing nothing: the run for checks against exact answers.
// Fixed wins over PerDraw.
//
// A Design (Options.Design) still sets values: per trial in the default
// mode, per draw (called with the draw index) in a nested run.
type Params struct {
	Fixed   bool
	PerDraw int64
}

// Trials per draw of a nested run, chosen from the run's size.
const (
	// DefaultPerDraw is the trials per draw of a run of at least
	// MinDrawsDefault·DefaultPerDraw trials: enough that a draw's own
	// Monte Carlo noise (at most 0.5/√500 ≈ 2.2 points) is small next to
	// the spread of typical outcomes over the assumptions, while a run of
	// 100 000 trials still has 200 draws for the 5% and 95% quantiles.
	DefaultPerDraw = 500
	// MinDrawsDefault is the fewest draws a run gets by default; smaller
	// runs use fewer trials per draw (⌈n/MinDrawsDefault⌉).
	MinDrawsDefault = 10
	// MaxDrawsDefault is the most draws a run gets by default; larger runs
	// (over a million trials) put more trials in each draw. Every draw
	// costs a few hundred counters in the tally and in result.json (per
	// outcome and per state and named date), and 2 000 draws already pin
	// the 5% and 95% quantiles to about ±0.5 percentiles.
	MaxDrawsDefault = 2000
	// MaxDraws is the most draws a run may ask for.
	MaxDraws = 20000
)

// PerDrawFor returns the trials per draw of a nested run of n trials:
// with draws > 0, ⌈n/draws⌉ (so that there are at most draws draws);
// otherwise DefaultPerDraw when MinDrawsDefault·DefaultPerDraw ≤ n ≤
// MaxDrawsDefault·DefaultPerDraw, ⌈n/MaxDrawsDefault⌉ above that and
// ⌈n/MinDrawsDefault⌉ (at least 1) below.
func PerDrawFor(n, draws int64) int64 {
	if n <= 0 {
		return 1
	}
	if draws > 0 {
		return (n + draws - 1) / draws
	}
	if n > MaxDrawsDefault*DefaultPerDraw {
		return (n + MaxDrawsDefault - 1) / MaxDrawsDefault
	}
	if n >= MinDrawsDefault*DefaultPerDraw {
		return DefaultPerDraw
	}
	return (n + MinDrawsDefault - 1) / MinDrawsDefault
}

// DrawsOf returns the number of draws that trials 0..n−1 span with
// perDraw trials per draw.
func DrawsOf(n, perDraw int64) int64 {
	if n <= 0 || perDraw <= 0 {
		return 0
	}
	return (n + perDraw - 1) / perDraw
}

// nestState is what a runner knows of how params are drawn.
type nestState struct {
	params     Params    // how params with a dist are drawn
	draw       int64     // nested runs: the draw whose values drawVals holds
	drawVals   []float64 // nested runs: per sampled param, the draw's value
	datePoints []int32   // per named date: its last point, -1 if none
}

// drawKey is the random state of draw d of a nested run; it is mixed with
// a constant of its own so that draw d and trial d draw different values.
func drawKey(seed uint64, d int64) uint64 {
	return mix(mix(seed^0x6a09e667f3bcc909+golden) ^ (uint64(d) * 0xd1342543de82ef95))
}

// sampledParam is what setParams needs of a param with a dist.
type sampledParam struct {
	slot   int // its index in Plan.Params and Frame.Slots
	key    uint64
	dist   *model.Dist
	lo, hi float64 // its histogram's range
	value  float64 // its value in a run with fixed params
}

// sampledParams returns p's params with a dist, in plan order.
func sampledParams(p *model.Plan) []sampledParam {
	var out []sampledParam
	for i, par := range p.Params {
		if par.Dist != nil {
			out = append(out, sampledParam{slot: i, key: par.Key, dist: par.Dist, lo: par.Dist.Lo, hi: par.Dist.Hi, value: par.Value})
		}
	}
	return out
}

// setParams gives the frame's slots of the params with a dist their
// values for trial (whose key is tk, see trialKey), counts them in t's
// histograms or holds them to be counted (see runner.held), and sets
// runner.inBounds (the other params' slots hold their values from the
// start: see newRunner).
func (r *runner) setParams(trial int64, tk uint64, t *Tally) {
	f := &r.f
	hist := t.ParamHist
	switch {
	case r.nest.params.Fixed:
		if !r.fixedSet { // every trial takes the same values
			for j := range r.params {
				sp := &r.params[j]
				f.Slots[sp.slot] = sp.value
				r.binParam(j, sp.value)
			}
			r.fixedSet = true
		}
		r.countBins(hist)
		r.inBounds = r.paramsInBounds()
		return
	case r.nest.params.PerDraw > 0:
		if d := trial / r.nest.params.PerDraw; d != r.nest.draw || r.nest.drawVals == nil {
			r.drawParams(d) // the trials of a draw take its values
			for j, v := range r.nest.drawVals {
				f.Slots[r.params[j].slot] = v
				r.binParam(j, v)
			}
		}
		r.countBins(hist)
		r.inBounds = r.paramsInBounds()
		return
	}
	if len(r.params) == 0 {
		r.inBounds = true
		return
	}
	if r.design != nil {
		for i := range r.set {
			r.set[i] = math.NaN()
		}
		r.design(trial, r.set)
	}
	if r.ev.on {
		// A rejected trial takes its counters out again (see reject):
		// they are counted now.
		for j := range r.params {
			sp := &r.params[j]
			v := r.drawParam(tk, sp)
			f.Slots[sp.slot] = v
			r.countParam(hist, j, v)
		}
		r.inBounds = r.paramsInBounds()
		return
	}
	switch {
	case r.held == nil: // the first flat trial: only such runners hold values
		r.held = make([]float64, 0, heldTrials(len(r.params))*len(r.params))
	case len(r.held) == cap(r.held):
		r.countHeld(hist)
	}
	in := true
	for j := range r.params {
		sp := &r.params[j]
		v := r.drawParam(tk, sp)
		f.Slots[sp.slot] = v
		r.held = append(r.held, v)
		in = in && inRange(v, sp.lo, sp.hi)
	}
	r.inBounds = in
}

// drawParam returns the value of sampled param sp in the trial whose key
// is tk: the design's, if it sets one, else a draw from its dist.
func (r *runner) drawParam(tk uint64, sp *sampledParam) float64 {
	if r.design != nil && !math.IsNaN(r.set[sp.slot]) {
		return r.set[sp.slot]
	}
	r.src.state = streamKey(tk, sp.key)
	return sp.dist.Sample(&r.src)
}

// inRange reports whether v lies in [lo, hi): whether histBin puts it in
// one of the equal bins (1..HistBins), with no division.
func inRange(v, lo, hi float64) bool { return lo <= v && v < hi }

// heldValues bounds the param values a runner holds before it counts
// them in the histograms (see runner.held): 16 KiB, half a level-1 data
// cache of 32 KiB.
const heldValues = 2048

// heldTrials is the number of trials whose values of n sampled params a
// runner holds before it counts them in the histograms: as many as
// heldValues allows, at least one.
func heldTrials(n int) int { return max(1, heldValues/max(n, 1)) }

// countHeld counts the values in runner.held in hist, param by param,
// and empties it.
func (r *runner) countHeld(hist []int64) {
	n := len(r.params)
	for j := range r.params {
		sp := &r.params[j]
		block := hist[j*(HistBins+2) : (j+1)*(HistBins+2)]
		for i := j; i < len(r.held); i += n {
			block[histBin(r.held[i], sp.lo, sp.hi)]++
		}
	}
	r.held = r.held[:0]
}

// paramsInBounds reports whether every sampled param's value (as binned
// by binParam) lies in its histogram's range [lo, hi) (see inRange).
func (r *runner) paramsInBounds() bool {
	for j, b := range r.bins {
		if i := b - j*(HistBins+2); i < 1 || i > HistBins {
			return false
		}
	}
	return true
}

// countParam counts value v of sampled param j in its histogram block of
// hist, and remembers the counter (see runner.bins).
func (r *runner) countParam(hist []int64, j int, v float64) {
	r.binParam(j, v)
	hist[r.bins[j]]++
}

// binParam sets sampled param j's histogram counter (runner.bins) to
// value v's.
func (r *runner) binParam(j int, v float64) {
	sp := &r.params[j]
	r.bins[j] = j*(HistBins+2) + histBin(v, sp.lo, sp.hi)
}

// countBins counts the values of runner.bins in hist.
func (r *runner) countBins(hist []int64) {
	for _, b := range r.bins {
		hist[b]++
	}
}

// drawParams samples the values of draw d into r.nest.drawVals.
func (r *runner) drawParams(d int64) {
	if r.nest.drawVals == nil {
		r.nest.drawVals = make([]float64, len(r.params))
	}
	sampleDraw(r.p, r.sampled, r.seed, d, r.design, r.set, &r.src, r.nest.drawVals)
	r.nest.draw = d
}

// sampleDraw writes into out[j] the value of param sampled[j] of p in draw
// d of a nested run with seed: the design's value if it sets one (set is
// its scratch, one entry per plan param), otherwise a sample of the
// param's dist keyed by (seed, d, param name).
func sampleDraw(p *model.Plan, sampled []int, seed uint64, d int64, design Design, set []float64, src *source, out []float64) {
	if design != nil {
		for i := range set {
			set[i] = math.NaN()
		}
		design(d, set)
	}
	dk := drawKey(seed, d)
	for j, i := range sampled {
		par := p.Params[i]
		if design != nil && !math.IsNaN(set[i]) {
			out[j] = set[i]
			continue
		}
		src.state = streamKey(dk, par.Key)
		out[j] = par.Dist.Sample(src)
	}
}

// DrawValues returns the param values of draws 0..draws−1 of a nested run
// of p with seed and design (nil for none): out[j][d] is the value of the
// j-th param with a dist (in plan order) in draw d, exactly the value the
// engine gives it in every trial of that draw. It is a pure function of its
// arguments, so the values need not be stored by the run.
func DrawValues(p *model.Plan, seed uint64, design Design, draws int64) [][]float64 {
	var sampled []int
	for i, par := range p.Params {
		if par.Dist != nil {
			sampled = append(sampled, i)
		}
	}
	out := make([][]float64, len(sampled))
	for j := range out {
		out[j] = make([]float64, draws)
	}
	set, row := make([]float64, len(p.Params)), make([]float64, len(sampled))
	var src source
	for d := range draws {
		sampleDraw(p, sampled, seed, d, design, set, &src, row)
		for j, v := range row {
			out[j][d] = v
		}
	}
	return out
}

// countDraw adds the last trial's outcomes to its draw's counts in a
// nested run.
func (r *runner) countDraw(trial int64, t *Tally) {
	if r.nest.params.PerDraw <= 0 || r.nest.params.Fixed {
		return
	}
	d := int(trial / r.nest.params.PerDraw)
	t.DrawTrials[d]++
	O := len(r.outcome)
	hits, given := t.DrawHits[d*O:(d+1)*O], t.DrawGiven[d*O:(d+1)*O]
	for w, g := range r.hz.given { // the givens of outcomes without a condition are set by flush
		countBits(given[w*64:], g&r.hz.cond[w])
		countBits(hits[w*64:], r.hz.hit[w])
	}
	W := len(r.nest.datePoints) + 1
	reached := t.DrawReached[d*len(r.f.Entry)*W:]
	for _, g := range r.reached {
		e := r.f.Entry[g]
		row := reached[int(g)*W : (int(g)+1)*W]
		for j, k := range r.nest.datePoints {
			if e <= k {
				row[j]++
			}
		}
		row[W-1]++
	}
}

// datePointsOf returns, per named date of p, the last point dated on or
// before it (by calendar day), -1 if none: the points of results.Layout.
func datePointsOf(p *model.Plan) []int32 {
	const day = "2006-01-02"
	out := make([]int32, len(p.Dates))
	for j, d := range p.Dates {
		out[j] = -1
		for k, t := range p.Points {
			if t.Format(day) <= d.Date.Format(day) {
				out[j] = int32(k)
			}
		}
	}
	return out
}

// newTallyFor returns a zero tally for the trials first..first+n−1 of a
// run of p with params ps: nested, with draw slices up to the last draw
// those trials touch, when ps is nested.
func newTallyFor(p *model.Plan, ps Params, first, n int64) *Tally {
	t := NewTally(p)
	if ps.PerDraw > 0 && !ps.Fixed {
		t.SetNested(ps.PerDraw, int(DrawsOf(first+n, ps.PerDraw)), len(p.States)*(len(p.Dates)+1))
		if len(p.Evidence) > 0 {
			t.DrawRejected = make([]int64, len(t.DrawTrials))
		}
	}
	return t
}

// nested reports whether ps makes a nested run.
func (ps Params) nested() bool { return ps.PerDraw > 0 && !ps.Fixed }
