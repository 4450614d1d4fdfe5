package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/urfave/cli/v2"

	"scensim/model"
	"scensim/results"
	"scensim/results/chart"
	"scensim/results/comparechart"
	"scensim/runresult"
	"scensim/sim"
)

// pairedFlags are the flags shared by compare and hypotheses.
func pairedFlags() []cli.Flag {
	return []cli.Flag{
		trialsFlag("trials", []string{"n"}, "", "paired trials per scenario (default: the first scenario's run.trials); 1e6 and 1_000_000 work"),
		seedFlag("seed", "random seed (default: the first scenario's run.seed)"),
		workersFlag(),
		&cli.StringSliceFlag{Name: "set", Usage: "override a param or a date in every scenario: --set name=value (repeatable)"},
		&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "out", Usage: "output root"},
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "what to print on stdout: text, markdown, json or none"},
		&cli.BoolFlag{Name: "no-files", Usage: "print only; write no files"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar, warnings or summary line on stderr"},
		&cli.StringFlag{Name: "draws", Usage: fmt.Sprintf("number of parameter draws shared by the scenarios, at most %d (default: one per %d trials, from %d to %d draws)", sim.MaxDraws, sim.DefaultPerDraw, sim.MinDrawsDefault, sim.MaxDrawsDefault)},
		&cli.BoolFlag{Name: "fixed-params", Usage: "run every param at its value: (no draws): a flat comparison, trial by trial"},
		&cli.Float64Flag{Name: "min-diff", Value: 100 * results.DefaultMinDiff, Usage: "a change in a probability is material when its 95% interval lies wholly beyond ± this many percentage points"},
		&cli.Float64Flag{Name: "min-diff-value", Value: 100 * results.DefaultMinDiffValue, Usage: "a change in a value outcome's mean is material when its 95% interval lies wholly beyond ± this percentage of the first scenario's mean"},
	}
}

func compareCommand() *cli.Command {
	return &cli.Command{
		Name:      "compare",
		Usage:     "run scenarios with common random numbers and report their paired differences from the first",
		ArgsUsage: "A B [C...] (files, or embedded names)",
		Flags: append(pairedFlags(),
			&cli.StringFlag{Name: "chart-format", Value: "png", Usage: "chart file format: png, svg or pdf"},
			&cli.BoolFlag{Name: "no-charts", Usage: "write the files but no charts"},
			&cli.StringSliceFlag{Name: "ratio", Usage: "incremental ratio of two value outcomes against the first scenario, e.g. --ratio cost/qaly (repeatable)"},
		),
		Action: compareAction,
	}
}

// pairedSetup reads the flags shared by compare and hypotheses.
type pairedSetup struct {
	trials  int64
	seed    *uint64
	workers int
	format  string
	// minDiff and minDiffValue are the materiality thresholds, as
	// results.Comparison.SetMaterial takes them (shares, not percent).
	minDiff, minDiffValue float64
}

func readPairedFlags(c *cli.Context) (*pairedSetup, error) {
	s := &pairedSetup{workers: c.Int("workers"), format: c.String("format")}
	if !slices.Contains([]string{"text", "markdown", "json", "none"}, s.format) {
		return nil, exitErrorf(ExitInput, "--format %q: want text, markdown, json or none", s.format)
	}
	if s.workers < 1 {
		return nil, exitErrorf(ExitInput, "--workers must be at least 1")
	}
	if v := c.String("trials"); v != "" {
		n, err := model.ParseTrials(v)
		if err != nil {
			return nil, exitErrorf(ExitInput, "--trials: %w", err)
		}
		s.trials = n
	}
	s.minDiff, s.minDiffValue = c.Float64("min-diff")/100, c.Float64("min-diff-value")/100
	if err := checkMinDiff(s.minDiff, s.minDiffValue); err != nil {
		return nil, err
	}
	if v := c.String("seed"); v != "" {
		var seed uint64
		if _, err := fmt.Sscan(v, &seed); err != nil {
			return nil, exitErrorf(ExitInput, "--seed %q: want a whole number from 0 to 2^64-1", v)
		}
		s.seed = &seed
	}
	return s, nil
}

// runPaired runs the plans with common random numbers and builds their
// comparison; trials and seed default to the first plan's.
func runPaired(c *cli.Context, ps *pairedSetup, plans []*model.Plan, labels []string, what string) (*results.Comparison, error) {
	trials, seed := plans[0].Trials, plans[0].Seed
	if ps.trials > 0 {
		trials = ps.trials
	}
	if ps.seed != nil {
		seed = *ps.seed
	}
	ctx := c.Context // cancelled by the first signal (see main)
	layout := runresult.NewCompareLayout(plans)
	started := time.Now()
	var done atomic.Int64
	stopBar := startProgress(c.App.ErrWriter, c.Bool("quiet"), what, trials, &done)
	params, err := pairedParams(c, plans, trials)
	if err != nil {
		return nil, err
	}
	pt, err := sim.RunPaired(ctx, plans, layout.Probes, sim.Options{Trials: trials, Seed: seed, Workers: ps.workers, Done: &done, Params: params})
	stopBar()
	if err != nil {
		var intr *sim.Interrupted
		if errors.As(err, &intr) {
			return nil, exitErrorf(ExitInterrupted, "%s: %w; no files written", what, err)
		}
		return nil, exitErrorf(ExitRuntime, "%s: %w", what, err)
	}
	cmp, err := layout.Build(plans, labels, pt, seed, version, results.RunInfo{
		Workers: ps.workers, ElapsedSeconds: time.Since(started).Seconds(), Started: started.UTC().Format(time.RFC3339),
	})
	if err == nil && c.IsSet("ratio") {
		err = runresult.AddRatios(cmp, plans, pt, c.StringSlice("ratio"))
	}
	if err == nil {
		cmp.SetMaterial(ps.minDiff, ps.minDiffValue)
	}
	return cmp, err
}

