package main

import (
	"context"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"scensim/analysis"
	"scensim/model"
)

func sweepCommand() *cli.Command {
	return &cli.Command{
		Name:      "sweep",
		Usage:     "run a 1-D or 2-D grid of param values with common random numbers; table and chart of every outcome",
		ArgsUsage: "[SCENARIO] --param name=lo:hi:n [--param name=lo:hi:n]",
		Flags: append([]cli.Flag{
			&cli.StringSliceFlag{Name: "param", Aliases: []string{"p"}, Usage: "a swept param: name=lo:hi:n, name=lo:hi (11 points) or name (its range:, 11 points); once or twice"},
			&cli.StringSliceFlag{Name: "outcome", Usage: "outcomes to chart (repeatable or comma-separated; default: those that vary most)"},
		}, analysisFlags("20000")...),
		Action: sweepAction,
	}
}

func sweepAction(c *cli.Context) error {
	a, err := setupAnalysis(c, "sweep")
	if err != nil {
		return err
	}
	var opts analysis.SweepOptions
	for _, s := range c.StringSlice("param") {
		ax, err := analysis.ParseAxis(s)
		if err != nil {
			return analysisError(c.App.ErrWriter, err)
		}
		opts.Axes = append(opts.Axes, ax)
	}
	if len(opts.Axes) == 0 {
		return exitErrorf(ExitInput, "sweep: give the param to sweep: --param name=lo:hi:n")
	}
	opts.Outcomes = c.StringSlice("outcome")
	for _, ax := range opts.Axes {
		a.suffix += "-" + ax.Param
	}
	if folder := filepath.Base(a.dir()); len(folder) > model.MaxFileNameBytes {
		return exitErrorf(ExitInput, "sweep: the output folder's name %.40s… would have %d bytes (at most %d): sweep params with shorter names", folder, len(folder), model.MaxFileNameBytes)
	}
	total := a.run.Trials
	for _, ax := range opts.Axes {
		total *= int64(ax.N)
	}
	var s *analysis.Sweep
	if err := a.execute(total, func(ctx context.Context) (err error) {
		s, err = analysis.RunSweep(ctx, a.src, a.base, opts, a.run)
		return err
	}); err != nil {
		return err
	}
	r, err := a.report(func() (*analysis.Report, error) { return s.Report(a.chartFormat()) })
	if err != nil {
		return err
	}
	return a.finish(r)
}
