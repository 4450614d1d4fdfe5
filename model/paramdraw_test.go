package model

import "math/rand/v2"

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
