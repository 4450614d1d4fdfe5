package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const diffToy = `scensim: 1
name: toy
as_of: 2025-01-01
time: {start: 2025-01-01, step: week, steps: 20}
params:
  rate: {value: 0.1, range: [0.05, 0.2], source: [H1]}
tracks:
  t:
    initial: a
    states: [a, b, c]
    transitions:
      - {from: a, to: b, rate: rate, source: [H1]}
      - {from: b, to: c, p: 0.05, source: [H2]}
outcomes:
  got_b: {when: reached(t.b), source: [H1]}
  got_c: {when: reached(t.c), source: [H2]}
  c_given_b: {when: reached(t.c), given: reached(t.b), source: [H2]}
run: {trials: 4000, seed: 7}
`

// diffRuns writes the toy scenario and runs it into dir/NAME/toy with the
// given extra arguments.
func diffRun(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	file := filepath.Join(dir, "toy.yaml")
	if err := os.WriteFile(file, []byte(diffToy), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, name)
	if _, err := run(t, append([]string{"run", "-q", "--no-charts", "-f", "none", "-o", out, file}, args...)...); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(out, "toy")
}

func TestDiffCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := diffRun(t, dir, "a")
	b := diffRun(t, dir, "b")
	c := diffRun(t, dir, "c", "--set", "rate=0.3")

	// The run's header and result.json carry the scenario's as_of date.
	out, err := run(t, "run", "-q", "--no-files", filepath.Join(dir, "toy.yaml"))
	if err != nil || !regexp.MustCompile(`(?m)^as of +2025-01-01 \(the date of the information`).MatchString(out) {
		t.Errorf("run header lacks the as_of date: %v\n%s", err, out)
	}
	if data, err := os.ReadFile(filepath.Join(a, "result.json")); err != nil || !strings.Contains(string(data), `"as_of": "2025-01-01"`) {
		t.Errorf("result.json lacks the as_of date: %v", err)
	}

	// Two runs of the same scenario: no change, and it says so.
	out, err = run(t, "diff", a, filepath.Join(b, "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "**No change**") || !strings.Contains(out, "**Assumptions that changed**: none.") ||
		!strings.Contains(out, "**Material changes**: none of 3 outcomes.") || !strings.Contains(out, "as of 2025-01-01") {
		t.Errorf("identical runs:\n%s", out)
	}

	// One param changed: exactly that param with both values, then the
	// material changes (rate 0.1 → 0.3 moves got_b by far more than 1 pp).
	out, err = run(t, "diff", a, c)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "No change") || !strings.Contains(out, "**Assumptions that changed (1)**") ||
		!strings.Contains(out, "| param rate value | `0.1` | `0.3` |") {
		t.Errorf("one param changed: assumptions wrong:\n%s", out)
	}
	if m := regexp.MustCompile("(?m)^\\| `got_b` \\| [0-9.]+% .*\\| \\+[0-9.]+ \\[\\+[0-9.]+, \\+[0-9.]+\\] \\|$").FindString(out); m == "" {
		t.Errorf("one param changed: got_b not among the material changes:\n%s", out)
	}

	out, err = run(t, "diff", a, c, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Diffs []struct {
			Diff struct {
				Assumptions []struct{ Kind, Name, Field, Old, New string }
				Material    []struct {
					Outcome string
					D, Lo   float64
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Diffs) != 1 {
		t.Fatalf("json: %v\n%s", err, out)
	}
	d := doc.Diffs[0].Diff
	if len(d.Assumptions) != 1 || d.Assumptions[0].Name != "rate" || d.Assumptions[0].Old != "0.1" || d.Assumptions[0].New != "0.3" {
		t.Errorf("json assumptions: %+v", d.Assumptions)
	}
	found := false
	for i, m := range d.Material {
		found = found || m.Outcome == "got_b" && m.Lo > 0.01
		if i > 0 && abs(m.D) > abs(d.Material[i-1].D) {
			t.Errorf("json material not largest first: %+v", d.Material)
		}
	}
	if !found {
		t.Errorf("json material lacks got_b: %+v", d.Material)
	}

	// A result written before results kept their scenario says so.
	old := filepath.Join(dir, "old.json")
	data, err := os.ReadFile(filepath.Join(a, "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	m := raw["manifest"].(map[string]any)
	if _, ok := m["snapshot"]; !ok {
		t.Fatal("result.json keeps no snapshot of its scenario")
	}
	delete(m, "snapshot")
	data, _ = json.Marshal(raw)
	if err := os.WriteFile(old, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = run(t, "diff", old, c)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "**Assumptions that changed**: not known.") || !strings.Contains(out, "was written before results kept a snapshot") {
		t.Errorf("old result:\n%s", out)
	}

	// Two batch roots: jobs paired by name.
	for _, root := range []struct{ name, job string }{{"root1", a}, {"root2", c}} {
		r := filepath.Join(dir, root.name)
		if err := os.MkdirAll(filepath.Join(r, "toy"), 0o755); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(filepath.Join(root.job, "result.json"))
		os.WriteFile(filepath.Join(r, "toy", "result.json"), data, 0o644)
		os.WriteFile(filepath.Join(r, "index.json"), []byte(`{"jobs": [{"name": "toy", "dir": "toy"}, {"name": "failed", "dir": "failed"}]}`), 0o644)
	}
	out, err = run(t, "diff", filepath.Join(dir, "root1"), filepath.Join(dir, "root2"))
	if err != nil || !strings.Contains(out, "### toy") || !strings.Contains(out, "| param rate value | `0.1` | `0.3` |") {
		t.Errorf("batch roots: %v\n%s", err, out)
	}

	// Bad input: exit 2 with a message naming the problem.
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"diff", a}, "want two results"},
		{[]string{"diff", a, filepath.Join(dir, "nothing")}, "nothing"},
		{[]string{"diff", a, dir}, "neither a result"},
		{[]string{"diff", a, filepath.Join(dir, "root1")}, "cannot compare a single result with a batch output root"},
		{[]string{"diff", a, c, "--min-diff", "-1"}, "--min-diff"},
		{[]string{"diff", a, c, "--format", "html"}, "--format"},
	} {
		_, err := run(t, bad.args...)
		if exitCode(err) != ExitInput || err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%v: exit %d, error %v; want exit %d naming %q", bad.args, exitCode(err), err, ExitInput, bad.want)
		}
	}
}

func abs(x float64) float64 { return max(x, -x) }

// A merged result keeps the scenario snapshot of its shards.
func TestMergeKeepsSnapshot(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	diffRun(t, dir, "s", "--shard", "0/2")
	diffRun(t, dir, "s", "--shard", "1/2")
	s0, s1 := filepath.Join(dir, "s", "toy-shard-0-of-2"), filepath.Join(dir, "s", "toy-shard-1-of-2")
	if _, err := run(t, "merge", "-q", "-f", "none", "--no-charts", "-o", filepath.Join(dir, "m"), s0, s1); err != nil {
		t.Fatal(err)
	}
	a := diffRun(t, dir, "a")
	out, err := run(t, "diff", a, filepath.Join(dir, "m", "toy"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "**Assumptions that changed**: none.") {
		t.Errorf("merged result vs unsharded run:\n%s", out)
	}
}
