package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"scensim/batch"
	"scensim/internal/fsread"
	"scensim/model"
	"scensim/report"
	"scensim/results"
	"scensim/scenarios"
)

func batchCommand() *cli.Command {
	return &cli.Command{
		Name:      "batch",
		Usage:     "run every job of a batch file (scenarios, override grids, comparisons): a result folder per job, an index and a report",
		ArgsUsage: "FILE (a batch file, see docs/batch-and-report.md)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "output root (default: the batch file's out:, else out/NAME)"},
			&cli.BoolFlag{Name: "force", Usage: "redo jobs whose folder already holds their result"},
			wholeFlag("workers", []string{"j"}, "", 0, maxIntFlag, "engine workers per job (default: the file's workers:, else all cores)"),
			wholeFlag("parallel", nil, "", 0, maxIntFlag, "jobs simulated at once (default: the file's parallel:, else 1, each on all cores)"),
			&cli.BoolFlag{Name: "no-report", Usage: "write no report.html / report.md"},
			&cli.BoolFlag{Name: "list", Usage: "list the jobs the file expands to and exit"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no line per job on stderr (failures are still reported)"},
			resolutionsFlag(),
		},
		Action: batchAction,
	}
}

func batchAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return exitErrorf(ExitInput, "batch: name one batch file")
	}
	file := c.Args().First()
	spec, errs := batch.Load(file)
	if errs != nil {
		fmt.Fprintln(c.App.ErrWriter, errs.Snippets())
		return exitErrorf(ExitInput, "%s: %d error(s)", file, len(errs.Errors()))
	}
	if c.Int("workers") < 0 || c.Int("parallel") < 0 {
		return exitErrorf(ExitInput, "--workers and --parallel must be at least 1")
	}
	resolutions, err := readResolutionsFlag(c) // read before the jobs run
	if err != nil {
		return err
	}
	out := c.String("out")
	if out == "" {
		out = spec.Out
	}
	if c.Bool("list") {
		listBatch(c.App.Writer, spec, out)
		return nil
	}
	ctx := c.Context // cancelled by the first signal (see main)
	var log io.Writer = c.App.ErrWriter
	if c.Bool("quiet") {
		log = nil
	}
	started := time.Now()
	idx, err := batch.Run(ctx, spec, batch.Options{
		Out: out, Force: c.Bool("force"), Workers: c.Int("workers"), Parallel: c.Int("parallel"),
		ToolVersion: version, Compile: func(source string, sets []string) (*model.Plan, error) {
			return compileBatchJob(source, sets, resolverFor(c))
		}, NextTotal: nextTotal, FirstRound: firstRound, Log: log,
	})
	var ce *batch.CompileError
	switch {
	case errors.As(err, &ce):
		fmt.Fprintln(c.App.ErrWriter, ce.Error())
		return exitErrorf(ExitInput, "%s: %d job(s) do not compile; nothing was run", file, len(ce.Msgs))
	case err != nil && idx == nil:
		return exitErrorf(ExitWrite, "batch %s: %w", file, err)
	case err != nil:
		return exitErrorf(ExitWrite, "batch %s: writing the index: %w", file, err)
	}
	if idx.Interrupted {
		done := 0
		for _, s := range idx.Jobs {
			if s.OK() {
				done++
			}
		}
		return exitErrorf(ExitInterrupted, "batch %s: interrupted; %d of %d jobs have their folder; index in %s (scensim report %s makes a report of them)",
			spec.Name, done, len(idx.Jobs), filepath.Join(out, batch.IndexJSON), out)
	}
	if !c.Bool("no-report") {
		if err := writeReportWith(c.App.ErrWriter, out, c.Bool("quiet"), resolutions); err != nil {
			return err
		}
	}
	counts := map[string]int{}
	for _, s := range append(append([]batch.JobStatus{}, idx.Jobs...), idx.Comparisons...) {
		counts[s.Status]++
	}
	if !c.Bool("quiet") || idx.Failed() > 0 {
		fmt.Fprintf(c.App.ErrWriter, "batch %s: %d jobs, %d comparisons in %.1fs: %d ran, %d up to date, %d failed; index in %s\n",
			spec.Name, len(idx.Jobs), len(idx.Comparisons), time.Since(started).Seconds(),
			counts[batch.StatusRan], counts[batch.StatusUpToDate], counts[batch.StatusFailed], filepath.Join(out, batch.IndexMD))
	}
	if n := idx.Failed(); n > 0 {
		for _, s := range append(append([]batch.JobStatus{}, idx.Jobs...), idx.Comparisons...) {
			if s.Status == batch.StatusFailed {
				fmt.Fprintf(c.App.ErrWriter, "  FAILED %s: %s\n", s.Name, s.Error)
			}
		}
		return exitErrorf(ExitWrite, "batch %s: %d of %d jobs and comparisons failed", spec.Name, n, len(idx.Jobs)+len(idx.Comparisons))
	}
	return nil
}

