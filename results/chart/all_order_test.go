package chart_test

import (
	"bytes"
	"maps"
	"runtime"
	"slices"
	"testing"

	"scensim/results/chart"
)

// All gives the same files, byte for byte, however many charts are drawn
// at once and in whatever order they finish.
func TestAllSameOnAnyNumberOfCores(t *testing.T) {
	r := fixture(t)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var want map[string][]byte
	for _, procs := range []int{1, 2, 5} {
		runtime.GOMAXPROCS(procs)
		got, err := chart.All(r, chart.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if want == nil {
			want = got
			if len(want) < 3 {
				t.Fatalf("the fixture gives %d charts; the test needs several", len(want))
			}
			continue
		}
		if !slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))) {
			t.Fatalf("GOMAXPROCS %d: charts %v, want %v", procs, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
		}
		for name, b := range want {
			if !bytes.Equal(got[name], b) {
				t.Errorf("GOMAXPROCS %d: %s differs from the one drawn on one core", procs, name)
			}
		}
	}
}
