package model

import (
	"math/rand/v2"

	"scensim/model/kernel"
)

// drawParamsInRange sets f's param slots as one trial of p would hold
// them: a param without a dist at its value, one with a dist at a uniform
// point of its range (drawn from rng, in param order).
func drawParamsInRange(p *Plan, f *Frame, rng *rand.Rand) {
	for i, par := range p.Params {
		f.Slots[i] = par.Value
		if d := par.Dist; d != nil {
			f.Slots[i] = d.Lo + rng.Float64()*(d.Hi-d.Lo)
		}
	}
}

// frameAtCombo returns a new frame of p at step, with params drawn by
// drawParamsInRange, a new trial generation, no state entered, and the
// keys of tbl set to combination c.
func frameAtCombo(p *Plan, tbl *kernel.StateTable, c, step int, rng *rand.Rand) Frame {
	f := p.Kernel.NewFrame(len(p.Vars), len(p.Tracks), len(p.States))
	drawParamsInRange(p, &f, rng)
	f.NextTrial()
	for i := range f.Entry {
		f.Entry[i] = -1
	}
	kernel.SetCombo(&f, tbl.Keys(), c)
	f.Step = step
	return f
}
