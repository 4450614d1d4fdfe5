package results

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Top drivers: which params explain most of an outcome's spread over the
// assumptions, estimated from the draws of the same nested run.
//
// Draw k of a nested run has param values θ_k (a pure function of the seed,
// k and the param's name, recomputed by the caller and kept in
// [DrawParams]) and an estimate x_k = h_k/n_k of P(outcome | θ_k) with
// binomial noise. The first-order share of param i is
//
//	S_i = Var(E[P | θ_i]) / Var(P)
//
// the part of the variance of P(outcome | θ) across draws that θ_i alone
// explains (the first-order Sobol index, for independent params). It is
// estimated from the given data, without new runs ([FirstOrderShares]).

// DrawParams are the values of the params with a dist in the draws of a
// nested run: Values[j][k] is the value of Params[j] (the layout's params,
// in order) in draw k, for the draws the counts cover.
type DrawParams struct {
	Params []string    `json:"params"`
	Values [][]float64 `json:"values"`
}

// DriverShare is one param's first-order share of an outcome's variance
// across draws, with an approximate 95% interval [Lo, Hi]; all in [0, 1].
type DriverShare struct {
	Param string  `json:"param"`
	Share float64 `json:"share"`
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
}

// OutcomeDrivers are an outcome's top drivers: up to [TopDrivers] params
// by first-order share, largest first, estimated from Draws draws sorted
// into Bins bins per param. When nothing can be said, Top is empty and
// Note says why (too few draws, or no spread beyond Monte Carlo noise).
type OutcomeDrivers struct {
	Draws int           `json:"draws"`
	Bins  int           `json:"bins"`
	Top   []DriverShare `json:"top"`
	Note  string        `json:"note,omitempty"`
}

const (
	// TopDrivers is how many params an outcome's drivers list.
	TopDrivers = 3
	// MinDriverDraws is the fewest draws with data (n_k ≥ 2) for which
	// shares are estimated: with fewer, √K bins hold too few draws for a
	// between-bin variance to mean anything.
	MinDriverDraws = 20
	// MaxDriverNoiseShare is the largest noise share N/V of the draws'
	// variance for which shares are estimated: above it the spread over the
	// assumptions is mostly Monte Carlo noise, and the shares are noise.
	MaxDriverNoiseShare = 0.5
)

// FirstOrderShares estimates, for each param j with per-draw values
// theta[j][k], its first-order share of the variance across draws of
// P(outcome | params), from per-draw hits h[k] out of n[k]. Only draws with
// n_k ≥ 2 are used (K of them), with x_k = h_k/n_k.
//
// Denominator: Var(P) = V − N, with V the sample variance of the x_k and
// N = mean x_k(1−x_k)/(n_k−1) the unbiased estimate of the binomial noise
// variance (as in [DrawRange]).
//
// Numerator, per param: the draws are sorted by θ_j (equal values kept in
// one bin, so a param with few values gets at most one bin per value) and
// split into B = round(√K) bins of equal count. The bins are strata of
// θ_j, not a random sample of them, so the spread of the bin means is
// taken as it is (divided by K, not B−1), less the part that the
// within-bin variation puts into it:
//
//	σ²_b = (SSB − (B−1)·MSW)/K,  SSB = Σ_b K_b(x̄_b − x̄)²,
//	MSW = Σ_b Σ_{k∈b} (x_k − x̄_b)²/(K−B)
//
// which removes on average both the binomial noise and the variation due
// to the other params (both are within-bin variance, and each bin mean
// carries 1/K_b of it). σ²_b estimates the variance of E[P | θ_j in bin],
// which falls short of Var(E[P | θ_j]) by the variation of E[P | θ_j]
// within a bin: for a smooth effect of a param with a continuous dist, a
// fraction of order 1/B² (1/16 at the fewest draws, 1/200 at 200 draws).
// The share is S_j = σ²_b/(V − N).
//
// The 95% interval [Lo, Hi] is S_j ± t·SE with the standard error of a
// delete-a-group jackknife: the draws are dealt into [driverGroups] groups
// in draw order, each group left out in turn with V, N and every σ²_b
// recomputed (bins formed afresh), and t is the 97.5% quantile of
// Student's t with driverGroups−1 degrees of freedom. Shares and limits
// are clipped to [0, 1]. The largest of many shares is biased upwards (a
// param picked as the top driver among many was picked partly for its
// noise); a lower limit of 0 says the share is not distinguishable from
// none.
//
// ok is false, with the reason in note, when K < [MinDriverDraws], or when
// the noise share N/V exceeds [MaxDriverNoiseShare] (or V ≤ N). A param
// whose values do not vary gets share 0. bins is B.
func FirstOrderShares(h, n []int64, theta [][]float64) (shares []DriverShare, draws, bins int, note string, ok bool) {
	return firstOrderShares(h, n, theta, argsorts(theta))
}

// argsorts returns, per row of theta, the indices of its values in
// ascending order (equal values in index order).
func argsorts(theta [][]float64) [][]int {
	out := make([][]int, len(theta))
	for j, th := range theta {
		order := make([]int, len(th))
		for k := range order {
			order[k] = k
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(th[a], th[b]) })
		out[j] = order
	}
	return out
}

