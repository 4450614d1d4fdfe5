package results

import (
	"encoding/json"
	"math"

	"scensim/tally"
)

// Paired differences under uncertainty.
//
// In a nested comparison every scenario runs on the same K parameter
// draws (draw k of each shares the values of the params they share), so
// each draw gives a paired difference x_k = P_j(outcome | θ_k) − P_0(…),
// estimated from the draw's m_k trials. A row's difference then has, like
// a probability of a nested run, two kinds of uncertainty:
//
//   - simulation error: the pooled difference D = Σ_k y_k / Σ_k m_k (y_k
//     the draw's hits in scenario j minus those in the first) and its
//     cluster-robust interval, from the variance of the per-draw
//     differences between draws:
//
//     SE² = K/(K−1) · Σ_k (y_k − D·m_k)² / (Σm_k)²
//
//     and D ± t·SE with t the 97.5% quantile of Student's t with K−1
//     degrees of freedom, clipped to [−1, 1] and widened if needed to
//     contain the flat paired interval (Newcombe's, on all trials: the
//     interval if the params did not matter);
//   - range over assumptions: the 5%, 50% and 95% quantiles of x_k over
//     the draws, with each draw's own Monte Carlo noise removed as
//     [DrawRange] does, but with the paired noise variance of a
//     difference of two answers of the same trials,
//     (c_k/m_k − x_k²)/(m_k − 1) with c_k the draw's discordant trials,
//     which common random numbers make much smaller than the noise of two
//     independent estimates;
//   - share of draws with this sign: the share of the noise-removed
//     distribution of x_k (the one the range's quantiles come from) on
//     the side of zero of D. Counting raw draws would count noise: a draw
//     whose true difference is +0.5 points reads below zero about as
//     often as not. The share is given only when the interval of D
//     excludes 0 (otherwise D has no sign to hold), and, like the range,
//     it is as good as the noise share is small.
//
// A conditional outcome (a given in some scenario) is compared unpaired
// within each draw: x_k = h_jk/n_jk − h_0k/n_0k over each scenario's own
// given-trials of the draw (draws where either has fewer than two are
// left out), D = P_j − P_0 (ratio estimators), and SE² = K/(K−1) ·
// Σ_k r_k² with r_k = (h_jk − P_j·n_jk)/N_j − (h_0k − P_0·n_0k)/N_0 (the
// linearised cluster-robust variance, which keeps the correlation that
// shared draws create between the two estimates); the per-draw noise is
// that of two independent binomials, x(1−x)/(n−1) summed, which ignores
// the correlation common random numbers create within the draw and so
// removes at most the right amount of noise (the range may be wider than
// the truth, never narrower from this cause).

// DrawDifference describes a difference over the draws of a nested
// comparison. SE is the simulation error's standard error (the interval is
// the Difference's Lo, Hi); P5, P50, P95 and NoiseShare are the range over
// assumptions as in [Spread]; SignShare is the share of draws (noise
// removed) whose difference has the pooled difference's sign, NaN when
// the interval contains 0 or the range is undefined. NaN is null in JSON.
type DrawDifference struct {
	Draws      int     `json:"draws"`
	SE         float64 `json:"se"`
	P5         float64 `json:"p5"`
	P50        float64 `json:"p50"`
	P95        float64 `json:"p95"`
	NoiseShare float64 `json:"noise_share"`
	SignShare  float64 `json:"sign_share"`
}

type drawDifferenceJSON struct {
	Draws      int      `json:"draws"`
	SE         *float64 `json:"se"`
	P5         *float64 `json:"p5"`
	P50        *float64 `json:"p50"`
	P95        *float64 `json:"p95"`
	NoiseShare *float64 `json:"noise_share"`
	SignShare  *float64 `json:"sign_share"`
}

// MarshalJSON writes d with null for NaN.
func (d DrawDifference) MarshalJSON() ([]byte, error) {
	return json.Marshal(drawDifferenceJSON{d.Draws, nanToNil(d.SE), nanToNil(d.P5), nanToNil(d.P50), nanToNil(d.P95), nanToNil(d.NoiseShare), nanToNil(d.SignShare)})
}

// UnmarshalJSON reads the form MarshalJSON writes.
func (d *DrawDifference) UnmarshalJSON(b []byte) error {
	var w drawDifferenceJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*d = DrawDifference{w.Draws, nilToNaN(w.SE), nilToNaN(w.P5), nilToNaN(w.P50), nilToNaN(w.P95), nilToNaN(w.NoiseShare), nilToNaN(w.SignShare)}
	return nil
}

