package results

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// A nested run draws K parameter sets (draws) and runs m trials under each,
// so its counts hold two kinds of uncertainty, which every outcome row
// reports apart:
//
//   - simulation error: how far the pooled estimate p̂ = Σh_k/Σn_k (the
//     probability averaged over the assumptions) may be from the value an
//     infinite run would give. Trials that share a draw are not
//     independent, so the binomial (Wilson) interval on all trials is too
//     narrow; [ClusterProportion] uses the between-draw variance instead.
//   - range over assumptions: how P(outcome | params) varies across the
//     draws: its 5%, 50% and 95% quantiles, with the draws' own Monte Carlo
//     noise removed ([DrawRange]).

// NestedInfo is the design of a nested run: Draws parameter draws of
// PerDraw trials each (the last may hold fewer).
type NestedInfo struct {
	Draws   int   `json:"draws"`
	PerDraw int64 `json:"per_draw"`
}

// Spread is the range of an outcome's probability over the assumptions:
// the 5%, 50% and 95% quantiles of P(outcome | params) across the draws of
// a nested run, after removing the Monte Carlo noise of each draw's
// estimate (see [DrawRange]). Draws is the number of draws with data;
// NoiseShare is the share of the raw per-draw estimates' variance that is
// binomial noise, capped at 1 (at 1 the spread over the assumptions is
// not distinguishable from noise, and the range collapses to the pooled
// estimate). Undefined quantiles (fewer than two draws with data) are NaN,
// written as null in JSON.
type Spread struct {
	Draws      int     `json:"draws"`
	P5         float64 `json:"p5"`
	P50        float64 `json:"p50"`
	P95        float64 `json:"p95"`
	NoiseShare float64 `json:"noise_share"`
}

// Defined reports whether the range was estimated.
func (s *Spread) Defined() bool { return s != nil && !math.IsNaN(s.P5) }

type spreadJSON struct {
	Draws      int      `json:"draws"`
	P5         *float64 `json:"p5"`
	P50        *float64 `json:"p50"`
	P95        *float64 `json:"p95"`
	NoiseShare *float64 `json:"noise_share"`
}

// MarshalJSON writes s with null for NaN.
func (s Spread) MarshalJSON() ([]byte, error) {
	return json.Marshal(spreadJSON{s.Draws, nanToNil(s.P5), nanToNil(s.P50), nanToNil(s.P95), nanToNil(s.NoiseShare)})
}

// UnmarshalJSON reads the form written by MarshalJSON (null is NaN).
func (s *Spread) UnmarshalJSON(b []byte) error {
	var w spreadJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*s = Spread{w.Draws, nilToNaN(w.P5), nilToNaN(w.P50), nilToNaN(w.P95), nilToNaN(w.NoiseShare)}
	return nil
}

// ClusterProportion is the pooled estimate of a nested run from per-draw
// hits h[k] out of n[k]: P = Σh/Σn (a ratio estimator, which is also right
// for conditional outcomes, whose n[k] vary), and its simulation error
// computed for the clustered design. With K draws that have data,
//
//	SE² = K/(K−1) · Σ_k (h_k − P·n_k)² / (Σn)²
//
// (the cluster-robust, between-draw variance of a ratio estimator; with
// n̄ = Σn/K it is Σ_k (h_k − P·n_k)² / (K(K−1)·n̄²)), and [Lo, Hi] is
// P ± t·SE with t the 97.5% quantile of Student's t with K−1 degrees of
// freedom, clipped to [0, 1] and widened, if needed, to contain the Wilson
// interval on all trials (which is what the interval would be if the
// params did not matter; the between-draw SE is itself noisy when the
// draws barely differ). With fewer than two draws it is the Wilson
// [NewProportion] of the totals. K and N are the totals.
func ClusterProportion(h, n []int64) Proportion {
	var H, N int64
	K := 0
	for k := range h {
		H, N = H+h[k], N+n[k]
		if n[k] > 0 {
			K++
		}
	}
	pr := NewProportion(H, N)
	if K < 2 || !pr.Defined() {
		return pr
	}
	var ss float64
	for k := range h {
		d := float64(h[k]) - pr.P*float64(n[k])
		ss += d * d
	}
	se := math.Sqrt(float64(K) / float64(K-1) * ss / (float64(N) * float64(N)))
	t := T975(K - 1)
	pr.SE = se
	pr.Lo = min(max(pr.P-t*se, 0), pr.Lo)
	pr.Hi = max(min(pr.P+t*se, 1), pr.Hi)
	return pr
}

