package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scensim/batch"
)

// resultWithoutRun reads a result.json as a generic document without its
// "run" block (elapsed time, start time and workers, which legitimately
// differ between two runs of the same trials).
func resultWithoutRun(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "run")
	return doc
}

// A batch job is the run of its scenario: with the same seed, trials and
// draws (given or the default choice) or fixed params, its result.json
// (but for the run block) and its outcome table are those of scensim run,
// nested draws, ranges over assumptions and drivers included.
func TestBatchJobIsTheRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cases := []struct {
		name, batchKeys string
		runFlags        []string
	}{
		{"default_draws", "", nil},
		{"given_draws", "    draws: 7\n", []string{"--draws", "7"}},
		{"fixed", "    fixed_params: true\n", []string{"--fixed-params"}},
	}
	for _, c := range cases {
		runOut := filepath.Join(dir, "run-"+c.name)
		args := append([]string{"run", "baseline", "-n", "3000", "--seed", "11", "-o", runOut, "-q", "-f", "none", "--no-charts"}, c.runFlags...)
		if _, err := run(t, args...); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, c.name+".yaml")
		batchOut := filepath.Join(dir, "batch-"+c.name)
		text := fmt.Sprintf("seed: 11\ntrials: 3000\nout: %s\njobs:\n  - scenario: baseline\n%s", batchOut, c.batchKeys)
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := run(t, "batch", file, "-q", "--no-report"); err != nil {
			t.Fatal(err)
		}
		a := resultWithoutRun(t, filepath.Join(runOut, "baseline", "result.json"))
		b := resultWithoutRun(t, filepath.Join(batchOut, "baseline", "result.json"))
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Errorf("%s: result.json of batch and run differ:\nrun   %.600s\nbatch %.600s", c.name, ja, jb)
		}
		ca, _ := os.ReadFile(filepath.Join(runOut, "baseline", "outcomes.csv"))
		cb, _ := os.ReadFile(filepath.Join(batchOut, "baseline", "outcomes.csv"))
		if len(ca) == 0 || !bytes.Equal(ca, cb) {
			t.Errorf("%s: outcomes.csv differs (%d and %d bytes)", c.name, len(ca), len(cb))
		}
		res := readResultFile(t, filepath.Join(batchOut, "baseline", "result.json"))
		nested := res.Counts.Draws() > 0
		if want := c.name != "fixed"; nested != want {
			t.Errorf("%s: nested %v, want %v", c.name, nested, want)
		}
		if c.name == "given_draws" && res.Counts.Draws() != 7 {
			t.Errorf("draws: 7 gave %d draws", res.Counts.Draws())
		}
		// Run again: up to date. The draws are part of the key: other
		// draws run the job again.
		if _, err := run(t, "batch", file, "-q", "--no-report"); err != nil {
			t.Fatal(err)
		}
		if st := jobStatus(t, batchOut); st != batch.StatusUpToDate {
			t.Errorf("%s: second run %q, want up to date", c.name, st)
		}
		if c.name == "fixed" {
			continue
		}
		other := text + "    draws: 6\n"
		if c.batchKeys != "" {
			other = strings.Replace(text, "draws: 7", "draws: 6", 1)
		}
		if err := os.WriteFile(file, []byte(other), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := run(t, "batch", file, "-q", "--no-report"); err != nil {
			t.Fatal(err)
		}
		if st := jobStatus(t, batchOut); st != batch.StatusRan {
			t.Errorf("%s: with other draws %q, want ran", c.name, st)
		}
	}
}

// jobStatus is the status of the only job of the batch written to out.
func jobStatus(t *testing.T, out string) string {
	t.Helper()
	idx, err := batch.ReadIndex(filepath.Join(out, "index.json"))
	if err != nil || len(idx.Jobs) != 1 {
		t.Fatalf("index: %v", err)
	}
	return idx.Jobs[0].Status
}

// A batch's min_diff: is the threshold of its comparisons, and the
// report's summary lists their material changes by it and says so.
func TestBatchMinDiffReachesReport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	copyTestScenarios(t, dir)
	file := filepath.Join(dir, "b.yaml")
	out := filepath.Join(dir, "out")
	text := "trials: 2000\nmin_diff: 3\nout: " + out + "\njobs:\n  - scenario: toy.yaml\n    grid: {rate: [0.1, 0.2]}\ncompare:\n  - [toy+rate=0.1, toy+rate=0.2]\n"
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, "batch", file, "-q"); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "±3.00 pp") || strings.Contains(string(md), "±1.00 pp") {
		t.Errorf("the report's summary does not judge by min_diff 3:\n%.3000s", md)
	}
}
