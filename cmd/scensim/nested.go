package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"scensim/model"
	"scensim/sim"
)

// paramFlags are the flags that say how a run draws its params: nested
// draws (the default) or every param at its value.
func paramFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "draws", Usage: fmt.Sprintf("number of parameter draws of a nested run, at most %d (default: one per %d trials, from %d to %d draws); each draw's trials share its param values", sim.MaxDraws, sim.DefaultPerDraw, sim.MinDrawsDefault, sim.MaxDrawsDefault)},
		&cli.BoolFlag{Name: "fixed-params", Usage: "run every param at its value: (no draws), e.g. for checks against exact answers"},
	}
}

// paramsOf returns how a run of trials trials of p draws its params, from
// --draws and --fixed-params: every param at its value with --fixed-params
// (recorded in the plan's overrides as "params=fixed", so that the manifest
// says so and merge refuses to mix the two); a flat run when p has no param
// with a dist; otherwise a nested run with sim.PerDrawFor(trials, draws)
// trials per draw. A precision-targeted run (rounds), whose final size is
// not known in advance, uses sim.DefaultPerDraw and refuses --draws.
func paramsOf(c *cli.Context, p *model.Plan, trials int64, rounds bool) (sim.Params, error) {
	var draws int64
	if s := c.String("draws"); s != "" {
		if c.Bool("fixed-params") {
			return sim.Params{}, exitErrorf(ExitInput, "--draws and --fixed-params do not go together: fixed params are not drawn")
		}
		if rounds {
			return sim.Params{}, exitErrorf(ExitInput, "--draws and --precision do not go together: the number of trials, hence of draws, is not known in advance")
		}
		n, err := model.ParseTrials(s)
		if limit := min(trials, sim.MaxDraws); err != nil || n > limit {
			return sim.Params{}, exitErrorf(ExitInput, "--draws %q: want a whole number from 1 to %d (the number of trials, at most %d)", s, limit, sim.MaxDraws)
		}
		draws = n
	}
	if c.Bool("fixed-params") {
		p.Overrides = append(p.Overrides, "params=fixed")
		return sim.Params{Fixed: true}, nil
	}
	sampled := false
	for _, par := range p.Params {
		sampled = sampled || par.Dist != nil
	}
	if !sampled {
		return sim.Params{}, nil
	}
	if rounds {
		return sim.Params{PerDraw: sim.DefaultPerDraw}, nil
	}
	return sim.Params{PerDraw: sim.PerDrawFor(trials, draws)}, nil
}