// Defined reports whether the range over assumptions was estimated.
func (d *DrawDifference) Defined() bool { return d != nil && !math.IsNaN(d.P5) }

// PairedDrawDifference is the difference of a paired row of a nested
// comparison from per-draw counts: y[k] hits in scenario j minus hits in
// the first, c[k] discordant trials and m[k] trials of draw k. It returns
// the pooled difference D, its interval [lo, hi] (flat: the flat paired
// interval to contain) and the description over draws.
func PairedDrawDifference(y, c, m []int64, flatLo, flatHi float64) (d, lo, hi float64, dd DrawDifference) {
	var Y, M int64
	K := 0
	for k := range y {
		Y, M = Y+y[k], M+m[k]
		if m[k] > 0 {
			K++
		}
	}
	dd = DrawDifference{Draws: K, SE: math.NaN(), P5: math.NaN(), P50: math.NaN(), P95: math.NaN(), NoiseShare: math.NaN(), SignShare: math.NaN()}
	if M == 0 {
		return math.NaN(), math.NaN(), math.NaN(), dd
	}
	d = float64(Y) / float64(M)
	lo, hi = flatLo, flatHi
	var xs, noise, half []float64
	for k := range y {
		if m[k] >= 2 {
			mk := float64(m[k])
			x := float64(y[k]) / mk
			xs = append(xs, x)
			noise = append(noise, max(float64(c[k])/mk-x*x, 0)/(mk-1))
			half = append(half, 0.5/mk)
		}
	}
	if K >= 2 {
		var ss float64
		for k := range y {
			r := float64(y[k]) - d*float64(m[k])
			ss += r * r
		}
		dd.SE = math.Sqrt(float64(K) / float64(K-1) * ss / (float64(M) * float64(M)))
		lo, hi = ClusterInterval(d, dd.SE, K, flatLo, flatHi)
	}
	noiseRemoved(&dd, xs, noise, half, d, lo, hi)
	return d, lo, hi, dd
}

// UnpairedDrawDifference is the difference of a conditional row of a
// nested comparison from per-draw hits and given counts of scenario j (hj,
// nj) and of the first (h0, n0): D = P_j − P_0, its interval (flat: the
// flat unpaired interval to contain) and the description over draws.
func UnpairedDrawDifference(hj, nj, h0, n0 []int64, flatLo, flatHi float64) (d, lo, hi float64, dd DrawDifference) {
	var Hj, Nj, H0, N0 int64
	K := 0
	for k := range hj {
		Hj, Nj, H0, N0 = Hj+hj[k], Nj+nj[k], H0+h0[k], N0+n0[k]
		if nj[k] > 0 || n0[k] > 0 {
			K++
		}
	}
	dd = DrawDifference{Draws: K, SE: math.NaN(), P5: math.NaN(), P50: math.NaN(), P95: math.NaN(), NoiseShare: math.NaN(), SignShare: math.NaN()}
	if Nj == 0 || N0 == 0 {
		return math.NaN(), math.NaN(), math.NaN(), dd
	}
	pj, p0 := float64(Hj)/float64(Nj), float64(H0)/float64(N0)
	d = pj - p0
	lo, hi = flatLo, flatHi
	if K >= 2 {
		var ss float64
		for k := range hj {
			r := (float64(hj[k])-pj*float64(nj[k]))/float64(Nj) - (float64(h0[k])-p0*float64(n0[k]))/float64(N0)
			ss += r * r
		}
		dd.SE = math.Sqrt(float64(K) / float64(K-1) * ss)
		lo, hi = ClusterInterval(d, dd.SE, K, flatLo, flatHi)
	}
	var xs, noise, half []float64
	for k := range hj {
		if nj[k] >= 2 && n0[k] >= 2 {
			a, b := float64(nj[k]), float64(n0[k])
			xa, xb := float64(hj[k])/a, float64(h0[k])/b
			xs = append(xs, xa-xb)
			noise = append(noise, xa*(1-xa)/(a-1)+xb*(1-xb)/(b-1))
			half = append(half, 0.5*math.Sqrt(1/(a*a)+1/(b*b)))
		}
	}
	noiseRemoved(&dd, xs, noise, half, d, lo, hi)
	return d, lo, hi, dd
}

