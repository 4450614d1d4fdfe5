package main

import (
	"bytes"

	"github.com/urfave/cli/v2"

	"scensim/outdir"
	"scensim/resultdiff"
)

func diffCommand() *cli.Command {
	return &cli.Command{
		Name:  "diff",
		Usage: "what changed between two saved results: the assumptions (old → new), the material outcome changes, and what did not change",
		ArgsUsage: "OLD NEW (each a result.json, a result folder, or a batch output root; " +
			"two roots are compared job by job)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "markdown", Usage: "markdown (to paste into a pull-request comment) or json"},
			&cli.Float64Flag{Name: "min-diff", Value: 100 * resultdiff.DefaultMinDiff, Usage: "materiality threshold in percentage points: a change is material when its 95% interval lies wholly beyond ±min-diff"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the diff to this file instead of stdout"},
		},
		Action: diffAction,
	}
}

func diffAction(c *cli.Context) error {
	if c.NArg() != 2 {
		return exitErrorf(ExitInput, "diff: want two results (OLD NEW), got %d argument(s)", c.NArg())
	}
	format := c.String("format")
	if format != "markdown" && format != "json" {
		return exitErrorf(ExitInput, "--format %q: want markdown or json", format)
	}
	minDiff := c.Float64("min-diff") / 100
	if !(minDiff >= 0 && minDiff < 1) {
		return exitErrorf(ExitInput, "--min-diff %g: want percentage points in [0, 100)", c.Float64("min-diff"))
	}
	old, err := resultdiff.Load(c.Args().Get(0))
	if err != nil {
		return exitErrorf(ExitInput, "diff: %w", err)
	}
	new, err := resultdiff.Load(c.Args().Get(1))
	if err != nil {
		return exitErrorf(ExitInput, "diff: %w", err)
	}
	set, err := resultdiff.CompareInputs(old, new, minDiff)
	if err != nil {
		return exitErrorf(ExitInput, "diff: %w", err)
	}
	var b bytes.Buffer
	if format == "json" {
		err = resultdiff.WriteJSON(&b, set)
	} else {
		err = resultdiff.WriteMarkdown(&b, set)
	}
	if err != nil {
		return exitErrorf(ExitWrite, "diff: %w", err)
	}
	if out := c.String("output"); out != "" {
		if err := outdir.WriteFile(out, b.Bytes()); err != nil {
			return exitErrorf(ExitWrite, "writing %s: %w", out, err)
		}
		return nil
	}
	if _, err := c.App.Writer.Write(b.Bytes()); err != nil {
		return exitErrorf(ExitWrite, "diff: writing the output: %w", err)
	}
	return nil
}
