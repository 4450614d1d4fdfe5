package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/urfave/cli/v2"

	"scensim/analysis"
	"scensim/model"
	"scensim/outdir"
	"scensim/results"
	"scensim/results/chart"
	"scensim/sim"
)

// The analysis commands (sweep, tornado, psa, sobol, calibrate) share their
// flags, their setup and the way they print and write results.

// analysisFlags are the flags every analysis command takes; trials is the
// default of --trials.
func analysisFlags(trials string) []cli.Flag {
	return []cli.Flag{
		trialsFlag("trials", []string{"n"}, trials, "trials per run; 1e5 and 100_000 work"),
		seedFlag("seed", "random seed (default: the scenario's run.seed)"),
		workersFlag(),
		&cli.StringSliceFlag{Name: "set", Usage: "override a param or a date: --set name=value (repeatable)"},
		&cli.StringSliceFlag{Name: "disable", Usage: "switch hypotheses off: --disable H8 (repeatable)"},
		&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "out", Usage: "output root; the analysis writes into OUT/NAME-COMMAND/"},
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "table printed on stdout: text, markdown, json or none"},
		&cli.BoolFlag{Name: "no-files", Usage: "print the table only; write no files"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar and no summary on stderr"},
		&cli.StringFlag{Name: "chart-format", Value: "png", Usage: "chart file format: png, svg or pdf"},
		&cli.BoolFlag{Name: "no-charts", Usage: "write the tables but no charts"},
	}
}

// analysisSetup is an analysis command's scenario and run settings.
type analysisSetup struct {
	c       *cli.Context
	command string
	suffix  string // of the output folder's name, e.g. "-prelim_rate" for a sweep
	src     *analysis.Source
	base    *model.Plan
	run     analysis.Run
	done    atomic.Int64
	started time.Time
	target  *outdir.Target // the output folder, locked from execute to finish
}

// setupAnalysis reads the flags and compiles the scenario (at most one
// positional argument; default the embedded baseline).
func setupAnalysis(c *cli.Context, command string) (*analysisSetup, error) {
	if c.NArg() > 1 {
		return nil, exitErrorf(ExitInput, "%s takes one scenario (got %d: %s)", command, c.NArg(), strings.Join(c.Args().Slice(), " "))
	}
	format := c.String("format")
	if !slices.Contains([]string{"text", "markdown", "json", "none"}, format) {
		return nil, exitErrorf(ExitInput, "--format %q: want text, markdown, json or none", format)
	}
	if f := c.String("chart-format"); !slices.Contains(chart.Formats, f) {
		return nil, exitErrorf(ExitInput, "--chart-format %q: want %s", f, strings.Join(chart.Formats, ", "))
	}
	if c.Int("workers") < 1 {
		return nil, exitErrorf(ExitInput, "--workers must be at least 1")
	}
	var trials int64 // psa and sobol have no --trials: their design sets it
	if s := c.String("trials"); s != "" {
		n, err := model.ParseTrials(s)
		if err != nil {
			return nil, exitErrorf(ExitInput, "--trials: %w", err)
		}
		trials = n
	}
	name, data, err := readScenario(c.Args().First())
	if err != nil {
		return nil, exitWith(ExitInput, err)
	}
	var ovs []model.Override
	for _, s := range c.StringSlice("set") {
		o, err := model.ParseOverride(s)
		if err != nil {
			return nil, exitWith(ExitInput, err)
		}
		ovs = append(ovs, o)
	}
	src := &analysis.Source{File: name, Data: data, Options: model.Options{Overrides: ovs, Disable: c.StringSlice("disable"), Resolve: resolverFor(c)}}
	base, err := src.Compile()
	if err != nil {
		return nil, analysisError(c.App.ErrWriter, err)
	}
	if !c.Bool("quiet") && len(base.Warnings) > 0 {
		fmt.Fprintln(c.App.ErrWriter, base.Warnings.Snippets())
	}
	seed := base.Seed
	if s := c.String("seed"); s != "" {
		if _, err := fmt.Sscan(s, &seed); err != nil {
			return nil, exitErrorf(ExitInput, "--seed %q: want a whole number from 0 to 2^64-1", s)
		}
	}
	a := &analysisSetup{c: c, command: command, src: src, base: base, started: time.Now()}
	a.run = analysis.Run{Trials: trials, Seed: seed, Workers: c.Int("workers"), Done: &a.done, ToolVersion: version}
	return a, nil
}

// execute runs fn with a progress bar over total trials and Ctrl-C
// handling, and maps its errors to exit codes.
func (a *analysisSetup) execute(total int64, fn func(ctx context.Context) error) error {
	if !a.c.Bool("no-files") { // an unwritable or busy folder fails before the work
		t, err := outdir.Open(a.dir())
		if err != nil {
			return exitErrorf(ExitWrite, "writing %s: %w", a.dir(), err)
		}
		a.target = t
	}
	err := a.executeLocked(total, fn)
	if err != nil && a.target != nil {
		a.target.Close()
	}
	return err
}

func (a *analysisSetup) executeLocked(total int64, fn func(ctx context.Context) error) error {
	ctx := a.c.Context // cancelled by the first signal (see main)
	stopBar := startProgress(a.c.App.ErrWriter, a.c.Bool("quiet"), a.base.Name+" "+a.command, total, &a.done)
	err := fn(ctx)
	stopBar()
	if err != nil {
		return analysisError(a.c.App.ErrWriter, err)
	}
	if ctx.Err() != nil {
		return exitErrorf(ExitInterrupted, "%s %s: interrupted; no files written", a.base.Name, a.command)
	}
	return nil
}

