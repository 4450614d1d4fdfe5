package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"scensim/analysis"
	"scensim/model"
)

func calibrateCommand() *cli.Command {
	return &cli.Command{
		Name:      "calibrate",
		Usage:     "find param values that make outcomes hit target probabilities (or value outcomes target means); writes the calibrated scenario",
		ArgsUsage: `[SCENARIO] --target "outcome=0.25" --vary name[,name]`,
		Flags: append([]cli.Flag{
			&cli.StringSliceFlag{Name: "target", Aliases: []string{"t"}, Usage: "a target: outcome=probability (0.25 or 25%), or value_outcome=mean; repeatable"},
			&cli.StringSliceFlag{Name: "vary", Usage: "params to calibrate within their range: (name,name), or name=lo:hi; repeatable"},
			wholeFlag("max-evals", nil, "200", 0, maxIntFlag, "model runs the search may take"),
			trialsFlag("check-trials", nil, "", "trials of the independent check run (default: 5 × --trials, at least 100000)"),
			seedFlag("check-seed", "seed of the check run (default: the seed + 1)"),
		}, analysisFlags("20000")...),
		Action: calibrateAction,
	}
}

func calibrateAction(c *cli.Context) error {
	a, err := setupAnalysis(c, "calibrate")
	if err != nil {
		return err
	}
	var opts analysis.CalibrateOptions
	for _, s := range c.StringSlice("target") {
		t, err := analysis.ParseTarget(s)
		if err != nil {
			return analysisError(c.App.ErrWriter, err)
		}
		opts.Targets = append(opts.Targets, t)
	}
	for _, s := range c.StringSlice("vary") {
		vs, err := analysis.ParseVary(s)
		if err != nil {
			return analysisError(c.App.ErrWriter, err)
		}
		opts.Vary = append(opts.Vary, vs...)
	}
	if c.Int("max-evals") < 3 {
		return exitErrorf(ExitInput, "--max-evals must be at least 3")
	}
	opts.MaxEvals = c.Int("max-evals")
	if s := c.String("check-trials"); s != "" {
		n, err := model.ParseTrials(s)
		if err != nil {
			return exitErrorf(ExitInput, "--check-trials: %w", err)
		}
		opts.CheckTrials = n
	}
	opts.CheckSeed = a.run.Seed + 1
	if s := c.String("check-seed"); s != "" {
		if _, err := fmt.Sscan(s, &opts.CheckSeed); err != nil {
			return exitErrorf(ExitInput, "--check-seed %q: want a whole number from 0 to 2^64-1", s)
		}
	}
	check := opts.CheckTrials
	if check == 0 {
		check = max(5*a.run.Trials, 100000)
	}
	total := a.run.Trials*int64(opts.MaxEvals) + check
	var cal *analysis.Calibration
	if err := a.execute(total, func(ctx context.Context) (err error) {
		cal, err = analysis.RunCalibrate(ctx, a.src, a.base, opts, a.run)
		return err
	}); err != nil {
		return err
	}
	r, err := a.report(func() (*analysis.Report, error) { return cal.Report(a.chartFormat(), a.dir()) })
	if err != nil {
		return err
	}
	// The calibrated scenario must compile where it will be written.
	path := filepath.Join(a.dir(), cal.ScenarioName+".yaml")
	if _, errs := model.CompileWith(path, []byte(cal.Scenario), model.Options{Resolve: resolveBaseAnywhere}); len(errs.Errors()) > 0 {
		return fmt.Errorf("the calibrated scenario does not compile (a bug): %v", errs)
	}
	if err := a.finish(r); err != nil {
		return err
	}
	if !cal.Reached && !c.Bool("quiet") {
		fmt.Fprintf(c.App.ErrWriter, "%s calibrate: warning: not every target was reached (%s); see the table\n", a.base.Name, cal.Status)
	}
	return nil
}