// DrawRange estimates the 5%, 50% and 95% quantiles of P(outcome | params)
// across draws from per-draw hits h[k] out of n[k], removing the Monte
// Carlo noise of each draw's estimate x_k = h_k/n_k by moment matching.
// Over the draws with n_k ≥ 2 (K of them), with x̄ their mean and V their
// sample variance, the binomial noise variance is estimated without bias
// by
//
//	N = mean_k x_k(1−x_k)/(n_k−1)
//
// Each x_k is a count on a lattice of step 1/n_k; to take quantiles of a
// continuous distribution it is spread uniformly over its lattice cell
// [x_k − 1/(2n_k), x_k + 1/(2n_k)], which adds J = mean_k 1/(12n_k²) to
// the variance. The spread values are shrunk towards x̄ by
// s = √(max(0, V − N)/(V + J)), so that they have variance V − N, the
// variance of P(outcome | params) itself, and the quantiles are those of
// that mixture of K uniforms (each of weight 1/K), clipped to [0, 1]. This
// removes the noise exactly in the first two moments and approximately in
// the shape (the shrunk values keep the shape of the noisy ones); the
// error is small when the noise share N/V is small, which is why
// NoiseShare is reported. Fewer than two such draws give NaN.
func DrawRange(h, n []int64) Spread {
	var xs, half []float64
	var nm, jm float64
	for k := range h {
		if n[k] >= 2 {
			x, nk := float64(h[k])/float64(n[k]), float64(n[k])
			xs = append(xs, x)
			half = append(half, 0.5/nk)
			nm += x * (1 - x) / (nk - 1)
			jm += 1 / (12 * nk * nk)
		}
	}
	sp := Spread{Draws: len(xs), P5: math.NaN(), P50: math.NaN(), P95: math.NaN(), NoiseShare: math.NaN()}
	if len(xs) < 2 {
		return sp
	}
	K := float64(len(xs))
	var mean float64
	for _, x := range xs {
		mean += x
	}
	mean, nm, jm = mean/K, nm/K, jm/K
	var v float64
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	v /= K - 1
	if slices.Min(xs) == slices.Max(xs) {
		v, mean = 0, xs[0] // exactly, without the rounding of the sums
	}
	switch {
	case v > 0:
		sp.NoiseShare = min(nm/v, 1)
	case nm == 0:
		sp.NoiseShare = 0 // every draw gave the same estimate, without noise
	default:
		sp.NoiseShare = 1 // equal estimates, each with noise: all of it noise
	}
	s := math.Sqrt(max(0, v-nm) / (v + jm))
	lo, hi := make([]float64, len(xs)), make([]float64, len(xs))
	for i, x := range xs {
		lo[i], hi[i] = mean+s*(x-half[i]-mean), mean+s*(x+half[i]-mean)
	}
	q := func(p float64) float64 { return min(max(mixtureQuantile(lo, hi, p), 0), 1) }
	sp.P5, sp.P50, sp.P95 = q(0.05), q(0.5), q(0.95)
	return sp
}

// mixtureQuantile returns the p-quantile of the equal-weight mixture of the
// uniform distributions on [lo[i], hi[i]] (a point mass when lo[i] ==
// hi[i]), found by bisection on its CDF to within 1e-12.
func mixtureQuantile(lo, hi []float64, p float64) float64 {
	a, b := slices.Min(lo), slices.Max(hi)
	cdf := func(y float64) float64 {
		var c float64
		for i := range lo {
			switch {
			case y >= hi[i]:
				c++
			case y > lo[i]:
				c += (y - lo[i]) / (hi[i] - lo[i])
			}
		}
		return c / float64(len(lo))
	}
	for b-a > 1e-12 {
		m := a + (b-a)/2
		if m <= a || m >= b {
			break
		}
		if cdf(m) >= p {
			b = m
		} else {
			a = m
		}
	}
	return b
}

// drawColumn returns outcome i's per-draw hits and given counts of c (a
// nested run's counts), copied out of the interleaved layout.
func drawColumn(c *Counts, i int) (h, n []int64) {
	O, K := len(c.Hits), c.Draws()
	h, n = make([]int64, K), make([]int64, K)
	for k := range K {
		h[k], n[k] = c.DrawHits[k*O+i], c.DrawGiven[k*O+i]
	}
	return h, n
}

