package sim

import (
	"testing"

	"scensim/model"
)

const drawValuesSrc = `scensim: 1
name: draw_values
time: {start: 2025-01-01, step: week, steps: 2}
params:
  a: {dist: "uniform(0, 1)"}
  k: {value: 0.5}
  b: {dist: "beta(2, 5)"}
tracks:
  t:
    initial: x
    states: [x, y]
    transitions:
      - {from: x, to: y, p: a*k + b*0.1}
outcomes:
  moved: t.y
`

// DrawValues gives, for every draw, the values the engine puts in the
// param slots of that draw's trials, with and without a design that sets
// one of the params.
func TestDrawValuesMatchEngine(t *testing.T) {
	p, errs := model.Compile("draw_values.yaml", []byte(drawValuesSrc), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	const perDraw, draws, seed = 7, 12, 99
	design := func(d int64, vals []float64) {
		if d%2 == 0 {
			vals[0] = float64(d) / 100 // a, on even draws only
		}
	}
	for _, dsg := range []Design{nil, design} {
		got := DrawValues(p, seed, dsg, draws)
		if len(got) != 2 {
			t.Fatalf("%d sampled params, want 2", len(got))
		}
		r := newRunner(p, seed)
		r.nest.params = Params{PerDraw: perDraw}
		r.setDesign(dsg)
		tl := newTallyFor(p, r.nest.params, 0, perDraw*draws)
		for trial := int64(0); trial < perDraw*draws; trial += 3 {
			r.setParams(trial, trialKey(seed, trial), tl)
			d := trial / perDraw
			for j, i := range r.sampled {
				if v := r.f.Slots[i]; v != got[j][d] {
					t.Fatalf("design %v, trial %d (draw %d), param %s: engine %v, DrawValues %v", dsg != nil, trial, d, p.Params[i].Name, v, got[j][d])
				}
			}
		}
		if dsg != nil && got[0][4] != 0.04 {
			t.Fatalf("the design's value of a in draw 4 is %v, want 0.04", got[0][4])
		}
		if got[0][0] == got[0][1] || got[1][0] == got[1][1] {
			t.Fatalf("draws 0 and 1 share a value: %v", got)
		}
	}
}
