package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"scensim/model"
	"scensim/results"
	"scensim/sim"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "run Monte Carlo trials of scenarios, print their tables and write result files and charts",
		ArgsUsage: "[SCENARIO...] (a file, or an embedded name; default: baseline)",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "trials", Aliases: []string{"n"}, Usage: "number of trials (default: the scenario's run.trials); 1e6 and 1_000_000 work"},
			&cli.StringFlag{Name: "seed", Usage: "random seed (default: the scenario's run.seed)"},
			&cli.IntFlag{Name: "workers", Aliases: []string{"j"}, Value: runtime.GOMAXPROCS(0), Usage: "parallel workers; results do not depend on it"},
			&cli.StringSliceFlag{Name: "set", Usage: "override a param or a date: --set name=value (repeatable)"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "out", Usage: "output root; each scenario writes into OUT/NAME/"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "table printed on stdout: text, markdown, json or none"},
			&cli.BoolFlag{Name: "no-files", Usage: "print the table only; write no files"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar and no warnings on stderr"},
			&cli.BoolFlag{Name: "no-charts", Usage: "write the result files but no charts"},
		}, chartFlags()...),
		Action: runAction,
	}
}

func runAction(c *cli.Context) error {
	args := c.Args().Slice()
	if len(args) == 0 {
		args = []string{""}
	}
	format := c.String("format")
	if format != "text" && format != "markdown" && format != "json" && format != "none" {
		return &exitError{code: 2, msg: fmt.Sprintf("--format %q: want text, markdown, json or none", format)}
	}
	if c.Int("workers") < 1 {
		return &exitError{code: 2, msg: "--workers must be at least 1"}
	}
	var trials int64
	if s := c.String("trials"); s != "" {
		n, err := model.ParseTrials(s)
		if err != nil {
			return &exitError{code: 2, msg: "--trials: " + err.Error()}
		}
		trials = n
	}
	var seed *uint64
	if s := c.String("seed"); s != "" {
		var v uint64
		if _, err := fmt.Sscan(s, &v); err != nil {
			return &exitError{code: 2, msg: fmt.Sprintf("--seed %q: want a whole number from 0 to 2^64-1", s)}
		}
		seed = &v
	}
	// Compile everything first, so that a typo in the last file is found
	// before the first one runs.
	var plans []*model.Plan
	for _, a := range args {
		p, err := compile(a, c.StringSlice("set"), c.Bool("quiet"))
		if err != nil {
			return err
		}
		plans = append(plans, p)
		l := results.LayoutOf(p)
		if err := checkChartFlags(c, &l); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	for _, p := range plans {
		n, s := p.Trials, p.Seed
		if trials > 0 {
			n = trials
		}
		if seed != nil {
			s = *seed
		}
		if err := runOne(ctx, c, p, n, s, format); err != nil {
			return err
		}
	}
	return nil
}

func runOne(ctx context.Context, c *cli.Context, p *model.Plan, trials int64, seed uint64, format string) error {
	workers := c.Int("workers")
	started := time.Now()
	var done atomic.Int64
	stopBar := startProgress(os.Stderr, c.Bool("quiet"), p.Name, trials, &done)
	tally, err := sim.Run(ctx, p, sim.Options{Trials: trials, Seed: seed, Workers: workers, Done: &done})
	stopBar()
	if err != nil {
		var intr *sim.Interrupted
		if errors.As(err, &intr) {
			return &exitError{code: 130, msg: fmt.Sprintf("%s: %v; no files written", p.Name, err)}
		}
		return &exitError{code: 3, msg: fmt.Sprintf("%s: %v", p.File, err)}
	}
	res, err := results.FromRun(p, tally, seed, version, results.RunInfo{
		Workers: workers, ElapsedSeconds: time.Since(started).Seconds(), Started: started.UTC().Format(time.RFC3339),
	})
	if err != nil {
		return err
	}
	if err := printResult(os.Stdout, res, format); err != nil {
		return err
	}
	if c.Bool("no-files") {
		return nil
	}
	var charts map[string][]byte
	if !c.Bool("no-charts") {
		if charts, err = renderCharts(c, res); err != nil {
			return err
		}
	}
	dir := filepath.Join(c.String("out"), p.Name)
	files, err := results.WriteFilesWith(dir, res, charts)
	if err != nil {
		return &exitError{code: 1, msg: fmt.Sprintf("writing %s: %v", dir, err)}
	}
	if !c.Bool("quiet") {
		fmt.Fprintf(os.Stderr, "%s: %d trials in %.2fs (%d workers); wrote %d files to %s\n",
			p.Name, trials, time.Since(started).Seconds(), workers, len(files), dir)
	}
	return nil
}

func printResult(w io.Writer, r *results.Result, format string) error {
	switch format {
	case "text":
		return results.WriteText(w, r)
	case "markdown":
		return results.WriteMarkdown(w, r)
	case "json":
		return results.WriteJSON(w, r)
	}
	return nil
}
