package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"scensim/model"
	"scensim/results"
	"scensim/results/chart"
	"scensim/score"
)

func scoreCommand() *cli.Command {
	return &cli.Command{
		Name:      "score",
		Usage:     "score the forecasts of saved results against how their outcomes resolved (Brier and log scores, reliability)",
		ArgsUsage: "RESULT... (result folders or result.json files; several are scored side by side)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "resolutions", Aliases: []string{"r"}, Usage: "the resolutions file (YAML): how each outcome resolved (required)"},
			&cli.StringFlag{Name: "base-rate", Usage: "base-rate reference forecast of every outcome the resolutions file's base_rates: does not give, e.g. 0.3"},
			wholeFlag("bins", nil, strconv.Itoa(score.DefaultBins), 1, 1000, "equal-width forecast bins of the Brier decomposition and the reliability chart (1 to 1000)"),
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "what to print on stdout: text, markdown, json, csv or none"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "also write the reliability chart and score.md, score.json, score.csv into this directory"},
			&cli.StringFlag{Name: "chart-format", Value: "png", Usage: "chart file format: png, svg or pdf"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no summary line on stderr"},
		},
		Action: scoreAction,
	}
}

func scoreAction(c *cli.Context) error {
	if c.NArg() < 1 {
		return exitErrorf(ExitInput, "score: name at least one result (a result folder or its result.json)")
	}
	if c.String("resolutions") == "" {
		return exitErrorf(ExitInput, "score: --resolutions FILE is required: the file that says how each outcome resolved")
	}
	format := c.String("format")
	if format != "none" && !slices.Contains(score.Renderings, format) {
		return exitErrorf(ExitInput, "--format %q: want text, markdown, json, csv or none", format)
	}
	if f := c.String("chart-format"); !slices.Contains(chart.Formats, f) {
		return exitErrorf(ExitInput, "--chart-format %q: want %s", f, strings.Join(chart.Formats, ", "))
	}
	opts := score.Options{Bins: c.Int("bins")}
	if c.Int("bins") < 1 { // the flag's parser refuses any other value
		return exitErrorf(ExitInput, "--bins %d: want 1 to 1000", c.Int("bins"))
	}
	if s := c.String("base-rate"); s != "" {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || !(x >= 0 && x <= 1) {
			return exitErrorf(ExitInput, "--base-rate %q: want a probability from 0 to 1", s)
		}
		opts.BaseRate = &x
	}
	var in []score.Scored
	for _, arg := range c.Args().Slice() {
		s, err := readScored(arg)
		if err != nil {
			return err
		}
		in = append(in, s)
	}
	res, err := readResolutions(c, c.String("resolutions"), score.Outcomes(in))
	if err != nil {
		return err
	}
	rep, err := score.Build(in, res, opts)
	var nb *score.NoBaseRateError
	if errors.As(err, &nb) {
		return exitErrorf(ExitInput, "score: no base rate for %s: give each one under base_rates: in %s, or --base-rate P for every outcome", strings.Join(nb.Outcomes, ", "), res.File)
	}
	if err != nil {
		return exitErrorf(ExitInput, "score: %w", err)
	}
	if dir := c.String("out"); dir != "" {
		if err := writeScoreFiles(c, rep, dir); err != nil {
			return err
		}
	}
	if format != "none" {
		var b bytes.Buffer
		if err := rep.Write(&b, format); err != nil {
			return exitErrorf(ExitInput, "score: %w", err)
		}
		if _, err := c.App.Writer.Write(b.Bytes()); err != nil {
			return exitErrorf(ExitWrite, "writing the scores: %w", err)
		}
	}
	return nil
}

// readScored reads a result given as its folder or its result.json.
func readScored(arg string) (score.Scored, error) {
	path := arg
	if st, err := os.Stat(arg); err == nil && st.IsDir() {
		path = filepath.Join(arg, "result.json")
		if _, err := os.Stat(path); err != nil {
			return score.Scored{}, exitErrorf(ExitInput, "score: %s is not a result folder: it has no result.json", arg)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return score.Scored{}, exitErrorf(ExitInput, "score: %w", err)
	}
	r, err := results.ReadJSON(bytes.NewReader(data))
	if err != nil {
		return score.Scored{}, exitErrorf(ExitInput, "%s: %s", path, strings.TrimPrefix(err.Error(), "results: "))
	}
	return score.Scored{Path: path, Result: r}, nil
}

// readResolutions reads and checks the resolutions file against the
// results' outcomes; its errors are printed with snippets on stderr.
func readResolutions(c *cli.Context, file string, known []score.Outcome) (*score.Resolutions, error) {
	st, err := os.Stat(file)
	if err == nil && st.IsDir() {
		return nil, exitErrorf(ExitInput, "--resolutions: %s is a directory, not a resolutions file", file)
	}
	if err == nil && st.Size() > score.MaxFileBytes {
		return nil, exitErrorf(ExitInput, "--resolutions: %s is %d bytes; resolutions files are limited to %d", file, st.Size(), score.MaxFileBytes)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, exitErrorf(ExitInput, "--resolutions: %w", err)
	}
	res, errs := score.ParseResolutions(file, data, known)
	if len(errs) > 0 {
		fmt.Fprintln(c.App.ErrWriter, errs.Snippets())
		return nil, exitErrorf(ExitInput, "%s: %d error(s)", file, len(model.ErrorList(errs).Errors()))
	}
	return res, nil
}

// writeScoreFiles writes the reliability chart and the renderings of the
// report into dir, all or nothing, as the other commands write their
// folders.
func writeScoreFiles(c *cli.Context, rep *score.Report, dir string) error {
	cf := c.String("chart-format")
	img, err := rep.ReliabilityChart(cf)
	if err != nil {
		return exitErrorf(ExitInput, "score: reliability chart: %w", err)
	}
	files := map[string][]byte{score.ChartName + "." + cf: img}
	for name, format := range map[string]string{"score.md": "markdown", "score.json": "json", "score.csv": "csv"} {
		var b bytes.Buffer
		if err := rep.Write(&b, format); err != nil {
			return exitErrorf(ExitInput, "score: %w", err)
		}
		files[name] = b.Bytes()
	}
	if c.Context.Err() != nil {
		return exitErrorf(ExitInterrupted, "score: interrupted; no files written")
	}
	paths, err := results.WriteExtra(dir, files)
	if err != nil {
		return exitErrorf(ExitWrite, "writing %s: %w", dir, err)
	}
	if !c.Bool("quiet") {
		fmt.Fprintf(c.App.ErrWriter, "score: wrote %d files to %s\n", len(paths), dir)
	}
	return nil
}
