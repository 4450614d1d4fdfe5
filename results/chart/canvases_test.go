package chart_test

import (
	"bytes"
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
	for round := range 2 {
		got, err := chart.All(r, chart.Options{Canvases: canvases})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("round %d: %d charts, want %d", round, len(got), len(want))
		}
		for name, w := range want {
			if !bytes.Equal(got[name], w) {
				t.Errorf("round %d: %s differs from the chart drawn in new memory", round, name)
			}
		}
	}
}
