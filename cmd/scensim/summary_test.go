package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"scensim/results"
)

// The briefing batch's report opens with a summary of at most 60 lines of
// report.md that names every headline outcome of every scenario, with a
// value in every scenario's column, and the information date.
func TestBriefingSummary(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile(filepath.Join("..", "..", "scenarios", "batches", "briefing.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	scen, err := filepath.Abs(filepath.Join("..", "..", "scenarios"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	text := regexp.MustCompile(`(?m)^trials: \d+$`).ReplaceAllString(string(src), "trials: 1000")
	text = strings.ReplaceAll(text, "../", scen+"/")
	if text == string(src) || !strings.Contains(text, "trials: 1000") {
		t.Fatal("could not shrink the briefing batch")
	}
	file := filepath.Join(dir, "briefing.yaml")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if _, err := run(t, "batch", "-q", "--out", out, file); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(md), "\n")
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
	if len(summary) > 60 {
		t.Errorf("the summary is %d lines, want at most 60:\n%s", len(summary), strings.Join(summary, "\n"))
	}
	if !strings.Contains(strings.Join(lines[:end], "\n"), "as of **2025-03-18**") {
		t.Error("the summary does not give the briefing's as_of date")
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
	jobs, _ := filepath.Glob(filepath.Join(out, "*", "result.json"))
	if len(jobs) != 11 || len(header) != len(jobs) {
		t.Fatalf("%d results, summary columns %v", len(jobs), header)
	}
	for _, f := range jobs {
		r, err := results.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		job := filepath.Base(filepath.Dir(f))
		col := -1
		for i, h := range header {
			if h == job {
				col = i
			}
		}
		if col < 0 {
			t.Errorf("the summary has no column for %s", job)
			continue
		}
		headlines := 0
		for _, o := range r.Outcomes {
			if !o.Headline {
				continue
			}
			headlines++
			cells, ok := rows[o.Name]
			if !ok || col >= len(cells) || !regexp.MustCompile(`^\d+\.\d% ±\d+\.\d`).MatchString(cells[col]) {
				t.Errorf("%s: headline outcome %s has no value in the summary (row %q)", job, o.Name, cells)
			}
		}
		if headlines == 0 {
			t.Errorf("%s marks no headline outcome", job)
		}
	}
}
