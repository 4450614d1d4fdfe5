package report_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"scensim/model"
	"scensim/report"
)

// With a resolutions file the report shows each outcome's resolution and
// each job's running Brier score: the mean of (p − outcome)² over the
// resolved outcomes.
func TestReportResolutions(t *testing.T) {
	r := runTestBatch(t, writeTestBatch(t), filepath.Join(t.TempDir(), "out"))
	res := []byte("resolutions:\n  got_b: {value: yes, date: 2025-05-01, source: a test}\n  c_given_b: {value: open}\n")
	if err := r.Resolve("res.yaml", res); err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := report.WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	text := md.String()
	for _, want := range []string{"## Resolutions and running score", "| `got_b` | yes (2025-05-01) |", "| `c_given_b` | open |", "| running score | 1 resolved |"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Each job's running score is (1 − p)² of its got_b forecast.
	for _, j := range r.Jobs {
		p := float64(j.Result.Counts.Hits[0]) / float64(j.Result.Counts.Trials)
		want := fmt.Sprintf("Brier %.3f over 1", (1-p)*(1-p))
		if !strings.Contains(text, want) {
			t.Errorf("job %s: report lacks %q", j.Name, want)
		}
	}
	var html bytes.Buffer
	if err := report.WriteHTML(&html, r); err != nil || !strings.Contains(html.String(), `id="resolutions"`) {
		t.Errorf("HTML: %v, section present %v", err, strings.Contains(html.String(), `id="resolutions"`))
	}
	// A file naming an unknown outcome gives positioned errors.
	err := r.Resolve("bad.yaml", []byte("resolutions:\n  nope: {value: yes, date: 2025-05-01}\n"))
	var list model.ErrorList
	if err == nil || !asErrorList(err, &list) || !strings.Contains(err.Error(), "bad.yaml:2:3") {
		t.Errorf("bad resolutions: %v", err)
	}
}

func asErrorList(err error, out *model.ErrorList) bool {
	l, ok := err.(model.ErrorList)
	*out = l
	return ok
}
