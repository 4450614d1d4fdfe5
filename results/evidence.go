package results

import (
	"encoding/json"
	"fmt"
	"math"
)

// Runs conditioned on evidence (see docs/evidence.md). The counts of such
// a run cover the accepted trials only, so every outcome, reached-by and
// first-entry row is already "given the evidence"; this file adds what a
// reader needs to judge the update: the acceptance rate, the effective
// number of trials, and each sampled param's prior beside its posterior.

// EvidenceItem is one observed fact of the layout of a conditioned run.
type EvidenceItem struct {
	Name      string   `json:"name"`
	Condition string   `json:"condition"` // as listed: "not reached talks.ceasefire by 2025-02-01", or the when: expression
	Date      string   `json:"date,omitempty"`
	Source    []string `json:"source"`
	Why       string   `json:"why,omitempty"`
}

// MinAccepted is the fewest accepted trials a conditioned run may report
// on; below it the run fails and suggests a trial count (see
// [EvidenceSummary.TooFew]).
const MinAccepted = 100

// targetAccepted is the accepted-trial count the suggestion aims at.
const targetAccepted = 1000

// EvidenceSummary describes how the evidence conditioned a run.
type EvidenceSummary struct {
	Items    []EvidenceItem `json:"items"`
	Ran      int64          `json:"ran"`      // trials run
	Accepted int64          `json:"accepted"` // trials whose history agrees with every item
	// Rate is Accepted/Ran, the estimate of P(evidence) under the prior.
	Rate float64 `json:"rate"`
	// EffectiveTrials is the number of trials every estimate rests on:
	// the accepted trials (each accepted trial has weight one).
	EffectiveTrials int64 `json:"effective_trials"`
	// A nested run weighs draw k by its acceptance rate a_k (an unbiased
	// estimate of the likelihood of the evidence under the draw's params);
	// DrawsAccepting counts the draws with an accepted trial and DrawESS is
	// the Kish effective number of draws (Σa_k)²/Σa_k² (0 for a flat run).
	DrawsAccepting int     `json:"draws_accepting,omitempty"`
	DrawESS        float64 `json:"draw_ess,omitempty"`
	// Params holds, per sampled param in layout order, its prior and
	// posterior quantiles.
	Params []ParamUpdate `json:"params,omitempty"`
}

// ParamUpdate is a sampled param's distribution before and after the
// evidence, from its histograms (see [HistQuantiles]).
type ParamUpdate struct {
	Name      string         `json:"name"`
	Prior     ParamQuantiles `json:"prior"`
	Posterior ParamQuantiles `json:"posterior"`
}

// ParamQuantiles summarises a param's histogram. With no trials every
// field is NaN (written as null).
type ParamQuantiles struct {
	Mean float64 `json:"mean"`
	P5   float64 `json:"p5"`
	P25  float64 `json:"p25"`
	P50  float64 `json:"p50"`
	P75  float64 `json:"p75"`
	P95  float64 `json:"p95"`
}

// MarshalJSON writes NaN fields as null.
func (q ParamQuantiles) MarshalJSON() ([]byte, error) {
	f := func(x float64) string {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "null"
		}
		return fmt.Sprint(x)
	}
	return fmt.Appendf(nil, `{"mean":%s,"p5":%s,"p25":%s,"p50":%s,"p75":%s,"p95":%s}`,
		f(q.Mean), f(q.P5), f(q.P25), f(q.P50), f(q.P75), f(q.P95)), nil
}

// UnmarshalJSON reads null fields as NaN.
func (q *ParamQuantiles) UnmarshalJSON(b []byte) error {
	var raw struct{ Mean, P5, P25, P50, P75, P95 *float64 }
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	g := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	*q = ParamQuantiles{g(raw.Mean), g(raw.P5), g(raw.P25), g(raw.P50), g(raw.P75), g(raw.P95)}
	return nil
}

// HistQuantiles summarises a histogram block of p (underflow, Bins equal
// bins on [Lo, Hi), overflow): quantiles by linear interpolation of the
// cumulative counts within a bin, the mean from the bin midpoints; the
// mass below Lo counts at Lo and the mass at or above Hi at Hi. The error
// of either is at most a bin width, (Hi−Lo)/Bins, and for a smooth density
// much less.
func HistQuantiles(p ParamLayout, block []int64) ParamQuantiles {
	var n int64
	for _, c := range block {
		n += c
	}
	nan := math.NaN()
	if n == 0 {
		return ParamQuantiles{nan, nan, nan, nan, nan, nan}
	}
	w := (p.Hi - p.Lo) / float64(p.Bins)
	var mean float64
	for i, c := range block {
		x := p.Lo + (float64(i)-0.5)*w
		switch i {
		case 0:
			x = p.Lo
		case p.Bins + 1:
			x = p.Hi
		}
		mean += float64(c) * x
	}
	q := func(prob float64) float64 {
		target := prob * float64(n)
		var cum float64
		if target <= float64(block[0]) && block[0] > 0 {
			return p.Lo
		}
		cum = float64(block[0])
		for b := 1; b <= p.Bins; b++ {
			c := float64(block[b])
			if c > 0 && cum+c >= target {
				return p.Lo + (float64(b-1)+(target-cum)/c)*w
			}
			cum += c
		}
		return p.Hi
	}
	return ParamQuantiles{Mean: mean / float64(n), P5: q(0.05), P25: q(0.25), P50: q(0.5), P75: q(0.75), P95: q(0.95)}
}

