package analysis

import (
	"math"

	"scensim/model"
	"scensim/results"
	"scensim/sim"
)

// Calibration to the mean of a value outcome. A target on a value outcome
// (--target cost=12000) asks for its mean over the trials where it is
// defined, in the outcome's unit. Its residual in the objective is
// (mean − target)/s, with s the value's SD in the run at the start values
// (the scale of one trial's value; |target|, or 1, when that SD is 0 or
// undefined), so that it weighs like the logit residuals of probability
// targets: both have variance of about 1/n per trial count n. The
// tolerance of the check is 1.96·sqrt(SE_fit² + SE_check²).

// calTargetOf resolves a target: the outcome's index (a value outcome's
// as −1 − its index in p.Values) and the CalTarget to fill.
func calTargetOf(p *model.Plan, t Target) (int, CalTarget, error) {
	for i, v := range p.Values {
		if v.Name == t.Outcome {
			return -1 - i, CalTarget{Outcome: t.Outcome, Target: t.P, Value: true, Unit: v.Unit}, nil
		}
	}
	i, err := FindOutcome(p, t.Outcome)
	if err != nil {
		return 0, CalTarget{}, err
	}
	if !(t.P > 0 && t.P < 1) {
		return 0, CalTarget{}, inputErr("target %s=%g: a target probability must lie strictly between 0 and 1", t.Outcome, t.P)
	}
	ct := CalTarget{Outcome: t.Outcome, Target: t.P}
	if g := p.Outcomes[i].Given; g != nil {
		ct.Given = g.Src
	}
	return i, ct, nil
}

// targetEstimate is what the run t gives for target outcome i (see
// calTargetOf): a proportion, or a value's mean in the form of CalTarget.
func targetEstimate(t *sim.Tally, i int) results.Proportion {
	if i >= 0 {
		return results.NewProportion(t.Hits[i], t.Given[i])
	}
	m := meanOf(&t.Values[-1-i])
	return results.Proportion{N: m.N, P: float64(m.D), SE: float64(m.SE), Lo: float64(m.Lo), Hi: float64(m.Hi)}
}

// setScale fixes a value target's scale from its first estimate.
func (t *CalTarget) setScale(e results.Proportion) {
	if !t.Value || t.Scale != 0 {
		return
	}
	t.Scale = nanTo0(e.SE) * math.Sqrt(float64(e.N))
	if !(t.Scale > 0) {
		t.Scale = math.Max(math.Abs(t.Target), 1)
	}
}

// residual is the target's term of the objective before squaring.
func (t *CalTarget) residual(e results.Proportion) float64 {
	if t.Value {
		return (e.P - t.Target) / t.Scale
	}
	return logitClamp(e.P, e.N) - logitClamp(t.Target, e.N)
}

// residualVar is the Monte Carlo variance of the residual at estimate e.
func (t *CalTarget) residualVar(e results.Proportion) float64 {
	if t.Value {
		if v := sq(nanTo0(e.SE) / t.Scale); v > 0 {
			return v
		}
		return 1 / float64(max(e.N, 1))
	}
	n := float64(max(e.N, 1))
	p := math.Min(math.Max(e.P, 0.5/n), 1-0.5/n)
	return 1 / (n * p * (1 - p))
}

// format writes a target-scale number: a percentage for a probability.
func (t *CalTarget) format(x float64) string {
	if t.Value {
		return sig4(x)
	}
	return pct(x)
}

func nanTo0(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}

func (c *Calibration) hasValueTargets() bool {
	for _, t := range c.Targets {
		if t.Value {
			return true
		}
	}
	return false
}
