package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scensim/batch"
	"scensim/results"
)

// copyTestScenarios copies the batch package's test scenarios into dir.
func copyTestScenarios(t *testing.T, dir string) {
	t.Helper()
	for _, f := range []string{"toy.yaml", "bad_prob.yaml"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "batch", "testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readResultFile(t *testing.T, path string) *results.Result {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := results.ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// run takes several scenarios at once, files or embedded names, and
// writes one folder each.
func TestRunSeveralScenarios(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	copyTestScenarios(t, dir)
	out := filepath.Join(dir, "out")
	if _, err := run(t, "run", "baseline", filepath.Join(dir, "toy.yaml"), "no_linkage", "-n", "2000", "--seed", "9", "-o", out, "-q", "-f", "none", "--no-charts"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"baseline", "toy", "no_linkage"} {
		r := readResultFile(t, filepath.Join(out, name, "result.json"))
		if r.Manifest.Scenario != name || r.Counts.Trials != 2000 || r.Manifest.Seed != 9 {
			t.Errorf("%s: scenario %s, %d trials, seed %d", name, r.Manifest.Scenario, r.Counts.Trials, r.Manifest.Seed)
		}
	}
	// A broken file among them stops the run before the first one starts.
	out2 := filepath.Join(dir, "out2")
	os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte("scensim: 1\nname: x\n"), 0o644)
	_, err := run(t, "run", filepath.Join(dir, "toy.yaml"), filepath.Join(dir, "broken.yaml"), "-o", out2, "-q", "-f", "none")
	if exitCode(err) != 2 {
		t.Errorf("exit %d, want 2", exitCode(err))
	}
	if _, err := os.Stat(out2); err == nil {
		t.Error("a run with a broken file wrote results")
	}
}

// batch: exit 0 when every job ran, 1 when one failed (the others still
// ran), 2 for a malformed batch file; it writes the index and the report;
// a second run skips what is up to date.
func TestBatchCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	copyTestScenarios(t, dir)
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte("trials: 1000\nout: "+filepath.Join(dir, "good")+"\njobs:\n  - scenario: toy.yaml\n    grid: {rate: [0.1, 0.2]}\ncompare:\n  - [toy+rate=0.1, toy+rate=0.2]\n"), 0o644)
	if _, err := run(t, "batch", good, "-q"); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"index.json", "index.md", "report.html", "report.md", "toy+rate=0.1/result.json", "toy+rate=0.2/outcomes.png", "compare-toy+rate=0.1-vs-toy+rate=0.2/compare.json"} {
		if _, err := os.Stat(filepath.Join(dir, "good", f)); err != nil {
			t.Error(err)
		}
	}
	html, _ := os.ReadFile(filepath.Join(dir, "good", "report.html"))
	if !strings.Contains(string(html), "Two steps to a terminal state.") {
		t.Error("the report lacks the scenario's description")
	}
	if _, err := run(t, "batch", good, "-q"); err != nil {
		t.Fatal(err)
	}
	idx, err := batch.ReadIndex(filepath.Join(dir, "good", "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append(idx.Jobs, idx.Comparisons...) {
		if s.Status != batch.StatusUpToDate {
			t.Errorf("second run: %s %s", s.Name, s.Status)
		}
	}
	if _, err := run(t, "batch", good, "-q", "--force", "--no-report", "--parallel", "2"); err != nil {
		t.Fatal(err)
	}

	failing := filepath.Join(dir, "failing.yaml")
	os.WriteFile(failing, []byte("trials: 1000\njobs:\n  - scenario: bad_prob.yaml\n  - scenario: toy.yaml\n"), 0o644)
	out := filepath.Join(dir, "failing-out")
	_, err = run(t, "batch", failing, "-o", out, "-q")
	if exitCode(err) != 1 {
		t.Errorf("a failing job: exit %d, want 1 (%v)", exitCode(err), err)
	}
	if _, err := os.Stat(filepath.Join(out, "toy", "result.json")); err != nil {
		t.Error("the job after the failing one did not run")
	}
	html, _ = os.ReadFile(filepath.Join(out, "report.html"))
	if !strings.Contains(string(html), `id="failed"`) || !strings.Contains(string(html), "outside [0, 1]") {
		t.Error("the report does not list the failed job with its error")
	}

	malformed := filepath.Join(dir, "malformed.yaml")
	os.WriteFile(malformed, []byte("jobs:\n  - scenario: toy.yaml\n    trials: lots\n"), 0o644)
	if _, err := run(t, "batch", malformed, "-q"); exitCode(err) != 2 {
		t.Errorf("a malformed batch file: exit %d, want 2", exitCode(err))
	}
	typo := filepath.Join(dir, "typo.yaml")
	os.WriteFile(typo, []byte("jobs:\n  - scenario: toy.yaml\n    set: {rat: 1}\n"), 0o644)
	if _, err := run(t, "batch", typo, "-q", "-o", filepath.Join(dir, "typo-out")); exitCode(err) != 2 {
		t.Errorf("a job that does not compile: exit %d, want 2", exitCode(err))
	}

	list, err := run(t, "batch", good, "--list")
	if err != nil || !strings.Contains(list, "toy+rate=0.2") || !strings.Contains(list, "paired: toy+rate=0.1 vs toy+rate=0.2") {
		t.Errorf("--list: %v\n%s", err, list)
	}
}

// report makes a report of plain run folders, describing each scenario
// from its file when the file is unchanged.
func TestReportOfRunFolders(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	copyTestScenarios(t, dir)
	out := filepath.Join(dir, "out")
	if _, err := run(t, "run", filepath.Join(dir, "toy.yaml"), "baseline", "-n", "1000", "-o", out, "-q", "-f", "none"); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, "report", out, "-q"); err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`id="outcomes-toy"`, `id="outcomes-baseline"`, "Two steps to a terminal state.", "Hypotheses cited: H1, H2"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report.html lacks %s", want)
		}
	}
	md, _ := os.ReadFile(filepath.Join(out, "report.md"))
	if !strings.Contains(string(md), "![Outcome probabilities](toy/outcomes.png)") {
		t.Error("report.md does not link the saved charts")
	}
	if _, err := run(t, "report", filepath.Join(dir, "nothing-here")); exitCode(err) != 2 {
		t.Errorf("report of a missing folder: exit %d, want 2", exitCode(err))
	}
	var idx map[string]any
	if data, err := os.ReadFile(filepath.Join(out, "index.json")); err == nil {
		json.Unmarshal(data, &idx)
		t.Errorf("report wrote an index: %v", idx)
	}
}
