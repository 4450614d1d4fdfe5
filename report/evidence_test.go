package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"scensim/report"
)

// newsScenario has evidence: t.b not reached by mid.
const newsScenario = `scensim: 1
name: news
time: {start: 2025-01-01, step: week, steps: 20}
dates: {mid: 2025-03-01, late: 2025-04-15}
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

// A job with evidence and as_of_forecast: has a "From DATE on" table in
// the HTML and Markdown reports, whose t.b row reads 0% entered and every
// kept trial not yet; the same job without the key has none.
func TestReportAsOfForecast(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "news.yaml"), []byte(newsScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "b.yaml")
	text := "trials: 3000\nseed: 5\njobs:\n  - {scenario: news.yaml, as_of_forecast: 2025-03-01}\n  - {scenario: news.yaml, name: plain}\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runTestBatch(t, path, filepath.Join(dir, "out"))
	var html, md bytes.Buffer
	if err := report.WriteHTML(&html, r); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	var kept int64
	for _, j := range r.Jobs {
		if j.Name == "news" {
			kept = j.Result.Counts.Trials
		}
	}
	if kept == 0 || kept == 3000 {
		t.Fatalf("kept %d of 3000 trials", kept)
	}
	row := "| `t.b` | 0.0% | " + strconv.FormatInt(kept, 10) + " | "
	for _, want := range []string{"#### From 2025-03-01 on", "| from 2025-03-01 | entered | not yet | late (2025-04-15) | horizon | median entry |", row} {
		if c := strings.Count(md.String(), want); c != 1 {
			t.Errorf("report.md has %q %d times, want once", want, c)
		}
	}
	for _, want := range []string{"<h4>From 2025-03-01 on</h4>", `id="asof-`} {
		if c := strings.Count(html.String(), want); c != 1 {
			t.Errorf("report.html has %q %d times, want once", want, c)
		}
	}
}
