package chart_test

import (
	"bytes"
	"flag"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/cmpimg"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"scensim/results"
	"scensim/results/chart"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata")

// goldenDelta is the tolerance of the golden-image comparison: cmpimg's
// normalised per-pixel YIQ distance (0 is exact, 1 anything). 0.02 absorbs
// anti-aliasing differences between rasteriser versions and nothing more.
const goldenDelta = 0.02

// results under test: the hand-made fixture and the baseline.
func cases(t *testing.T) map[string]*results.Result {
	return map[string]*results.Result{"fixture": fixture(t), "baseline": baseline(t)}
}

// plottersOf returns the plotters of type T that c drew, in order.
func plottersOf[T any](c *chart.Chart) []T {
	var out []T
	for _, p := range c.Plotters {
		if v, ok := p.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

// every chart of each result renders as PNG (900×600), SVG and PDF, and the
// same chart gives the same bytes twice.
func TestEveryChartRenders(t *testing.T) {
	for name, r := range cases(t) {
		charts := allCharts(t, r)
		for _, c := range charts {
			for _, format := range chart.Formats {
				if name == "baseline" && format != "png" && c.Name != "outcomes" {
					continue // the other formats are covered by the fixture
				}
				b1, err := chart.Render(c, format, chart.Width, chart.Height)
				if err != nil {
					t.Fatalf("%s %s.%s: %v", name, c.Name, format, err)
				}
				b2, err := chart.Render(c, format, chart.Width, chart.Height)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(b1, b2) {
					t.Errorf("%s %s.%s: two renderings differ", name, c.Name, format)
				}
				switch format {
				case "png":
					img, err := png.Decode(bytes.NewReader(b1))
					if err != nil {
						t.Fatalf("%s %s.png: %v", name, c.Name, err)
					}
					if b := img.Bounds(); b.Dx() != 900 || b.Dy() != 600 {
						t.Errorf("%s %s.png is %d×%d, want 900×600", name, c.Name, b.Dx(), b.Dy())
					}
				case "svg":
					if !bytes.HasPrefix(b1, []byte("<?xml")) || !bytes.Contains(b1, []byte("</svg>")) {
						t.Errorf("%s %s.svg does not look like SVG", name, c.Name)
					}
				case "pdf":
					if !bytes.HasPrefix(b1, []byte("%PDF-")) {
						t.Errorf("%s %s.pdf does not look like PDF", name, c.Name)
					}
				}
			}
		}
	}
}

// allCharts builds every chart of r as All does by default.
func allCharts(t *testing.T, r *results.Result) []*chart.Chart {
	t.Helper()
	var out []*chart.Chart
	add := func(c *chart.Chart, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	add(chart.Outcomes(r))
	states := chart.KeyStates(r, chart.MaxKeyStates)
	add(chart.Reached(r, states))
	for ti := range r.Layout.Tracks {
		add(chart.Occupancy(r, ti))
	}
	for _, g := range states {
		add(chart.FirstEntry(r, g))
	}
	add(chart.Params(r))
	return out
}

func TestAllFileNames(t *testing.T) {
	r := baseline(t)
	files, err := chart.All(r, chart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"outcomes.png", "reached.png", "params.png"}
	for _, tr := range r.Layout.Tracks {
		if len(tr.States) > 1 {
			want = append(want, "occupancy_"+tr.Name+".png")
		}
	}
	for _, g := range chart.KeyStates(r, chart.MaxKeyStates) {
		track, state := r.Layout.State(g)
		want = append(want, "first_entry_"+track+"_"+state+".png")
	}
	for _, v := range r.Layout.Values {
		want = append(want, "value_"+v.Name+".png")
	}
	var got []string
	for name, b := range files {
		got = append(got, name)
		if _, err := png.Decode(bytes.NewReader(b)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("files:\n got %v\nwant %v", got, want)
	}

	// Chosen states, and SVG.
	g := r.Layout.StateIndex("talks", "ceasefire")
	files, err = chart.All(r, chart.Options{Format: "svg", States: []int{g}, FirstEntry: []int{g}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := files["first_entry_talks_ceasefire.svg"]; !ok || len(files) != len(want)-len(chart.KeyStates(r, 8))+1 {
		t.Errorf("with chosen states, got files %v", keys(files))
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// The outcome chart has one bar per defined outcome (in the colour of its
// kind), sorted, and each whisker lies within [0, 1] and contains its bar.
func TestOutcomesStructure(t *testing.T) {
	for name, r := range cases(t) {
		c, err := chart.Outcomes(r)
		if err != nil {
			t.Fatal(err)
		}
		bars := plottersOf[*plotter.BarChart](c)
		if len(bars) != 2 {
			t.Fatalf("%s: %d bar charts, want 2 (unconditional, conditional)", name, len(bars))
		}
		n := len(r.Outcomes)
		defined := 0
		for _, o := range r.Outcomes {
			if o.Estimate.Defined() {
				defined++
			}
		}
		whiskers := plottersOf[*plotter.XErrorBars](c)
		if len(whiskers) != 1 || len(whiskers[0].XYs) != defined {
			t.Fatalf("%s: want one whisker per defined outcome (%d)", name, defined)
		}
		w := whiskers[0]
		prev := -1.0
		for i, xy := range w.XYs {
			row := int(xy.Y)
			lo, hi := xy.X-math.Abs(w.XErrors[i].Low), xy.X+math.Abs(w.XErrors[i].High)
			if lo < -1e-12 || hi > 1+1e-12 || lo > xy.X || hi < xy.X {
				t.Errorf("%s row %d: whisker [%v, %v] around %v is not within [0, 1] around the bar", name, row, lo, hi, xy.X)
			}
			bar := bars[0].Values[row] + bars[1].Values[row]
			if bars[0].Values[row] != 0 && bars[1].Values[row] != 0 {
				t.Errorf("%s row %d has two bars", name, row)
			}
			if bar != xy.X {
				t.Errorf("%s row %d: bar %v, whisker centre %v", name, row, bar, xy.X)
			}
			if xy.X < prev {
				t.Errorf("%s: rows not sorted by probability", name)
			}
			prev = xy.X
		}
		if len(bars[0].Values) != n || len(bars[1].Values) != n {
			t.Errorf("%s: bar charts have %d and %d rows, want %d", name, len(bars[0].Values), len(bars[1].Values), n)
		}
		labels := plottersOf[*plotter.Labels](c)
		if len(labels) != 1 || len(labels[0].Labels) != n {
			t.Fatalf("%s: want one printed number per outcome", name)
		}
	}
	// The fixture: deal 40.0% unconditional, 60.0% conditional, one n/a.
	c, _ := chart.Outcomes(fixture(t))
	lb := plottersOf[*plotter.Labels](c)[0].Labels
	if !slices.Equal(lb, []string{"n/a: given never held", "40.0%", "60.0% | reached(talks.broken) (20.0%)"}) {
		t.Errorf("fixture labels (bottom to top) = %q", lb)
	}
}

// The reached chart has a line and a band per state; the band holds the
// line, both lie in [0, 1], the line never falls, and it ends at the
// horizon column of the result.
func TestReachedStructure(t *testing.T) {
	for name, r := range cases(t) {
		states := chart.KeyStates(r, chart.MaxKeyStates)
		c, err := chart.Reached(r, states)
		if err != nil {
			t.Fatal(err)
		}
		lines, bands := plottersOf[*plotter.Line](c), plottersOf[*chart.Band](c)
		if len(lines) != len(states) || len(bands) != len(states) {
			t.Fatalf("%s: %d lines and %d bands for %d states", name, len(lines), len(bands), len(states))
		}
		if dl := plottersOf[*chart.DateLines](c); len(dl) != 1 {
			t.Errorf("%s: %d date-line plotters, want 1", name, len(dl))
		}
		for i, g := range states {
			ln, b := lines[i], bands[i]
			for k, xy := range ln.XYs {
				if b.Lo[k] > xy.Y || xy.Y > b.Hi[k] || b.Lo[k] < 0 || b.Hi[k] > 1 {
					t.Errorf("%s state %d point %d: %v not in band [%v, %v] within [0, 1]", name, g, k, xy.Y, b.Lo[k], b.Hi[k])
				}
				if k > 0 && xy.Y < ln.XYs[k-1].Y {
					t.Errorf("%s state %d: P(reached) falls at point %d", name, g, k)
				}
			}
			if got, want := ln.XYs[len(ln.XYs)-1].Y, r.Reached[g].Horizon.Reached.P; got != want {
				t.Errorf("%s state %d: ends at %v, horizon column %v", name, g, got, want)
			}
		}
	}
	if _, err := chart.Reached(fixture(t), nil); err == nil {
		t.Error("Reached with no states succeeded")
	}
	if _, err := chart.Reached(fixture(t), []int{99}); err == nil {
		t.Error("Reached with a bad state index succeeded")
	}
}

// Each occupancy chart stacks one layer per state of its track, and the
// layers sum to 1 at every point.
func TestOccupancyStructure(t *testing.T) {
	for name, r := range cases(t) {
		for ti, tr := range r.Layout.Tracks {
			c, err := chart.Occupancy(r, ti)
			if err != nil {
				t.Fatal(err)
			}
			if c.Name != "occupancy_"+tr.Name {
				t.Errorf("name %q", c.Name)
			}
			areas := plottersOf[*chart.StackedArea](c)
			if len(areas) != 1 {
				t.Fatalf("%s %s: %d stacked areas", name, tr.Name, len(areas))
			}
			a := areas[0]
			if len(a.Layers) != len(tr.States) || len(a.X) != len(r.Layout.Points) {
				t.Fatalf("%s %s: %d layers × %d points, want %d × %d", name, tr.Name, len(a.Layers), len(a.X), len(tr.States), len(r.Layout.Points))
			}
			for k := range a.X {
				if top := a.Tops[len(a.Tops)-1][k]; math.Abs(top-1) > 1e-12 {
					t.Errorf("%s %s point %d: layers sum to %.17g", name, tr.Name, k, top)
				}
				for i := range a.Layers {
					if a.Layers[i][k] < 0 {
						t.Errorf("%s %s: negative layer", name, tr.Name)
					}
				}
			}
		}
	}
}

// The first-entry histogram has one bin per step; the bins, the trials in
// the state at the start and those that never entered it add up to 1.
func TestFirstEntryStructure(t *testing.T) {
	for name, r := range cases(t) {
		np := len(r.Layout.Points)
		for g := range r.Layout.NumStates() {
			c, err := chart.FirstEntry(r, g)
			if err != nil {
				t.Fatal(err)
			}
			hs := plottersOf[*plotter.Histogram](c)
			if len(hs) != 1 || len(hs[0].Bins) != np-1 {
				t.Fatalf("%s state %d: want one histogram of %d bins", name, g, np-1)
			}
			sum := 0.0
			for _, b := range hs[0].Bins {
				sum += b.Weight
			}
			trials := float64(r.Counts.Trials)
			sum += float64(r.Counts.Entry[r.Layout.EntryIndex(g, 0)]+r.Counts.Entry[r.Layout.EntryIndex(g, np)]) / trials
			if math.Abs(sum-1) > 1e-12 {
				t.Errorf("%s state %d: shares sum to %v", name, g, sum)
			}
			wantLines := 3
			if r.FirstEntry[g].MedianPoint < 0 {
				wantLines = 0
			}
			if got := len(plottersOf[*plotter.Line](c)); got != wantLines {
				t.Errorf("%s state %d: %d quantile lines, want %d", name, g, got, wantLines)
			}
			if wantLines == 0 {
				continue
			}
			// The quantiles are among the trials that reached the state:
			// the legend says so, with their share of all trials.
			svg, err := chart.Render(c, "svg", 8*vg.Inch, 4*vg.Inch)
			if err != nil {
				t.Fatal(err)
			}
			want := "median among the " + strconv.FormatFloat(100*r.FirstEntry[g].Ever.P, 'f', 1, 64) + "% that reached it"
			if !strings.Contains(string(svg), want) || !strings.Contains(string(svg), "10% (same trials)") {
				t.Errorf("%s state %d: the legend lacks %q", name, g, want)
			}
		}
	}
}

// The params chart has one panel per sampled param, each a histogram of the
// layout's bins (whose area is the share of draws in range) and the density
// as written.
func TestParamsStructure(t *testing.T) {
	for name, r := range cases(t) {
		c, err := chart.Params(r)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Panels) != len(r.Layout.Params) {
			t.Fatalf("%s: %d panels for %d params", name, len(c.Panels), len(r.Layout.Params))
		}
		for i, p := range c.Panels {
			pl := r.Layout.Params[i]
			hs := plottersOf[*plotter.Histogram](p)
			if len(hs) != 1 || len(hs[0].Bins) != pl.Bins {
				t.Fatalf("%s %s: want one histogram of %d bins", name, pl.Name, pl.Bins)
			}
			area := 0.0
			for _, b := range hs[0].Bins {
				area += b.Weight * (b.Max - b.Min)
			}
			counts := r.Layout.ParamCounts(&r.Counts, i)
			inside := 1 - float64(counts[0]+counts[pl.Bins+1])/float64(r.Counts.Trials)
			if math.Abs(area-inside) > 1e-9 {
				t.Errorf("%s %s: histogram area %v, share in range %v", name, pl.Name, area, inside)
			}
			if fs := plottersOf[*plotter.Function](p); len(fs) != 1 {
				t.Errorf("%s %s: %d density curves, want 1", name, pl.Name, len(fs))
			}
		}
	}
}

func TestTicks(t *testing.T) {
	labels := func(ts []plot.Tick) []string {
		var out []string
		for _, tk := range ts {
			if !tk.IsMinor() {
				out = append(out, tk.Label)
			}
		}
		return out
	}
	got := labels(chart.PercentTicks{}.Ticks(0, 1))
	if want := []string{"0%", "10%", "20%", "30%", "40%", "50%", "60%", "70%", "80%", "90%", "100%"}; !slices.Equal(got, want) {
		t.Errorf("PercentTicks(0, 1) = %q", got)
	}
	got = labels(chart.PercentTicks{}.Ticks(0, 0.053))
	if want := []string{"0%", "1%", "2%", "3%", "4%", "5%"}; !slices.Equal(got, want) {
		t.Errorf("PercentTicks(0, 0.053) = %q", got)
	}
	got = labels(chart.PercentTicks{}.Ticks(0, 0.012))
	if want := []string{"0.0%", "0.2%", "0.4%", "0.6%", "0.8%", "1.0%", "1.2%"}; !slices.Equal(got, want) {
		t.Errorf("PercentTicks(0, 0.012) = %q", got)
	}

	r := baseline(t) // 2025-03-19 .. 2026-03-18, weekly
	tl := chart.DateTicks{Start: mustDate(t, r.Layout.Points[0])}
	got = labels(tl.Ticks(0, 364))
	want := []string{"Apr 2025", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan 2026", "Feb", "Mar"}
	if !slices.Equal(got, want) {
		t.Errorf("DateTicks over a year = %q", got)
	}
	got = labels(tl.Ticks(0, 28))
	if want := []string{"19 Mar", "26 Mar", "2 Apr", "9 Apr", "16 Apr"}; !slices.Equal(got, want) {
		t.Errorf("DateTicks over four weeks = %q", got)
	}
	got = labels(tl.Ticks(0, 10*365))
	if len(got) == 0 || len(got) > 13 {
		t.Errorf("DateTicks over ten years = %q", got)
	}
}

func TestKeyAndParsedStates(t *testing.T) {
	r := fixture(t)
	l := &r.Layout
	// talks.deal (400), talks.broken (200), war.offensive (270): by reach.
	got := chart.KeyStates(r, 8)
	want := []int{l.StateIndex("talks", "deal"), l.StateIndex("war", "offensive"), l.StateIndex("talks", "broken")}
	if !slices.Equal(got, want) {
		t.Errorf("KeyStates = %v, want %v", got, want)
	}
	if got := chart.KeyStates(r, 1); len(got) != 1 {
		t.Errorf("KeyStates(1) = %v", got)
	}
	gs, err := chart.ParseStates(l, "war.offensive, talks.deal")
	if err != nil || !slices.Equal(gs, []int{3 + 1, 1}) {
		t.Errorf("ParseStates = %v, %v", gs, err)
	}
	for spec, msg := range map[string]string{
		"talks":                 "want track.state",
		"talks.nosuch":          "track talks has no state \"nosuch\" (its states: open, deal, broken)",
		"nosuch.x":              "no track \"nosuch\" (tracks: talks, war)",
		"talks.deal,talks.deal": "listed twice",
		" , ":                   "no states",
	} {
		if _, err := chart.ParseStates(l, spec); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ParseStates(%q) = %v, want an error containing %q", spec, err, msg)
		}
	}
}

func TestErrors(t *testing.T) {
	r := fixture(t)
	c, _ := chart.Outcomes(r)
	if _, err := chart.Render(c, "bmp", chart.Width, chart.Height); err == nil {
		t.Error("Render to bmp succeeded")
	}
	if _, err := chart.All(r, chart.Options{Format: "gif"}); err == nil {
		t.Error("All to gif succeeded")
	}
	empty := *r
	empty.Counts = *results.NewCounts(&r.Layout)
	e, err := results.NewResult(r.Layout, empty.Counts, r.Manifest, r.Run)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chart.All(e, chart.Options{}); err == nil || !strings.Contains(err.Error(), "no trials") {
		t.Errorf("All of a result without trials: %v", err)
	}
	if _, err := chart.Occupancy(r, 5); err == nil {
		t.Error("Occupancy of a bad track index succeeded")
	}
	if _, err := chart.FirstEntry(r, -1); err == nil {
		t.Error("FirstEntry of a bad state index succeeded")
	}
}

// Golden images of two charts of the fixture, compared with a tolerance.
// Run with -update to rewrite them, and look at them before keeping them.
func TestGolden(t *testing.T) {
	r := fixture(t)
	oc, err := chart.Outcomes(r)
	if err != nil {
		t.Fatal(err)
	}
	occ, err := chart.Occupancy(r, 0)
	if err != nil {
		t.Fatal(err)
	}
	re, err := chart.Reached(r, chart.KeyStates(r, 8))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*chart.Chart{oc, occ, re} {
		got, err := chart.Render(c, "png", chart.Width, chart.Height)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", c.Name+".png")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./results/chart -update to create it)", err)
		}
		ok, err := cmpimg.EqualApprox("png", got, want, goldenDelta)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			out := filepath.Join(t.TempDir(), c.Name+".png")
			_ = os.WriteFile(out, got, 0o644)
			t.Errorf("%s differs from %s beyond %v; this run drew %s (go test ./results/chart -update rewrites the golden files)", c.Name, path, goldenDelta, out)
		}
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(results.DateLayout, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
