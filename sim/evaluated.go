package sim

import (
	"scensim/model"
	"scensim/model/kernel"
)

// loneRate describes a state whose only transition is a rate with no
// guard (on the baseline, military.demobilising): such a state has no
// table (nothing about it is known in advance), and probs decides at each
// step whether its chance bound rules out a move (see aboveBound): first
// from the rate's static bound for the step, if it has one and the
// trial's params lie where it holds, else from the rate itself, as
// nothingFires would.
type loneRate struct {
	rate   func(*kernel.Frame) float64 // the rate's closure (model.Expr.Call); nil: not such a state
	perDay float64                     // model.Transition.PerDay
	// bound is, per step, a static upper bound of rate · perDay · the
	// step's length (kernel.Tables.LoneBound), or nil.
	bound []float64
}

// loneRates returns, per global state, its loneRate, or the zero value.
// Tables without shortcuts (asWritten) get none, so that runs without
// shortcuts take the general path.
func loneRates(p *model.Plan, asWritten bool) []loneRate {
	lone := make([]loneRate, len(p.States))
	if asWritten {
		return lone
	}
	for g, st := range p.States {
		if len(st.Out) != 1 {
			continue
		}
		if x := p.Transitions[st.Out[0]]; x.Rate != nil && x.Guard == nil {
			lone[g] = loneRate{rate: x.Rate.Call(), perDay: x.PerDay, bound: p.Kernel.LoneBound(g)}
		}
	}
	return lone
}
