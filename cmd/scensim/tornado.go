package main

import (
	"context"

	"github.com/urfave/cli/v2"

	"scensim/analysis"
)

func tornadoCommand() *cli.Command {
	return &cli.Command{
		Name:      "tornado",
		Usage:     "one-way sensitivity: each param at its low and high value, paired with the base run; tornado chart",
		ArgsUsage: "[SCENARIO] --outcome NAME",
		Flags: append([]cli.Flag{
			&cli.StringSliceFlag{Name: "outcome", Usage: "the outcome to analyse (repeatable or comma-separated; required)"},
			&cli.StringSliceFlag{Name: "params", Usage: "the params to move (comma-separated; default: every param)"},
			&cli.Float64Flag{Name: "pct", Value: 20, Usage: "for a param without range:, move it ±pct% of its value"},
			&cli.BoolFlag{Name: "fix-dists", Usage: "fix every sampled param at its value in the base and the arms (a deterministic base case)"},
			wholeFlag("top", nil, "20", 0, maxIntFlag, "params drawn in the chart, largest swing first (the table has all)"),
		}, analysisFlags("20000")...),
		Action: tornadoAction,
	}
}

func tornadoAction(c *cli.Context) error {
	a, err := setupAnalysis(c, "tornado")
	if err != nil {
		return err
	}
	opts := analysis.TornadoOptions{Outcomes: c.StringSlice("outcome"), Params: c.StringSlice("params"),
		Pct: c.Float64("pct"), FixDists: c.Bool("fix-dists"), Top: c.Int("top")}
	if c.Int("top") < 1 {
		return exitErrorf(ExitInput, "--top must be at least 1")
	}
	total := a.run.Trials * int64(2*len(a.base.Params)+1)
	var t *analysis.Tornado
	if err := a.execute(total, func(ctx context.Context) (err error) {
		t, err = analysis.RunTornado(ctx, a.src, a.base, opts, a.run)
		return err
	}); err != nil {
		return err
	}
	r, err := a.report(func() (*analysis.Report, error) { return t.Report(a.chartFormat()) })
	if err != nil {
		return err
	}
	return a.finish(r)
}