// listBatch prints the jobs a batch file expands to.
func listBatch(w io.Writer, spec *batch.Spec, out string) {
	fmt.Fprintf(w, "batch %s: %d jobs, %d comparisons, into %s\n", spec.Name, len(spec.Jobs), len(spec.Compare), out)
	for _, j := range spec.Jobs {
		trials := "the scenario's trials"
		switch {
		case j.Precision > 0:
			trials = fmt.Sprintf("precision ±%g (at most %d trials)", j.Precision, j.MaxTrials)
		case j.Trials > 0:
			trials = fmt.Sprintf("%d trials", j.Trials)
		}
		seed := "the scenario's seed"
		if j.Seed != nil {
			seed = fmt.Sprintf("seed %d", *j.Seed)
		}
		sets := ""
		if len(j.Sets) > 0 {
			sets = ", set " + strings.Join(j.Sets, ", ")
		}
		fmt.Fprintf(w, "  %-40s %s%s; %s; %s\n", j.Name, j.Scenario, sets, trials, seed)
	}
	for _, c := range spec.Compare {
		fmt.Fprintf(w, "  %-40s paired: %s\n", c.Name, strings.Join(c.Jobs, " vs "))
	}
}

// compileBatchJob compiles a batch job's scenario: source is a file path
// or "embedded:NAME".
func compileBatchJob(source string, sets []string, resolve func(name, from string) (string, []byte, error)) (*model.Plan, error) {
	var data []byte
	if name, ok := scenarios.FromSource(source); ok {
		d, found := scenarios.Read(name)
		if !found {
			return nil, fmt.Errorf("no embedded scenario %q", name)
		}
		data = d
	} else {
		var err error
		if data, err = fsread.ReadFile(source, model.MaxFileBytes, "scenario files"); err != nil {
			return nil, err
		}
	}
	var ovs []model.Override
	for _, s := range sets {
		o, err := model.ParseOverride(s)
		if err != nil {
			return nil, err
		}
		ovs = append(ovs, o)
	}
	plan, errs := model.CompileWith(source, data, model.Options{Overrides: ovs, Resolve: resolve})
	if plan == nil {
		return nil, errs
	}
	return plan, nil
}

func reportCommand() *cli.Command {
	return &cli.Command{
		Name:      "report",
		Usage:     "write a self-contained report.html and a report.md of the results in a folder (a batch's output, run folders, or one result)",
		ArgsUsage: "DIR",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no summary line on stderr"},
			resolutionsFlag(),
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return exitErrorf(ExitInput, "report: name one folder (a batch's output root, or a folder of results)")
			}
			res, err := readResolutionsFlag(c)
			if err != nil {
				return err
			}
			return writeReportWith(c.App.ErrWriter, c.Args().First(), c.Bool("quiet"), res)
		},
	}
}

// writeReport writes DIR/report.html and DIR/report.md.
func writeReport(stderr io.Writer, dir string, quiet bool) error {
	return writeReportWith(stderr, dir, quiet, nil)
}

// writeReportWith is writeReport with a resolutions file (nil: none),
// whose errors are printed with snippets and are bad input.
func writeReportWith(stderr io.Writer, dir string, quiet bool, res *resolutionsFile) error {
	r, err := report.Load(dir, report.LoadOptions{Describe: describeManifest, Reproduce: commandLines{}})
	if err != nil {
		return exitErrorf(ExitInput, "report: %w", err)
	}
	if res != nil {
		if err := r.Resolve(res.name, res.data); err != nil {
			var list model.ErrorList
			if errors.As(err, &list) {
				fmt.Fprintln(stderr, list.Snippets())
				return exitErrorf(ExitInput, "%s: %d error(s)", res.name, len(list))
			}
			return exitErrorf(ExitInput, "report: %w", err)
		}
	}
	r.Generated = time.Now().UTC().Format(time.RFC3339) + " by scensim " + version
	paths, err := report.Write(dir, r)
	if err != nil {
		return exitErrorf(ExitWrite, "report: writing %s: %w", dir, err)
	}
	if !quiet {
		var sizes []string
		for _, p := range paths {
			if st, err := os.Stat(p); err == nil {
				sizes = append(sizes, fmt.Sprintf("%s (%.1f MB)", p, float64(st.Size())/1e6))
			}
		}
		fmt.Fprintf(stderr, "report: %d results, %d comparisons: wrote %s\n", len(r.Jobs), len(r.Comparisons), strings.Join(sizes, ", "))
	}
	return nil
}

// describeManifest describes the scenario a result was run from, for
// result folders without a job.json: the scenario file (or embedded
// scenario) compiled with the result's overrides, if its bytes still have
// the SHA-256 of the manifest; nil otherwise.
func describeManifest(m results.Manifest) (*report.Info, error) {
	var data []byte
	if d, ok := scenarios.ReadSource(m.File); ok {
		data = d
	} else {
		data, _ = fsread.ReadFile(m.File, model.MaxFileBytes, "scenario files")
	}
	if data == nil {
		return nil, nil
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != m.FileSHA256 {
		return nil, nil
	}
	var ovs []model.Override
	for _, s := range m.Overrides {
		if o, err := model.ParseOverride(s); err == nil {
			ovs = append(ovs, o)
		}
	}
	plan, _ := model.CompileWith(m.File, bytes.Clone(data), model.Options{Overrides: ovs, Resolve: resolveBase})
	if plan == nil {
		return nil, nil
	}
	info := report.InfoOf(plan)
	return &info, nil
}
