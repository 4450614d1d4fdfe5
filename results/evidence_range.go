package results

import (
	"math"
	"slices"
)

// The range over the assumptions of a run with evidence. Without evidence
// every draw of a nested run has the same weight ([DrawRange]). With
// evidence the posterior over the draws is proportional to the likelihood
// of the evidence under each draw's params, which the draw's acceptance
// rate a_k = kept_k / ran_k estimates without bias; so draw k gets weight
// a_k, and a draw that kept no trial drops out.

// drawWeights returns the posterior weight of each draw of a conditioned
// nested run (its acceptance rate), or nil for a run without evidence.
func drawWeights(c *Counts) []float64 {
	if !c.Conditioned || !c.Nested() {
		return nil
	}
	w := make([]float64, len(c.DrawTrials))
	for k, kept := range c.DrawTrials {
		ran := kept
		if k < len(c.DrawRejected) {
			ran += c.DrawRejected[k]
		}
		if ran > 0 {
			w[k] = float64(kept) / float64(ran)
		}
	}
	return w
}

// drawRangeFor is [DrawRange], or [DrawRangeWeighted] with the posterior
// weights of a conditioned run.
func drawRangeFor(c *Counts, h, n []int64) Spread {
	if w := drawWeights(c); w != nil {
		return DrawRangeWeighted(h, n, w)
	}
	return DrawRange(h, n)
}

// DrawRangeWeighted is [DrawRange] with draw k weighing w[k] ≥ 0 instead
// of 1: the mean, the between-draw variance (with the reliability-weights
// correction Σw − Σw²/Σw in place of K − 1), the noise and lattice terms
// are weighted means, and the quantiles are those of the mixture of the
// shrunk uniforms with weights w. Draws with fewer than two trials or zero
// weight are left out; with equal weights it is DrawRange. Draws counts
// the draws kept; fewer than two give NaN.
func DrawRangeWeighted(h, n []int64, w []float64) Spread {
	var xs, half, ws []float64
	var nm, jm, sw, sw2 float64
	for k := range h {
		if n[k] >= 2 && w[k] > 0 {
			x, nk := float64(h[k])/float64(n[k]), float64(n[k])
			xs, half, ws = append(xs, x), append(half, 0.5/nk), append(ws, w[k])
			nm += w[k] * x * (1 - x) / (nk - 1)
			jm += w[k] / (12 * nk * nk)
			sw, sw2 = sw+w[k], sw2+w[k]*w[k]
		}
	}
	sp := Spread{Draws: len(xs), P5: math.NaN(), P50: math.NaN(), P95: math.NaN(), NoiseShare: math.NaN()}
	if len(xs) < 2 {
		return sp
	}
	var mean float64
	for i, x := range xs {
		mean += ws[i] * x
	}
	mean, nm, jm = mean/sw, nm/sw, jm/sw
	var v float64
	for i, x := range xs {
		v += ws[i] * (x - mean) * (x - mean)
	}
	if den := sw - sw2/sw; den > 0 {
		v /= den
	} else {
		v = 0
	}
	if slices.Min(xs) == slices.Max(xs) {
		v, mean = 0, xs[0]
	}
	switch {
	case v > 0:
		sp.NoiseShare = min(nm/v, 1)
	case nm == 0:
		sp.NoiseShare = 0
	default:
		sp.NoiseShare = 1
	}
	s := math.Sqrt(max(0, v-nm) / (v + jm))
	lo, hi := make([]float64, len(xs)), make([]float64, len(xs))
	for i, x := range xs {
		lo[i], hi[i] = mean+s*(x-half[i]-mean), mean+s*(x+half[i]-mean)
	}
	q := func(p float64) float64 { return min(max(weightedMixtureQuantile(lo, hi, ws, p), 0), 1) }
	sp.P5, sp.P50, sp.P95 = q(0.05), q(0.5), q(0.95)
	return sp
}

// weightedMixtureQuantile is mixtureQuantile with weights w (summing to
// anything positive).
func weightedMixtureQuantile(lo, hi, w []float64, p float64) float64 {
	var sw float64
	for _, x := range w {
		sw += x
	}
	a, b := slices.Min(lo), slices.Max(hi)
	cdf := func(y float64) float64 {
		var c float64
		for i := range lo {
			switch {
			case y >= hi[i]:
				c += w[i]
			case y > lo[i]:
				c += w[i] * (y - lo[i]) / (hi[i] - lo[i])
			}
		}
		return c / sw
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
