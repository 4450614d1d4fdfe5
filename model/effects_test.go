package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// effectsScenario sets vars in every inline form of an effect (see
// effects.go) and in shapes that must be evaluated; its transitions are
// named after whether their effect is computed inline.
const effectsScenario = `scensim: 1
name: effects
time:
  start: 2025-01-01
  step: week
  steps: 10
params:
  k: 0.25
  s:
    value: 0.3
    dist: beta(2, 5)
vars:
  mood: 0.5
  other: 0.2
  angry: false
tracks:
  talks:
    initial: open
    states: [open, shut]
    transitions:
      - {name: inline_scale, from: open, to: open, p: 0.1, set: {mood: mood * 0.9}}
      - {name: inline_scale_const_first, from: open, to: open, p: 0.1, set: {mood: 0.9 * mood}}
      - {name: inline_scale_folded, from: open, to: open, p: 0.1, set: {mood: mood * (1 - k)}}
      - {name: inline_scale_param, from: open, to: open, p: 0.1, set: {mood: mood * s}}
      - {name: inline_scale_trial, from: open, to: open, p: 0.1, set: {mood: mood * (1 - s)}}
      - {name: inline_scale_other_var, from: open, to: open, p: 0.1, set: {other: mood * 0.5}}
      - {name: inline_toward, from: open, to: open, p: 0.1, set: {mood: mood + s * (1 - mood)}}
      - {name: inline_toward_reversed, from: open, to: open, p: 0.01, set: {mood: (1 - mood) * 0.3 + mood}}
      - {name: inline_toward_trial, from: open, to: open, p: 0.01, set: {mood: mood + (1 - s) * (1 - mood)}}
      - {name: inline_const, from: shut, to: open, p: 0.01, set: {angry: true, mood: 0.75}}
      - {name: inline_param, from: shut, to: open, p: 0.01, set: {mood: s}}
      - {name: inline_trial, from: shut, to: open, p: 0.01, set: {mood: 1 - s}}
      - {name: eval_two_vars, from: shut, to: open, p: 0.01, set: {mood: mood + 0.3 * (1 - other)}}
      - {name: eval_square, from: shut, to: open, p: 0.01, set: {mood: mood * mood}}
      - {name: eval_not_one, from: shut, to: open, p: 0.01, set: {mood: mood + 0.3 * (2 - mood)}}
      - {name: eval_state, from: shut, to: open, p: 0.01, set: {mood: "mood * (war.hot ? 1 : 2)"}}
      - {name: eval_bool, from: shut, to: open, p: 0.01, set: {angry: war.hot}}
  war:
    initial: hot
    states: [hot, cold]
outcomes:
  was_angry: angry
`

// TestEffectsComputeAsEval checks that Effect.Compute computes the inline
// forms it is meant to, and that every effect's Compute is the float64
// Value.Eval gives, bit for bit (NaN for NaN), in random frames with
// ordinary and special var values, each of a new generation so that
// Compute must compute the per-trial values it reads itself.
func TestEffectsComputeAsEval(t *testing.T) {
	p, errs := Compile("effects.yaml", []byte(effectsScenario), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	inline, evaluated := 0, 0
	for _, x := range p.Transitions {
		want := x.Name[:len("inline")] == "inline"
		for _, e := range x.Effects {
			if e.Inline() != want {
				t.Errorf("%s: the effect on %s is inline: %v, want %v", x.Name, p.Vars[e.Var].Name, e.Inline(), want)
			}
			if want {
				inline++
			} else {
				evaluated++
			}
		}
	}
	if inline != 13 || evaluated != 5 {
		t.Fatalf("%d inline and %d evaluated effects, want 13 and 5", inline, evaluated)
	}
	special := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 1e300, -1e300, 5e-324, math.Inf(1), math.Inf(-1), math.NaN(), 1 - 0x1p-53}
	rng := rand.New(rand.NewPCG(13, 5))
	compared, varEffects := 0, 0
	for round := range 2000 {
		f := p.Kernel.NewFrame(len(p.Vars), len(p.Tracks), len(p.States))
		f.NextTrial()
		f.Step = rng.IntN(p.Steps + 1)
		for i, par := range p.Params {
			f.Slots[i] = par.Value
			if par.Dist != nil {
				f.Slots[i] = rng.Float64()
				if round%7 == 0 {
					f.Slots[i] = special[rng.IntN(len(special))]
				}
			}
		}
		for i := range f.Vars {
			f.Vars[i] = rng.NormFloat64()
			if round%3 == 0 {
				f.Vars[i] = special[rng.IntN(len(special))]
			}
		}
		f.VarsChanged()
		for k, tr := range p.Tracks {
			f.State[k] = int32(tr.First + rng.IntN(tr.NStates))
		}
		for _, x := range p.Transitions {
			for _, e := range x.Effects {
				got := e.Compute(&f) // first in the generation: computes its own per-trial values
				want := e.Value.Eval(&f)
				compared++
				if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Fatalf("%s (%s) with vars %v and slots %v: Compute %v (%#x), Eval %v (%#x)",
						x.Name, e.Value.Src, f.Vars, f.Slots, got, math.Float64bits(got), want, math.Float64bits(want))
				}
				if ve, ok := e.VarEffect(); ok {
					// Bit for bit what Compute gives, NaN payload included.
					if v := ve.Compute(f.Vars); math.Float64bits(v) != math.Float64bits(got) || int(ve.Var) != e.Var {
						t.Fatalf("%s (%s) with vars %v: VarEffect sets var %d to %v (%#x), Compute sets %d to %v (%#x)",
							x.Name, e.Value.Src, f.Vars, ve.Var, v, math.Float64bits(v), e.Var, got, math.Float64bits(got))
					}
					varEffects++
				}
			}
		}
	}
	if compared != 2000*18 {
		t.Fatalf("%d comparisons, want %d", compared, 2000*18)
	}
	// The inline effects whose k is a constant: the four scales by a
	// constant or a folded one, inline_toward_reversed, and inline_const's
	// two constants; those that read s are left to Compute.
	if varEffects != 2000*7 {
		t.Fatalf("%d VarEffect comparisons, want %d", varEffects, 2000*7)
	}
}
