package chart_test

import (
	"testing"

	"scensim/results/chart"
)

// Charts drawn in prepared canvases, twice over (the second time in the
// memory of the first), are the charts drawn in new memory, byte for byte.
func TestAllInPreparedCanvases(t *testing.T) {
	r := baseline(t)
	want, err := chart.All(r, chart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	canvases := chart.PrepareCanvases(&r.Layout, chart.Options{})
	for range 2 {
		got, err := chart.All(r, chart.Options{Canvases: canvases})
		if err != nil {
			t.Fatal(err)
		}
		sameCharts(t, "drawn in new memory", got, want)
	}
}
