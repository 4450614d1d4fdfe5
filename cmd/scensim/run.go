package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/urfave/cli/v2"

	"scensim/model"
	"scensim/outdir"
	"scensim/results"
	"scensim/results/chart"
	"scensim/runresult"
	"scensim/sim"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "run Monte Carlo trials of scenarios, print their tables and write result files and charts",
		ArgsUsage: "[SCENARIO...] (a file, or an embedded name; default: baseline)",
		Flags: append([]cli.Flag{
			trialsFlag("trials", []string{"n"}, "", "number of trials (default: the scenario's run.trials); 1e6 and 1_000_000 work"),
			seedFlag("seed", "random seed (default: the scenario's run.seed)"),
			workersFlag(),
			&cli.StringSliceFlag{Name: "set", Usage: "override a param or a date: --set name=value (repeatable)"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "out", Usage: "output root; each scenario writes into OUT/NAME/"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "table printed on stdout: text, markdown, json or none"},
			&cli.BoolFlag{Name: "questions", Usage: "with --format text: add each outcome's question (plain words) to the table"},
			&cli.BoolFlag{Name: "no-files", Usage: "print the table only; write no files"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar and no warnings on stderr"},
			&cli.BoolFlag{Name: "no-charts", Usage: "write the result files but no charts"},
			&cli.StringFlag{Name: "tables", Value: "auto", Usage: "per-point tables (occupancy.csv, first_entry.csv): auto (left out beyond 1,048,576 rows each: thousands of states over thousands of steps) or full (always)"},
			&cli.Float64Flag{Name: "precision", Usage: "run in rounds until every outcome's 95% half-width is at most this (e.g. 0.002 = ±0.2 points)"},
			trialsFlag("max-trials", nil, "1e8", "with --precision: stop after this many trials even if the target is not reached"),
			&cli.GenericFlag{Name: "shard", Value: &shardValue{}, Usage: "run only shard k/n (0 ≤ k < n) of the trials, for scensim merge; writes OUT/NAME-shard-K-of-N/"},
			samplingFlag(),
			evidenceFlag(),
			asOfFlag(),
		}, append(paramFlags(), chartFlags()...)...),
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
		return exitErrorf(ExitInput, "--format %q: want text, markdown, json or none", format)
	}
	if c.Int("workers") < 1 {
		return exitErrorf(ExitInput, "--workers must be at least 1")
	}
	var trials int64
	if s := c.String("trials"); s != "" {
		n, err := model.ParseTrials(s)
		if err != nil {
			return exitErrorf(ExitInput, "--trials: %w", err)
		}
		trials = n
	}
	var seed *uint64
	if s := c.String("seed"); s != "" {
		var v uint64
		if _, err := fmt.Sscan(s, &v); err != nil {
			return exitErrorf(ExitInput, "--seed %q: want a whole number from 0 to 2^64-1", s)
		}
		seed = &v
	}
	if s := c.String("as-of"); s != "" {
		if _, err := time.Parse(results.DateLayout, s); err != nil {
			return exitErrorf(ExitInput, "--as-of %q: want a date YYYY-MM-DD", s)
		}
	}
	// Compile everything first, so that a typo in the last file is found
	// before the first one runs.
	var plans []*model.Plan
	for _, a := range args {
		p, err := compile(c, a, c.StringSlice("set"), c.Bool("quiet"))
		if err != nil {
			return err
		}
		plans = append(plans, p)
		l := runresult.LayoutOf(p)
		if err := checkChartFlags(c, &l); err != nil {
			return err
		}
	}
	mode, err := runModeOf(c)
	if err != nil {
		return err
	}
	if t := c.String("tables"); t != "auto" && t != "full" {
		return exitErrorf(ExitInput, "--tables %q: want auto or full", t)
	}
	ctx := c.Context // cancelled by the first signal (see main)
	for _, p := range plans {
		n, s := p.Trials, p.Seed
		if trials > 0 {
			n = trials
		}
		if seed != nil {
			s = *seed
		}
		if err := runOne(ctx, c, p, n, s, format, mode); err != nil {
			return err
		}
	}
	return nil
}

// runMode is how the trials of a run are chosen: all at once, in rounds
// until a precision is reached, or one shard of them.
type runMode struct {
	precision float64
	maxTrials int64
	shardK    int
	shardN    int // 0: not sharded
}

