package sim

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"scensim/model"
)

// TestElapsedRateMatchesEval checks that nothingFires' inline rate (a
// model.ElapsedRate) is bit for bit what the rate's Eval gives, on the
// reference model, the baseline scenario and one with the operands in the
// other order, in frames with random slots,
// steps and entries (never made included). The reference model's
// military.demobilising rate must be one.
func TestElapsedRateMatchesEval(t *testing.T) {
	plans := map[string]*model.Plan{refModel: refPlan(t)}
	data, err := os.ReadFile("../scenarios/baseline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string][]byte{"baseline": data, "reversed": []byte(elapsedReversed)} {
		p, errs := model.Compile(name, src, nil)
		if p == nil {
			t.Fatal(errs.Snippets())
		}
		plans[name] = p
	}
	rng := rand.New(rand.NewPCG(5, 8))
	for name, p := range plans {
		found := 0
		for id, a := range elapsedRates(p) {
			if a == nil {
				continue
			}
			found++
			x := p.Transitions[id]
			for range 2000 {
				f := p.Kernel.NewFrame(len(p.Vars), len(p.Tracks), len(p.States))
				f.Step = rng.IntN(p.Steps)
				for i := range f.Slots {
					f.Slots[i] = math.Ldexp(rng.Float64()-0.25, rng.IntN(40)-20)
				}
				for g := range f.Entry {
					f.Entry[g] = int32(rng.IntN(p.Steps+2) - 1)
				}
				got, want := a.Value(&f), x.Rate.Eval(&f)
				if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Fatalf("%s: %s: inline %v, Eval %v (step %d)", name, x.Name, got, want, f.Step)
				}
			}
		}
		if (name == refModel || name == "reversed") && found == 0 {
			t.Errorf("%s: no rate is an ElapsedRate", name)
		}
		t.Logf("%s: %d elapsed rates", name, found)
	}
}

const elapsedReversed = `
scensim: 1
name: reversed
time: {start: 2025-01-01, step: week, steps: 40}
params:
  k: {value: 0.02, dist: "uniform(0.01, 0.05)"}
tracks:
  a:
    initial: a0
    states: [a0, a1, a2]
    transitions:
      - {from: a0, to: a1, p: 0.2}
      - {from: a1, to: a2, rate: "(date - entry(a.a1)) * k", per: week}
`
