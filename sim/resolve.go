package sim

import (
	"math"

	"scensim/model"
	"scensim/model/kernel"
)

// rowProb is the probability of Out[i] in a cumulative row.
func rowProb(row []float64, i int) float64 {
	if i == 0 {
		return row[0]
	}
	return row[i] - row[i-1]
}

// known returns what a CellEval row part (nil: none) says about
// transition i: Off if its guard does not hold, its value if known in
// advance, else Evaluate.
func (r *runner) known(x *model.Transition, i int, part []kernel.Entry) kernel.Entry {
	switch {
	case part != nil:
		return part[i]
	case x.Guard == nil: // no call for a transition with no guard
		return kernel.Entry{Kind: kernel.Evaluate}
	}
	return r.guarded(x)
}

// guarded returns Evaluate if x's guard holds, else Off (not inlined, so
// that known is).
//
//go:noinline
func (r *runner) guarded(x *model.Transition) kernel.Entry {
	if r.guard(x) {
		return kernel.Entry{Kind: kernel.Evaluate}
	}
	return kernel.Entry{Kind: kernel.Off}
}

// guard evaluates x's guard.
func (r *runner) guard(x *model.Transition) bool { return x.Guard == nil || x.Guard.Eval(&r.f) != 0 }

// probs resolves a state with at most one rate transition: each
// transition that can fire has its own probability; they are taken in
// file order against the uniform number u. part is the step's CellEval
// row, or nil.
func (r *runner) probs(trial int64, step, k int, out []int, u float64, part []kernel.Entry, trace *[]Event) *RuntimeError {
	p := r.p
	var l *loneRate // part first: a state with a row is no lone rate
	if part == nil {
		l = &r.lone[r.f.State[k]]
	}
	if l != nil && l.rate != nil {
		if l.bound != nil && aboveBound(u, l.bound[step]) && r.inBounds {
			r.work.boundSkips++ // the static bound decides: no evaluation
			return nil
		}
		// nothingFires for the one transition, without its loop: the
		// same value of the bound, computed in the same order.
		if v := l.rate(&r.f) * l.perDay * p.StepDays[step]; v >= 0 && v <= math.MaxFloat64 && aboveBound(u, v) {
			return nil
		}
	} else if r.nothingFires(step, out, u, part) {
		return nil
	}
	cum := 0.0
	pick, pickP := int32(-1), 0.0
	for i, id := range out {
		x := p.Transitions[id]
		e := r.known(x, i, part)
		if e.Kind == kernel.Off {
			continue
		}
		pr := e.V
		if e.Kind == kernel.Evaluate {
			if x.Rate != nil {
				// A lone rate's probability is 1 − exp(−rate·Δt): an
				// infinite rate would run as a probability of 1.
				if v := x.Rate.Eval(&r.f); !(v >= 0 && v <= math.MaxFloat64) {
					return r.errorAt(trial, step, p.Tracks[k].Name+": "+x.Name, v, errRate)
				}
			}
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

// knownPart is the part of the chance bound that the values a CellEval row
// knows in advance make: their probabilities, and rates times the step's
// length days, summed in file order as the compiler's partialRow sums them.
func knownPart(part []kernel.Entry, days float64) float64 {
	sum := 0.0
	for _, e := range part {
		switch e.Kind {
		case kernel.Rate:
			sum += e.V * days
		case kernel.Prob:
			sum += e.V
		}
	}
	return sum
}

// nothingFires reports, for a state with at most one rate transition,
// whether u is above the chance bound of the transitions that can fire.
// It evaluates the rate (cheaper than its chance); it gives up (false) when
// a probability must be evaluated or a value is invalid, which the full
// computation then reports.
func (r *runner) nothingFires(step int, out []int, u float64, part []kernel.Entry) bool {
	p := r.p
	bound := 0.0
	lone := false
	for i, id := range out {
		x := p.Transitions[id]
		e := r.known(x, i, part)
		v := e.V
		switch {
		case e.Kind == kernel.Off:
			continue
		case e.Kind != kernel.Evaluate:
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
// part is the step's CellEval row, or nil.
func (r *runner) competing(trial int64, step, k int, out []int, u float64, part []kernel.Entry, trace *[]Event) *RuntimeError {
	p, f := r.p, &r.f
	vals := r.vals[:len(out)]
	sumP, rate := 0.0, 0.0
	if part != nil {
		// Evaluate only what is not known in advance, and stop there if u
		// is above the chance bound (see aboveBound).
		// Only the evaluated values are written to vals until u is known
		// to be below the bound.
		bound, days := knownPart(part, p.StepDays[step]), p.StepDays[step]
		for i, e := range part {
			if e.Kind != kernel.Evaluate {
				continue
			}
			x := p.Transitions[out[i]]
			if x.Rate != nil {
				v := x.Rate.Eval(f)
				if !(v >= 0 && v <= math.MaxFloat64) {
					return r.errorAt(trial, step, p.Tracks[k].Name+": "+x.Name, v, errRate)
				}
				v *= x.PerDay
				vals[i] = kernel.Entry{Kind: kernel.Rate, V: v}
				bound += v * days
				continue
			}
			v := x.Prob.Eval(f)
			if !(v >= 0 && v <= 1) {
				return r.errorAt(trial, step, p.Tracks[k].Name+": "+x.Name, v, errProb)
			}
			vals[i] = kernel.Entry{Kind: kernel.Prob, V: v}
			bound += v
		}
		if aboveBound(u, bound) {
			return nil
		}
		for i, e := range part { // the exact sums, in file order
			if e.Kind == kernel.Evaluate {
				e = vals[i]
			} else {
				vals[i] = e
			}
			switch e.Kind {
			case kernel.Rate:
				rate += e.V
			case kernel.Prob:
				sumP += e.V
			}
		}
	} else {
		// No cells: every guard is evaluated.
		for i, id := range out {
			x := p.Transitions[id]
			vals[i] = kernel.Entry{Kind: kernel.Off}
			if !r.guard(x) {
				continue
			}
			if x.Rate != nil {
				v := x.Rate.Eval(f)
				if !(v >= 0 && v <= math.MaxFloat64) {
					return r.errorAt(trial, step, p.Tracks[k].Name+": "+x.Name, v, errRate)
				}
				vals[i] = kernel.Entry{Kind: kernel.Rate, V: v * x.PerDay}
				rate += vals[i].V
				continue
			}
			v := x.Prob.Eval(f)
			if !(v >= 0 && v <= 1) {
				return r.errorAt(trial, step, p.Tracks[k].Name+": "+x.Name, v, errProb)
			}
			vals[i] = kernel.Entry{Kind: kernel.Prob, V: v}
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
		pr := vals[i].V
		switch vals[i].Kind {
		case kernel.Off:
			continue
		case kernel.Rate:
			pr *= scale
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
