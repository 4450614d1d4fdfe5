package report_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"scensim/model"
	"scensim/report"
	"scensim/results"
	"scensim/runresult"
	"scensim/sim"
)

// A job with value outcomes shows them in a table of their own in the
// HTML and Markdown reports.
func TestReportValueOutcomes(t *testing.T) {
	src := `scensim: 1
name: vals
time: {start: 2025-01-01, step: week, steps: 20}
tracks:
  t:
    initial: a
    states: [a, b]
    transitions:
      - {from: a, to: b, p: 0.1}
outcomes:
  got_b: reached(t.b)
  weeks_to_b:
    value: entry(t.b) / weeks(1)
    unit: weeks
`
	p, errs := model.Compile("vals.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	tl, err := sim.Run(context.Background(), p, sim.Options{Trials: 500, Seed: 1, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	res, err := runresult.FromRun(p, tl, 1, "test", results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	r := &report.Report{Title: "values", Jobs: []*report.Job{{Name: "vals", Dir: ".", ID: "vals", Result: res}}}
	var html, md bytes.Buffer
	if err := report.WriteHTML(&html, r); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	for what, s := range map[string]string{"HTML": html.String(), "Markdown": md.String()} {
		if !strings.Contains(s, "Value outcomes") || !strings.Contains(s, "weeks_to_b (weeks)") {
			t.Errorf("the %s report lacks the value outcome table", what)
		}
	}
}