// checkMinDiff refuses materiality thresholds that are not finite and
// non-negative (shares: 0.01 is 1 point, or 1% of the reference mean).
func checkMinDiff(minDiff, minDiffValue float64) error {
	if math.IsNaN(minDiff) || minDiff < 0 || minDiff > 1 {
		return exitErrorf(ExitInput, "--min-diff: want a number of percentage points from 0 to 100")
	}
	if math.IsNaN(minDiffValue) || math.IsInf(minDiffValue, 0) || minDiffValue < 0 {
		return exitErrorf(ExitInput, "--min-diff-value: want a non-negative percentage of the first scenario's mean")
	}
	return nil
}

// pairedParams says how a paired run of plans draws its params, from
// --draws and --fixed-params: every param at its value with
// --fixed-params (recorded in every plan's overrides as "params=fixed");
// params drawn per trial when no plan has a param with a dist (a
// nested run would have nothing to draw); otherwise a nested run whose
// draws every plan shares, sim.PerDrawFor(trials, draws) trials each.
func pairedParams(c *cli.Context, plans []*model.Plan, trials int64) (sim.Params, error) {
	var draws int64
	if s := c.String("draws"); s != "" {
		if c.Bool("fixed-params") {
			return sim.Params{}, exitErrorf(ExitInput, "--draws and --fixed-params do not go together: fixed params are not drawn")
		}
		n, err := model.ParseTrials(s)
		if limit := min(trials, sim.MaxDraws); err != nil || n > limit {
			return sim.Params{}, exitErrorf(ExitInput, "--draws %q: want a whole number from 1 to %d (the number of trials, at most %d)", s, limit, sim.MaxDraws)
		}
		draws = n
	}
	if c.Bool("fixed-params") {
		for _, p := range plans {
			p.Overrides = append(p.Overrides, "params=fixed")
		}
		return sim.Params{Fixed: true}, nil
	}
	for _, p := range plans {
		for _, par := range p.Params {
			if par.Dist != nil {
				return sim.Params{PerDraw: sim.PerDrawFor(trials, draws)}, nil
			}
		}
	}
	return sim.Params{}, nil
}

// uniqueLabels returns the plan names, made unique ("baseline", "baseline#2").
func uniqueLabels(plans []*model.Plan) []string {
	var out []string
	for _, p := range plans {
		l := p.Name
		for n := 2; slices.Contains(out, l); n++ {
			l = fmt.Sprintf("%s#%d", p.Name, n)
		}
		out = append(out, l)
	}
	return out
}

func compareAction(c *cli.Context) error {
	args := c.Args().Slice()
	if len(args) < 2 {
		return exitErrorf(ExitInput, "compare: name at least two scenarios (the first is the reference)")
	}
	ps, err := readPairedFlags(c)
	if err != nil {
		return err
	}
	if f := c.String("chart-format"); !slices.Contains(chart.Formats, f) {
		return exitErrorf(ExitInput, "--chart-format %q: want %s", f, strings.Join(chart.Formats, ", "))
	}
	var plans []*model.Plan
	for _, a := range args {
		p, err := compile(c, a, c.StringSlice("set"), c.Bool("quiet"))
		if err != nil {
			return err
		}
		plans = append(plans, p)
	}
	if err := runresult.CheckRatios(plans[0], c.StringSlice("ratio")); err != nil {
		return exitErrorf(ExitInput, "compare: %w", err)
	}
	labels := uniqueLabels(plans)
	name := "compare-" + strings.Join(labels, "-vs-")
	target, err := openOutput(c, filepath.Join(c.String("out"), name))
	if err != nil {
		return err
	}
	defer target.Close()
	cmp, err := runPaired(c, ps, plans, labels, name)
	if err != nil {
		return err
	}
	if err := printComparison(c.App.Writer, cmp, ps.format); err != nil {
		return err
	}
	if c.Bool("no-files") {
		return nil
	}
	files := map[string][]byte{}
	for file, write := range map[string]func(io.Writer, *results.Comparison) error{
		"compare.json": results.WriteCompareJSON, "compare.csv": results.WriteCompareCSV, "compare.md": results.WriteCompareMarkdown,
	} {
		var b strings.Builder
		if err := write(&b, cmp); err != nil {
			return err
		}
		files[file] = []byte(b.String())
	}
	if len(cmp.Values) > 0 { // value outcomes: their own table
		var b strings.Builder
		if err := results.WriteCompareValuesCSV(&b, cmp); err != nil {
			return err
		}
		files[results.CompareValuesCSVName] = []byte(b.String())
	}
	if !c.Bool("no-charts") {
		charts, err := comparechart.AllContext(c.Context, cmp, c.String("chart-format"))
		if c.Context.Err() != nil {
			return exitErrorf(ExitInterrupted, "%s: interrupted; no files written", name)
		}
		if err != nil {
			return exitErrorf(ExitWrite, "%s: charts: %w", name, err)
		}
		for k, v := range charts {
			files[k] = v
		}
	}
	dir := filepath.Join(c.String("out"), name)
	paths, err := results.WriteExtraTo(target, files)
	if err != nil {
		return exitErrorf(ExitWrite, "writing %s: %w", dir, err)
	}
	if !c.Bool("quiet") {
		fmt.Fprintf(c.App.ErrWriter, "%s: %d paired trials of %d scenarios in %.2fs (%d workers); wrote %d files to %s\n",
			name, cmp.Trials, len(plans), cmp.Run.ElapsedSeconds, ps.workers, len(paths), dir)
	}
	return nil
}

