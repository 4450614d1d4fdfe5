package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"scensim/model"
	"scensim/results"
	"scensim/sim"
)

// evidenceFlag is --evidence FILE: a file holding an evidence: section
// whose items are added to the scenario's (see docs/evidence.md).
func evidenceFlag() cli.Flag {
	return &cli.StringSliceFlag{Name: "evidence", Usage: "condition the run on the observed facts of FILE (an evidence: section); repeatable"}
}

// asOfFlag is --as-of DATE: print the forecast from DATE on.
func asOfFlag() cli.Flag {
	return &cli.StringFlag{Name: "as-of", Usage: "also print the forecast from DATE (YYYY-MM-DD) on: per state, among trials not entered by DATE, the share entering by each later date"}
}

// evidenceFiles reads the files of --evidence (none for a command without
// the flag); an unreadable file is bad input.
func evidenceFiles(c *cli.Context) ([]model.EvidenceFile, error) {
	var out []model.EvidenceFile
	for _, name := range c.StringSlice("evidence") {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, exitErrorf(ExitInput, "--evidence: %w", err)
		}
		out = append(out, model.EvidenceFile{Name: name, Data: data})
	}
	return out, nil
}

// printAsOf prints the as-of table of --as-of after a text or Markdown
// table; a date outside the run is bad input.
func printAsOf(c *cli.Context, r *results.Result, format string) error {
	date := c.String("as-of")
	if date == "" {
		return nil
	}
	a, err := results.AsOfTable(r, date)
	if err != nil {
		return exitWith(ExitInput, err)
	}
	if format == "json" || format == "none" {
		return nil
	}
	return results.WriteAsOfText(c.App.Writer, a)
}

// resolutionsFile is a resolutions file read for a report.
type resolutionsFile struct {
	name string
	data []byte
}

// resolutionsFlag is --resolutions FILE of batch and report.
func resolutionsFlag() cli.Flag {
	return &cli.StringFlag{Name: "resolutions", Aliases: []string{"r"}, Usage: "add to the report each outcome's resolution (yes, no, open) from FILE and each job's running score (see docs/scoring.md)"}
}

// readResolutionsFlag reads the file of --resolutions (nil without the
// flag); an unreadable file is bad input.
func readResolutionsFlag(c *cli.Context) (*resolutionsFile, error) {
	name := c.String("resolutions")
	if name == "" {
		return nil, nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, exitErrorf(ExitInput, "--resolutions: %w", err)
	}
	return &resolutionsFile{name: name, data: data}, nil
}

// validateEvidence lists the evidence items of a valid scenario (with
// those of --evidence files), one per line.
func validateEvidence(w io.Writer, p *model.Plan) {
	if len(p.Evidence) == 0 {
		return
	}
	fmt.Fprintf(w, "  %d evidence item(s): a run keeps the trials that agree with every one\n", len(p.Evidence))
	for _, e := range p.Evidence {
		fmt.Fprintf(w, "    %s: %s (source: %s)\n", e.Name, e.Text, strings.Join(e.Source, "; "))
	}
}

// traceEvidence writes whether the evidence keeps the traced trial.
func traceEvidence(pf func(string, ...any), p *model.Plan, path *sim.Path) {
	if len(p.Evidence) == 0 {
		return
	}
	if path.Tally.Rejected > 0 {
		pf("  evidence: REJECTED: the history disagrees with an evidence item; a run does not count this trial (its outcomes read n/a)\n")
		return
	}
	pf("  evidence: kept: the history agrees with every evidence item\n")
}
