package results

import "math"

// NewcombePaired returns the 95% (for z = [Z95]) interval for the difference
// p1 − p2 of two proportions measured on the same n units, from the paired
// 2×2 table: a units yes in both, b yes in the first only, c yes in the
// second only, d no in both (p1 = (a+b)/n, p2 = (a+c)/n).
//
// This is method 10 of R. G. Newcombe (1998), "Improved confidence
// intervals for the difference between binomial proportions based on paired
// data", Statistics in Medicine 17:2635–2650: the square-and-add
// combination of the Wilson score intervals (l1, u1) and (l2, u2) of the two
// margins, corrected for their correlation φ:
//
//	L = θ − sqrt((p1−l1)² − 2φ(p1−l1)(u2−p2) + (u2−p2)²)
//	U = θ + sqrt((p2−l2)² − 2φ(p2−l2)(u1−p1) + (u1−p1)²)
//
// with θ = p1 − p2 = (b − c)/n and φ = (ad − bc)/sqrt((a+b)(c+d)(a+c)(b+d)),
// where, as in the paper, ad − bc is replaced by max(ad − bc − n/2, 0) when
// it is positive, and φ = 0 when a margin is empty. With φ = 0 it is the
// interval for independent samples of the same sizes ([NewcombeUnpaired]):
// the positive correlation that common random numbers create is what makes
// it narrower.
//
// The result lies in [−1, 1]. n == 0 or a negative count gives (NaN, NaN).
func NewcombePaired(a, b, c, d int64, z float64) (lo, hi float64) {
	n := a + b + c + d
	if a < 0 || b < 0 || c < 0 || d < 0 || n == 0 {
		return math.NaN(), math.NaN()
	}
	phi := 0.0
	if den := float64(a+b) * float64(c+d) * float64(a+c) * float64(b+d); den > 0 {
		num := float64(a)*float64(d) - float64(b)*float64(c)
		if num > 0 {
			num = max(num-float64(n)/2, 0)
		}
		phi = num / math.Sqrt(den)
	}
	return squareAndAdd(a+b, n, a+c, n, phi, z)
}

// NewcombeUnpaired returns the 95% (for z = [Z95]) interval for the
// difference p1 − p2 of two independent proportions k1/n1 and k2/n2: the
// hybrid score interval, method 10 of R. G. Newcombe (1998), "Interval
// estimation for the difference between independent proportions:
// comparison of eleven methods", Statistics in Medicine 17:873–890, which
// combines the Wilson intervals of the two proportions by squaring and
// adding their one-sided widths. n1 == 0 or n2 == 0 gives (NaN, NaN).
func NewcombeUnpaired(k1, n1, k2, n2 int64, z float64) (lo, hi float64) {
	if n1 <= 0 || n2 <= 0 || k1 < 0 || k2 < 0 || k1 > n1 || k2 > n2 {
		return math.NaN(), math.NaN()
	}
	return squareAndAdd(k1, n1, k2, n2, 0, z)
}

// squareAndAdd combines the Wilson intervals of k1/n1 and k2/n2 with
// correlation phi into an interval for their difference.
func squareAndAdd(k1, n1, k2, n2 int64, phi, z float64) (lo, hi float64) {
	p1, p2 := float64(k1)/float64(n1), float64(k2)/float64(n2)
	l1, u1 := Wilson(k1, n1, z)
	l2, u2 := Wilson(k2, n2, z)
	theta := p1 - p2
	dl := (p1-l1)*(p1-l1) - 2*phi*(p1-l1)*(u2-p2) + (u2-p2)*(u2-p2)
	du := (p2-l2)*(p2-l2) - 2*phi*(p2-l2)*(u1-p1) + (u1-p1)*(u1-p1)
	lo = max(theta-math.Sqrt(max(dl, 0)), -1)
	hi = min(theta+math.Sqrt(max(du, 0)), 1)
	return lo, hi
}
