package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"scensim/outdir"
	"scensim/results"
	"scensim/results/chart"
)

// chartFlags are the flags that choose the charts, shared by run and plot.
func chartFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "chart-format", Value: "png", Usage: "chart file format: png, svg or pdf"},
		&cli.StringSliceFlag{Name: "state", Usage: "draw the first-entry histogram of this state: --state track.state (repeatable; default: the reached-by chart's states)"},
		&cli.StringSliceFlag{Name: "states", Usage: "states of the reached-by chart: --states a.b,c.d (default: up to 8 states entered during the run, most often reached first)"},
		&cli.BoolFlag{Name: "large-charts", Usage: "also draw occupancy charts of more than 65536 states × points (left out by default: slow and unreadable)"},
	}
}

// checkChartFlags checks the chart flags against the layouts they will be
// used with, so that a typo fails before a run.
func checkChartFlags(c *cli.Context, layouts ...*results.Layout) error {
	if f := c.String("chart-format"); !slices.Contains(chart.Formats, f) {
		return exitErrorf(ExitInput, "--chart-format %q: want %s", f, strings.Join(chart.Formats, ", "))
	}
	for _, l := range layouts {
		if _, err := chartOptions(c, l); err != nil {
			return err
		}
	}
	return nil
}

// chartOptions reads the chart flags for a result of layout l.
func chartOptions(c *cli.Context, l *results.Layout) (chart.Options, error) {
	opts := chart.Options{Format: c.String("chart-format"), Large: c.Bool("large-charts")}
	bad := func(flag string, err error) error {
		return exitErrorf(ExitInput, "%s: %s: %w", l.Scenario, flag, err)
	}
	if s := c.StringSlice("states"); len(s) > 0 {
		gs, err := chart.ParseStates(l, strings.Join(s, ","))
		if err != nil {
			return opts, bad("--states", err)
		}
		opts.States = gs
	}
	if s := c.StringSlice("state"); len(s) > 0 {
		gs, err := chart.ParseStates(l, strings.Join(s, ","))
		if err != nil {
			return opts, bad("--state", err)
		}
		opts.FirstEntry = gs
	}
	return opts, nil
}

// renderCharts draws every chart of r as the flags ask.
func renderCharts(c *cli.Context, r *results.Result) (map[string][]byte, error) {
	return renderChartsIn(c, r, nil)
}

// renderChartsIn is renderCharts drawing PNG charts in canvases (nil:
// new memory).
func renderChartsIn(c *cli.Context, r *results.Result, canvases *chart.Canvases) (map[string][]byte, error) {
	opts, err := chartOptions(c, &r.Layout)
	if err != nil {
		return nil, err
	}
	opts.Canvases = canvases
	if left := chart.LeftOut(r, opts); len(left) > 0 && !c.Bool("quiet") {
		fmt.Fprintf(c.App.ErrWriter, "%s: charts left out for their size (over %d states × points): %s; scensim plot --large-charts RESULT.json draws them\n",
			r.Layout.Scenario, chart.MaxOccupancyCells, strings.Join(left, ", "))
	}
	files, err := chart.AllContext(c.Context, r, opts)
	if c.Context.Err() != nil {
		return nil, exitErrorf(ExitInterrupted, "%s: interrupted; no files written", r.Layout.Scenario)
	}
	if err != nil {
		return nil, exitErrorf(ExitInput, "%s: charts: %s", r.Layout.Scenario, strings.TrimPrefix(err.Error(), "chart: "))
	}
	return files, nil
}

// renderChartsUntil is renderCharts, abandoned when ctx is done (a signal):
// it then returns no charts and no error, and the caller, seeing ctx done,
// ends without writing anything. Drawing is not interruptible itself; the
// drawing goroutine is left to finish while the process exits.
func renderChartsUntil(ctx context.Context, c *cli.Context, r *results.Result, canvases *chart.Canvases) (map[string][]byte, error) {
	type drawn struct {
		files map[string][]byte
		err   error
	}
	done := make(chan drawn, 1)
	go func() {
		files, err := renderChartsIn(c, r, canvases)
		done <- drawn{files, err}
	}()
	select {
	case d := <-done:
		return d.files, d.err
	case <-ctx.Done():
		return nil, nil
	}
}

func plotCommand() *cli.Command {
	return &cli.Command{
		Name:      "plot",
		Usage:     "redraw the charts of a saved result.json without re-running",
		ArgsUsage: "RESULT.json",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "directory for the charts (default: the directory of RESULT.json)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no summary line on stderr"},
		}, chartFlags()...),
		Action: plotAction,
	}
}

func plotAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return exitErrorf(ExitInput, "plot: name one result file (a result.json written by scensim run)")
	}
	path := c.Args().First()
	if err := checkChartFlags(c); err != nil {
		return err
	}
	res, err := results.ReadFile(path)
	if err != nil {
		return exitErrorf(ExitInput, "%w", err)
	}
	dir := c.String("out")
	if dir == "" {
		dir = filepath.Dir(path)
	}
	target, err := outdir.Open(dir) // an unwritable or busy folder fails before the charts
	if err != nil {
		return exitErrorf(ExitWrite, "writing %s: %w", dir, err)
	}
	defer target.Close()
	charts, err := renderCharts(c, res)
	if err != nil {
		return err
	}
	files, err := keptFiles(target.Dir())
	if err != nil {
		return exitErrorf(ExitWrite, "writing %s: %w", dir, err)
	}
	for _, name := range slices.Sorted(maps.Keys(charts)) {
		files = append(files, outdir.File{Name: name, Data: charts[name]})
	}
	if err := target.Replace(files); err != nil {
		return exitErrorf(ExitWrite, "writing %s: %w", dir, err)
	}
	if !c.Bool("quiet") {
		fmt.Fprintf(c.App.ErrWriter, "%s: wrote %d charts to %s\n", res.Layout.Scenario, len(charts), dir)
	}
	return nil
}

// keptFiles reads the files of dir that plot keeps when it replaces the
// folder: every file but the charts (names ending in a chart format) and
// hidden files. A missing dir has none; a subfolder is an error, as the
// replaced folder could not hold it.
func keptFiles(dir string) ([]outdir.File, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var files []outdir.File
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, ".") || slices.Contains(chart.Formats, strings.TrimPrefix(filepath.Ext(name), ".")) {
			continue
		}
		if !e.Type().IsRegular() {
			return nil, fmt.Errorf("%s is not a regular file; the folder cannot be replaced", filepath.Join(dir, name))
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		files = append(files, outdir.File{Name: name, Data: data})
	}
	return files, nil
}
