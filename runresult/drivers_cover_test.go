package runresult_test

import (
	"math"
	"testing"

	"scensim/sim"
)

// Over 100 seeds of 400 draws × 200 trials of the additive scenario, the
// shares of a and b average within 0.012 of 0.8 and 0.2 (the binning
// loses a fraction of order 1/B² = 1/400 of a smooth effect; the standard
// error of a 100-seed mean is about 0.002), and their 95% intervals cover
// the exact shares in at least 90 runs (the jackknife interval is
// conservative: 197 and 195 of 200 in a 200-seed run).
func TestDriversIntervalCoverage(t *testing.T) {
	p := additivePlan(t)
	const seeds = 100
	cover, sum := map[string]int{}, map[string]float64{}
	for s := range uint64(seeds) {
		r := runNested(t, p, 100+s, sim.Options{Trials: 80000, Workers: 2, Params: sim.Params{PerDraw: 200}})
		got := allShares(t, r)
		for name, want := range additiveShares {
			if d := got[name]; d.Lo <= want && want <= d.Hi {
				cover[name]++
			}
			sum[name] += got[name].Share
		}
	}
	for _, name := range []string{"a", "b"} {
		mean := sum[name] / seeds
		if math.Abs(mean-additiveShares[name]) > 0.012 || cover[name] < 90 {
			t.Errorf("%s: mean share %.4f (want %.1f within 0.012), covered in %d of %d runs (want ≥ 90)", name, mean, additiveShares[name], cover[name], seeds)
		}
		t.Logf("%s: mean share %.4f, covered in %d of %d runs", name, mean, cover[name], seeds)
	}
}
