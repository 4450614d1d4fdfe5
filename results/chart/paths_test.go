package chart_test

import (
	"bytes"
	"testing"

	"scensim/results/chart"
)

// Every default chart of the baseline is the same, byte for byte, with
// paths painted by the canvas's path painter or by vgimg (its oracle).
func TestAllMatchesPlainPaths(t *testing.T) {
	r := baseline(t)
	got, err := chart.All(r, chart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	restore := chart.PlainPaths()
	want, err := chart.All(r, chart.Options{})
	restore()
	if err != nil {
		t.Fatal(err)
	}
	sameCharts(t, "painted through vgimg", got, want)
}

// sameCharts fails t unless got and want hold the same charts, byte for
// byte; against names what want was drawn with.
func sameCharts(t *testing.T, against string, got, want map[string][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d charts, want %d", len(got), len(want))
	}
	for name, w := range want {
		if !bytes.Equal(got[name], w) {
			t.Errorf("%s differs from the chart %s", name, against)
		}
	}
}
