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
