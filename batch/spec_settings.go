package batch

// Run settings that a batch or a job gives (seed, trials, precision,
// max_trials, draws, fixed_params), and how a job inherits the batch's.

import (
	"math"
	"strconv"

	"go.yaml.in/yaml/v3"

	"scensim/model"
	"scensim/sim"
)

// settings are the run settings a batch or a job may give.
type settings struct {
	seed      *uint64
	trials    int64
	precision float64
	maxTrials int64
	trialsAt  *yaml.Node
	precAt    *yaml.Node
	draws     int64
	drawsAt   *yaml.Node
	fixed     *bool
	fixedAt   *yaml.Node
}

func (p *parser) settingFields(s *settings) []field {
	return []field{
		{"seed", false, func(k, v *yaml.Node) {
			if t, ok := p.scalar(v, "seed"); ok {
				x, err := model.ParseWhole(t, 0, math.MaxUint64)
				if err != nil {
					p.errorf(v, "seed %q: want a whole number from 0 to 2^64-1", t)
					return
				}
				s.seed = &x
			}
		}},
		{"trials", false, func(k, v *yaml.Node) {
			if t, ok := p.scalar(v, "trials"); ok {
				n, err := model.ParseTrials(t)
				if err != nil {
					p.errorf(v, "%v", err)
					return
				}
				s.trials, s.trialsAt = n, k
			}
		}},
		{"precision", false, func(k, v *yaml.Node) {
			if t, ok := p.scalar(v, "precision"); ok {
				x, err := strconv.ParseFloat(t, 64)
				if err != nil || !(x > 0 && x < 0.5) {
					p.errorf(v, "precision %q: want a 95%% half-width between 0 and 0.5, e.g. 0.002", t)
					return
				}
				s.precision, s.precAt = x, k
			}
		}},
		{"max_trials", false, func(k, v *yaml.Node) {
			if t, ok := p.scalar(v, "max_trials"); ok {
				n, err := model.ParseTrials(t)
				if err != nil {
					p.errorf(v, "max_trials: %v", err)
					return
				}
				s.maxTrials = n
			}
		}},
		{"draws", false, func(k, v *yaml.Node) {
			if t, ok := p.scalar(v, "draws"); ok {
				n, err := model.ParseWhole(t, 1, sim.MaxDraws)
				if err != nil {
					p.errorf(v, "draws %q: want a whole number from 1 to %d (parameter draws of a nested run)", t, sim.MaxDraws)
					return
				}
				s.draws, s.drawsAt = int64(n), k
			}
		}},
		{"fixed_params", false, func(k, v *yaml.Node) {
			if t, ok := p.scalar(v, "fixed_params"); ok {
				b, err := strconv.ParseBool(t)
				if err != nil || (t != "true" && t != "false") {
					p.errorf(v, "fixed_params %q: want true or false", t)
					return
				}
				s.fixed, s.fixedAt = &b, k
			}
		}},
	}
}

// checkSettings reports trials and precision given together.
func (p *parser) checkSettings(s *settings, what string) {
	if s.trialsAt != nil && s.precAt != nil {
		p.errorf(s.precAt, "%s gives both trials and precision: a fixed trial count or a precision target, not both", what)
	}
	if s.drawsAt != nil && s.fixed != nil && *s.fixed {
		p.errorf(s.drawsAt, "%s gives both draws and fixed_params: true: fixed params are not drawn", what)
	}
	if s.drawsAt != nil && s.precAt != nil {
		p.errorf(s.drawsAt, "%s gives both draws and precision: the number of trials, hence of draws, is not known in advance", what)
	}
	if s.drawsAt != nil && s.trialsAt != nil && s.draws > s.trials {
		p.errorf(s.drawsAt, "%s asks for %d draws of %d trials: at most one draw per trial", what, s.draws, s.trials)
	}
}

// applyDraws gives j the draws: and fixed_params: of its own settings,
// else the batch's, and reports a combination the job cannot run: a
// batch-level draws: with a job's precision: or fixed_params: true, or more
// draws than the job's trials.
func (p *parser) applyDraws(j *Job, own, top *settings, job *yaml.Node) {
	switch {
	case own.fixed != nil:
		j.FixedParams = *own.fixed
	case top.fixed != nil:
		j.FixedParams = *top.fixed
	}
	drawsAt := own.drawsAt
	switch {
	case own.drawsAt != nil:
		j.Draws = own.draws
	case top.drawsAt != nil && !j.FixedParams && j.Precision == 0:
		// The batch's draws: applies to the jobs that draw a fixed number
		// of trials; a job with fixed params or a precision target has none.
		j.Draws, drawsAt = top.draws, job
	}
	// Combinations within one level were reported by checkSettings; here
	// those of a job's setting with an inherited one.
	ownDraws, ownTrials := own.drawsAt != nil, own.trialsAt != nil || own.precAt != nil
	switch {
	case j.Draws > 0 && j.FixedParams && ownDraws && own.fixed == nil:
		p.errorf(drawsAt, "job %s gives draws and inherits fixed_params: true: fixed params are not drawn", j.Name)
	case j.Draws > 0 && j.Precision > 0 && ownDraws && !ownTrials:
		p.errorf(drawsAt, "job %s gives draws and inherits a precision target: the number of trials, hence of draws, is not known in advance", j.Name)
	case j.Draws > 0 && j.Trials > 0 && j.Draws > j.Trials && ownDraws != ownTrials:
		p.errorf(drawsAt, "job %s asks for %d draws of %d trials: at most one draw per trial", j.Name, j.Draws, j.Trials)
	}
}

// firstPositive returns the first positive value, or 0.
func firstPositive(vs ...int64) int64 {
	for _, v := range vs {
		if v > 0 {
			return v
		}
	}
	return 0
}
