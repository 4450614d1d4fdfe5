package sim

import "scensim/model"

// pick is what the step loop needs of a transition when it fires without
// a trace, side by side with the other transitions' in runner.picks, so
// that a fired transition reads one small record rather than the plan's.
// A state's picks (see statePicks) are copies in the order of the state's
// transitions, so that a fired CellTable cell reads the pick at the index
// its row gives, through the track's cache, without the transition's id.
type pick struct {
	id  int32   // the transition
	to  int32   // the state it goes to
	how pickHow // how its effects are computed
	// stays is set in a state's picks for a transition back to that state
	// (an event), which moves nothing; it is false in runner.picks.
	stays bool
	eff   model.VarEffect
}

// pickHow says how a picked transition's effects are computed.
type pickHow uint8

const (
	pickPlain  pickHow = iota // no effects
	pickInline                // one effect, eff
	pickFire                  // others: runner.fire computes them
)

// newPicks returns the picks of p's transitions. With asWritten (effects
// evaluated as written), every transition with effects is left to fire.
func newPicks(p *model.Plan, asWritten bool) []pick {
	picks := make([]pick, len(p.Transitions))
	for i, x := range p.Transitions {
		pk := &picks[i]
		pk.id, pk.to = int32(i), int32(x.To)
		switch {
		case len(x.Effects) == 0:
			pk.how = pickPlain
		case len(x.Effects) == 1 && !asWritten:
			pk.how = pickFire
			if eff, ok := x.Effects[0].VarEffect(); ok {
				pk.how, pk.eff = pickInline, eff
			}
		default:
			pk.how = pickFire
		}
	}
	return picks
}

// statePicks returns, per global state of p, the picks of its transitions
// (from picks, one per transition) in the order of the state's Out, with
// stays set for those that go back to the state. The states' picks share
// one array.
func statePicks(p *model.Plan, picks []pick) [][]pick {
	n := 0
	for _, st := range p.States {
		n += len(st.Out)
	}
	all := make([]pick, 0, n)
	per := make([][]pick, len(p.States))
	for g, st := range p.States {
		for _, id := range st.Out {
			pk := picks[id]
			pk.stays = pk.to == int32(g)
			all = append(all, pk)
		}
		per[g] = all[len(all)-len(st.Out) : len(all) : len(all)]
	}
	return per
}

// take records, without a trace, that track k in state g takes the
// transition id whose pick is pk (not pickFire): a move unless it goes
// back to g, and its effect's value from the vars at the start of the
// step, set after the step. It is fire's work for such a transition.
func (r *runner) take(k int, g int32, id int32, pk *pick) {
	if pk.to != g { // an event (back to the same state) moves nothing
		r.fired = append(r.fired, fired{k, id})
	}
	if pk.how == pickInline {
		r.pending = append(r.pending, pendingSet{int(pk.eff.Var), pk.eff.Compute(r.f.Vars)})
	}
}

// pickIndex returns the index of the first entry of the cumulative row
// above u, which must be below the row's last entry. A short row is
// searched without a branch on u (the entries at or below u are counted:
// they are a prefix, the row being non-decreasing), so that the
// transition that fires costs no second mispredicted branch after the
// test of u against the row's total.
func pickIndex(row []float64, u float64) int {
	i := 0
	if len(row) > 8 {
		for u >= row[i] {
			i++
		}
		return i
	}
	for _, c := range row[:len(row)-1] {
		d := 0
		if u >= c {
			d = 1
		}
		i += d
	}
	return i
}