// sortedDraws are the draws used for one param, in the order of its
// values: per draw its estimate x, the param's value v and its jackknife
// group g.
type sortedDraws struct {
	x, v []float64
	g    []int
}

// firstOrderShares is [FirstOrderShares] with each param's draws already
// sorted by value (orders[j] from argsorts).
func firstOrderShares(h, n []int64, theta [][]float64, orders [][]int) (shares []DriverShare, draws, bins int, note string, ok bool) {
	pos := make([]int, len(h)) // index among the draws used, -1 if unused
	var xs, noise []float64
	for k := range h {
		pos[k] = -1
		if n[k] >= 2 {
			x := float64(h[k]) / float64(n[k])
			pos[k] = len(xs)
			xs = append(xs, x)
			noise = append(noise, x*(1-x)/float64(n[k]-1))
		}
	}
	K := len(xs)
	if K < MinDriverDraws {
		return nil, K, 0, fmt.Sprintf("too few parameter draws to rank drivers (%d; need %d)", K, MinDriverDraws), false
	}
	bins = int(math.Round(math.Sqrt(float64(K))))
	v, nm := varNoise(xs, noise, -1)
	if v <= nm || nm/v > MaxDriverNoiseShare {
		share := 1.0
		if v > 0 {
			share = min(nm/v, 1)
		}
		return nil, K, bins, fmt.Sprintf("the draws barely differ beyond their Monte Carlo noise (noise share %s): no drivers", fmtShare(share)), false
	}
	G := driverGroups
	jv, jn := make([]float64, G), make([]float64, G)
	for g := range G {
		jv[g], jn[g] = varNoise(xs, noise, g)
	}
	t := T975(G - 1)
	shares = make([]DriverShare, len(theta))
	sd := sortedDraws{x: make([]float64, 0, K), v: make([]float64, 0, K), g: make([]int, 0, K)}
	reps := make([]float64, G)
	var buf []bin
	for j, th := range theta {
		sd.x, sd.v, sd.g = sd.x[:0], sd.v[:0], sd.g[:0]
		for _, k := range orders[j] {
			if i := pos[k]; i >= 0 {
				sd.x, sd.v, sd.g = append(sd.x, xs[i]), append(sd.v, th[k]), append(sd.g, i%G)
			}
		}
		var s float64
		s, buf = betweenBinVariance(sd, -1, bins, buf)
		s /= v - nm
		// Delete-a-group jackknife over the draws for the interval.
		for g := range G {
			reps[g] = 0
			if jv[g] > jn[g] {
				var b float64
				b, buf = betweenBinVariance(sd, g, bins, buf)
				reps[g] = b / (jv[g] - jn[g])
			}
		}
		m := meanOf(reps)
		var ss float64
		for _, r := range reps {
			ss += (r - m) * (r - m)
		}
		se := math.Sqrt(float64(G-1) / float64(G) * ss)
		shares[j] = DriverShare{Share: clip01(s), Lo: clip01(s - t*se), Hi: clip01(s + t*se)}
	}
	return shares, K, bins, "", true
}

// driverGroups is the number of groups of the delete-a-group jackknife
// that gives the shares' intervals: draw i (in draw order, among those
// used) is in group i mod driverGroups.
const driverGroups = 20

// varNoise returns the sample variance of xs and the mean of noise over
// the draws not in jackknife group skip (all of them for skip −1).
func varNoise(xs, noise []float64, skip int) (v, nm float64) {
	var K, sum float64
	for i, x := range xs {
		if i%driverGroups != skip {
			K++
			sum += x
			nm += noise[i]
		}
	}
	mean := sum / K
	for i, x := range xs {
		if i%driverGroups != skip {
			v += (x - mean) * (x - mean)
		}
	}
	return v / (K - 1), nm / K
}

// bin holds a bin's count and the sums of its values and their squares.
type bin struct{ n, sx, sxx float64 }

// betweenBinVariance splits the draws of d (in the order of the param's
// values) other than those of jackknife group skip into bins of about
// equal count, never splitting equal values, and returns the between-bin
// variance component σ²_b of [FirstOrderShares] (0 when fewer than two
// bins result) and buf for reuse.
func betweenBinVariance(d sortedDraws, skip, bins int, buf []bin) (float64, []bin) {
	K := len(d.g)
	if skip >= 0 {
		K = 0
		for _, g := range d.g {
			if g != skip {
				K++
			}
		}
	}
	bs := buf[:0]
	cum, next, thr := 0, 0, 0 // next: the next bin's start threshold, thr = next·K/bins
	prev := math.NaN()
	for i, x := range d.x {
		if d.g[i] == skip {
			continue
		}
		if len(bs) == 0 || (next < bins && cum >= thr && d.v[i] != prev) {
			bs = append(bs, bin{})
			for next < bins && cum >= thr {
				next++
				thr = next * K / bins
			}
		}
		b := &bs[len(bs)-1]
		b.n, b.sx, b.sxx = b.n+1, b.sx+x, b.sxx+x*x
		cum++
		prev = d.v[i]
	}
	B := len(bs)
	if B < 2 || K-B < 1 {
		return 0, bs
	}
	var total float64
	for _, b := range bs {
		total += b.sx
	}
	grand := total / float64(K)
	var ssb, ssw float64
	for _, b := range bs {
		m := b.sx / b.n
		ssb += b.n * (m - grand) * (m - grand)
		ssw += max(0, b.sxx-b.n*m*m)
	}
	msw := ssw / float64(K-B)
	return (ssb - float64(B-1)*msw) / float64(K), bs
}

