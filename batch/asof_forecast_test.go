package batch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scensim/results"
)

// toyNews is the toy scenario with evidence: t.b not reached by mid.
const toyNews = `scensim: 1
name: toy_news
time: {start: 2025-01-01, step: week, steps: 20}
dates: {mid: 2025-03-01}
tracks:
  t:
    initial: a
    states: [a, b, c]
    transitions:
      - {from: a, to: b, p: 0.1}
      - {from: b, to: c, p: 0.05}
outcomes:
  got_b: reached(t.b)
evidence:
  not_b_yet: {not_reached: t.b, by: mid, source: a test}
`

// A job's as_of_forecast: goes into its result, whose Markdown table then
// shows the forecast from that date on; with the evidence "t.b not reached
// by mid", no kept trial has entered t.b by mid and every kept trial is
// "not yet".
func TestAsOfForecastJob(t *testing.T) {
	path := writeBatch(t, "trials: 4000\njobs:\n  - scenario: news.yaml\n    as_of_forecast: 2025-03-01\n")
	if err := os.WriteFile(filepath.Join(filepath.Dir(path), "news.yaml"), []byte(toyNews), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	idx := runBatch(t, path, testOptions(out))
	if idx.Jobs[0].Status != StatusRan {
		t.Fatalf("status %s: %s", idx.Jobs[0].Status, idx.Jobs[0].Error)
	}
	res := readResult(t, filepath.Join(out, "news"))
	if res.Evidence == nil || res.Manifest.AsOfForecast != "2025-03-01" {
		t.Fatalf("result evidence %+v, as_of_forecast %q; want evidence and 2025-03-01", res.Evidence, res.Manifest.AsOfForecast)
	}
	a, err := results.AsOfTable(res, "2025-03-01")
	if err != nil {
		t.Fatal(err)
	}
	g := 1 // t.b
	if row := a.Rows[g]; row.Entered != 0 || row.NotYet != res.Counts.Trials || row.NotYet == 0 {
		t.Errorf("t.b from mid on: entered %g, not yet %d; want 0 and every kept trial (%d)", row.Entered, row.NotYet, res.Counts.Trials)
	}
	md, err := os.ReadFile(filepath.Join(out, "news", "outcomes.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rows := a.Cells()
	want := "| `t.b` | " + strings.Join(rows[1][1:], " | ") + " |"
	if !strings.Contains(string(md), "### From 2025-03-01 on") || !strings.Contains(string(md), want) {
		t.Errorf("outcomes.md lacks the as-of table (want row %q):\n%s", want, md)
	}
	// Rerun: the job is up to date; a new date makes a new result.
	if idx = runBatch(t, path, testOptions(out)); idx.Jobs[0].Status != StatusUpToDate {
		t.Errorf("rerun: status %s, want up to date", idx.Jobs[0].Status)
	}
	path2 := strings.Replace(path, "b.yaml", "b2.yaml", 1)
	if err := os.WriteFile(path2, []byte("trials: 4000\njobs:\n  - scenario: news.yaml\n    as_of_forecast: 2025-04-01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if idx = runBatch(t, path2, testOptions(out)); idx.Jobs[0].Status != StatusRan {
		t.Errorf("new date: status %s, want ran", idx.Jobs[0].Status)
	}
}

// A bad as_of_forecast: is bad input: not a date (when the batch file is
// read), a job without evidence or a date outside the run (before anything
// runs).
func TestAsOfForecastErrors(t *testing.T) {
	path := writeBatch(t, "jobs:\n  - scenario: toy.yaml\n    as_of_forecast: soon\n")
	if _, errs := Load(path); errs == nil || !strings.Contains(errs.Error(), `b.yaml:3:21: as_of_forecast "soon": want a date YYYY-MM-DD`) {
		t.Errorf("got %v", errs)
	}
	for _, c := range []struct{ job, want string }{
		{"toy.yaml\n    as_of_forecast: 2025-03-01", "job toy: as_of_forecast: 2025-03-01: the scenario has no evidence"},
		{"news.yaml\n    as_of_forecast: 2026-03-01", "job news: as_of_forecast: 2026-03-01 is outside the run, from 2025-01-01 to 2025-05-21"},
	} {
		path := writeBatch(t, "jobs:\n  - scenario: "+c.job+"\n")
		if err := os.WriteFile(filepath.Join(filepath.Dir(path), "news.yaml"), []byte(toyNews), 0o644); err != nil {
			t.Fatal(err)
		}
		spec, errs := Load(path)
		if errs != nil {
			t.Fatal(errs)
		}
		out := filepath.Join(t.TempDir(), "out")
		_, err := Run(context.Background(), spec, testOptions(out))
		if ce, ok := err.(*CompileError); !ok || !strings.Contains(ce.Error(), c.want) {
			t.Errorf("got %v, want a compile error with %q", err, c.want)
		}
	}
}
