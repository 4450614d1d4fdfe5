package score

import (
	"fmt"
	"math"
)

// Forecast is one probability forecast of a yes/no outcome and what
// happened: P is the forecast probability of "yes" (0 ≤ P ≤ 1) and Yes
// whether the outcome resolved yes.
type Forecast struct {
	P   float64
	Yes bool
}

// observed is 1 for a yes and 0 for a no.
func (f Forecast) observed() float64 {
	if f.Yes {
		return 1
	}
	return 0
}

// LogClip is the least probability the log score credits to what
// happened: a forecast that gave it q < LogClip is scored as if it had given
// LogClip, so that a forecast of exactly 0 or 1 that turns out wrong costs
// −ln(1e-6) ≈ 13.8 instead of +Inf. This is clipping p to [LogClip,
// 1−LogClip] on the side that matters: a right forecast of 0 or 1 still
// scores 0. Monte Carlo estimates are often exactly 0 or 1 (no trial, or
// every trial, hit the outcome).
const LogClip = 1e-6

// Check reports an error if a forecast probability is not a number in
// [0, 1].
func Check(fs []Forecast) error {
	for i, f := range fs {
		if !(f.P >= 0 && f.P <= 1) {
			return fmt.Errorf("forecast %d: probability %v is not in [0, 1]", i, f.P)
		}
	}
	return nil
}

// BrierOne is the Brier score of one forecast: (p − o)², with o = 1 for yes
// and 0 for no. 0 is perfect, 1 is certain and wrong.
func BrierOne(f Forecast) float64 {
	d := f.P - f.observed()
	return d * d
}

// credited is the probability the forecast gave to what happened: p for a
// yes, 1 − p for a no.
func (f Forecast) credited() float64 {
	if f.Yes {
		return f.P
	}
	return 1 - f.P
}

// LogOne is the log score of one forecast: −ln max(q, LogClip), the
// natural log of the probability q the forecast gave to what happened (q = p
// for a yes, 1 − p for a no). Lower is better, as for the Brier score: 0 is
// perfect, ln 2 ≈ 0.693 is the score of 50%, −ln(1e-6) ≈ 13.8 the worst.
func LogOne(f Forecast) float64 { return -math.Log(max(f.credited(), LogClip)) }

// Clipped reports whether [LogOne] scored the forecast at LogClip.
func Clipped(f Forecast) bool { return f.credited() < LogClip }

// Brier is the mean Brier score of fs ([BrierOne]); NaN for none.
func Brier(fs []Forecast) float64 { return mean(fs, BrierOne) }

// Log is the mean log score of fs ([LogOne]); NaN for none.
func Log(fs []Forecast) float64 { return mean(fs, LogOne) }

func mean(fs []Forecast, one func(Forecast) float64) float64 {
	if len(fs) == 0 {
		return math.NaN()
	}
	var s float64
	for _, f := range fs {
		s += one(f)
	}
	return s / float64(len(fs))
}

// Bin is one forecast-probability bin of a reliability diagram: the
// forecasts with Lo ≤ p < Hi (the last bin includes p = 1).
type Bin struct {
	Lo, Hi   float64
	N        int     // forecasts in the bin
	Forecast float64 // their mean forecast probability; NaN if N = 0
	Observed float64 // the share of them that resolved yes; NaN if N = 0
}

// Decomposition is Murphy's (1973) partition of the mean Brier score over
// forecast bins:
//
//	Brier = Reliability − Resolution + Uncertainty + Residual
//
// With N forecasts, bin k holding n_k of them with mean forecast f̄_k and
// observed frequency ō_k, and ō the overall observed frequency:
//
//	Reliability = Σ_k n_k (f̄_k − ō_k)² / N   (0 is best: forecasts match frequencies)
//	Resolution  = Σ_k n_k (ō_k − ō)² / N     (higher is better: bins tell outcomes apart)
//	Uncertainty = ō (1 − ō)                   (of the outcomes alone, no forecast can change it)
//	Residual    = Σ_k Σ_{i∈k} [(f_i − f̄_k)² − 2 (f_i − f̄_k) o_i] / N
//
// The residual is the within-bin variance minus twice the within-bin
// covariance (Stephenson, Coelho & Jolliffe 2008); it is 0 when the
// forecasts within each bin are equal, and then the three-term identity is
// exact. It is computed from its own formula, not as the difference, so
// that the identity is a check and not a definition.
type Decomposition struct {
	N           int
	Brier       float64
	Reliability float64
	Resolution  float64
	Uncertainty float64
	Residual    float64
	Bins        []Bin
}

// Decompose computes the Brier score of fs and its decomposition over
// nbins equal-width bins of [0, 1]: forecast p falls in bin
// min(⌊p·nbins⌋, nbins−1), so bin k covers [k/nbins, (k+1)/nbins) and the
// last bin includes 1. Forecasts must be in [0, 1] ([Check]); nbins ≥ 1.
// With no forecasts every score is NaN.
func Decompose(fs []Forecast, nbins int) (Decomposition, error) {
	if nbins < 1 {
		return Decomposition{}, fmt.Errorf("bins: %d, want at least 1", nbins)
	}
	if err := Check(fs); err != nil {
		return Decomposition{}, err
	}
	d := Decomposition{N: len(fs), Bins: make([]Bin, nbins)}
	sumF := make([]float64, nbins)
	sumO := make([]float64, nbins)
	binOf := make([]int, len(fs))
	var yes float64
	for i, f := range fs {
		k := BinIndex(f.P, nbins)
		binOf[i] = k
		d.Bins[k].N++
		sumF[k] += f.P
		sumO[k] += f.observed()
		yes += f.observed()
	}
	for k := range d.Bins {
		b := &d.Bins[k]
		b.Lo, b.Hi = float64(k)/float64(nbins), float64(k+1)/float64(nbins)
		b.Forecast, b.Observed = math.NaN(), math.NaN()
		if b.N > 0 {
			b.Forecast, b.Observed = sumF[k]/float64(b.N), sumO[k]/float64(b.N)
		}
	}
	if len(fs) == 0 {
		nan := math.NaN()
		d.Brier, d.Reliability, d.Resolution, d.Uncertainty, d.Residual = nan, nan, nan, nan, nan
		return d, nil
	}
	n := float64(len(fs))
	obar := yes / n
	var rel, res, resid float64
	for _, b := range d.Bins {
		if b.N == 0 {
			continue
		}
		rel += float64(b.N) * (b.Forecast - b.Observed) * (b.Forecast - b.Observed)
		res += float64(b.N) * (b.Observed - obar) * (b.Observed - obar)
	}
	for i, f := range fs {
		dev := f.P - d.Bins[binOf[i]].Forecast
		resid += dev*dev - 2*dev*f.observed()
	}
	d.Brier = Brier(fs)
	d.Reliability, d.Resolution, d.Residual = rel/n, res/n, resid/n
	d.Uncertainty = obar * (1 - obar)
	return d, nil
}

// BinIndex is the bin of forecast p among nbins equal-width bins of
// [0, 1]: min(⌊p·nbins⌋, nbins−1), clamped to 0 below.
func BinIndex(p float64, nbins int) int {
	return min(max(int(math.Floor(p*float64(nbins))), 0), nbins-1)
}
