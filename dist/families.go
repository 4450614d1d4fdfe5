package dist

import (
	"errors"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// The six original families. Each sampler keeps the algorithm and the
// consumption of random numbers it has always had, so that a scenario's
// results stay the same for the same seed.

func init() {
	register(Family{
		Name:    "beta",
		Example: []float64{2, 8},
		Args:    []string{"a", "b"},
		About:   "beta with shapes a, b > 0 on [0, 1], mean a/(a+b); drawn as X/(X+Y) from gamma variates X ~ Γ(a), Y ~ Γ(b)",
		Check: func(a []float64) error {
			if a[0] <= 0 || a[1] <= 0 {
				return errors.New("beta(a, b) needs a > 0 and b > 0")
			}
			if a[0] > maxShape || a[1] > maxShape {
				return errors.New("beta(a, b) needs a ≤ 1e6 and b ≤ 1e6 (its quantile function is inaccurate beyond)")
			}
			return nil
		},
		Build: func(a []float64) Shape { return scaledBeta(a[0], a[1], 0, 1) },
	})
	register(Family{
		Name:    "uniform",
		Example: []float64{0.2, 1},
		Args:    []string{"lo", "hi"},
		About:   "uniform on [lo, hi], lo < hi; drawn by inverse CDF",
		Check: func(a []float64) error {
			if !(a[0] < a[1]) {
				return errors.New("uniform(lo, hi) needs lo < hi")
			}
			return nil
		},
		Build: func(a []float64) Shape {
			u := distuv.Uniform{Min: a[0], Max: a[1]}
			return Shape{Lo: a[0], Hi: a[1], ViewLo: a[0], ViewHi: a[1], Mean: u.Mean(),
				CDF: u.CDF, Quantile: u.Quantile, Density: u.Prob, Sample: inverse(u.Quantile)}
		},
	})
	register(Family{
		Name:    "triangular",
		Example: []float64{0, 0.2, 1},
		Args:    []string{"lo", "mode", "hi"},
		About:   "triangular on [lo, hi] with its peak at mode, lo ≤ mode ≤ hi, lo < hi; drawn by inverse CDF",
		Check: func(a []float64) error {
			if !(a[0] <= a[1] && a[1] <= a[2] && a[0] < a[2]) {
				return errors.New("triangular(lo, mode, hi) needs lo ≤ mode ≤ hi and lo < hi")
			}
			return nil
		},
		Build: func(a []float64) Shape {
			t := distuv.NewTriangle(a[0], a[2], a[1], nil)
			return Shape{Lo: a[0], Hi: a[2], ViewLo: a[0], ViewHi: a[2], Mean: t.Mean(),
				CDF: t.CDF, Quantile: t.Quantile, Density: t.Prob, Sample: inverse(t.Quantile)}
		},
	})
	register(Family{
		Name:    "pert",
		Example: []float64{0.09, 0.15, 0.24},
		Args:    []string{"lo", "mode", "hi"},
		// Vose, Risk Analysis, 3rd ed., 2008, §III.7.2.
		About: "PERT on [lo, hi] with mode, lo ≤ mode ≤ hi, lo < hi: lo + (hi−lo)·Beta(1 + 4(mode−lo)/(hi−lo), 1 + 4(hi−mode)/(hi−lo)), mean (lo + 4·mode + hi)/6; drawn like beta",
		Check: func(a []float64) error {
			if !(a[0] <= a[1] && a[1] <= a[2] && a[0] < a[2]) {
				return errors.New("pert(lo, mode, hi) needs lo ≤ mode ≤ hi and lo < hi")
			}
			return nil
		},
		Build: func(a []float64) Shape {
			lo, mode, hi := a[0], a[1], a[2]
			s := scaledBeta(1+4*(mode-lo)/(hi-lo), 1+4*(hi-mode)/(hi-lo), lo, hi-lo)
			s.Mean = (lo + 4*mode + hi) / 6
			return s
		},
	})
	register(Family{
		Name:    "normal",
		Example: []float64{0.5, 0.2, 0, 1},
		Args:    []string{"mean", "sd", "lo", "hi"},
		About:   "a normal with the given mean and sd > 0 (before truncation), truncated to [lo, hi], lo < hi; drawn by inverse CDF",
		Check: func(a []float64) error {
			mu, sd, lo, hi := a[0], a[1], a[2], a[3]
			if sd <= 0 || !(lo < hi) {
				return errors.New("normal(mean, sd, lo, hi) needs sd > 0 and lo < hi")
			}
			n := distuv.Normal{Mu: mu, Sigma: sd}
			if n.CDF(hi)-n.CDF(lo) < 1e-9 {
				return errors.New("normal(mean, sd, lo, hi): [lo, hi] holds almost none of the distribution's mass")
			}
			return nil
		},
		Build: truncNormal,
	})
	register(Family{
		Name:    "lognormal",
		Example: []float64{-2, 0.5},
		Args:    []string{"mu", "sigma"},
		About:   "lognormal: exp of a normal with mean mu and sd sigma > 0, on (0, ∞); drawn by inverse CDF",
		Check: func(a []float64) error {
			if a[1] <= 0 {
				return errors.New("lognormal(mu, sigma) needs sigma > 0")
			}
			// The extreme draws are exp(mu ± 8.3·sigma) (8.3 > Φ⁻¹(1 − 2⁻⁵³)).
			if hi := a[0] + 8.3*a[1]; hi > math.Log(Limit) {
				return errors.New("lognormal(mu, sigma) needs mu + 8.3·sigma ≤ 690: larger draws overflow")
			}
			if lo := a[0] - 8.3*a[1]; lo < -math.Log(Limit) {
				return errors.New("lognormal(mu, sigma) needs mu − 8.3·sigma ≥ −690: smaller draws come too close to 0")
			}
			return nil
		},
		Build: func(a []float64) Shape {
			l := distuv.LogNormal{Mu: a[0], Sigma: a[1]}
			return Shape{Lo: 0, Hi: math.Inf(1), ViewLo: 0, ViewHi: l.Quantile(0.999), Mean: l.Mean(),
				CDF: l.CDF, Quantile: l.Quantile, Density: l.Prob, Sample: inverse(l.Quantile)}
		},
	})
}

// maxShape bounds beta's shapes: beyond it gonum's inverse of the
// regularised incomplete beta function (the quantile) loses accuracy.
const maxShape = 1e6

// scaledBeta is shift + scale·Beta(a, b), drawn as a ratio of gamma variates.
func scaledBeta(a, b, shift, scale float64) Shape {
	bt := distuv.Beta{Alpha: a, Beta: b}
	return Shape{
		Lo: shift, Hi: shift + scale, ViewLo: shift, ViewHi: shift + scale,
		Mean:     shift + scale*bt.Mean(),
		CDF:      func(x float64) float64 { return bt.CDF((x - shift) / scale) },
		Quantile: func(u float64) float64 { return shift + scale*bt.Quantile(u) },
		Density:  func(x float64) float64 { return bt.Prob((x-shift)/scale) / scale },
		Sample: func(src rand.Source) float64 {
			return shift + scale*betaVariate(a, b, src)
		},
	}
}

// betaVariate draws Beta(a, b) as X/(X+Y) with X ~ Γ(a), Y ~ Γ(b) drawn by
// gonum's distuv.Gamma.Rand, X first (the draws of distuv.Beta.Rand, random
// number for random number). When both gamma variates underflow to 0, which
// only shapes far below those [New] accepts make likely, the ratio is
// undefined and the mean a/(a+b) is returned instead of NaN, so a draw always
// lies in [0, 1].
func betaVariate(a, b float64, src rand.Source) float64 {
	x := distuv.Gamma{Alpha: a, Beta: 1, Src: src}.Rand()
	y := distuv.Gamma{Alpha: b, Beta: 1, Src: src}.Rand()
	if s := x + y; s > 0 && !math.IsInf(s, 0) {
		return x / s
	}
	return a / (a + b)
}

// truncNormal builds normal(mean, sd, lo, hi): the quantile is the normal's,
// restricted to [Φ(lo), Φ(hi)] and clamped to [lo, hi] against rounding.
func truncNormal(a []float64) Shape {
	mu, sd, lo, hi := a[0], a[1], a[2], a[3]
	n := distuv.Normal{Mu: mu, Sigma: sd}
	clo, chi := n.CDF(lo), n.CDF(hi)
	mass := chi - clo
	q := func(u float64) float64 {
		return math.Min(math.Max(n.Quantile(clo+u*(chi-clo)), lo), hi)
	}
	// Mean of the truncated normal: μ + σ(φ(α) − φ(β))/(Φ(β) − Φ(α)).
	std := distuv.UnitNormal
	al, be := (lo-mu)/sd, (hi-mu)/sd
	return Shape{
		Lo: lo, Hi: hi, ViewLo: lo, ViewHi: hi,
		Mean: mu + sd*(std.Prob(al)-std.Prob(be))/mass,
		CDF: func(x float64) float64 {
			return math.Min(math.Max((n.CDF(x)-clo)/mass, 0), 1)
		},
		Quantile: q,
		Density: func(x float64) float64 {
			if x < lo || x > hi {
				return 0
			}
			return n.Prob(x) / mass
		},
		Sample: inverse(q),
	}
}
