package chart_test

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"

	"scensim/results"
	"scensim/results/chart"
)

// longName is a param name too long for a panel's title at four columns.
const longName = "a_param_name_far_too_long_to_fit_over_one_panel_of_four_columns"

// manyParams returns the fixture with n sampled params, each a copy of its
// one param (with its histogram counts) under its own name; param 1 has
// longName.
func manyParams(t *testing.T, n int) *results.Result {
	t.Helper()
	r := fixture(t)
	pl, hist := r.Layout.Params[0], r.Counts.ParamHist
	l, c := r.Layout, r.Counts
	l.Params, c.ParamHist = nil, nil
	for i := range n {
		p := pl
		p.Name = fmt.Sprintf("p%03d_rate", i)
		if i == 1 {
			p.Name = longName
		}
		l.Params = append(l.Params, p)
		c.ParamHist = append(c.ParamHist, hist...)
	}
	out, err := results.NewResult(l, c, r.Manifest, results.RunInfo{})
	if err != nil {
		t.Fatalf("%d params: %v", n, err)
	}
	return out
}

// The params chart has up to four columns and a panel for each of the first
// MaxParamPanels params, each titled with its name and distribution; the
// params beyond are named under the chart's title, all of them.
func TestParamsGrid(t *testing.T) {
	for _, n := range []int{1, 2, 5, 59, chart.MaxParamPanels, chart.MaxParamPanels + 1, 200} {
		r := manyParams(t, n)
		c, err := chart.Params(r)
		if err != nil {
			t.Fatalf("%d params: %v", n, err)
		}
		if want := min(n, 4); c.Cols != want {
			t.Errorf("%d params: %d columns, want %d", n, c.Cols, want)
		}
		if want := min(n, chart.MaxParamPanels); len(c.Panels) != want {
			t.Fatalf("%d params: %d panels, want %d", n, len(c.Panels), want)
		}
		for i, p := range c.Panels {
			name, dist, ok := strings.Cut(p.Plot.Title.Text, "\n")
			if !ok || dist != "~ beta(2, 6)" {
				t.Errorf("%d params, panel %d: title %q, want the name and \"~ beta(2, 6)\"", n, i, p.Plot.Title.Text)
			}
			if want := r.Layout.Params[i].Name; name != want && !(i == 1 && strings.HasSuffix(name, "...") && strings.HasPrefix(want, strings.TrimSuffix(name, "..."))) {
				t.Errorf("%d params, panel %d: name %q, want %q", n, i, name, want)
			}
			if p.Plot.Y.Label.Text != "" || p.Plot.X.Label.Text != "" {
				t.Errorf("%d params, panel %d: axis labels %q, %q, want none", n, i, p.Plot.X.Label.Text, p.Plot.Y.Label.Text)
			}
		}
		left := strings.Contains(c.Title, "more are not:")
		if left != (n > chart.MaxParamPanels) {
			t.Errorf("%d params: title says params are left out: %v\n%s", n, left, c.Title)
		}
		if !left {
			continue
		}
		if want := fmt.Sprintf("%d more are not:", n-chart.MaxParamPanels); !strings.Contains(c.Title, want) {
			t.Errorf("%d params: title lacks %q:\n%s", n, want, c.Title)
		}
		note := strings.ReplaceAll(c.Title, "\n", " ")
		for i, p := range r.Layout.Params {
			if named := strings.Contains(note, p.Name); named != (i >= chart.MaxParamPanels) {
				t.Errorf("%d params: %s (param %d) named in the note: %v", n, p.Name, i, named)
			}
		}
	}
}

// The params chart is Height tall up to two rows of panels, then grows by
// the same height for each further row (and for the note's lines), and All
// draws it at that height.
func TestParamsHeight(t *testing.T) {
	h := func(n int) vg.Length { return chart.ParamsHeight(&manyParams(t, n).Layout) }
	if h(1) != chart.Height || h(8) != chart.Height {
		t.Errorf("heights of 1 and 8 params: %v, %v, want %v", h(1), h(8), chart.Height)
	}
	row := h(57) - h(56) // 14 → 15 rows
	same := func(a, b vg.Length) bool { return math.Abs(float64(a-b)) < 1e-6 }
	if row < vg.Inch || !same(h(58), h(57)) || !same(h(61)-h(60), row) || !same(h(chart.MaxParamPanels), h(61)) {
		t.Errorf("heights at 56, 57, 58, 60, 61, %d params: %v %v %v %v %v %v", chart.MaxParamPanels,
			h(56), h(57), h(58), h(60), h(61), h(chart.MaxParamPanels))
	}
	if h(200) <= h(chart.MaxParamPanels) {
		t.Errorf("200 params: %v tall, no taller than %d params (%v) despite the note", h(200), chart.MaxParamPanels, h(chart.MaxParamPanels))
	}
	for _, n := range []int{5, 59} {
		files, err := chart.All(manyParams(t, n), chart.Options{})
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(files["params.png"]))
		if err != nil {
			t.Fatalf("%d params: %v", n, err)
		}
		want := int(math.Ceil(float64(h(n)) / float64(vg.Inch) * chart.DPI))
		if cfg.Width != 900 || math.Abs(float64(cfg.Height-want)) > 1 {
			t.Errorf("%d params: params.png is %d × %d, want 900 × %d", n, cfg.Width, cfg.Height, want)
		}
	}
}

// ParamsHeight is a whole number of pixels at DPI.
func TestParamsHeightWholePixels(t *testing.T) {
	for _, n := range []int{1, 9, 13, 59, 200} {
		h := chart.ParamsHeight(&manyParams(t, n).Layout)
		px := float64(h/vg.Inch) * chart.DPI
		if px != math.Round(px) && math.Abs(px-math.Round(px)) > 1e-9 {
			t.Errorf("%d params: %v is %v pixels", n, h, px)
		}
	}
}

// A panel's x label counts the draws outside its range and says when there
// is no density, a line each, each no wider than a quarter of the chart.
func TestParamPanelRemarks(t *testing.T) {
	r := fixture(t)
	h := r.Counts.ParamHist // under, 10 bins, over
	h[0], h[1], h[11], h[9] = h[1], 0, h[9], 0
	r.Layout.Params[0].Kind, r.Layout.Params[0].Args = "", nil
	c, err := chart.Params(r)
	if err != nil {
		t.Fatal(err)
	}
	x := c.Panels[0].Plot.X.Label
	lines := strings.Split(x.Text, "\n")
	if len(lines) != 2 || lines[0] != "60 below, 5 above" || !strings.HasPrefix(lines[1], "no density") {
		t.Fatalf("x label %q, want the draws outside the range and no density, a line each", x.Text)
	}
	for _, l := range lines {
		if w := x.TextStyle.Width(l); w > chart.Width/4 {
			t.Errorf("%q is %v wide, over a quarter of the chart", l, w)
		}
	}
}
