package chart

import (
	"runtime"
	"slices"
	"testing"

	"gonum.org/v1/plot/vg"

	"scensim/results"
)

// PrepareCanvases holds memory for as many canvases as All draws at once,
// the largest first: the params chart and the outcomes chart of a layout
// with many of each, then canvases of the default size; none for SVG.
func TestPrepareCanvasesSizes(t *testing.T) {
	l := &results.Layout{Scenario: "sizes", Outcomes: make([]results.OutcomeLayout, 40), Params: make([]results.ParamLayout, 40)}
	for i := range l.Params {
		l.Params[i].Name = "p"
	}
	size := func(h vg.Length) int { return 4 * pixels(Width) * pixels(h) }
	params, outcomes := size(paramsHeight(l, Options{Height: Height})), size(outcomesHeight(l, Options{Height: Height}))
	if params <= outcomes || outcomes <= size(Height) {
		t.Fatalf("canvases of %d, %d and %d bytes: the layout does not test the order", params, outcomes, size(Height))
	}
	for _, procs := range []int{1, 2, 3, 8} {
		prev := runtime.GOMAXPROCS(procs)
		c := PrepareCanvases(l, Options{})
		runtime.GOMAXPROCS(prev)
		want := []int{params, outcomes, size(Height), size(Height)}[:min(procs, maxPooled)]
		var got []int
		for _, b := range c.pool.free {
			got = append(got, len(b))
		}
		slices.Sort(got)
		slices.Reverse(got)
		if !slices.Equal(got, want) {
			t.Errorf("GOMAXPROCS %d: buffers of %v bytes, want %v", procs, got, want)
		}
	}
	if c := PrepareCanvases(l, Options{Format: "svg"}); len(c.pool.free) != 0 {
		t.Errorf("%d buffers for SVG charts, want none", len(c.pool.free))
	}
}
