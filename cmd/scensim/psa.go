package main

import (
	"context"
	"strconv"

	"github.com/urfave/cli/v2"

	"scensim/analysis"
)

func psaCommand() *cli.Command {
	return &cli.Command{
		Name:      "psa",
		Usage:     "probabilistic sensitivity analysis: the spread of each outcome's probability over the params' distributions",
		ArgsUsage: "[SCENARIO]",
		Flags: append([]cli.Flag{
			wholeFlag("outer", nil, strconv.Itoa(analysis.DefaultOuter), 0, maxIntFlag, "draws of the sampled params"),
			wholeFlag("inner", nil, strconv.Itoa(analysis.DefaultInner), 0, maxIntFlag, "trials per draw"),
			&cli.StringFlag{Name: "sampling", Value: "lhs", Usage: "how the params are drawn: mc (independent) or lhs (Latin hypercube)"},
			wholeFlag("bootstrap", nil, strconv.Itoa(analysis.DefaultBootstrap), 0, maxIntFlag, "bootstrap resamples for the Monte Carlo errors"),
		}, analysisFlagsNoTrials()...),
		Action: psaAction,
	}
}

func psaAction(c *cli.Context) error {
	a, err := setupAnalysis(c, "psa")
	if err != nil {
		return err
	}
	sampling, err := checkSampling(c)
	if err != nil {
		return err
	}
	opts := analysis.PSAOptions{Outer: c.Int("outer"), Inner: c.Int("inner"), Sampling: sampling, Bootstrap: c.Int("bootstrap")}
	total := int64(opts.Outer) * int64(opts.Inner)
	var p *analysis.PSA
	if err := a.execute(total, func(ctx context.Context) (err error) {
		p, err = analysis.RunPSA(ctx, a.base, opts, a.run)
		return err
	}); err != nil {
		return err
	}
	r, err := a.report(func() (*analysis.Report, error) { return p.Report(a.chartFormat()) })
	if err != nil {
		return err
	}
	return a.finish(r)
}

// analysisFlagsNoTrials are the analysis flags for commands whose trial
// count follows from their design (--trials is accepted but unused).
func analysisFlagsNoTrials() []cli.Flag {
	var out []cli.Flag
	for _, f := range analysisFlags("1") {
		if f.Names()[0] != "trials" {
			out = append(out, f)
		}
	}
	return out
}