func runModeOf(c *cli.Context) (runMode, error) {
	var m runMode
	if c.IsSet("precision") {
		m.precision = c.Float64("precision")
		if !(m.precision > 0 && m.precision < 0.5) {
			return m, exitErrorf(ExitInput, "--precision %g: want a half-width between 0 and 0.5, e.g. 0.002", m.precision)
		}
		n, err := model.ParseTrials(c.String("max-trials"))
		if err != nil {
			return m, exitErrorf(ExitInput, "--max-trials: %w", err)
		}
		m.maxTrials = n
	}
	if s := c.String("shard"); s != "" {
		k, n, err := results.ParseShard(s)
		if err != nil {
			return m, exitErrorf(ExitInput, "--shard %w", err)
		}
		if m.precision > 0 {
			return m, exitErrorf(ExitInput, "--shard and --precision do not go together: a shard's size is fixed by --trials")
		}
		m.shardK, m.shardN = k, n
	}
	return m, nil
}

// firstRound is the size of the first round of a precision-targeted run.
const firstRound = 10000

// nextTotal returns the number of trials a precision-targeted run needs
// after tally t, counting the trials run (kept or not by evidence):
// t.Ran() when every outcome's 95% Wilson half-width is at most target;
// otherwise an estimate from the worst outcome, since the half-width falls
// as 1/√n, with 10% to spare, at least 25% more than now,
// rounded up to a multiple of 1000 and at most max. The estimate depends
// only on the counts, so the rounds are deterministic.
func nextTotal(t *sim.Tally, target float64, max int64) int64 {
	worst := runresult.WorstHalfWidth(t)
	if worst <= target || t.Ran() >= max {
		return t.Ran()
	}
	want := float64(t.Ran()) * (worst / target) * (worst / target) * 1.1
	want = math.Max(want, 1.25*float64(t.Ran()))
	n := int64(math.Min(want, float64(max)))
	n = (n + 999) / 1000 * 1000
	return min(n, max)
}

