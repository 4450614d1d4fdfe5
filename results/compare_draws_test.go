package results

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"scensim/tally"
)

// Ten draws of 100 paired value differences, each draw's all equal to its
// index k: the flat SE (≈ 0.09) ignores that the differences cluster by
// draw; the cluster-robust SE is exactly √(10/9 · 100²·82.5 / 1000²).
func TestClusterValueDiff(t *testing.T) {
	var all tally.Value
	var per []*tally.Value
	for k := range 10 {
		v := &tally.Value{}
		for range 100 {
			q, _ := tally.Quantise(float64(k))
			v.Add(q, 0)
			all.Add(q, 0)
		}
		per = append(per, v)
	}
	d := NewValueDiff(&all, &all, &all)
	flat := float64(d.SE)
	ClusterValueDiff(d, per)
	want := math.Sqrt(10.0 / 9 * 1e4 * 82.5 / 1e6)
	tq := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 9}.Quantile(0.975)
	if math.Abs(float64(d.D)-4.5) > 1e-12 || math.Abs(float64(d.SE)-want) > 1e-9 || flat > 0.1 {
		t.Fatalf("D %g SE %g (flat %g), want 4.5 and %g", float64(d.D), float64(d.SE), flat, want)
	}
	if math.Abs(float64(d.Lo)-(4.5-tq*want)) > 1e-9 || math.Abs(float64(d.Hi)-(4.5+tq*want)) > 1e-9 || !d.Significant {
		t.Fatalf("interval [%g, %g], want 4.5 ± %g", float64(d.Lo), float64(d.Hi), tq*want)
	}
}

// The paired per-draw noise of a difference: draws whose every trial
// answers the same in both scenarios (no discordant trial) have no
// noise, so a difference that is the same in every draw has a range that
// is that point and a sign share of 1; a per-draw difference that is pure
// noise (discordant trials in both directions, no true spread) gives a
// noise share near 1.
func TestPairedDrawDifferenceNoise(t *testing.T) {
	y, c, m := make([]int64, 50), make([]int64, 50), make([]int64, 50)
	for k := range y {
		y[k], c[k], m[k] = 10, 10, 100 // +10 points in every draw, no loss
	}
	d, lo, hi, dd := PairedDrawDifference(y, c, m, 0.08, 0.12)
	if d != 0.1 || dd.P5 != 0.1 || dd.P95 != 0.1 || dd.SignShare != 1 || lo > 0.08 || hi < 0.12 {
		t.Fatalf("constant difference: d %g [%g, %g], %+v", d, lo, hi, dd)
	}
	for k := range y {
		// 20 discordant trials per draw, gains minus losses alternating
		// +2 and −2: the spread is what 20 coin flips give, or less.
		y[k], c[k] = int64(2-4*(k%2)), 20
	}
	_, _, _, dd = PairedDrawDifference(y, c, m, math.NaN(), math.NaN())
	if dd.NoiseShare < 0.9 || !math.IsNaN(dd.SignShare) {
		t.Fatalf("noise only: %+v", dd)
	}
}
