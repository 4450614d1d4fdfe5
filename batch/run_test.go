package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"scensim/model"
	"scensim/outdir"
	"scensim/results"
	"scensim/results/chart"
	"scensim/runresult"
	"scensim/scenarios"
	"scensim/sim"
)

// testCompile compiles a job's scenario as the command does (without
// extends: resolution for files).
func testCompile(source string, sets []string) (*model.Plan, error) {
	var data []byte
	if name, ok := strings.CutPrefix(source, "embedded:"); ok {
		data, _ = scenarios.Read(name)
	} else {
		var err error
		if data, err = os.ReadFile(source); err != nil {
			return nil, err
		}
	}
	var ovs []model.Override
	for _, s := range sets {
		o, err := model.ParseOverride(s)
		if err != nil {
			return nil, err
		}
		ovs = append(ovs, o)
	}
	p, errs := model.CompileWith(source, data, model.Options{Overrides: ovs})
	if p == nil {
		return nil, errs
	}
	return p, nil
}

// testNext doubles the trials until every outcome's 95% half-width is at
// most target (a stand-in for the command's rule).
func testNext(t *sim.Tally, target float64, max int64) int64 {
	if runresult.WorstHalfWidth(t) <= target || t.Trials >= max {
		return t.Trials
	}
	return min(2*t.Trials, max)
}

// logBuffer collects log lines and calls on for each.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
	on func(line string)
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	l.b.Write(p)
	on := l.on
	l.mu.Unlock()
	if on != nil {
		on(string(p))
	}
	return len(p), nil
}

func testOptions(out string) Options {
	return Options{
		Out: out, ToolVersion: "test", Compile: testCompile, NextTotal: testNext, FirstRound: 1000,
		Charts: func(r *results.Result) (map[string][]byte, error) { return chart.All(r, chart.Options{Format: "svg"}) },
	}
}

func runBatch(t *testing.T, path string, opts Options) *Index {
	t.Helper()
	spec, errs := Load(path)
	if errs != nil {
		t.Fatal(errs.Snippets())
	}
	idx, err := Run(context.Background(), spec, opts)
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

func statuses(idx *Index) map[string]string {
	m := map[string]string{}
	for _, s := range append(append([]JobStatus{}, idx.Jobs...), idx.Comparisons...) {
		m[s.Name] = s.Status
	}
	return m
}

// noHidden fails if a temporary or half-written folder is left in out.
func noHidden(t *testing.T, out string) {
	t.Helper()
	ents, _ := os.ReadDir(out)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("%s left in the output root", e.Name())
		}
	}
}

func modTime(t *testing.T, path string) time.Time {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.ModTime()
}

