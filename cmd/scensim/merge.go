package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"scensim/outdir"
	"scensim/results"
)

func mergeCommand() *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "combine the results of all shards of a run (scensim run --shard k/n) into the result of the unsharded run",
		ArgsUsage: "SHARD... (a shard's result.json, or its folder)",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "out", Usage: "output root; the merged result goes into OUT/NAME/"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "table printed on stdout: text, markdown, json or none"},
			&cli.BoolFlag{Name: "no-charts", Usage: "write the result files but no charts"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no summary line on stderr"},
		}, chartFlags()...),
		Action: mergeAction,
	}
}

func mergeAction(c *cli.Context) error {
	args := c.Args().Slice()
	if len(args) == 0 {
		return exitErrorf(ExitInput, "merge: name the shards' result files or folders")
	}
	format := c.String("format")
	if format != "text" && format != "markdown" && format != "json" && format != "none" {
		return exitErrorf(ExitInput, "--format %q: want text, markdown, json or none", format)
	}
	var shards []*results.Result
	for _, a := range args {
		path := a
		if st, err := os.Stat(a); err == nil && st.IsDir() {
			path = filepath.Join(a, "result.json")
		}
		r, err := results.ReadFile(path)
		if err != nil {
			return exitErrorf(ExitInput, "merge: %w", err)
		}
		shards = append(shards, r)
	}
	merged, err := results.Merge(shards, args)
	if err != nil {
		return exitWith(ExitInput, err)
	}
	if err := checkChartFlags(c, &merged.Layout); err != nil {
		return err
	}
	dir := filepath.Join(c.String("out"), merged.Manifest.Scenario)
	target, err := outdir.Open(dir) // an unwritable or busy folder fails before the charts
	if err != nil {
		return exitErrorf(ExitWrite, "writing %s: %w", dir, err)
	}
	defer target.Close()
	if err := printResult(c.App.Writer, merged, format); err != nil {
		return err
	}
	var charts map[string][]byte
	if !c.Bool("no-charts") {
		if charts, err = renderCharts(c, merged); err != nil {
			return err
		}
	}
	files, err := results.WriteFilesTo(target, merged, charts)
	if err != nil {
		return exitErrorf(ExitWrite, "writing %s: %w", dir, err)
	}
	if !c.Bool("quiet") {
		fmt.Fprintf(c.App.ErrWriter, "%s: merged %d shards (%d trials); wrote %d files to %s\n",
			merged.Manifest.Scenario, len(shards), merged.Counts.Trials, len(files), dir)
	}
	return nil
}
