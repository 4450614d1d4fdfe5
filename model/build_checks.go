package model

import (
	"math"
	"strings"
)

// checkStatic checks probabilities that do not depend on the trial: each
// constant or time-only probability must lie in [0, 1] at every step, and
// the sum out of a state must not exceed 1 where all its transitions are
// known before the run.
func (b *builder) checkStatic() {
	p := b.plan
	valueAt := func(e *Expr, k int) (float64, bool) { return e.stepValue(k) }
	for _, x := range p.Transitions {
		if x.Prob == nil {
			continue
		}
		rateBad := false
		for k := 0; x.Rate != nil && k < p.Steps; k++ {
			r, known := valueAt(x.Rate, k)
			if !known {
				break
			}
			if !(r >= 0 && r <= math.MaxFloat64) {
				pos := x.Rate.Pos
				b.errs.Add(pos, b.raw.tracks[0].name.src.lineOf(pos), "transition %s: rate %g at step %d (%s); a rate must be finite and ≥ 0",
					p.Tracks[x.Track].Name+": "+x.Name, r, k, p.Points[k].Format("2006-01-02"))
				rateBad = true
				break
			}
			if x.Rate.Mode == ModeConst {
				break
			}
		}
		for k := 0; !rateBad && k < p.Steps; k++ {
			v, known := valueAt(x.Prob, k)
			if !known {
				break
			}
			if !(v >= 0 && v <= 1) {
				pos := x.Prob.Pos // the p: or rate: value
				what := "probability"
				if x.Rate != nil {
					what = "rate gives a probability"
				}
				b.errs.Add(pos, b.raw.tracks[0].name.src.lineOf(pos), "transition %s: %s %g outside [0, 1] at step %d (%s)",
					p.Tracks[x.Track].Name+": "+x.Name, what, v, k, p.Points[k].Format("2006-01-02"))
				break
			}
			if x.Prob.Mode == ModeConst {
				break
			}
		}
	}
	for g, st := range p.States {
		if len(st.Out) < 2 {
			continue
		}
		for k := 0; k < p.Steps; k++ {
			sum, rate, allKnown := 0.0, 0.0, true
			var names []string
			for _, id := range st.Out {
				x := p.Transitions[id]
				if x.Prob == nil {
					allKnown = false
					break
				}
				if x.Guard != nil {
					gv, known := valueAt(x.Guard, k)
					if !known {
						allKnown = false
						break
					}
					if gv == 0 {
						continue
					}
				}
				names = append(names, x.Name)
				if x.Rate != nil && st.Rates >= 2 {
					r, known := valueAt(x.Rate, k)
					if !known {
						allKnown = false
						break
					}
					rate += r * x.PerDay
					continue
				}
				v, known := valueAt(x.Prob, k)
				if !known {
					allKnown = false
					break
				}
				sum += v
			}
			if !allKnown {
				break
			}
			if rate > 0 {
				sum += -math.Expm1(-rate * p.StepDays[k])
			}
			if sum > 1+1e-12 {
				pos := p.Transitions[st.Out[0]].Pos
				b.errs.Add(pos, b.raw.tracks[0].name.src.lineOf(pos), "transitions out of %s (%s) have probabilities summing to %g > 1 at step %d (%s)",
					p.FullName(g), strings.Join(names, ", "), sum, k, p.Points[k].Format("2006-01-02"))
				break
			}
		}
	}
}

// warnGraph warns, from the plan's [Graph], about states that no path of
// transitions that can fire reaches from the initial state, states that can
// never be left although they have transitions out (all of which can never
// fire), and transitions that can never fire.
func (b *builder) warnGraph() {
	p := b.plan
	src := b.raw.tracks[0].name.src
	g := NewGraph(p)
	for _, tr := range p.Tracks {
		for i := tr.First; i < tr.First+tr.NStates; i++ {
			pos := p.States[i].Pos
			switch {
			case !g.Reachable[i]:
				b.errs.Warn(pos, src.lineOf(pos), "state %s is unreachable from the initial state %s", p.FullName(i), p.FullName(tr.Initial))
			case g.Stuck(i):
				var names []string
				for _, id := range p.States[i].Out {
					if x := p.Transitions[id]; x.To != i {
						names = append(names, x.Name)
					}
				}
				b.errs.Warn(pos, src.lineOf(pos), "state %s can never be left: no transition out of it (%s) can ever fire", p.FullName(i), strings.Join(names, ", "))
			}
		}
	}
	for _, x := range p.Transitions {
		if dead(x) {
			b.errs.Warn(x.Pos, src.lineOf(x.Pos), "transition %s: %s can never fire (its probability or guard is always 0)", p.Tracks[x.Track].Name, x.Name)
		}
	}
}

// dead reports whether a transition can never fire whatever the trial.
func dead(x *Transition) bool {
	allZero := func(e *Expr) bool {
		switch e.Mode {
		case ModeConst:
			return e.Const == 0
		}
		n := e.stepCount()
		for k := range n - 1 {
			if v, _ := e.stepValue(k); v != 0 {
				return false
			}
		}
		return n > 0
	}
	return x.Prob == nil || allZero(x.Prob) || (x.Guard != nil && allZero(x.Guard))
}
