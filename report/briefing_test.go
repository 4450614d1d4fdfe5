package report_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"scensim/batch"
	"scensim/model"
	"scensim/report"
	"scensim/results"
	"scensim/sim"
)

// The briefing batch's report opens with a summary of at most 60 lines of
// report.md that names every headline outcome of every scenario, with a
// value in every scenario's column, and the briefing's as_of date. The
// batch runs at 1000 trials a job and draws no charts (the summary reads
// none); the report is made from its result and comparison files.
func TestBriefingSummary(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "scenarios", "batches", "briefing.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// 1000 trials in 40 draws of 25: enough draws for the top drivers.
	text := regexp.MustCompile(`(?m)^trials: \d+$`).ReplaceAllString(string(src), "trials: 1000\ndraws: 40")
	if text == string(src) {
		t.Fatal("could not shrink the briefing batch")
	}
	file := filepath.Join("..", "scenarios", "batches", "briefing-summary-test.yaml")
	spec, errs := batch.Parse(file, []byte(text))
	if errs != nil {
		t.Fatal(errs.Snippets())
	}
	resolve := func(name, from string) (string, []byte, error) {
		f := filepath.Join(filepath.Dir(from), name+".yaml")
		data, err := os.ReadFile(f)
		return f, data, err
	}
	compile := func(source string, sets []string) (*model.Plan, error) {
		data, err := os.ReadFile(source)
		if err != nil {
			return nil, err
		}
		var ovs []model.Override
		for _, s := range sets {
			o, err := model.ParseOverride(s)
			if err != nil {
				return nil, err
			}
			ovs = append(ovs, o)
		}
		p, errs := model.CompileWith(source, data, model.Options{Overrides: ovs, Resolve: resolve})
		if p == nil {
			return nil, errs
		}
		return p, nil
	}
	out := filepath.Join(dir, "out")
	idx, err := batch.Run(context.Background(), spec, batch.Options{Out: out, ToolVersion: "test", Compile: compile,
		NextTotal: func(t *sim.Tally, target float64, max int64) int64 { return t.Trials },
		Charts:    func(*results.Result) (map[string][]byte, error) { return map[string][]byte{}, nil }})
	if err != nil {
		t.Fatalf("batch: %v", err)
	}
	if idx.Failed() > 0 || len(idx.Jobs) != 11 {
		t.Fatalf("batch: %d jobs, %d failed", len(idx.Jobs), idx.Failed())
	}
	r := &report.Report{Title: "briefing", Generated: "now"}
	for _, j := range idx.Jobs {
		res, err := results.ReadFile(filepath.Join(out, j.Dir, "result.json"))
		if err != nil {
			t.Fatal(err)
		}
		r.Jobs = append(r.Jobs, &report.Job{Name: j.Name, Dir: j.Dir, ID: j.Name, Result: res})
	}
	for _, c := range idx.Comparisons {
		cc, err := report.ReadComparison(filepath.Join(out, c.Dir, report.CompareFileName))
		if err != nil {
			t.Fatal(err)
		}
		r.Comparisons = append(r.Comparisons, &report.Comparison{Name: c.Name, Dir: c.Dir, ID: c.Name, C: cc})
	}
	var b strings.Builder
	if err := report.WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	start, end := -1, len(lines)
	for i, l := range lines {
		if l == "## Summary" {
			start = i
		} else if start >= 0 && strings.HasPrefix(l, "## ") {
			end = i
			break
		}
	}
	if start < 0 {
		t.Fatal("report.md has no summary")
	}
	for _, l := range lines[:start] {
		if strings.HasPrefix(l, "## ") {
			t.Errorf("a section before the summary: %q", l)
		}
	}
	summary := lines[start:end]
	t.Logf("summary: %d lines", len(summary))
	if len(summary) > 60 {
		t.Errorf("the summary is %d lines, want at most 60:\n%s", len(summary), strings.Join(summary, "\n"))
	}
	if !strings.Contains(strings.Join(summary, "\n"), "as of **2025-03-18**") {
		t.Error("the summary does not give the briefing's as_of date")
	}
	// Batch jobs run nested: the summary lists top drivers, and (below)
	// every cell has its range over the assumptions.
	if !slices.Contains(summary, "**Top drivers**") {
		t.Error("the summary lists no top drivers")
	}
	// The summary table: a header row naming the scenarios, then one row
	// per headline outcome with a value in every column.
	var header []string
	rows := map[string][]string{}
	for _, l := range summary {
		if !strings.HasPrefix(l, "| ") {
			continue
		}
		cells := strings.Split(strings.Trim(l, "| "), " | ")
		if cells[0] == "headline outcome" {
			header = cells[1:]
			continue
		}
		if name := regexp.MustCompile("^`([a-z0-9_]+)`").FindStringSubmatch(cells[0]); name != nil {
			rows[name[1]] = cells[1:]
		}
	}
	if len(header) != len(r.Jobs) {
		t.Fatalf("summary columns %v for %d jobs", header, len(r.Jobs))
	}
	value := regexp.MustCompile(`^\d+\.\d% ±\d+\.\d, range \d+\.\d–\d+\.\d%`)
	for col, j := range r.Jobs {
		if header[col] != j.Name {
			t.Errorf("column %d is %q, want %s", col, header[col], j.Name)
		}
		headlines := 0
		for _, o := range j.Result.Outcomes {
			if !o.Headline {
				continue
			}
			headlines++
			cells, ok := rows[o.Name]
			if !ok || col >= len(cells) || !value.MatchString(cells[col]) {
				t.Errorf("%s: headline outcome %s has no value in the summary (row %q)", j.Name, o.Name, cells)
			}
		}
		if headlines == 0 {
			t.Errorf("%s marks no headline outcome", j.Name)
		}
	}
}