func printComparison(w io.Writer, c *results.Comparison, format string) error {
	switch format {
	case "text":
		return results.WriteCompareText(w, c)
	case "markdown":
		return results.WriteCompareMarkdown(w, c)
	case "json":
		return results.WriteCompareJSON(w, c)
	}
	return nil
}

func hypothesesCommand() *cli.Command {
	return &cli.Command{
		Name:      "hypotheses",
		Usage:     "switch off each hypothesis the scenario cites, alone, and rank them by the paired change of the outcomes",
		ArgsUsage: "[SCENARIO] (a file, or an embedded name; default: baseline)",
		Flags: append(pairedFlags(),
			wholeFlag("top", nil, "40", 0, maxIntFlag, "significant changes listed on the terminal and in Markdown (0: all); the CSV has all"),
		),
		Action: hypothesesAction,
	}
}

func hypothesesAction(c *cli.Context) error {
	if c.NArg() > 1 {
		return exitErrorf(ExitInput, "hypotheses: name one scenario")
	}
	ps, err := readPairedFlags(c)
	if err != nil {
		return err
	}
	arg, sets, quiet := c.Args().First(), c.StringSlice("set"), c.Bool("quiet")
	base, err := compile(c, arg, sets, quiet)
	if err != nil {
		return err
	}
	plans, labels := []*model.Plan{base}, []string{base.Name}
	ids := runresult.CitedHypotheses(base)
	var scenario []int
	var notes [][]string
	for _, h := range ids {
		p, err := compileScenario(c, arg, sets, []string{h}, true)
		if err != nil {
			return err
		}
		changed := false
		for _, a := range runresult.DiffAssumptions([]*model.Plan{base, p}) {
			changed = changed || a.What != "switched off"
		}
		n := p.DisabledNotes
		if len(n) == 0 {
			n = []string{h + " is cited only by outcomes, which switching it off leaves as they are"}
		}
		notes = append(notes, n)
		if !changed {
			scenario = append(scenario, -1)
			continue
		}
		scenario = append(scenario, len(plans))
		plans = append(plans, p)
		labels = append(labels, h+" off")
	}
	name := "hypotheses-" + base.Name
	target, err := openOutput(c, filepath.Join(c.String("out"), name))
	if err != nil {
		return err
	}
	defer target.Close()
	cmp, err := runPaired(c, ps, plans, labels, name)
	if err != nil {
		return err
	}
	table := results.NewHypothesisTable(cmp, ids, scenario, notes)
	switch ps.format {
	case "text":
		err = results.WriteHypothesesText(c.App.Writer, table, c.Int("top"))
	case "markdown":
		err = results.WriteHypothesesMarkdown(c.App.Writer, table)
	case "json":
		err = results.WriteHypothesesJSON(c.App.Writer, table)
	}
	if err != nil {
		return err
	}
	if c.Bool("no-files") {
		return nil
	}
	files := map[string][]byte{}
	for file, write := range map[string]func(io.Writer, *results.HypothesisTable) error{
		"hypotheses.json": results.WriteHypothesesJSON, "hypotheses.csv": results.WriteHypothesesCSV, "hypotheses.md": results.WriteHypothesesMarkdown,
	} {
		var b strings.Builder
		if err := write(&b, table); err != nil {
			return err
		}
		files[file] = []byte(b.String())
	}
	dir := filepath.Join(c.String("out"), name)
	paths, err := results.WriteExtraTo(target, files)
	if err != nil {
		return exitErrorf(ExitWrite, "writing %s: %w", dir, err)
	}
	if !quiet {
		fmt.Fprintf(c.App.ErrWriter, "%s: %d hypotheses, %d run, %d paired trials each in %.2fs (%d workers); wrote %d files to %s\n",
			name, len(ids), len(plans)-1, cmp.Trials, cmp.Run.ElapsedSeconds, ps.workers, len(paths), dir)
	}
	return nil
}
