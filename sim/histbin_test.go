package sim

import (
	"math"
	"testing"
)

// TestHistBin: every value, NaN and infinities included, lands inside the
// param's block of HistBins+2 counters. (A NaN draw used to compute its bin
// as int(NaN), an index far outside the block, and panicked.)
func TestHistBin(t *testing.T) {
	lo, hi := 0.0, 1.0
	for _, c := range []struct {
		v    float64
		want int
	}{
		{math.NaN(), HistBins + 1},
		{math.Inf(1), HistBins + 1},
		{math.Inf(-1), 0},
		{-1e-300, 0},
		{0, 1},
		{0.5, HistBins/2 + 1},
		{math.Nextafter(1, 0), HistBins},
		{1, HistBins + 1},
	} {
		if got := histBin(c.v, lo, hi); got != c.want {
			t.Errorf("histBin(%v, %v, %v) = %d, want %d", c.v, lo, hi, got, c.want)
		}
	}
}

// TestInRangeMatchesHistBin: inRange, the static bounds' test that a
// param lies in its histogram's range, says exactly whether histBin puts
// the value in one of the equal bins, at and around the ends, for NaN,
// infinities, signed zeros and subnormals.
func TestInRangeMatchesHistBin(t *testing.T) {
	for _, r := range [][2]float64{{0, 1}, {-2, 3}, {1e-300, 2e-300}, {-1, 0}, {0.05, 0.25}} {
		lo, hi := r[0], r[1]
		vs := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 5e-324, -5e-324,
			lo, hi, (lo + hi) / 2, math.Nextafter(lo, math.Inf(-1)), math.Nextafter(lo, math.Inf(1)),
			math.Nextafter(hi, math.Inf(-1)), math.Nextafter(hi, math.Inf(1))}
		for _, v := range vs {
			b := histBin(v, lo, hi)
			if got, want := inRange(v, lo, hi), b >= 1 && b <= HistBins; got != want {
				t.Errorf("inRange(%v, %v, %v) = %v, but histBin gives bin %d", v, lo, hi, got, b)
			}
		}
	}
}
