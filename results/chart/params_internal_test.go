package chart

import (
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"scensim/results"
)

// Every line of a panel title fits the panel's width in a default-size
// chart, so that neighbours' titles never overlap; a name too long is cut
// with "...".
func TestParamTitlesFit(t *testing.T) {
	const long = "a_param_name_far_too_long_to_fit_over_one_panel_of_four_columns"
	l := results.Layout{Params: []results.ParamLayout{
		{Name: "rate", Dist: "beta(2, 6)"},
		{Name: long, Dist: "pert(0.000005, 0.000015, 0.000025) with a long tail of text"},
	}}
	dc := draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: Width - 2*margin, Y: Height}}}
	tile := gridTiles(1, ParamCols).At(dc, 0, 0).Size().X
	if paramTitleWidth > tile || paramTitleWidth < tile/2 {
		t.Fatalf("title width %v for a panel %v wide", paramTitleWidth, tile)
	}
	ts := textStyle(tickSize, nil)
	for _, p := range l.Params {
		for _, s := range []string{p.Name, "~ " + p.Dist} {
			got := ellipsis(s, ts, paramTitleWidth)
			if w := ts.Width(got); w > paramTitleWidth {
				t.Errorf("%q is %v wide, over %v", got, w, paramTitleWidth)
			}
			fits := ts.Width(s) <= paramTitleWidth
			if fits && got != s || !fits && (!strings.HasSuffix(got, "...") || !strings.HasPrefix(s, strings.TrimSuffix(got, "..."))) {
				t.Errorf("%q cut to %q", s, got)
			}
		}
	}
	if ellipsis(long, ts, paramTitleWidth) == long {
		t.Errorf("%q is not cut", long)
	}
}
