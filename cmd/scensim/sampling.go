package main

import (
	"github.com/urfave/cli/v2"

	"scensim/analysis"
	"scensim/model"
	"scensim/sim"
)

// samplingFlag is run's --sampling: how sampled params are drawn.
func samplingFlag() cli.Flag {
	return &cli.StringFlag{Name: "sampling", Value: analysis.SamplingMC,
		Usage: "how params with a dist: are drawn: mc (independent draws per trial) or lhs (Latin hypercube over the run's trials)"}
}

// applySampling sets up --sampling lhs for a run of trials trials: a Latin
// hypercube design over trial indices 0..trials−1 (so a shard runs its slice
// of the same design), recorded in the plan's overrides as "sampling=lhs"
// so that the manifest says how the run was drawn and merge refuses to mix
// designs. rounds reports a precision-targeted run, whose final trial count
// is not known in advance: it cannot use a Latin hypercube.
func applySampling(c *cli.Context, p *model.Plan, seed uint64, trials int64, rounds bool, opts *sim.Options) error {
	s := c.String("sampling")
	if err := analysis.CheckSampling(s); err != nil {
		return analysisError(c.App.ErrWriter, err)
	}
	if s == analysis.SamplingMC {
		return nil
	}
	if rounds {
		return exitErrorf(ExitInput, "--sampling lhs and --precision do not go together: a Latin hypercube is laid out for a fixed number of trials")
	}
	if ps := opts.Params; ps.PerDraw > 0 && !ps.Fixed {
		trials = sim.DrawsOf(trials, ps.PerDraw) // a nested run's design is laid out over its draws
	}
	opts.Design = analysis.LatinHypercube(p, seed, trials)
	p.Overrides = append(p.Overrides, "sampling=lhs")
	return nil
}