// drawReached returns the reached-by cell (state g, column j of w: the
// named dates, then the horizon) of a nested run: its pooled share with
// the simulation error for the clustered design, and its range over the
// assumptions.
func drawReached(c *Counts, g, j, w int) (Proportion, *Spread) {
	K := c.Draws()
	stride := len(c.DrawReached) / max(K, 1)
	h := make([]int64, K)
	for k := range K {
		h[k] = c.DrawReached[k*stride+g*w+j]
	}
	sp := drawRangeFor(c, h, c.DrawTrials)
	return ClusterProportion(h, c.DrawTrials), &sp
}

// checkDrawReached checks the per-draw reached-by counts of a nested run
// against the layout and the entry counts: S·W counters per draw, each at
// most the draw's trials, summing over draws to the trials that had
// entered the state by that named date (or at all).
func (l *Layout) checkDrawReached(c *Counts) error {
	if !c.Nested() {
		if len(c.DrawReached) > 0 {
			return fmt.Errorf("counts: per-draw counts without per_draw")
		}
		return nil
	}
	p, s, w, K := len(l.Points), l.NumStates(), len(l.NamedDates)+1, c.Draws()
	if len(c.DrawReached) != K*s*w {
		return fmt.Errorf("counts: %d draws, %d states and %d dates with the horizon need %d draw_reached, have %d", K, s, w, K*s*w, len(c.DrawReached))
	}
	for g := range s {
		cum := make([]int64, p)
		var sum int64
		for k := range p {
			sum += c.Entry[g*(p+1)+k]
			cum[k] = sum
		}
		for j := range w {
			point := p - 1
			if j < len(l.NamedDates) {
				point = l.NamedDates[j].Point
			}
			var want, got int64
			if point >= 0 {
				want = cum[point]
			}
			for k := range K {
				v := c.DrawReached[(k*s+g)*w+j]
				if v < 0 || v > c.DrawTrials[k] {
					return fmt.Errorf("counts: draw %d: reached count %d of state %d outside 0..%d", k, v, g, c.DrawTrials[k])
				}
				got += v
			}
			if got != want {
				return fmt.Errorf("counts: per-draw reached counts of state %d, column %d sum to %d, want %d", g, j, got, want)
			}
		}
	}
	return nil
}

// checkDrawCounts checks the per-draw counts of c against its totals: a
// flat run has none; a nested run has DrawTrials summing to Trials, each
// draw at most PerDraw trials, and per outcome and draw hits ≤ given ≤
// trials, summing to the outcome's totals.
func checkDrawCounts(c *Counts) error {
	if c.PerDraw < 0 {
		return fmt.Errorf("counts: per_draw = %d is negative", c.PerDraw)
	}
	if c.PerDraw == 0 {
		if len(c.DrawTrials)+len(c.DrawHits)+len(c.DrawGiven) > 0 {
			return fmt.Errorf("counts: per-draw counts without per_draw")
		}
		return nil
	}
	O, K := len(c.Hits), len(c.DrawTrials)
	if len(c.DrawHits) != K*O || len(c.DrawGiven) != K*O {
		return fmt.Errorf("counts: %d draws and %d outcomes need %d draw_hits and draw_given, have %d and %d", K, O, K*O, len(c.DrawHits), len(c.DrawGiven))
	}
	var trials int64
	hits, given := make([]int64, O), make([]int64, O)
	for k, m := range c.DrawTrials {
		if m < 0 || m > c.PerDraw {
			return fmt.Errorf("counts: draw %d has %d trials, want 0 to %d", k, m, c.PerDraw)
		}
		trials += m
		for i := range O {
			h, g := c.DrawHits[k*O+i], c.DrawGiven[k*O+i]
			if h < 0 || h > g || g > m {
				return fmt.Errorf("counts: draw %d, outcome %d: want 0 ≤ hits %d ≤ given %d ≤ trials %d", k, i, h, g, m)
			}
			hits[i], given[i] = hits[i]+h, given[i]+g
		}
	}
	if trials != c.Trials {
		return fmt.Errorf("counts: draw_trials sum to %d, want trials = %d", trials, c.Trials)
	}
	for i := range O {
		if hits[i] != c.Hits[i] || given[i] != c.Given[i] {
			return fmt.Errorf("counts: outcome %d: per-draw hits and given sum to %d and %d, want %d and %d", i, hits[i], given[i], c.Hits[i], c.Given[i])
		}
	}
	return nil
}
