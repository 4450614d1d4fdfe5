package results

import "math"

// RatioPairedDifference is the paired difference of a yes/no question
// between two runs on the same trials where some trials are not counted in
// one or both (rejected by evidence): D = K_j/N_j − K_0/N_0, with K the
// trials answering yes and N the trials counted, and its interval D ±
// z·SE from the ratio estimator's linearised variance over the shared
// trials.
//
// cells[a][b] counts the trials that answered a−1 in the reference run and
// b−1 in the other, with −1 for a trial not counted, 0 no and 1 yes. With
// n trials in all, ā = N/n and p = K/N in each run, trial i contributes
//
//	ψ_i = (y_ji − p_j·c_ji)/ā_j − (y_0i − p_0·c_0i)/ā_0
//
// (y: answered yes, c: counted), whose mean is zero, and Var(D) ≈
// Σψ_i²/(n(n−1)). A trial counted in both runs adds to both terms, so the
// positive correlation of a conditioned run with its unconditioned base
// narrows the interval against the unpaired one. It returns NaN when a run
// counts no trial; se is 0 when every counted answer agrees within each run
// (all yes or all no), where the interval says nothing and the caller keeps
// another.
func RatioPairedDifference(cells [3][3]int64, z float64) (d, lo, hi, se float64) {
	var n, n0, k0, nj, kj float64
	for a := range 3 {
		for b := range 3 {
			c := float64(cells[a][b])
			n += c
			if a > 0 {
				n0 += c
			}
			if a == 2 {
				k0 += c
			}
			if b > 0 {
				nj += c
			}
			if b == 2 {
				kj += c
			}
		}
	}
	if n0 == 0 || nj == 0 || n < 2 {
		return math.NaN(), math.NaN(), math.NaN(), math.NaN()
	}
	p0, pj := k0/n0, kj/nj
	a0, aj := n0/n, nj/n
	d = pj - p0
	ind := func(b bool) float64 {
		if b {
			return 1
		}
		return 0
	}
	var ss float64
	for a := range 3 {
		for b := range 3 {
			psi := (ind(b == 2)-pj*ind(b > 0))/aj - (ind(a == 2)-p0*ind(a > 0))/a0
			ss += float64(cells[a][b]) * psi * psi
		}
	}
	se = math.Sqrt(ss / (n * (n - 1)))
	return d, max(d-z*se, -1), min(d+z*se, 1), se
}
