package analysis

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"

	"scensim/model"
)

// A sweep summarises every value outcome at every point; the means match
// the exact expected time in a.x, Σ_{k=0}^{9} (1−p−r)^k, within 4 SE.
func TestSweepValueOutcomes(t *testing.T) {
	data, err := os.ReadFile("testdata/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(data), "\nrun:", "\n  steps_in_x:\n    accumulate: a.x\n    unit: weeks\n\nrun:", 1)
	s := &Source{File: "tiny_values.yaml", Data: []byte(src), Options: model.Options{Resolve: fileResolver}}
	base, err := s.Compile()
	if err != nil {
		t.Fatal(err)
	}
	sw, err := RunSweep(context.Background(), s, base, SweepOptions{Axes: []Axis{{Param: "p", Lo: 0.05, Hi: 0.25, N: 3}}}, Run{Trials: 4000, Seed: 3, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(sw.Values) != 1 || sw.Values[0] != "steps_in_x" {
		t.Fatalf("sweep values %v", sw.Values)
	}
	for _, pt := range sw.Points {
		p := pt.At[0]
		want := 0.0
		for k := range 10 {
			want += math.Pow(1-p-0.05, float64(k))
		}
		v := pt.V[0]
		if z := (float64(v.Mean) - want) / float64(v.SE); math.Abs(z) > 4 {
			t.Errorf("p = %v: mean %v, exact %v, z = %.2f", p, v.Mean, want, z)
		}
	}
	rep, err := sw.Report("")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tb := range rep.Tables {
		if tb.Name == "sweep_values" && len(tb.Rows) == 3 {
			found = true
		}
	}
	if !found {
		t.Error("no sweep_values table with a row per point")
	}
}
