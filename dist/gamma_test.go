package dist

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// gammaRef is gamma(k, θ) from its closed forms (mean kθ, sd √k·θ) and
// gonum's distuv.Gamma with rate 1/θ for the quantile and density.
func gammaRef(k, theta float64) reference {
	g := distuv.Gamma{Alpha: k, Beta: 1 / theta}
	return reference{mean: k * theta, sd: math.Sqrt(k) * theta, quantile: g.Quantile, density: g.Prob}
}

func init() {
	samplerCases["gamma"] = []samplerCase{
		{[]float64{2, 0.5}, gammaRef(2, 0.5)},
		{[]float64{0.6, 3}, gammaRef(0.6, 3)},
		{[]float64{1, 2}, gammaRef(1, 2)},
		{[]float64{250, 0.01}, gammaRef(250, 0.01)},
	}
}

// gamma takes a scale, not a rate: gamma(2, 0.5) has mean 1 and variance 0.5.
func TestGammaScale(t *testing.T) {
	d, err := New("gamma", []float64{2, 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if d.Mean() != 1 {
		t.Errorf("mean %v, want 1", d.Mean())
	}
	// P(X ≤ 1) for Γ(2, θ = 0.5) is 1 − e^{−2}(1 + 2) = 1 − 3e^{−2}.
	if got, want := d.CDF(1), 1-3*math.Exp(-2); math.Abs(got-want) > 1e-12 {
		t.Errorf("CDF(1) = %v, want %v", got, want)
	}
}

func TestGammaRefused(t *testing.T) {
	for _, c := range []struct {
		args []float64
		want string
	}{
		{[]float64{0, 1}, "needs k > 0 and theta > 0"},
		{[]float64{2, -1}, "needs k > 0 and theta > 0"},
		{[]float64{2, 1e299}, "beyond ±1e+300"},
		{[]float64{0.01, 1}, "cannot represent this distribution faithfully"},
	} {
		_, err := New("gamma", c.args)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("gamma%v: error %v, want one containing %q", c.args, err, c.want)
		}
	}
}
