package chart_test

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"scensim/results/chart"
)

// TestHeatmapNamedColumns: a heatmap's named columns are labelled level
// when the labels fit, slanted when the columns are far enough apart for
// slanted labels, and upright otherwise, in a chart made wider than the
// default when upright labels would not fit in it (the 56 params of the
// baseline's Sobol heatmap overlapped at 30° in 900 pixels), and taller
// when long names set upright would leave too little height. Whatever the
// choice, the columns and the rows of the laid-out plot, at the size the
// chart asks for, are at least one line of label text apart.
func TestHeatmapNamedColumns(t *testing.T) {
	for _, c := range []struct {
		n        int
		name     string
		rotation float64
		wider    bool
	}{
		{5, "p%d", 0, false},
		{12, "param_number_%d_rate", math.Pi / 6, false},
		{56, "param_number_%d_rate", math.Pi / 2, true},
		{200, "p_%d", math.Pi / 2, true},
		{56, strings.Repeat("long_", 12) + "%d", math.Pi / 2, true},
		{56, strings.Repeat("longer_", 16) + "%d", math.Pi / 2, true},
	} {
		var xs, ys []string
		z := make([][]float64, c.n)
		for i := range c.n {
			xs = append(xs, fmt.Sprintf(c.name, i))
			z[i] = []float64{0.1, 0.9, 0.5}
		}
		ys = []string{"a", "E[weeks_talks_without_agreement]", "c"}
		h, err := chart.Heatmap(chart.HeatmapData{Name: "h", Title: "T", XLabel: "param", XNames: xs, YNames: ys, Z: z,
			ZLabel: "ST", ZMin: 0, ZMax: 1, BaseX: math.NaN(), BaseY: math.NaN()})
		if err != nil {
			t.Fatal(err)
		}
		lab := h.Plot.X.Tick.Label
		if lab.Rotation != c.rotation {
			t.Errorf("%d columns: labels at %.3f rad, want %.3f", c.n, lab.Rotation, c.rotation)
		}
		w := h.RenderWidth(chart.Width)
		if (w > chart.Width) != c.wider {
			t.Errorf("%d columns: width %v, want wider than %v: %v", c.n, w, chart.Width, c.wider)
		}
		hgt := h.RenderHeight(chart.RowsHeight(len(ys)))
		da := h.Plot.DataCanvas(draw.New(vgimg.New(w-6*vg.Millimeter, hgt-6*vg.Millimeter)))
		line := lab.Height("M")
		if gap := (da.Max.X - da.Min.X) / vg.Length(c.n); gap < line {
			t.Errorf("%d columns of %q: %v apart, less than a line of label text (%v)", c.n, c.name, gap, line)
		}
		if gap := (da.Max.Y - da.Min.Y) / vg.Length(len(ys)); gap < line {
			t.Errorf("%d columns of %q: rows %v apart, less than a line of label text (%v)", c.n, c.name, gap, line)
		}
		b, err := chart.Render(h, "png", w, hgt)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := img.Bounds().Dx(), int(w/vg.Inch*chart.DPI+0.5); got != want {
			t.Errorf("%d columns: PNG %d pixels wide, want %d", c.n, got, want)
		}
	}
}