func meanOf(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func clip01(x float64) float64 { return min(max(x, 0), 1) }

// computeDrivers returns each outcome's top drivers from the per-draw
// counts and the draws' param values (nil for a flat run or without
// DrawParams).
func computeDrivers(l *Layout, c *Counts, dp *DrawParams) map[string]OutcomeDrivers {
	if dp == nil || !c.Nested() || len(dp.Params) == 0 {
		return nil
	}
	out := make(map[string]OutcomeDrivers, len(l.Outcomes))
	orders := argsorts(dp.Values)
	for i, o := range l.Outcomes {
		h, n := drawColumn(c, i)
		shares, draws, bins, note, ok := firstOrderShares(h, n, dp.Values, orders)
		od := OutcomeDrivers{Draws: draws, Bins: bins, Top: []DriverShare{}, Note: note}
		if ok {
			for j := range shares {
				shares[j].Param = dp.Params[j]
			}
			// Largest share first; equal shares (zeros, say) in layout order.
			slices.SortStableFunc(shares, func(a, b DriverShare) int { return cmp.Compare(b.Share, a.Share) })
			for _, s := range shares[:min(TopDrivers, len(shares))] {
				if s.Share > 0 {
					od.Top = append(od.Top, s)
				}
			}
			if len(od.Top) == 0 {
				od.Note = "no param explains a share of the spread distinguishable from none"
			}
		}
		out[o.Name] = od
	}
	return out
}

// checkDrawParams checks dp against the layout and counts: one row per
// param with a dist, named as in the layout, each with one finite value per
// draw of the counts; none for a flat run.
func checkDrawParams(l *Layout, c *Counts, dp *DrawParams) error {
	if dp == nil {
		return nil
	}
	if !c.Nested() {
		return fmt.Errorf("draw_params: a flat run has no parameter draws")
	}
	if len(dp.Params) != len(l.Params) || len(dp.Values) != len(l.Params) {
		return fmt.Errorf("draw_params: %d names and %d rows for %d params with a dist", len(dp.Params), len(dp.Values), len(l.Params))
	}
	for j, name := range dp.Params {
		if name != l.Params[j].Name {
			return fmt.Errorf("draw_params: param %d is %q, the layout's is %q", j, name, l.Params[j].Name)
		}
		if len(dp.Values[j]) != c.Draws() {
			return fmt.Errorf("draw_params: %s has %d values for %d draws", name, len(dp.Values[j]), c.Draws())
		}
		for k, v := range dp.Values[j] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("draw_params: %s in draw %d is %v", name, k, v)
			}
		}
	}
	return nil
}

// SetDrawParams records the param values of a nested run's draws and
// derives each outcome's top drivers from them (see [FirstOrderShares]).
// It refuses values that do not fit the layout and counts (see
// [Result.Validate]); nil removes them and the drivers.
func (r *Result) SetDrawParams(dp *DrawParams) error {
	if dp != nil {
		dp = &DrawParams{Params: cloneSlice(dp.Params), Values: cloneRows(dp.Values)}
	}
	if err := checkDrawParams(&r.Layout, &r.Counts, dp); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	r.DrawParams, r.Drivers = dp, computeDrivers(&r.Layout, &r.Counts, dp)
	return nil
}

func cloneRows(v [][]float64) [][]float64 {
	out := make([][]float64, len(v))
	for j := range v {
		out[j] = cloneSlice(v[j])
	}
	return out
}

// mergeDrawParams combines the draw params of shards of one run: each holds
// the values of draws 0..K_s−1, a prefix of the same sequence, so the
// merged values are the longest, and any other must agree with it where
// they overlap. Shards without draw params (flat runs, older files) give
// none.
func mergeDrawParams(shards []*Result) (*DrawParams, error) {
	var best *DrawParams
	for _, r := range shards {
		if r.DrawParams == nil {
			return nil, nil
		}
		if best == nil || len(r.DrawParams.Values) > 0 && len(r.DrawParams.Values[0]) > len(best.Values[0]) {
			best = r.DrawParams
		}
	}
	if best == nil {
		return nil, nil
	}
	for _, r := range shards {
		dp := r.DrawParams
		if !slices.Equal(dp.Params, best.Params) {
			return nil, fmt.Errorf("merge: the shards' draw params name different params")
		}
		for j := range dp.Values {
			if !slices.Equal(dp.Values[j], best.Values[j][:len(dp.Values[j])]) {
				return nil, fmt.Errorf("merge: the shards disagree on the values of %s in the draws they share", dp.Params[j])
			}
		}
	}
	return best, nil
}
