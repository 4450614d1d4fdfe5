package results

import (
	"fmt"
	"math"
	"slices"

	"scensim/tally"
)

// Value outcomes in a nested run (K parameter draws × m trials). The
// counts keep, per draw and value outcome, the exact tally of the draw's
// values (Counts.DrawValues: integer sums, merged exactly, so any split of
// the trials among workers or shards gives the same bits). From them each
// value row reports both kinds of uncertainty, as the probability rows do:
//
//   - simulation error ([ClusterMean]): the pooled mean over all trials
//     with a standard error for the clustered design, since trials that
//     share a draw are not independent;
//   - range over assumptions ([DrawMeanRange]): the 5%, 50% and 95%
//     quantiles of E[value | params] across the draws, with each draw's
//     Monte Carlo noise removed.

// ClusterMean returns the pooled mean M = ΣS_k/Σn_k of a nested run's
// per-draw tallies (S_k the sum, n_k the defined trials of draw k) and its
// simulation error for the clustered design: with K draws that have a
// defined value,
//
//	SE² = K/(K−1) · Σ_k (S_k − M·n_k)² / (Σn)²
//
// (the between-draw variance of a ratio estimator, as [ClusterProportion]),
// and [lo, hi] = M ± t·SE with t the 97.5% quantile of Student's t with
// K−1 degrees of freedom, widened, if needed, to contain the normal
// interval on all trials as if they were independent (M ± 1.96·sd/√Σn).
// The sums run over the draws in draw order. Fewer than two draws with a
// defined value give NaN for se, lo and hi.
func ClusterMean(draws []tally.Value) (mean, se, lo, hi float64) {
	var all tally.Value
	K := 0
	for i := range draws {
		all.Merge(&draws[i])
		if draws[i].Defined > 0 {
			K++
		}
	}
	nan := math.NaN()
	if all.Defined == 0 {
		return nan, nan, nan, nan
	}
	N := float64(all.Defined)
	mean = all.SumFloat() / N
	if K < 2 {
		return mean, nan, nan, nan
	}
	var ss float64
	for i := range draws {
		d := draws[i].SumFloat() - mean*float64(draws[i].Defined)
		ss += d * d
	}
	se = math.Sqrt(float64(K) / float64(K-1) * ss / (N * N))
	t := T975(K - 1)
	lo, hi = mean-t*se, mean+t*se
	if all.Defined > 1 {
		sd := math.Sqrt(max(all.SumSqFloat()-N*mean*mean, 0) / (N - 1))
		lo, hi = min(lo, mean-Z95*sd/math.Sqrt(N)), max(hi, mean+Z95*sd/math.Sqrt(N))
	}
	return mean, se, lo, hi
}

// DrawMeanRange estimates the 5%, 50% and 95% quantiles of E[value |
// params] across the draws of a nested run. Over the draws with at least
// two defined values (K of them), x_k is the draw's mean, x̄ their mean and
// V their sample variance; the Monte Carlo noise of x_k has variance
// s_k²/n_k (s_k the draw's sample SD), whose mean over the draws, N,
// estimates the noise in V without bias. The x_k are shrunk towards x̄ by
// √(max(0, V − N)/V), so that they have the variance V − N of E[value |
// params] itself, and the quantiles are the type-7 (linear interpolation)
// quantiles of the shrunk values. NoiseShare is min(N/V, 1): near 1 the
// spread over the assumptions is not resolved (raise the trials per
// draw). Fewer than two such draws give NaN.
func DrawMeanRange(draws []tally.Value) Spread {
	var xs []float64
	var noise float64
	for i := range draws {
		v := &draws[i]
		if v.Defined < 2 {
			continue
		}
		n := float64(v.Defined)
		m := v.SumFloat() / n
		xs = append(xs, m)
		noise += max(v.SumSqFloat()-n*m*m, 0) / (n - 1) / n
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
	mean, noise = mean/K, noise/K
	var v float64
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	v /= K - 1
	if slices.Min(xs) == slices.Max(xs) {
		v, mean = 0, xs[0]
	}
	s := 0.0
	switch {
	case v > 0:
		sp.NoiseShare = min(noise/v, 1)
		s = math.Sqrt(max(0, v-noise) / v)
	case noise == 0:
		sp.NoiseShare = 0
	default:
		sp.NoiseShare = 1
	}
	for i, x := range xs {
		xs[i] = mean + s*(x-mean)
	}
	slices.Sort(xs)
	sp.P5, sp.P50, sp.P95 = quantileType7(xs, 0.05), quantileType7(xs, 0.5), quantileType7(xs, 0.95)
	return sp
}

// quantileType7 is the q-quantile of sorted xs with linear interpolation
// (Hyndman & Fan 1996, type 7).
func quantileType7(xs []float64, q float64) float64 {
	h := q * float64(len(xs)-1)
	lo := int(math.Floor(h))
	if lo >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	return xs[lo] + (h-float64(lo))*(xs[lo+1]-xs[lo])
}

// drawValueColumn returns value outcome j's per-draw tallies of c.
func drawValueColumn(c *Counts, j int) []tally.Value {
	V, K := len(c.Values), c.Draws()
	out := make([]tally.Value, K)
	for k := range K {
		out[k] = c.DrawValues[k*V+j]
	}
	return out
}

// hasDrawValues reports whether c holds per-draw value tallies (a nested
// run written with them).
func hasDrawValues(c *Counts) bool {
	return c.Nested() && len(c.Values) > 0 && len(c.DrawValues) == c.Draws()*len(c.Values)
}

// nestValueRow gives row (value outcome j of a nested run) its simulation
// error for the clustered design and its range over the assumptions.
func nestValueRow(row *ValueRow, c *Counts, j int) {
	draws := drawValueColumn(c, j)
	_, se, lo, hi := ClusterMean(draws)
	row.SE, row.Lo95, row.Hi95 = JSONFloat(se), JSONFloat(lo), JSONFloat(hi)
	sp := DrawMeanRange(draws)
	row.Range = &sp
}

// checkDrawValues checks the per-draw value tallies of a nested run: none
// (a result written without them), or one per draw and value outcome,
// without histograms, each draw's defined and undefined trials adding up to
// the draw's trials.
func (l *Layout) checkDrawValues(c *Counts) error {
	if len(c.DrawValues) == 0 {
		return nil
	}
	if !hasDrawValues(c) {
		return fmt.Errorf("counts: draw_values has %d entries, want %d draws × %d value outcomes", len(c.DrawValues), c.Draws(), len(c.Values))
	}
	V := len(c.Values)
	for k := range c.Draws() {
		for j := range V {
			v := &c.DrawValues[k*V+j]
			if len(v.Hist) != 0 || v.Defined < 0 || v.Undefined < 0 || v.Defined+v.Undefined != c.DrawTrials[k] {
				return fmt.Errorf("counts: draw_values of draw %d, value outcome %s: defined %d and undefined %d do not fit the draw's %d trials",
					k, l.Values[j].Name, v.Defined, v.Undefined, c.DrawTrials[k])
			}
		}
	}
	return nil
}