// A second run skips every job whose folder holds its result; a changed
// job reruns alone; --force reruns everything.
func TestResumeAndForce(t *testing.T) {
	text := `trials: 2000
jobs:
  - scenario: toy.yaml
  - scenario: toy.yaml
    name: fast
    grid: {rate: [0.2, 0.4]}
  - scenario: toy.yaml
    name: precise
    precision: 0.02
compare:
  - [toy, fast+rate=0.2]
`
	path := writeBatch(t, text)
	out := filepath.Join(t.TempDir(), "out")
	idx := runBatch(t, path, testOptions(out))
	want := map[string]string{"toy": StatusRan, "fast+rate=0.2": StatusRan, "fast+rate=0.4": StatusRan, "precise": StatusRan, "compare-toy-vs-fast+rate=0.2": StatusRan}
	if got := statuses(idx); !equalMaps(got, want) {
		t.Fatalf("first run: %v", got)
	}
	for _, job := range []string{"toy", "fast+rate=0.2", "fast+rate=0.4", "precise"} {
		for _, f := range append(results.FileNames(), "job.json", "outcomes.svg") {
			if _, err := os.Stat(filepath.Join(out, job, f)); err != nil {
				t.Errorf("%s: %v", job, err)
			}
		}
	}
	for _, f := range []string{"compare.json", "compare.md", "compare.csv", "compare_outcomes.png", "job.json"} {
		if _, err := os.Stat(filepath.Join(out, "compare-toy-vs-fast+rate=0.2", f)); err != nil {
			t.Error(err)
		}
	}
	for _, f := range []string{IndexJSON, IndexMD} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	if idx.Jobs[3].Trials <= 1000 || idx.Jobs[3].Precision != 0.02 {
		t.Errorf("precision job: %d trials, precision %g", idx.Jobs[3].Trials, idx.Jobs[3].Precision)
	}
	stamp := modTime(t, filepath.Join(out, "toy", "result.json"))

	// Again: everything is up to date, nothing is rewritten.
	idx = runBatch(t, path, testOptions(out))
	for name, st := range statuses(idx) {
		if st != StatusUpToDate {
			t.Errorf("second run: %s is %q, want up to date", name, st)
		}
	}
	if !modTime(t, filepath.Join(out, "toy", "result.json")).Equal(stamp) {
		t.Error("an up-to-date job was rewritten")
	}
	if idx.Jobs[3].Trials != readResult(t, filepath.Join(out, "precise")).Counts.Trials {
		t.Error("an up-to-date precision job does not report its trials")
	}

	// A changed job reruns, and the comparison that uses it.
	path = writeBatch(t, strings.Replace(text, "grid: {rate: [0.2, 0.4]}", "grid: {rate: [0.2, 0.4]}\n    trials: 3000", 1))
	idx = runBatch(t, path, testOptions(out))
	want = map[string]string{"toy": StatusUpToDate, "fast+rate=0.2": StatusRan, "fast+rate=0.4": StatusRan, "precise": StatusUpToDate, "compare-toy-vs-fast+rate=0.2": StatusUpToDate}
	if got := statuses(idx); !equalMaps(got, want) {
		t.Errorf("after a change: %v", got)
	}
	if n := readResult(t, filepath.Join(out, "fast+rate=0.4")).Counts.Trials; n != 3000 {
		t.Errorf("rerun job has %d trials, want 3000", n)
	}

	// A folder that lost a file is not up to date.
	os.Remove(filepath.Join(out, "toy", "reached.csv"))
	idx = runBatch(t, path, testOptions(out))
	if st := statuses(idx)["toy"]; st != StatusRan {
		t.Errorf("incomplete folder: toy is %q, want ran", st)
	}

	// --force redoes everything.
	opts := testOptions(out)
	opts.Force = true
	idx = runBatch(t, path, opts)
	for name, st := range statuses(idx) {
		if st != StatusRan {
			t.Errorf("forced run: %s is %q, want ran", name, st)
		}
	}
	noHidden(t, out)
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func readResult(t *testing.T, dir string) *results.Result {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "result.json"))
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

// A job that fails at run time is reported with its error; the others
// still run, and the index records it.
func TestFailingJobDoesNotStopOthers(t *testing.T) {
	path := writeBatch(t, `trials: 1000
jobs:
  - scenario: toy.yaml
  - scenario: bad_prob.yaml
  - scenario: toy.yaml
    name: toy2
    set: {rate: 0.3}
compare:
  - [toy, bad_prob]
  - [toy, toy2]
`)
	out := filepath.Join(t.TempDir(), "out")
	var log logBuffer
	opts := testOptions(out)
	opts.Log = &log
	idx := runBatch(t, path, opts)
	want := map[string]string{"toy": StatusRan, "bad_prob": StatusFailed, "toy2": StatusRan,
		"compare-toy-vs-bad_prob": StatusFailed, "compare-toy-vs-toy2": StatusRan}
	if got := statuses(idx); !equalMaps(got, want) {
		t.Fatalf("statuses %v", got)
	}
	if idx.Failed() != 2 {
		t.Errorf("Failed() = %d, want 2", idx.Failed())
	}
	if e := idx.Jobs[1].Error; !strings.Contains(e, "bad_prob.yaml: trial ") || !strings.Contains(e, "outside [0, 1]") {
		t.Errorf("error %q does not name the file, the trial and the problem", e)
	}
	if _, err := os.Stat(filepath.Join(out, "bad_prob")); err == nil {
		t.Error("the failed job has a folder")
	}
	if !strings.Contains(log.b.String(), "bad_prob: FAILED: ") {
		t.Errorf("log does not report the failure:\n%s", log.b.String())
	}
	saved, err := os.ReadFile(filepath.Join(out, IndexJSON))
	if err != nil {
		t.Fatal(err)
	}
	var back Index
	if err := json.Unmarshal(saved, &back); err != nil || back.Jobs[1].Status != StatusFailed || back.Jobs[1].Error == "" {
		t.Errorf("index.json does not record the failure: %v", err)
	}
	md, _ := os.ReadFile(filepath.Join(out, IndexMD))
	if !strings.Contains(string(md), "| failed |") {
		t.Errorf("index.md:\n%s", md)
	}
	noHidden(t, out)
}