// evidenceSummary derives the summary of a conditioned run (nil if c is
// not conditioned).
func evidenceSummary(l *Layout, c *Counts) *EvidenceSummary {
	if !c.Conditioned {
		return nil
	}
	s := &EvidenceSummary{Items: cloneSlice(l.Evidence), Ran: c.Ran(), Accepted: c.Trials, EffectiveTrials: c.Trials}
	if s.Ran > 0 {
		s.Rate = float64(c.Trials) / float64(s.Ran)
	}
	if c.Nested() {
		var sum, sq float64
		for k, acc := range c.DrawTrials {
			ran := acc
			if k < len(c.DrawRejected) {
				ran += c.DrawRejected[k]
			}
			if ran == 0 || acc == 0 {
				continue
			}
			a := float64(acc) / float64(ran)
			sum, sq = sum+a, sq+a*a
			s.DrawsAccepting++
		}
		if sq > 0 {
			s.DrawESS = sum * sum / sq
		}
	}
	for i, p := range l.Params {
		post := l.ParamCounts(c, i)
		prior := make([]int64, len(post))
		copy(prior, post)
		if len(c.RejectedHist) == len(c.ParamHist) {
			off := l.ParamOffset(i)
			for j := range prior {
				prior[j] += c.RejectedHist[off+j]
			}
		}
		s.Params = append(s.Params, ParamUpdate{Name: p.Name, Prior: HistQuantiles(p, prior), Posterior: HistQuantiles(p, post)})
	}
	return s
}

// TooFew returns an error when the run kept fewer than MinAccepted trials,
// naming the acceptance rate and about how many trials would keep
// targetAccepted; nil otherwise.
func (s *EvidenceSummary) TooFew() error {
	if s == nil || s.Accepted >= MinAccepted {
		return nil
	}
	if s.Accepted == 0 {
		return fmt.Errorf("the evidence kept none of %d trials: it is impossible under the scenario or rarer than 1 in %d; check the evidence, or run at least %d trials",
			s.Ran, s.Ran, 10*max(s.Ran, 1))
	}
	need := math.Ceil(targetAccepted / s.Rate)
	return fmt.Errorf("the evidence kept %d of %d trials (%.3g%%), fewer than the %d a forecast needs; about %.2g trials would keep %d (--trials)",
		s.Accepted, s.Ran, 100*s.Rate, MinAccepted, need, targetAccepted)
}

// checkEvidenceCounts checks the evidence counts of c: none unless
// conditioned; rejected counts ≥ 0, per draw summing to Rejected, each
// draw running at most PerDraw trials; the rejected histogram shaped as
// ParamHist.
func (l *Layout) checkEvidenceCounts(c *Counts) error {
	if !c.Conditioned {
		if c.Rejected != 0 || len(c.DrawRejected) != 0 || len(c.RejectedHist) != 0 {
			return fmt.Errorf("counts: rejected trials in counts of a run without evidence")
		}
		return nil
	}
	if c.Rejected < 0 {
		return fmt.Errorf("counts: rejected = %d is negative", c.Rejected)
	}
	if len(c.RejectedHist) != 0 && len(c.RejectedHist) != len(c.ParamHist) {
		return fmt.Errorf("counts: rejected_hist has %d values, param_hist %d", len(c.RejectedHist), len(c.ParamHist))
	}
	for _, v := range c.RejectedHist {
		if v < 0 {
			return fmt.Errorf("counts: rejected_hist has a negative count")
		}
	}
	if !c.Nested() {
		return nil
	}
	if len(c.DrawRejected) > len(c.DrawTrials) {
		return fmt.Errorf("counts: %d draws of rejected trials, %d draws", len(c.DrawRejected), len(c.DrawTrials))
	}
	var sum int64
	for k, v := range c.DrawRejected {
		if v < 0 || v+c.DrawTrials[k] > c.PerDraw {
			return fmt.Errorf("counts: draw %d: %d rejected and %d accepted trials, at most %d in all", k, v, c.DrawTrials[k], c.PerDraw)
		}
		sum += v
	}
	if sum != c.Rejected {
		return fmt.Errorf("counts: draw_rejected sum to %d, want rejected = %d", sum, c.Rejected)
	}
	return nil
}
