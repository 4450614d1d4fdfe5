package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestHistBinScaledMatchesHistBin compares histBinScaled with histBin for
// every value within 300 ulps of each bin edge and of the range's ends,
// and for random values, over the reference model's param ranges and
// ranges chosen to be awkward (tiny, huge, negative, unequal magnitudes):
// the bins must be the same for every value tried.
func TestHistBinScaledMatchesHistBin(t *testing.T) {
	ranges := [][2]float64{
		{0, 1}, {0.2, 1.0}, {0.005, 0.05}, {0.003, 0.02}, {0, 0.008}, {1, 5},
		{0.00005, 0.00025}, {0.09, 0.24}, {-3, 7}, {-1e-300, 1e-300},
		{1e-310, 3e-310}, {-1e300, 1e300}, {1e15, 1e15 + 40}, {1, math.Nextafter(1, 2)},
		{0.1, 0.7}, {-math.MaxFloat64, math.MaxFloat64}, {0, math.Inf(1)},
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for range 200 {
		lo := (rng.Float64() - 0.5) * math.Pow(10, float64(rng.IntN(20)-10))
		ranges = append(ranges, [2]float64{lo, lo + rng.Float64()*math.Pow(10, float64(rng.IntN(20)-10))})
	}
	tried, random, fast := 0, 0, 0
	check := func(v, lo, hi, scale float64) {
		tried++
		got, want := histBinScaled(v, lo, hi, scale), histBin(v, lo, hi)
		if got != want {
			t.Fatalf("histBinScaled(%v, %v, %v) = %d, histBin = %d", v, lo, hi, got, want)
		}
	}
	for _, r := range ranges {
		lo, hi := r[0], r[1]
		if !(hi > lo) {
			continue
		}
		scale := histScale(lo, hi)
		for k := 0; k <= HistBins; k++ {
			for _, edge := range []float64{lo + float64(k)*(hi-lo)/HistBins, lo + (hi-lo)*float64(k)/HistBins, lo + float64(k)/scale} {
				v := edge
				for range 300 {
					v = math.Nextafter(v, math.Inf(-1))
				}
				for range 601 {
					check(v, lo, hi, scale)
					v = math.Nextafter(v, math.Inf(1))
				}
			}
		}
		for range 2000 {
			v := lo + rng.Float64()*(hi-lo)
			check(v, lo, hi, scale)
			if v < hi {
				random++
				if y := (v - lo) * scale; scale > 0 && int(y-binSlack) == int(y+binSlack) {
					fast++
				}
			}
		}
		for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), lo, hi, 0, math.MaxFloat64, -math.MaxFloat64} {
			check(v, lo, hi, scale)
		}
	}
	// Random values are almost never within the slack of an edge: the
	// product must decide nearly all of them (else it saves nothing).
	if fast < random*95/100 {
		t.Errorf("the product decided only %d of %d random values' bins", fast, random)
	}
	t.Logf("%d values compared; the product decided %d of %d random values' bins", tried, fast, random)
}
