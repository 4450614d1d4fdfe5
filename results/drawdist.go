package results

import "math"

// OutcomeDraws returns outcome i's per-draw hits and given counts (the
// trials, for an unconditional outcome) of a nested run; nil for a flat
// run.
func (r *Result) OutcomeDraws(i int) (h, n []int64) {
	if !r.Counts.Nested() {
		return nil, nil
	}
	return drawColumn(&r.Counts, i)
}

// DrawEstimates returns, for the draws with n_k ≥ 2, the estimates
// x_k = h_k/n_k (raw) and the same with their Monte Carlo noise removed as
// [DrawRange] removes it: shrunk towards their mean by
// s = √(max(0, V − N)/(V + J)), so that their spread is that of
// P(outcome | params) across the draws. With fewer than two such draws
// denoised equals raw.
func DrawEstimates(h, n []int64) (raw, denoised []float64) {
	var nm, jm float64
	for k := range h {
		if n[k] >= 2 {
			x, nk := float64(h[k])/float64(n[k]), float64(n[k])
			raw = append(raw, x)
			nm += x * (1 - x) / (nk - 1)
			jm += 1 / (12 * nk * nk)
		}
	}
	denoised = cloneSlice(raw)
	if len(raw) < 2 {
		return raw, denoised
	}
	K := float64(len(raw))
	mean := meanOf(raw)
	var v float64
	for _, x := range raw {
		v += (x - mean) * (x - mean)
	}
	v, nm, jm = v/(K-1), nm/K, jm/K
	if v == 0 {
		return raw, denoised
	}
	s := math.Sqrt(max(0, v-nm) / (v + jm))
	for i, x := range raw {
		denoised[i] = mean + s*(x-mean)
	}
	return raw, denoised
}
