package comparechart

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"scensim/results"
	"scensim/results/chart"
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
	var dots, labels int
	for _, pl := range p.Plotters {
		switch pl := pl.(type) {
		case *plotter.Scatter:
			dots++
		case *plotter.Labels:
			labels += len(pl.Labels)
		}
	}
	// Scenario v1 lacks b, and v2's b has no trials: 3 + 2 + 2 values.
	if dots != 3 || labels != 7 {
		t.Errorf("%d dot sets and %d value labels, want one set per scenario and 7 labels", dots, labels)
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

// scaled is a comparison of k scenarios with long labels and six outcomes.
func scaled(k int) *results.Comparison {
	c := &results.Comparison{Seed: 7, Trials: 100000}
	for j := 0; j < k; j++ {
		c.Scenarios = append(c.Scenarios, results.ComparedScenario{Label: fmt.Sprintf("a_rather_long_variant_name_%d", j)})
	}
	for i := 0; i < 6; i++ {
		row := results.CompareRow{Kind: "outcome", Name: fmt.Sprintf("outcome_%d", i)}
		for j := 0; j < k; j++ {
			x := results.NewProportion(int64(5000*(i+j+1)), 100000)
			row.Estimates = append(row.Estimates, &x)
			d := &results.Difference{D: 0.01 * float64(j), Lo: 0.01*float64(j) - 0.005, Hi: 0.01*float64(j) + 0.005, Paired: true,
				IndepLo: 0.01*float64(j) - 0.01, IndepHi: 0.01*float64(j) + 0.01, WidthRatio: 0.5}
			if j == 0 {
				d = nil
			}
			row.Diffs = append(row.Diffs, d)
		}
		c.Rows = append(c.Rows, row)
	}
	return c
}

// The outcome chart at 2 and at 10 scenarios: every title line fits the
// chart's width, the height grows with the scenarios (each dot keeps its
// row height) and every dot has its value label; both render.
func TestChartsScale(t *testing.T) {
	var heights []vg.Length
	for _, k := range []int{2, 10} {
		c := scaled(k)
		for _, mk := range []func(*results.Comparison) (*chart.Chart, vg.Length, error){Outcomes, Diff} {
			ch, h, err := mk(c)
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.Split(ch.Plot.Title.Text, "\n") {
				if w := ch.Plot.Title.TextStyle.Width(line); w > chart.Width-vg.Inch {
					t.Errorf("%d scenarios, %s: title line %q is %v wide, the chart %v", k, ch.Name, line, w, chart.Width)
				}
			}
			if k == 10 && !strings.Contains(ch.Plot.Title.Text, "\n") {
				t.Errorf("%s: a ten-scenario title on one line: %q", ch.Name, ch.Plot.Title.Text)
			}
			if ch.Name == "compare_outcomes" {
				heights = append(heights, h)
				labels := 0
				for _, pl := range ch.Plotters {
					if l, ok := pl.(*plotter.Labels); ok {
						labels += len(l.Labels)
					}
				}
				if labels != 6*k {
					t.Errorf("%d scenarios: %d value labels, want %d", k, labels, 6*k)
				}
			}
		}
		files, err := All(c, "svg")
		if err != nil || len(files) != 2 {
			t.Fatalf("%d scenarios: %d files, %v", k, len(files), err)
		}
	}
	if want := vg.Length(6*10)*rowHeight + 2*vg.Inch; heights[1] != want || heights[0] != chart.Height {
		t.Errorf("heights %v at 2 and 10 scenarios, want %v and %v", heights, chart.Height, want)
	}
}
