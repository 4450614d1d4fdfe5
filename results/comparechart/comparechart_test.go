package comparechart

import (
	"bytes"
	"math"
	"testing"

	"gonum.org/v1/plot/plotter"

	"scensim/results"
)

func fixture() *results.Comparison {
	p := func(k, n int64) *results.Proportion { x := results.NewProportion(k, n); return &x }
	d := func(v, lo, hi float64, paired, sig bool) *results.Difference {
		return &results.Difference{D: v, Lo: lo, Hi: hi, Paired: paired, Significant: sig,
			IndepLo: v - 2*(v-lo), IndepHi: v + 2*(hi-v), WidthRatio: 0.5}
	}
	return &results.Comparison{
		Seed: 7, Trials: 1000,
		Scenarios: []results.ComparedScenario{{Label: "base"}, {Label: "v1"}, {Label: "v2"}},
		Rows: []results.CompareRow{
			{Kind: "outcome", Name: "a", Estimates: []*results.Proportion{p(500, 1000), p(450, 1000), p(520, 1000)},
				Diffs: []*results.Difference{nil, d(-0.05, -0.06, -0.04, true, true), d(0.02, -0.001, 0.04, true, false)}},
			{Kind: "outcome", Name: "b", Conditional: true, Estimates: []*results.Proportion{p(30, 100), nil, p(0, 0)},
				Diffs: []*results.Difference{nil, nil, {D: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}}},
			{Kind: "outcome", Name: "c", Conditional: true, Estimates: []*results.Proportion{p(30, 100), p(40, 100), p(35, 100)},
				Diffs: []*results.Difference{nil, d(0.1, -0.03, 0.23, false, false), d(0.05, -0.08, 0.18, false, false)}},
			{Kind: "reached", Name: "t.s", By: "horizon", Estimates: []*results.Proportion{p(1, 1000), p(1, 1000), p(1, 1000)},
				Diffs: []*results.Difference{nil, d(0, 0, 0, true, false), d(0, 0, 0, true, false)}},
		},
	}
}

func TestCharts(t *testing.T) {
	c := fixture()
	p, h, err := Outcomes(c)
	if err != nil {
		t.Fatal(err)
	}
	if h <= 0 || p.Plot.Y.Max != 2.5 {
		t.Errorf("height %v, y max %v (want 3 outcome rows)", h, p.Plot.Y.Max)
	}
	_, _, err = Diff(c)
	if err != nil {
		t.Fatal(err)
	}
	var bars int
	for _, pl := range p.Plotters {
		if _, ok := pl.(*hbars); ok {
			bars++
		}
	}
	if bars != 3 {
		t.Errorf("%d bar sets, want one per scenario", bars)
	}
	for _, format := range []string{"png", "svg"} {
		a, err := All(c, format)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := All(c, format)
		if len(a) != 2 || a["compare_outcomes."+format] == nil || a["compare_diff."+format] == nil {
			t.Fatalf("%s: files %d", format, len(a))
		}
		for k := range a {
			if !bytes.Equal(a[k], b[k]) {
				t.Errorf("%s differs between two renderings", k)
			}
		}
	}
	// The diff chart's whiskers: paired (thick), independent (thin) and
	// unpaired (dashed) intervals for v1 and v2.
	dp, _, _ := Diff(c)
	var whiskers int
	for _, pl := range dp.Plotters {
		if _, ok := pl.(*plotter.XErrorBars); ok {
			whiskers++
		}
	}
	if whiskers != 6 {
		t.Errorf("%d whisker sets, want 6", whiskers)
	}
	one := &results.Comparison{Scenarios: c.Scenarios[:1], Rows: c.Rows}
	if _, _, err := Diff(one); err == nil {
		t.Error("a comparison of one scenario has a diff chart")
	}
	if _, _, err := Outcomes(&results.Comparison{Scenarios: c.Scenarios}); err == nil {
		t.Error("no outcomes: no error")
	}
}
