package dist

import (
	"errors"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// gamma(k, theta): shape k and scale theta. gonum's distuv.Gamma takes the
// rate β = 1/θ.
func init() {
	register(Family{
		Name:    "gamma",
		Args:    []string{"k", "theta"},
		Example: []float64{2, 0.5},
		About:   "gamma with shape k > 0 and scale theta > 0 (rate 1/theta) on [0, ∞), mean k·theta; drawn by gonum's gamma sampler (Marsaglia–Tsang for k ≥ 0.2)",
		Check: func(a []float64) error {
			if a[0] <= 0 || a[1] <= 0 {
				return errors.New("gamma(k, theta) needs k > 0 and theta > 0")
			}
			return nil
		},
		Build: func(a []float64) Shape {
			k, theta := a[0], a[1]
			g := distuv.Gamma{Alpha: k, Beta: 1 / theta}
			return Shape{
				Lo: 0, Hi: math.Inf(1), ViewLo: 0, ViewHi: g.Quantile(0.999),
				Mean: k * theta, CDF: g.CDF, Quantile: g.Quantile, Density: g.Prob,
				Sample: func(src rand.Source) float64 {
					// The unit-scale variate times theta; never negative, and
					// finite: New bounds the quantiles by ±Limit, far below
					// the float64 range.
					return theta * distuv.Gamma{Alpha: k, Beta: 1, Src: src}.Rand()
				},
			}
		},
	})
}
