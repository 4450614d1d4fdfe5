package sim

import (
	"math"

	"scensim/model"
	"scensim/tally"
)

// Value outcomes (model.ValueOutcome) add a number per trial to the
// tally's Values. An accumulated value is evaluated at the points its
// weights cover, from the state at that point (before the step's moves),
// so it sees the same state a `when:` would at that point. Per-trial
// values are rounded to tally.ValueQuantum and summed as integers, so the
// tally does not depend on how the trials were split among workers or
// shards.
//
// Most accumulated values read the state of one track only (model.ModeState:
// `a.s`, `a.s or a.t`, `a.s ? cost : 0`, with params perhaps): between two
// moves of that track the value is the same at every point. Such a value
// is added span by span (values_spans.go) when its track leaves a state and
// at the horizon, so it does not make the engine walk idle steps. Any other
// accumulated value is evaluated at every point, and the engine walks every
// step. Both give the same float sum, bit for bit: the span adds the same
// products to the value's own sum in the same order.

// valueState is a runner's per-trial record of its plan's value outcomes.
type valueState struct {
	all     []accumulated   // every accumulated outcome, in plan order
	walked  []accumulated   // those that are evaluated at every point
	byTrack [][]accumulated // per track: those added span by span (its state only)
	active  []accumulated   // this trial's per-point list: walked, or all
	spans   bool            // this trial adds the byTrack outcomes span by span
	sums    []float64       // per Plan.Values entry: this trial's accumulated sum
	last    []float64       // per Plan.Values entry: the last trial's value (NaN: undefined)
}

// accumulated is what the step loop reads of an accumulated outcome, kept
// side by side so that a step touches one small record per outcome.
type accumulated struct {
	i      int         // index into Plan.Values
	weight []float64   // ValueOutcome.Weight
	expr   *model.Expr // ValueOutcome.PerStep
}

func (vs *valueState) init(p *model.Plan) {
	vs.sums = make([]float64, len(p.Values))
	vs.last = make([]float64, len(p.Values))
	for i, v := range p.Values {
		if v.PerStep == nil {
			continue
		}
		a := accumulated{i, v.Weight, v.PerStep}
		vs.all = append(vs.all, a)
		if k, ok := spanTrack(v.PerStep); ok {
			if vs.byTrack == nil {
				vs.byTrack = make([][]accumulated, len(p.Tracks))
			}
			vs.byTrack[k] = append(vs.byTrack[k], a)
		} else {
			vs.walked = append(vs.walked, a)
		}
	}
}

// start begins a trial: it clears the sums (so that a trial stopped by an
// error leaves nothing to the next) and chooses how the accumulated
// values are added: with walkAll (the engine walks every step anyway, or
// something reads the sums at points of the trial) every one at every
// point, else span by span where possible. It reports whether some value
// must be evaluated at every point.
func (vs *valueState) start(walkAll bool) bool {
	clear(vs.sums)
	vs.active, vs.spans = vs.walked, vs.byTrack != nil
	if walkAll {
		vs.active, vs.spans = vs.all, false
	}
	return len(vs.active) != 0
}

// NewValueTallies returns zero value tallies for the plan's value outcomes.
func NewValueTallies(p *model.Plan) []tally.Value {
	if len(p.Values) == 0 {
		return nil
	}
	out := make([]tally.Value, len(p.Values))
	for i, v := range p.Values {
		out[i] = tally.NewValue(v.Bins)
	}
	return out
}

// accumulateValues adds the weighted values of point step (the frame's
// current point) of the trial's per-point list to this trial's sums. The
// product is rounded before the sum (the conversion), as in addSpan.
func (r *runner) accumulateValues(step int) {
	for _, a := range r.values.active {
		if w := a.weight[step]; w != 0 {
			r.values.sums[a.i] += float64(w * a.expr.Eval(&r.f))
		}
	}
}

// countValues adds this trial's values (the frame at the horizon) to t,
// and in a nested run to its draw's tallies (t.DrawValues). A defined value
// beyond ±tally.MaxValue stops the run with an error.
func (r *runner) countValues(trial int64, t *Tally) *RuntimeError {
	p := r.p
	var draw []tally.Value
	if ps := r.nest.params; ps.PerDraw > 0 && !ps.Fixed && len(t.DrawValues) > 0 {
		d := int(trial/ps.PerDraw) * len(p.Values)
		draw = t.DrawValues[d : d+len(p.Values)]
	}
	if r.values.spans {
		r.closeOpenSpans()
	}
	for i, v := range p.Values {
		x := r.values.sums[i]
		if v.At != nil {
			x = v.At.Eval(&r.f)
		} else if w := v.Weight[p.Steps]; w != 0 {
			x += float64(w * v.PerStep.Eval(&r.f))
		}
		r.values.sums[i] = 0
		r.values.last[i] = x
		vt := &t.Values[i]
		if math.IsNaN(x) || math.IsInf(x, 0) {
			vt.Undefined++
			if draw != nil {
				draw[i].Undefined++
			}
			r.values.last[i] = math.NaN()
			continue
		}
		q, ok := tally.Quantise(x)
		if !ok {
			return &RuntimeError{Trial: trial, Step: p.Steps, Date: p.Points[p.Steps].Format("2006-01-02"),
				Transition: v.Name, Value: x, Kind: errValue}
		}
		vt.Add(q, ValueBin(x, v.Lo, v.Hi, v.Bins))
		if draw != nil {
			draw[i].Add(q, 0)
		}
	}
	return nil
}

// ValueBin returns the histogram counter of x among bins equal bins over
// [lo, hi): 0 below lo, 1..bins inside, bins+1 at or above hi.
func ValueBin(x, lo, hi float64, bins int) int {
	switch {
	case x < lo:
		return 0
	case !(x < hi):
		return bins + 1
	}
	return 1 + min(int((x-lo)/(hi-lo)*float64(bins)), bins-1)
}

// Values returns the value of each value outcome (plan order) in the last
// trial, NaN where it was undefined. The slice is reused by the next call.
func (tr *Trialer) Values() []float64 { return tr.r.values.last }
