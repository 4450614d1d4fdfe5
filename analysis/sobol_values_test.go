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

// Sobol indices of a value outcome whose mean is linear in the params:
// score = (c.on ? 9 : 0) + 10·u has E[score | u, w] = 9w + 10u (c turns on
// in the first step with chance w and stays on), with u ~ uniform(0.1, 0.5)
// and w ~ uniform(0, 1) (its range), so Var = 81/12 + 100·0.16/12 and
// S1 = ST = 81/97 for w and 16/97 for u. The estimates must lie within 4
// bootstrap SE of those (the inner noise 81·w(1 − w) per trial is large)
// and not depend on the workers. An outcome undefined in some trial gets
// no indices.
func TestSobolValueOutcome(t *testing.T) {
	data, err := os.ReadFile("testdata/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	add := "\n  score:\n    value: \"(c.on ? 9 : 0) + 10 * u\"\n  y_day:\n    value: entry(a.y)\n\nrun:"
	src := &Source{File: "tiny_values.yaml", Data: []byte(strings.Replace(string(data), "\nrun:", add, 1)), Options: model.Options{Resolve: fileResolver}}
	base, err := src.Compile()
	if err != nil {
		t.Fatal(err)
	}
	run := func(workers int) *Sobol {
		res, err := RunSobol(context.Background(), src, base, SobolOptions{Params: []string{"u,w"}, Samples: 2000, Inner: 40, Sampling: SamplingMC, Bootstrap: 300},
			Run{Seed: 21, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := run(2)
	a, _ := json.Marshal(res.Values)
	b, _ := json.Marshal(run(1).Values)
	if string(a) != string(b) {
		t.Error("value indices depend on the workers")
	}
	if len(res.Values) != 2 || res.Values[0].Name != "score" || res.Values[0].Skipped != "" {
		t.Fatalf("values: %+v", res.Values)
	}
	if !strings.Contains(res.Values[1].Skipped, "undefined in some trials") {
		t.Errorf("y_day: skipped %q", res.Values[1].Skipped)
	}
	v := res.Values[0]
	wantVar := (81 + 16) / 12.0
	if math.Abs(v.Var-wantVar) > 0.1*wantVar || math.Abs(v.Mean-(4.5+3)) > 0.1 {
		t.Errorf("mean %g (exact 7.5), var %g (exact %g)", v.Mean, v.Var, wantVar)
	}
	want := map[string]float64{"u": 16.0 / 97, "w": 81.0 / 97}
	for _, x := range v.Indices {
		w := want[x.Param]
		t.Logf("%s: S1 %.4f ± %.4f, ST %.4f ± %.4f, exact %.4f", x.Param, x.S1, x.S1SE, x.ST, x.STSE, w)
		if !(x.S1SE > 0 && x.S1SE < 0.1) || math.Abs(x.S1-w) > 4*x.S1SE {
			t.Errorf("%s: S1 %g ± %g, exact %g", x.Param, x.S1, x.S1SE, w)
		}
		if !(x.STSE > 0 && x.STSE < 0.1) || math.Abs(x.ST-w) > 4*x.STSE {
			t.Errorf("%s: ST %g ± %g, exact %g", x.Param, x.ST, x.STSE, w)
		}
	}
	r, err := res.Report("")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(r.Text()), "Value outcomes: total-order indices") {
		t.Errorf("text lacks the value table:\n%s", r.Text())
	}
}
