package chart_test

import (
	"bytes"
	"context"
	"math"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"scensim/model"
	"scensim/results"
	"scensim/results/chart"
	"scensim/runresult"
	"scensim/scenarios"
	"scensim/sim"
)

// baselineResult runs the embedded baseline: 5000 trials, nested in draws
// of perDraw trials (flat when perDraw is 0).
func baselineResult(t *testing.T, perDraw int64) *results.Result {
	t.Helper()
	data, ok := scenarios.Read("baseline")
	if !ok {
		t.Fatal("no embedded baseline")
	}
	p, errs := model.Compile("embedded:baseline", data, nil)
	if p == nil {
		t.Fatal(errs.Err())
	}
	tl, err := sim.Run(context.Background(), p, sim.Options{Trials: 5000, Seed: 1, Params: sim.Params{PerDraw: perDraw}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := runresult.FromRun(p, tl, 1, "test", results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The draws chart of an outcome holds two histograms of the same bins
// (raw estimates, denoised), each summing to 1 over the draws, lines at
// the range's 5%, 50% and 95% quantiles and at the pooled P; All draws one
// per headline outcome of a nested run and none for a flat run.
func TestDrawsChart(t *testing.T) {
	r := baselineResult(t, 250)
	heads := chart.DrawsOutcomes(r)
	if len(heads) == 0 {
		t.Fatal("the baseline has no headline outcome with a range")
	}
	for _, i := range heads {
		o := r.Outcomes[i]
		c, err := chart.Draws(r, i)
		if err != nil {
			t.Fatal(err)
		}
		if c.Name != "draws_"+o.Name {
			t.Errorf("chart name %q", c.Name)
		}
		hs := plottersOf[*plotter.Histogram](c)
		if len(hs) != 2 || len(hs[0].Bins) != len(hs[1].Bins) {
			t.Fatalf("%s: %d histograms, want 2 with the same bins", o.Name, len(hs))
		}
		for _, h := range hs {
			var sum float64
			for _, b := range h.Bins {
				sum += b.Weight
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Errorf("%s: histogram weights sum to %v, want 1", o.Name, sum)
			}
		}
		lines := plottersOf[*plotter.Line](c)
		want := []float64{o.Range.P5, o.Range.P50, o.Range.P95, o.Estimate.P}
		if len(lines) != len(want) {
			t.Fatalf("%s: %d lines, want %d", o.Name, len(lines), len(want))
		}
		for k, ln := range lines {
			if ln.XYs[0].X != want[k] || ln.XYs[1].X != want[k] {
				t.Errorf("%s: line %d at %v, want %v", o.Name, k, ln.XYs[0].X, want[k])
			}
		}
	}
	files, err := chart.All(r, chart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range heads {
		if len(files["draws_"+r.Outcomes[i].Name+".png"]) == 0 {
			t.Errorf("All drew no draws_%s.png", r.Outcomes[i].Name)
		}
	}
	// A conditional outcome's draws chart says its condition and the
	// share of trials where it held.
	conditional := false
	for _, i := range heads {
		o := r.Outcomes[i]
		if !o.Conditional {
			continue
		}
		conditional = true
		c, err := chart.Draws(r, i)
		if err != nil {
			t.Fatal(err)
		}
		svg, err := chart.Render(c, "svg", 8*vg.Inch, 5*vg.Inch)
		if err != nil {
			t.Fatal(err)
		}
		held := "held in " + strconv.FormatFloat(100*float64(o.Estimate.N)/float64(r.Counts.Trials), 'f', 1, 64) + "% of trials"
		if !strings.Contains(string(svg), held) || !strings.Contains(string(svg), "given ") {
			t.Errorf("%s: the draws chart lacks its condition or %q", o.Name, held)
		}
	}
	if !conditional {
		t.Error("the baseline has no conditional headline outcome to check")
	}
	flat := baselineResult(t, 0)
	if _, err := chart.Draws(flat, heads[0]); err == nil || len(chart.DrawsOutcomes(flat)) != 0 {
		t.Errorf("a flat run gets a draws chart (%v)", err)
	}
}

// The reached-by chart of a nested run has, per state, an outer band whose
// vertices at the named dates and the horizon are the range's 5% and 95%
// quantiles, behind the simulation-error band; a flat run has one band per
// state. Charts redrawn from result.json are byte-identical.
func TestReachedRangeBand(t *testing.T) {
	r := baselineResult(t, 250)
	states := chart.KeyStates(r, 3)
	c, err := chart.Reached(r, states)
	if err != nil {
		t.Fatal(err)
	}
	bands := plottersOf[*chart.Band](c)
	if len(bands) != 2*len(states) {
		t.Fatalf("%d bands for %d states, want two each", len(bands), len(states))
	}
	for s, g := range states {
		outer, inner := bands[2*s], bands[2*s+1]
		row := r.Reached[g]
		hz := row.Horizon
		n := len(outer.X)
		if outer.Lo[n-1] != hz.Range.P5 || outer.Hi[n-1] != hz.Range.P95 {
			t.Errorf("state %d: outer band ends at [%v, %v], want the horizon's range [%v, %v]", g, outer.Lo[n-1], outer.Hi[n-1], hz.Range.P5, hz.Range.P95)
		}
		if len(inner.X) != len(r.Layout.Points) || n < 2 || n > len(row.By)+2 {
			t.Errorf("state %d: inner band %d points, outer %d (want one per point, and at most one per named date plus the start and the horizon)", g, len(inner.X), n)
		}
		wider := outer.Hi[n-1]-outer.Lo[n-1] > inner.Hi[len(inner.X)-1]-inner.Lo[len(inner.X)-1]
		if !wider {
			t.Errorf("state %d: the range over assumptions at the horizon is not wider than the simulation error", g)
		}
	}
	flat, err := chart.Reached(baselineResult(t, 0), states)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(plottersOf[*chart.Band](flat)); got != len(states) {
		t.Errorf("flat run: %d bands for %d states", got, len(states))
	}

	var js bytes.Buffer
	if err := results.WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	back, err := results.ReadJSON(&js)
	if err != nil {
		t.Fatal(err)
	}
	draw := func(r *results.Result) [][]byte {
		var out [][]byte
		cs := []*chart.Chart{}
		c, err := chart.Reached(r, states)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
		for _, i := range chart.DrawsOutcomes(r)[:2] {
			c, err := chart.Draws(r, i)
			if err != nil {
				t.Fatal(err)
			}
			cs = append(cs, c)
		}
		for _, c := range cs {
			png, err := chart.Render(c, "png", chart.Width, chart.Height)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, png)
		}
		return out
	}
	a, b := draw(r), draw(back)
	for k := range a {
		if !bytes.Equal(a[k], b[k]) {
			t.Errorf("chart %d differs when redrawn from result.json", k)
		}
	}
}