// analysisError maps an analysis error to an exit error: bad input 2 (a
// scenario that does not compile with the analysis's values is printed
// with its snippets), a run-time probability error 3, an interruption 130.
func analysisError(stderr io.Writer, err error) error {
	var ie *analysis.InputError
	var ce *analysis.CompileError
	var re *sim.RuntimeError
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		return err
	case errors.As(err, &ie):
		return exitWith(ExitInput, optionError{ie})
	case errors.As(err, &ce):
		fmt.Fprintln(stderr, ce.Errs.Snippets())
		return exitWith(ExitInput, ce)
	case errors.Is(err, sim.ErrInterrupted):
		return exitErrorf(ExitInterrupted, "%w; no files written", err)
	case errors.As(err, &re):
		return exitWith(ExitRuntime, err)
	}
	return err
}

// chartFormat is the chart format to render, or "" for none.
func (a *analysisSetup) chartFormat() string {
	if a.c.Bool("no-charts") || a.c.Bool("no-files") {
		return ""
	}
	return a.c.String("chart-format")
}

// dir is the folder the analysis writes: OUT/NAME-COMMAND.
func (a *analysisSetup) dir() string {
	return filepath.Join(a.c.String("out"), a.base.Name+"-"+a.command+a.suffix)
}

// report draws the analysis' report with draw (its charts take the
// longest part) and returns it; a signal that comes first ends the command
// at once, exit 130, with nothing printed or written.
func (a *analysisSetup) report(draw func() (*analysis.Report, error)) (*analysis.Report, error) {
	type drawn struct {
		r   *analysis.Report
		err error
	}
	done := make(chan drawn, 1)
	go func() {
		r, err := draw()
		done <- drawn{r, err}
	}()
	select {
	case d := <-done:
		return d.r, d.err
	case <-a.c.Context.Done():
		if a.target != nil {
			a.target.Close()
		}
		return nil, exitErrorf(ExitInterrupted, "%s %s: interrupted; no files written", a.base.Name, a.command)
	}
}

// finish prints the report and writes its files, unless a signal came
// while the report was drawn: then it prints and writes nothing.
func (a *analysisSetup) finish(r *analysis.Report) error {
	if a.target != nil {
		defer a.target.Close()
	}
	if a.c.Context.Err() != nil {
		return exitErrorf(ExitInterrupted, "%s %s: interrupted; no files written", a.base.Name, a.command)
	}
	switch a.c.String("format") {
	case "text":
		a.c.App.Writer.Write(r.Text())
	case "markdown":
		a.c.App.Writer.Write(r.Markdown())
	case "json":
		b, err := r.JSONBytes()
		if err != nil {
			return err
		}
		a.c.App.Writer.Write(b)
	}
	if a.c.Bool("no-files") {
		return nil
	}
	files, err := r.Files()
	if err != nil {
		return err
	}
	dir := a.dir()
	paths, err := results.WriteExtraTo(a.target, files)
	if err != nil {
		return exitErrorf(ExitWrite, "writing %s: %w", dir, err)
	}
	removeStale(dir, r.Stem, files)
	if !a.c.Bool("quiet") {
		fmt.Fprintf(a.c.App.ErrWriter, "%s %s: %s trials in %.2fs (%d workers); wrote %d files to %s\n",
			a.base.Name, a.command, thousandsInt(a.done.Load()), time.Since(a.started).Seconds(), a.c.Int("workers"), len(paths), dir)
	}
	return nil
}

func thousandsInt(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// checkSampling reads --sampling.
func checkSampling(c *cli.Context) (string, error) {
	s := c.String("sampling")
	if err := analysis.CheckSampling(s); err != nil {
		return "", analysisError(c.App.ErrWriter, err)
	}
	return s, nil
}

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// removeStale removes from dir the files an earlier run of the same
// analysis wrote that this one did not (charts of other outcomes, another
// chart format), so that the folder holds exactly one analysis.
func removeStale(dir, stem string, keep map[string][]byte) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	exts := []string{".csv", ".json", ".md", ".png", ".svg", ".pdf", ".yaml"}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || keep[name] != nil || !slices.Contains(exts, filepath.Ext(name)) {
			continue
		}
		if strings.HasPrefix(name, stem+".") || strings.HasPrefix(name, stem+"_") || strings.HasSuffix(name, "_calibrated.yaml") {
			os.Remove(filepath.Join(dir, name))
		}
	}
}

// optionFlags are the flags that give the analyses' options, by the name
// package analysis gives them in an InputError.
var optionFlags = map[string]string{
	"Target": "--target", "Targets": "--target", "Vary": "--vary", "CheckTrials": "--check-trials",
	"Overrides": "--set", "Outer": "--outer", "Inner": "--inner", "Bootstrap": "--bootstrap",
	"Samples": "--samples", "Params": "--params", "Axis": "--param", "Axes": "--param",
	"Outcome": "--outcome", "Pct": "--pct", "Sampling": "--sampling",
}

// optionError is an analysis input error told in terms of the flags:
// "--outer: 1: want at least 2 draws of the params".
type optionError struct{ ie *analysis.InputError }

func (e optionError) Error() string {
	if flag, ok := optionFlags[e.ie.Option]; ok {
		return flag + ": " + e.ie.Msg
	}
	return e.ie.Error()
}

func (e optionError) Unwrap() error { return e.ie }
