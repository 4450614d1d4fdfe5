package analysis

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"scensim/model"
)

// tinyWithOffSteps is tiny with a value outcome whose mean given the
// sampled param u ~ uniform(0.1, 0.5) is known: steps with b off over the
// 10 steps, E[steps | u] = Σ_{k<10} (1 − u)^k = (1 − (1 − u)^10)/u.
func tinyWithOffSteps(t *testing.T) (*Source, *model.Plan) {
	t.Helper()
	data, err := os.ReadFile("testdata/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(data), "\nrun:", "\n  steps_b_off:\n    accumulate: b.off\n    unit: weeks\n\nrun:", 1)
	s := &Source{File: "tiny_values.yaml", Data: []byte(src), Options: model.Options{Resolve: fileResolver}}
	base, err := s.Compile()
	if err != nil {
		t.Fatal(err)
	}
	return s, base
}

func stepsOff(u float64) float64 { return (1 - math.Pow(1-u, 10)) / u }

// The PSA of a value outcome: the mean, SD and quantiles of E[value | u]
// over u ~ uniform(0.1, 0.5) match the exact ones (Simpson's rule over u;
// the quantiles map through the decreasing function) within 4 bootstrap
// SE, and the result does not depend on the workers.
func TestPSAValueOutcome(t *testing.T) {
	_, base := tinyWithOffSteps(t)
	run := func(workers int) *PSA {
		p, err := RunPSA(context.Background(), base, PSAOptions{Outer: 400, Inner: 100, Sampling: SamplingLHS, Bootstrap: 200},
			Run{Trials: 1, Seed: 11, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p, p1 := run(2), run(1)
	a, _ := json.Marshal([]any{p.Outcomes, p.Values})
	b, _ := json.Marshal([]any{p1.Outcomes, p1.Values})
	if string(a) != string(b) {
		t.Error("the PSA depends on the workers")
	}
	if len(p.Values) != 1 || p.Values[0].Draws != 400 || p.Values[0].UndefinedShare != 0 {
		t.Fatalf("values: %+v", p.Values)
	}
	v := p.Values[0]
	// Exact moments of f(u), u ~ uniform(0.1, 0.5), by Simpson's rule.
	const n = 2000
	m1, m2 := 0.0, 0.0
	for i := 0; i <= n; i++ {
		w := 2.0
		switch {
		case i == 0 || i == n:
			w = 1
		case i%2 == 1:
			w = 4
		}
		f := stepsOff(0.1 + 0.4*float64(i)/n)
		m1, m2 = m1+w*f, m2+w*f*f
	}
	m1, m2 = m1/(3*n), m2/(3*n)
	sd := math.Sqrt(m2 - m1*m1)
	for _, c := range []struct {
		name string
		got  Stat
		want float64
	}{
		{"mean", v.Mean, m1},
		{"sd", v.SD, sd},
		{"2.5%", v.P2_5, stepsOff(0.1 + 0.4*0.975)},
		{"median", v.Median, stepsOff(0.3)},
		{"97.5%", v.P97_5, stepsOff(0.1 + 0.4*0.025)},
	} {
		if !(c.got.SE > 0) || math.Abs(c.got.V-c.want) > 4*c.got.SE {
			t.Errorf("%s: %g ± %g, exact %g", c.name, c.got.V, c.got.SE, c.want)
		}
	}
	t.Logf("mean %g ± %g (exact %g), sd %g ± %g (exact %g), median %g ± %g (exact %g)", v.Mean.V, v.Mean.SE, m1, v.SD.V, v.SD.SE, sd, v.Median.V, v.Median.SE, stepsOff(0.3))
	if math.Abs(float64(v.Pooled.D)-m1) > 4*float64(v.Pooled.SE)+0.05 {
		t.Errorf("pooled mean %g ± %g, exact %g", float64(v.Pooled.D), float64(v.Pooled.SE), m1)
	}
	if !(v.Shrink > 0.9 && v.Shrink <= 1) {
		t.Errorf("shrink %g: the spread over u should dwarf the inner noise", v.Shrink)
	}
	r, err := p.Report("")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(r.Text()), "steps_b_off (weeks)") {
		t.Errorf("PSA text lacks the value outcome:\n%s", r.Text())
	}
}
