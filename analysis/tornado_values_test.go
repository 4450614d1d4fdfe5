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

func tinyWithValue(t *testing.T) (*Source, *model.Plan) {
	t.Helper()
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
	return s, base
}

// A tornado of a value outcome: the means of each arm match the exact
// expected time in a.x within 4 SE, the swing is the difference of the
// arms' means (the value is always defined), and the result does not
// depend on the workers.
func TestTornadoValueOutcome(t *testing.T) {
	src, base := tinyWithValue(t)
	run := func(workers int) *Tornado {
		tor, err := RunTornado(context.Background(), src, base, TornadoOptions{Outcomes: []string{"steps_in_x"}, Params: []string{"p", "r"}, Pct: 20},
			Run{Trials: 3000, Seed: 5, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		return tor
	}
	tor := run(2)
	a, _ := json.Marshal(tor.Values)
	b, _ := json.Marshal(run(1).Values)
	if string(a) != string(b) {
		t.Error("tornado value rows depend on the workers")
	}
	if len(tor.Outcomes) != 0 || len(tor.Values) != 1 || len(tor.Values[0].Rows) != 2 {
		t.Fatalf("%d yes/no and %d value outcomes", len(tor.Outcomes), len(tor.Values))
	}
	expected := func(p, r float64) float64 {
		s := 0.0
		for k := range 10 {
			s += math.Pow(1-p-r, float64(k))
		}
		return s
	}
	for _, row := range tor.Values[0].Rows {
		tp := tor.param(row.Param)
		for _, c := range []struct {
			m    float64
			se   float64
			p, r float64
		}{
			{float64(row.MeanLow.D), float64(row.MeanLow.SE), pick(row.Param == "p", tp.Low, 0.1), pick(row.Param == "r", tp.Low, 0.05)},
			{float64(row.MeanHigh.D), float64(row.MeanHigh.SE), pick(row.Param == "p", tp.High, 0.1), pick(row.Param == "r", tp.High, 0.05)},
		} {
			if z := (c.m - expected(c.p, c.r)) / c.se; math.Abs(z) > 4 {
				t.Errorf("%s: mean %v, exact %v, z = %.2f", row.Param, c.m, expected(c.p, c.r), z)
			}
		}
		if d := float64(row.Swing.D) - float64(row.MeanHigh.D-row.MeanLow.D); math.Abs(d) > 1e-9 {
			t.Errorf("%s: swing %v is not mean(high) − mean(low) = %v", row.Param, row.Swing.D, row.MeanHigh.D-row.MeanLow.D)
		}
		if !(row.Swing.D < 0) {
			t.Errorf("%s: a higher exit chance should shorten the time in x, swing %v", row.Param, row.Swing.D)
		}
	}
	if _, err := RunTornado(context.Background(), src, base, TornadoOptions{Outcomes: []string{"steps_in_x,steps_in_x"}, Pct: 20}, Run{Trials: 10, Seed: 1}); err == nil {
		t.Error("no error for a value outcome named twice")
	}
	rep, err := tor.Report("png")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Tables) < 2 || rep.Tables[1].Name != "tornado_values" {
		t.Error("no tornado_values table")
	}
}

func pick(cond bool, a, b float64) float64 {
	if cond {
		return a
	}
	return b
}
