package model

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Dist is a probability distribution of a param, sampled once per trial
// (see Sample); Quantile serves stratified designs.
type Dist struct {
	Src      string    // as written, e.g. "beta(2, 8)"
	Kind     string    // beta, uniform, triangular, pert, normal, lognormal
	Args     []float64 // as written
	Lo, Hi   float64   // a range holding nearly all of the mass (for histograms)
	mean     float64
	quantile func(u float64) float64
	beta     *distuv.Beta // beta and pert: sampled as a ratio of gamma variates
	shift    float64      // pert: lo + scale·beta
	scale    float64
}

// Sample draws one value using src. Beta and PERT use Marsaglia–Tsang gamma
// variates (X/(X+Y), X ~ Γ(a), Y ~ Γ(b)), which costs far less than their
// inverse CDF; the others take one uniform number from src and invert the
// CDF. The value is a pure function of src's stream.
func (d *Dist) Sample(src rand.Source) float64 {
	if d.beta != nil {
		b := *d.beta
		b.Src = src
		return d.shift + d.scale*b.Rand()
	}
	u := (float64(src.Uint64()>>12) + 0.5) * 0x1p-52 // in (0, 1)
	return d.quantile(u)
}

// Quantile returns the u-quantile, for u in (0, 1).
func (d *Dist) Quantile(u float64) float64 { return d.quantile(u) }

// Mean returns the distribution's mean.
func (d *Dist) Mean() float64 { return d.mean }

// String returns the distribution as written.
func (d *Dist) String() string { return d.Src }

// distArity lists the distributions and their argument names.
var distArity = map[string][]string{
	"beta":       {"a", "b"},
	"uniform":    {"lo", "hi"},
	"triangular": {"lo", "mode", "hi"},
	"pert":       {"lo", "mode", "hi"},
	"normal":     {"mean", "sd", "lo", "hi"},
	"lognormal":  {"mu", "sigma"},
}

// newDist builds a distribution; the error says which argument is wrong.
func newDist(kind string, a []float64) (*Dist, error) {
	d := &Dist{Kind: kind, Args: a}
	for i, v := range a {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: argument %s is not a finite number", kind, distArity[kind][i])
		}
	}
	switch kind {
	case "beta":
		if a[0] <= 0 || a[1] <= 0 {
			return nil, fmt.Errorf("beta(a, b) needs a > 0 and b > 0")
		}
		b := distuv.Beta{Alpha: a[0], Beta: a[1]}
		d.quantile, d.mean, d.Lo, d.Hi = b.Quantile, b.Mean(), 0, 1
		d.beta, d.shift, d.scale = &b, 0, 1
	case "uniform":
		if !(a[0] < a[1]) {
			return nil, fmt.Errorf("uniform(lo, hi) needs lo < hi")
		}
		u := distuv.Uniform{Min: a[0], Max: a[1]}
		d.quantile, d.mean, d.Lo, d.Hi = u.Quantile, u.Mean(), a[0], a[1]
	case "triangular":
		if !(a[0] <= a[1] && a[1] <= a[2] && a[0] < a[2]) {
			return nil, fmt.Errorf("triangular(lo, mode, hi) needs lo ≤ mode ≤ hi and lo < hi")
		}
		t := distuv.NewTriangle(a[0], a[2], a[1], nil)
		d.quantile, d.mean, d.Lo, d.Hi = t.Quantile, t.Mean(), a[0], a[2]
	case "pert":
		// PERT(lo, mode, hi): lo + (hi-lo)·Beta(α, β), α = 1 + 4(mode-lo)/(hi-lo), β = 1 + 4(hi-mode)/(hi-lo)
		// (Vose, Risk Analysis, 3rd ed., 2008, §III.7.2).
		lo, mode, hi := a[0], a[1], a[2]
		if !(lo <= mode && mode <= hi && lo < hi) {
			return nil, fmt.Errorf("pert(lo, mode, hi) needs lo ≤ mode ≤ hi and lo < hi")
		}
		b := distuv.Beta{Alpha: 1 + 4*(mode-lo)/(hi-lo), Beta: 1 + 4*(hi-mode)/(hi-lo)}
		d.quantile = func(u float64) float64 { return lo + (hi-lo)*b.Quantile(u) }
		d.beta, d.shift, d.scale = &b, lo, hi-lo
		d.mean, d.Lo, d.Hi = (lo+4*mode+hi)/6, lo, hi
	case "normal":
		mu, sd, lo, hi := a[0], a[1], a[2], a[3]
		if sd <= 0 || !(lo < hi) {
			return nil, fmt.Errorf("normal(mean, sd, lo, hi) needs sd > 0 and lo < hi")
		}
		n := distuv.Normal{Mu: mu, Sigma: sd}
		clo, chi := n.CDF(lo), n.CDF(hi)
		if chi-clo < 1e-9 {
			return nil, fmt.Errorf("normal(mean, sd, lo, hi): [lo, hi] holds almost none of the distribution's mass")
		}
		d.quantile = func(u float64) float64 {
			return math.Min(math.Max(n.Quantile(clo+u*(chi-clo)), lo), hi)
		}
		// Mean of the truncated normal: μ + σ(φ(α) − φ(β))/(Φ(β) − Φ(α)).
		std := distuv.UnitNormal
		al, be := (lo-mu)/sd, (hi-mu)/sd
		d.mean = mu + sd*(std.Prob(al)-std.Prob(be))/(chi-clo)
		d.Lo, d.Hi = lo, hi
	case "lognormal":
		if a[1] <= 0 {
			return nil, fmt.Errorf("lognormal(mu, sigma) needs sigma > 0")
		}
		l := distuv.LogNormal{Mu: a[0], Sigma: a[1]}
		d.quantile, d.mean = l.Quantile, l.Mean()
		d.Lo, d.Hi = 0, l.Quantile(0.999)
	default:
		return nil, fmt.Errorf("unknown distribution %q", kind)
	}
	return d, nil
}
