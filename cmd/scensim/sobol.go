package main

import (
	"context"
	"strconv"

	"github.com/urfave/cli/v2"

	"scensim/analysis"
)

func sobolCommand() *cli.Command {
	return &cli.Command{
		Name:      "sobol",
		Usage:     "global sensitivity: first-order and total Sobol indices of every outcome with bootstrap intervals",
		ArgsUsage: "[SCENARIO]",
		Flags: append([]cli.Flag{
			&cli.StringSliceFlag{Name: "params", Usage: "the params to vary (comma-separated): over their dist:, or uniformly over their range: (default: the params with a dist:)"},
			wholeFlag("samples", []string{"N"}, strconv.Itoa(analysis.DefaultSobolSamples), 0, maxIntFlag, "rows N of the Saltelli design"),
			wholeFlag("inner", nil, strconv.Itoa(analysis.DefaultSobolInner), 0, maxIntFlag, "trials per row and matrix"),
			&cli.StringFlag{Name: "sampling", Value: "mc", Usage: "how the design's columns are drawn: mc or lhs"},
			wholeFlag("bootstrap", nil, strconv.Itoa(analysis.DefaultSobolBoots), 0, maxIntFlag, "bootstrap resamples for the intervals"),
			&cli.StringSliceFlag{Name: "outcome", Usage: "outcomes to chart as bars, in this order (default: the 3 whose probability varies most); a value outcome named gets the bars of the indices of its mean and a table of them with their intervals"},
		}, analysisFlagsNoTrials()...),
		Action: sobolAction,
	}
}

func sobolAction(c *cli.Context) error {
	a, err := setupAnalysis(c, "sobol")
	if err != nil {
		return err
	}
	sampling, err := checkSampling(c)
	if err != nil {
		return err
	}
	_, values, err := splitValueOutcomes(a.base, c.StringSlice("outcome"))
	if err != nil {
		return err
	}
	opts := analysis.SobolOptions{Params: c.StringSlice("params"), Samples: c.Int("samples"), Inner: c.Int("inner"),
		Sampling: sampling, Bootstrap: c.Int("bootstrap"), Outcomes: c.StringSlice("outcome")}
	d := 0
	if opts.Params == nil {
		for _, p := range a.base.Params {
			if p.Dist != nil {
				d++
			}
		}
	} else {
		for _, s := range opts.Params {
			d += len(splitList(s))
		}
	}
	total := int64(d+2) * int64(opts.Samples) * int64(opts.Inner)
	var s *analysis.Sobol
	if err := a.execute(total, func(ctx context.Context) (err error) {
		s, err = analysis.RunSobol(ctx, a.src, a.base, opts, a.run)
		return err
	}); err != nil {
		return err
	}
	r, err := a.report(func() (*analysis.Report, error) { return s.Report(a.chartFormat()) })
	if err != nil {
		return err
	}
	details, err := sobolValueDetails(s, values)
	if err != nil {
		return err
	}
	r.Tables = append(r.Tables, details...)
	return a.finish(r)
}