// A job that does not compile stops the batch before anything runs.
func TestCompileErrorsStopTheBatch(t *testing.T) {
	path := writeBatch(t, `jobs:
  - scenario: toy.yaml
  - scenario: toy.yaml
    name: typo
    set: {rat: 0.3}
`)
	spec, errs := Load(path)
	if errs != nil {
		t.Fatal(errs)
	}
	out := filepath.Join(t.TempDir(), "out")
	idx, err := Run(context.Background(), spec, testOptions(out))
	ce, ok := err.(*CompileError)
	if !ok || idx != nil {
		t.Fatalf("got %v, %v; want a *CompileError", idx, err)
	}
	if len(ce.Msgs) != 1 || !strings.Contains(ce.Msgs[0], "b.yaml:3:5: job typo: the scenario does not compile") || !strings.Contains(ce.Msgs[0], "rat") {
		t.Errorf("message: %s", ce.Error())
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a batch that does not compile wrote its output root")
	}
}

// Interrupting a batch keeps the finished jobs whole, writes no folder for
// the job it stopped (nor replaces an older one) or the ones after it,
// leaves no temporary folder, and writes the index of what finished.
func TestInterruptLeavesNoPartialFolder(t *testing.T) {
	text := `jobs:
  - scenario: toy.yaml
    trials: 1000
  - scenario: slow.yaml
    trials: 1000
  - scenario: toy.yaml
    name: after
    trials: 1000
`
	path := writeBatch(t, text)
	out := filepath.Join(t.TempDir(), "out")
	runBatch(t, path, testOptions(out)) // every folder exists, slow with 1000 trials
	before, _ := os.ReadFile(filepath.Join(out, "slow", "result.json"))

	// Now slow needs ten million trials; cancel while it runs.
	path = writeBatch(t, strings.Replace(strings.Replace(text, "trials: 1000\n  - scenario: toy.yaml\n    name", "trials: 10_000_000\n  - scenario: toy.yaml\n    name", 1), "name: after\n    trials: 1000", "name: after\n    trials: 2000", 1))
	spec, errs := Load(path)
	if errs != nil {
		t.Fatal(errs.Snippets())
	}
	os.RemoveAll(filepath.Join(out, "toy"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := testOptions(out)
	opts.Log = &logBuffer{on: func(line string) {
		if strings.HasPrefix(line, "[1/3] toy: ") {
			time.AfterFunc(50*time.Millisecond, cancel) // slow is running by then
		}
	}}
	idx, err := Run(ctx, spec, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"toy": StatusRan, "slow": StatusInterrupted, "after": StatusNotRun}
	if got := statuses(idx); !idx.Interrupted || !equalMaps(got, want) {
		t.Fatalf("interrupted %v, statuses %v", idx.Interrupted, got)
	}
	readResult(t, filepath.Join(out, "toy")) // whole
	after, _ := os.ReadFile(filepath.Join(out, "slow", "result.json"))
	if !bytes.Equal(before, after) {
		t.Error("the interrupted job replaced its older folder")
	}
	if r := readResult(t, filepath.Join(out, "after")); r.Counts.Trials != 1000 {
		t.Errorf("a job after the interruption was rewritten (%d trials)", r.Counts.Trials)
	}
	noHidden(t, out)
	saved, err := os.ReadFile(filepath.Join(out, IndexJSON))
	if err != nil {
		t.Fatal(err)
	}
	var back Index
	if err := json.Unmarshal(saved, &back); err != nil || !back.Interrupted || back.Jobs[1].Status != StatusInterrupted {
		t.Errorf("index.json does not record the interruption: %s", saved)
	}

	// Cancelled before the first job: nothing is written but the index.
	out2 := filepath.Join(t.TempDir(), "out")
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	idx, err = Run(ctx2, spec, testOptions(out2))
	if err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(out2)
	if len(ents) != 2 || !idx.Interrupted {
		t.Errorf("cancelled batch wrote %d entries", len(ents))
	}
}

// Several jobs at once give the same results as one after another.
func TestParallelJobsGiveTheSameResults(t *testing.T) {
	path := writeBatch(t, `trials: 3000
jobs:
  - scenario: toy.yaml
    grid: {rate: [0.05, 0.1, 0.2]}
`)
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	runBatch(t, path, testOptions(a))
	opts := testOptions(b)
	opts.Parallel, opts.Workers = 3, 1
	idx := runBatch(t, path, opts)
	if idx.Parallel != 3 {
		t.Errorf("parallel %d", idx.Parallel)
	}
	for _, j := range idx.Jobs {
		ra, rb := readResult(t, filepath.Join(a, j.Dir)), readResult(t, filepath.Join(b, j.Dir))
		var ba, bb bytes.Buffer
		results.WriteMarkdown(&ba, ra)
		results.WriteMarkdown(&bb, rb)
		if !bytes.Equal(ba.Bytes(), bb.Bytes()) {
			t.Errorf("%s differs between sequential and parallel jobs", j.Name)
		}
	}
}

// Resume checks every file a job wrote against the folder's manifest (size
// and SHA-256): a deleted chart, a CSV overwritten with as many bytes, a
// corrupted result.json or a missing manifest make the job run again;
// an intact folder is up to date.
func TestResumeChecksEveryFile(t *testing.T) {
	path := writeBatch(t, `trials: 1000
jobs:
  - scenario: toy.yaml
`)
	out := filepath.Join(t.TempDir(), "out")
	runBatch(t, path, testOptions(out))
	job := filepath.Join(out, "toy")
	charts, _ := filepath.Glob(filepath.Join(job, "*.svg"))
	if len(charts) == 0 {
		t.Fatal("the job wrote no chart")
	}
	csv := filepath.Join(job, "outcomes.csv")
	for _, c := range []struct {
		name  string
		spoil func() error
	}{
		{"intact", func() error { return nil }},
		{"deleted chart", func() error { return os.Remove(charts[0]) }},
		{"overwritten CSV, same size", func() error {
			data, err := os.ReadFile(csv)
			if err != nil {
				return err
			}
			data[len(data)-2] ^= 1 // a digit of the last row
			return os.WriteFile(csv, data, 0o644)
		}},
		{"null count", func() error {
			p := filepath.Join(job, "result.json")
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			i := bytes.Index(data, []byte(`"hits": [`))
			j := bytes.IndexAny(data[i+10:], "0123456789")
			k := i + 10 + j
			end := k + bytes.IndexAny(data[k:], ",\n]")
			return os.WriteFile(p, slices.Concat(data[:k], []byte("null"), data[end:]), 0o644)
		}},
		{"no manifest", func() error { return os.Remove(filepath.Join(job, outdir.ManifestName)) }},
	} {
		if err := c.spoil(); err != nil {
			t.Fatal(err)
		}
		want := StatusRan
		if c.name == "intact" {
			want = StatusUpToDate
		}
		if got := statuses(runBatch(t, path, testOptions(out)))["toy"]; got != want {
			t.Errorf("%s: toy is %q, want %q", c.name, got, want)
		}
		m, err := outdir.ReadManifestFile(job)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Verify(job); err != nil {
			t.Errorf("%s: after the run: %v", c.name, err)
		}
	}
}

// A second batch into an output root another batch is running in is
// refused before anything is simulated.
func TestSecondBatchIntoRootRefused(t *testing.T) {
	path := writeBatch(t, `trials: 1000
jobs:
  - scenario: toy.yaml
`)
	out := filepath.Join(t.TempDir(), "out")
	held, err := outdir.LockIn(out, RootLockName)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	spec, errs := Load(path)
	if errs != nil {
		t.Fatal(errs.Snippets())
	}
	idx, err := Run(context.Background(), spec, testOptions(out))
	if !errors.Is(err, outdir.ErrBusy) || idx != nil {
		t.Fatalf("Run into a locked root: %v, %v; want ErrBusy and no index", idx, err)
	}
	if _, err := os.Stat(filepath.Join(out, "toy")); !os.IsNotExist(err) {
		t.Errorf("a job ran: %v", err)
	}
}
