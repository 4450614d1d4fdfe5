package results

import (
	"encoding/json"
	"math"
)

// Z95 is the two-sided 95% standard normal quantile, Φ⁻¹(0.975).
const Z95 = 1.959963984540054

// Wilson returns the Wilson score interval for k successes in n trials at
// standard normal quantile z (Z95 for a 95% interval):
//
//	(k + z²/2 ∓ z·sqrt(k(n−k)/n + z²/4)) / (n + z²)
//
// This is E. B. Wilson (1927), "Probable inference, the law of succession,
// and statistical inference", JASA 22:209–212, in the form of Newcombe (1998),
// "Two-sided confidence intervals for the single proportion: comparison of
// seven methods", Statistics in Medicine 17:857–872, method 3 (score interval
// without continuity correction); Agresti & Coull (1998), "Approximate is
// better than 'exact' for interval estimation of binomial proportions", The
// American Statistician 52:119–126, recommend it over the Wald interval.
//
// Contract:
//   - the result lies in [0, 1]; lo is exactly 0 when k == 0 and hi exactly 1
//     when k == n;
//   - n == 0 (no data) gives (0, 1): the limit of the formula with the
//     k(n−k)/n term taken as 0, i.e. the vacuous interval;
//   - invalid input (n < 0, k < 0, k > n, z negative, infinite or NaN) gives
//     (NaN, NaN).
func Wilson(k, n int64, z float64) (lo, hi float64) {
	if n < 0 || k < 0 || k > n || !(z >= 0) || math.IsInf(z, 0) {
		return math.NaN(), math.NaN()
	}
	if n == 0 {
		return 0, 1
	}
	kf, nf, z2 := float64(k), float64(n), z*z
	center := (kf + z2/2) / (nf + z2)
	half := z / (nf + z2) * math.Sqrt(kf*(nf-kf)/nf+z2/4)
	lo, hi = max(center-half, 0), min(center+half, 1)
	if k == 0 {
		lo = 0
	}
	if k == n {
		hi = 1
	}
	return lo, hi
}

// Proportion is an estimated probability K/N with its uncertainty.
//
// P = K/N is the Monte Carlo estimate; SE = sqrt(P(1−P)/N) is its binomial
// (Monte Carlo) standard error; [Lo, Hi] is the Wilson 95% score interval
// (see [Wilson], z = [Z95]). When N == 0 the probability is undefined: P and
// SE are NaN and [Lo, Hi] = [0, 1]. In JSON a NaN is written as null (and
// read back as NaN).
type Proportion struct {
	K  int64   `json:"k"`
	N  int64   `json:"n"`
	P  float64 `json:"p"`
	SE float64 `json:"se"`
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
}

// NewProportion returns the Proportion of k successes in n trials. Invalid
// input (n < 0, k < 0, k > n) gives NaN for P, SE, Lo and Hi.
func NewProportion(k, n int64) Proportion {
	pr := Proportion{K: k, N: n, P: math.NaN(), SE: math.NaN()}
	pr.Lo, pr.Hi = Wilson(k, n, Z95)
	if n > 0 && k >= 0 && k <= n {
		pr.P = float64(k) / float64(n)
		pr.SE = math.Sqrt(pr.P * (1 - pr.P) / float64(n))
	}
	return pr
}

// Defined reports whether P is defined (N > 0 and the input was valid).
func (p Proportion) Defined() bool { return !math.IsNaN(p.P) }

// proportionJSON is the wire form of Proportion: NaN becomes null.
type proportionJSON struct {
	K  int64    `json:"k"`
	N  int64    `json:"n"`
	P  *float64 `json:"p"`
	SE *float64 `json:"se"`
	Lo *float64 `json:"lo"`
	Hi *float64 `json:"hi"`
}

func nanToNil(x float64) *float64 {
	if math.IsNaN(x) {
		return nil
	}
	return &x
}

func nilToNaN(x *float64) float64 {
	if x == nil {
		return math.NaN()
	}
	return *x
}

// MarshalJSON writes p as an object {k, n, p, se, lo, hi} with null for NaN.
func (p Proportion) MarshalJSON() ([]byte, error) {
	return json.Marshal(proportionJSON{p.K, p.N, nanToNil(p.P), nanToNil(p.SE), nanToNil(p.Lo), nanToNil(p.Hi)})
}

// UnmarshalJSON reads the form written by MarshalJSON (null is NaN).
func (p *Proportion) UnmarshalJSON(b []byte) error {
	var w proportionJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*p = Proportion{w.K, w.N, nilToNaN(w.P), nilToNaN(w.SE), nilToNaN(w.Lo), nilToNaN(w.Hi)}
	return nil
}