// ClusterInterval is d ± t·se (t of Student with K−1 degrees of freedom),
// clipped to [−1, 1] and widened to contain [flatLo, flatHi] when those
// are defined.
func ClusterInterval(d, se float64, K int, flatLo, flatHi float64) (lo, hi float64) {
	t := T975(K - 1)
	lo, hi = max(d-t*se, -1), min(d+t*se, 1)
	if !math.IsNaN(flatLo) {
		lo = min(lo, flatLo)
	}
	if !math.IsNaN(flatHi) {
		hi = max(hi, flatHi)
	}
	return lo, hi
}

// noiseRemoved fills dd's range and sign share from per-draw differences
// xs with noise variances noise and lattice half-widths half (see
// [DrawRange] for the method): the values are spread over their cells and
// shrunk towards their mean so that their variance is V − mean(noise).
func noiseRemoved(dd *DrawDifference, xs, noise, half []float64, d, lo, hi float64) {
	if len(xs) < 2 {
		return
	}
	K := float64(len(xs))
	var mean, nm, jm float64
	for i, x := range xs {
		mean += x
		nm += noise[i]
		jm += half[i] * half[i] / 3 // the variance of a uniform of half-width h
	}
	mean, nm, jm = mean/K, nm/K, jm/K
	var v float64
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	v /= K - 1
	allSame := true
	for _, x := range xs {
		allSame = allSame && x == xs[0]
	}
	if allSame {
		v, mean = 0, xs[0]
	}
	switch {
	case v > 0:
		dd.NoiseShare = min(nm/v, 1)
	case nm == 0:
		dd.NoiseShare = 0
	default:
		dd.NoiseShare = 1
	}
	s := math.Sqrt(max(0, v-nm) / (v + jm))
	los, his := make([]float64, len(xs)), make([]float64, len(xs))
	for i, x := range xs {
		los[i], his[i] = mean+s*(x-half[i]-mean), mean+s*(x+half[i]-mean)
	}
	q := func(p float64) float64 { return min(max(mixtureQuantile(los, his, p), -1), 1) }
	dd.P5, dd.P50, dd.P95 = q(0.05), q(0.5), q(0.95)
	switch {
	case lo > 0:
		dd.SignShare = 1 - mixtureCDF(los, his, 0)
	case hi < 0:
		dd.SignShare = mixtureCDF(los, his, 0)
	}
}

// mixtureCDF is the CDF at y of the equal-weight mixture of uniforms on
// [lo[i], hi[i]] (a point mass where lo[i] == hi[i]); for a point mass at
// y it counts half, so that a distribution all at 0 is half on each side.
func mixtureCDF(lo, hi []float64, y float64) float64 {
	var c float64
	for i := range lo {
		switch {
		case lo[i] == hi[i] && lo[i] == y:
			c += 0.5
		case y >= hi[i]:
			c++
		case y > lo[i]:
			c += (y - lo[i]) / (hi[i] - lo[i])
		}
	}
	return c / float64(len(lo))
}

// ClusterValueDiff makes d, a paired difference of a value outcome's means
// computed as if all trials were independent pairs, that of a nested
// comparison, from the tallies of the paired differences of each draw:
// with S_k their sum and n_k their count in draw k (K draws with a defined
// difference, N = Σn_k), D = ΣS_k/N is unchanged, and the standard error is
// the cluster-robust
//
//	SE² = K/(K−1) · Σ_k (S_k − D·n_k)² / N²
//
// with the interval D ± t·SE (Student's t, K−1 degrees of freedom),
// widened if needed to contain the flat interval. With fewer than two
// draws d is left as it is.
func ClusterValueDiff(d *ValueDiff, draws []*tally.Value) {
	var N int64
	K := 0
	for _, v := range draws {
		N += v.Defined
		if v.Defined > 0 {
			K++
		}
	}
	if K < 2 || N == 0 {
		return
	}
	D := float64(d.D)
	var ss float64
	for _, v := range draws {
		r := v.SumFloat() - D*float64(v.Defined)
		ss += r * r
	}
	se := math.Sqrt(float64(K) / float64(K-1) * ss / (float64(N) * float64(N)))
	t := T975(K - 1)
	lo, hi := D-t*se, D+t*se
	if !math.IsNaN(float64(d.Lo)) {
		lo, hi = min(lo, float64(d.Lo)), max(hi, float64(d.Hi))
	}
	if math.IsNaN(float64(d.SE)) || se > float64(d.SE) {
		d.SE = JSONFloat(se)
	}
	d.Lo, d.Hi = JSONFloat(lo), JSONFloat(hi)
	d.Significant = lo > 0 || hi < 0
}