func runOne(ctx context.Context, c *cli.Context, p *model.Plan, trials int64, seed uint64, format string, mode runMode) error {
	workers := c.Int("workers")
	started := time.Now()
	var done atomic.Int64
	opts := sim.Options{Trials: trials, Seed: seed, Workers: workers, Done: &done}
	params, err := paramsOf(c, p, trials, mode.precision > 0)
	if err != nil {
		return err
	}
	opts.Params = params
	if err := applySampling(c, p, seed, trials, mode.precision > 0, &opts); err != nil {
		return err
	}
	var shard *results.Shard
	if mode.shardN > 0 {
		first, n := results.ShardRange(mode.shardK, mode.shardN, trials)
		shard = &results.Shard{K: mode.shardK, N: mode.shardN, First: first, Trials: n, TotalTrials: trials}
		opts.First, opts.Trials = first, n
	}
	dir := filepath.Join(c.String("out"), p.Name)
	if shard != nil {
		dir = filepath.Join(c.String("out"), fmt.Sprintf("%s-shard-%d-of-%d", p.Name, shard.K, shard.N))
	}
	var target *outdir.Target
	if !c.Bool("no-files") { // an unwritable or busy folder fails before the run
		t, err := outdir.Open(dir)
		if err != nil {
			return exitErrorf(ExitWrite, "writing %s: %w", dir, err)
		}
		defer t.Close()
		target = t
	}
	var tally *sim.Tally
	rounds := 0
	if mode.precision > 0 {
		opts.Trials = min(firstRound, mode.maxTrials)
		stopBar := startProgress(c.App.ErrWriter, c.Bool("quiet"), p.Name+" (precision)", mode.maxTrials, &done)
		tally, err = sim.RunRounds(ctx, p, opts, func(t *sim.Tally) int64 {
			rounds++
			return nextTotal(t, mode.precision, mode.maxTrials)
		})
		stopBar()
	} else {
		stopBar := startProgress(c.App.ErrWriter, c.Bool("quiet"), p.Name, opts.Trials, &done)
		tally, err = sim.Run(ctx, p, opts)
		stopBar()
	}
	if err != nil {
		var intr *sim.Interrupted
		if errors.As(err, &intr) {
			return exitErrorf(ExitInterrupted, "%s: %w; no files written", p.Name, err)
		}
		return runtimeError(p, opts.Seed, err)
	}
	run := results.RunInfo{Workers: workers, ElapsedSeconds: time.Since(started).Seconds(), Started: started.UTC().Format(time.RFC3339)}
	if mode.precision > 0 {
		run.Precision, run.Rounds = mode.precision, rounds
		hw := runresult.WorstHalfWidth(tally)
		run.PrecisionReached = hw <= mode.precision
		if !c.Bool("quiet") || !run.PrecisionReached {
			verdict := "reached"
			if !run.PrecisionReached {
				verdict = fmt.Sprintf("NOT reached: --max-trials %d stopped it", mode.maxTrials)
			}
			fmt.Fprintf(c.App.ErrWriter, "%s: precision ±%g %s after %d trials in %d rounds (largest 95%% half-width %.4g)\n",
				p.Name, mode.precision, verdict, tally.Trials, rounds, hw)
		}
	}
	// The charts' canvases are made ready while the result is computed,
	// on a core that leaves idle (see chart.Canvases).
	drawCharts := !c.Bool("no-files") && !c.Bool("no-charts") && shard == nil // a shard's charts would show a slice of the run
	canvases := make(chan *chart.Canvases, 1)
	if drawCharts {
		go func() {
			l := runresult.LayoutOf(p)
			canvases <- chart.PrepareCanvases(&l, chart.Options{Format: c.String("chart-format")})
		}()
	}
	res, err := runresult.FromRunDesign(p, tally, seed, opts.Design, version, run)
	if err != nil {
		return err
	}
	if err := res.Evidence.TooFew(); err != nil && shard == nil {
		return exitErrorf(ExitInput, "%s: %w; no files written", p.Name, err)
	}
	if params.Fixed {
		res.Manifest.ParamsFixed, res.Manifest.ParamsFixedAll = len(p.Params), true
	}
	if shard != nil {
		res.Manifest.Shard = shard
	}
	if err := printResultWith(c.App.Writer, res, format, results.TextOptions{Questions: c.Bool("questions")}); err != nil {
		return err
	}
	if err := printAsOf(c, res, format); err != nil {
		return err
	}
	if c.Bool("no-files") {
		return nil
	}
	// The result files are rendered while the charts are drawn.
	type rendered struct {
		files []outdir.File
		err   error
	}
	tables := make(chan rendered, 1)
	go func() {
		files, err := results.FilesWith(res, nil, results.FileOptions{FullTables: c.String("tables") == "full"})
		tables <- rendered{files, err}
	}()
	var charts map[string][]byte
	if drawCharts {
		if charts, err = renderChartsUntil(ctx, c, res, <-canvases); err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		return exitErrorf(ExitInterrupted, "%s: interrupted; no files written", p.Name)
	}
	tbl := <-tables
	err = tbl.err
	var files []string
	if err == nil {
		files, err = results.WriteRenderedTo(target, tbl.files, charts)
	}
	if err != nil {
		return exitErrorf(ExitWrite, "writing %s: %w", dir, err)
	}
	if !c.Bool("quiet") {
		fmt.Fprintf(c.App.ErrWriter, "%s: %d trials in %.2fs (%d workers); wrote %d files to %s\n",
			p.Name, tally.Trials, time.Since(started).Seconds(), workers, len(files), dir)
		if c.String("tables") != "full" && results.StepTablesLeftOut(res) {
			fmt.Fprintf(c.App.ErrWriter, "%s: occupancy.csv and first_entry.csv left out: %d rows each (points × states), over %d; --tables full writes them (result.json holds their counts)\n",
				p.Name, results.StepTableRows(res), results.MaxStepTableRows)
		}
	}
	return nil
}

func printResult(w io.Writer, r *results.Result, format string) error {
	return printResultWith(w, r, format, results.TextOptions{})
}

// printResultWith is printResult with the text table's options.
func printResultWith(w io.Writer, r *results.Result, format string, opts results.TextOptions) error {
	switch format {
	case "text":
		return results.WriteTextWith(w, r, opts)
	case "markdown":
		return results.WriteMarkdown(w, r)
	case "json":
		return results.WriteJSON(w, r)
	}
	return nil
}
