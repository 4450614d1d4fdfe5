package main

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// A two-state scenario: θ ~ Beta(2, 6) per week, four weeks to the named
// date week4.
const evidenceScenario = `scensim: 1
name: geo
time:
  start: 2025-01-01
  step: week
  steps: 12
dates:
  week4: 2025-01-29
  week10: 2025-03-12
params:
  theta:
    dist: beta(2, 6)
tracks:
  x:
    initial: out
    states: [out, in]
    transitions:
      - {from: out, to: in, p: theta}
outcomes:
  by_week10: reached_by(x.in, week10)
`

func writeEvidenceFiles(t *testing.T) (dir string) {
	t.Helper()
	dir = t.TempDir()
	files := map[string]string{
		"geo.yaml":      evidenceScenario,
		"news.yaml":     "evidence:\n  not_yet:\n    not_reached: x.in\n    by: week4\n    source: a test fixture\n",
		"rare.yaml":     "evidence:\n  early:\n    reached: x.in\n    by: 2025-01-08\n    source: a test fixture\n",
		"bad.yaml":      "evidence:\n  not_yet:\n    not_reached: x.nowhere\n    by: week4\n    source: a test fixture\n",
		"late.yaml":     "evidence:\n  not_yet:\n    not_reached: x.in\n    by: 2026-01-01\n    source: a test fixture\n",
		"value.yaml":    "evidence:\n  v: {value: by_week10, in: [0, 1], at: week4, source: a test fixture}\n",
		"geo_news.yaml": "scensim: 1\nname: geo_news\nextends: geo.yaml\nevidence:\n  not_yet: {not_reached: x.in, by: week4, source: a test fixture}\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// run --evidence keeps the agreeing trials, writes the evidence section
// into result.json and prints the acceptance and the prior/posterior table.
func TestRunWithEvidence(t *testing.T) {
	t.Parallel()
	dir := writeEvidenceFiles(t)
	out, err := run(t, "run", filepath.Join(dir, "geo.yaml"), "--evidence", filepath.Join(dir, "news.yaml"),
		"-n", "20000", "--draws", "40", "--seed", "4", "-q", "--no-charts", "-o", filepath.Join(dir, "out"), "--as-of", "2025-01-29")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"kept by the evidence, of 20000 run", "not reached x.in by 2025-01-29", "effective number of draws", "posterior", "from 2025-01-29"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	r := readResultFile(t, filepath.Join(dir, "out", "geo", "result.json"))
	if r.Evidence == nil || r.Evidence.Ran != 20000 || r.Evidence.Accepted != r.Counts.Trials || r.Manifest.Trials != 20000 {
		t.Fatalf("evidence section %+v, manifest trials %d", r.Evidence, r.Manifest.Trials)
	}
	if len(r.Manifest.EvidenceFiles) != 1 || !strings.HasPrefix(r.Manifest.EvidenceFiles[0], filepath.Join(dir, "news.yaml")+" ") {
		t.Errorf("manifest evidence files %q", r.Manifest.EvidenceFiles)
	}
	if cmd := (commandLines{}).RunCommand(r); !strings.Contains(cmd, "--trials 20000") || !strings.Contains(cmd, "--evidence "+filepath.Join(dir, "news.yaml")) {
		t.Errorf("reproducing command %q", cmd)
	}
	// Posterior Beta(2, 10) has mean 1/6 against the prior's 1/4.
	p := r.Evidence.Params[0]
	if p.Prior.Mean < 0.23 || p.Prior.Mean > 0.27 || p.Posterior.Mean < 0.15 || p.Posterior.Mean > 0.185 {
		t.Errorf("theta prior mean %.4f posterior mean %.4f, want about 0.25 and 0.167", p.Prior.Mean, p.Posterior.Mean)
	}
	// The overlay with the same evidence gives the same counts: the
	// evidence compiles the same from a file of its own or an overlay.
	if _, err := run(t, "run", filepath.Join(dir, "geo_news.yaml"), "-n", "20000", "--draws", "40", "--seed", "4", "-q", "--no-charts", "-o", filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	o := readResultFile(t, filepath.Join(dir, "out", "geo_news", "result.json"))
	if !reflect.DeepEqual(o.Counts, r.Counts) {
		t.Error("the evidence overlay and --evidence give different counts")
	}
}

// Bad evidence is bad input (exit 2) with a positioned message; evidence
// that too few trials satisfy fails with the acceptance rate and a
// suggested trial count, writing nothing.
func TestEvidenceBadInput(t *testing.T) {
	t.Parallel()
	dir := writeEvidenceFiles(t)
	geo := filepath.Join(dir, "geo.yaml")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--evidence", filepath.Join(dir, "bad.yaml")}, `bad.yaml:3:18: in evidence not_yet: unknown state "x.nowhere"`},
		{[]string{"--evidence", filepath.Join(dir, "late.yaml")}, "late.yaml:4:9: evidence not_yet: 2026-01-01 is after the horizon"},
		{[]string{"--evidence", filepath.Join(dir, "missing.yaml")}, "--evidence: open"},
		{[]string{"--evidence", filepath.Join(dir, "value.yaml")}, `value.yaml:2:14: evidence v: "by_week10" is a yes/no outcome, not a value outcome`},
		{[]string{"--evidence", filepath.Join(dir, "rare.yaml"), "-n", "300"}, "the evidence kept"},
		{[]string{"--evidence", filepath.Join(dir, "news.yaml"), "--as-of", "2025-13-01"}, `--as-of "2025-13-01": want a date`},
		{[]string{"--evidence", filepath.Join(dir, "news.yaml"), "--as-of", "2027-01-01", "-n", "1000"}, "--as-of \"2027-01-01\": want a date YYYY-MM-DD from 2025-01-01 to 2025-03-26"},
	}
	bin := needBinary(t)
	for _, c := range cases {
		out := filepath.Join(dir, "out-bad")
		args := append([]string{"run", geo, "-q", "--no-charts", "-f", "none", "-o", out, "--seed", "1"}, c.args...)
		stderr, code := runBinary(t, bin, dir, args...)
		if code != ExitInput || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant exit %d and %q", c.args, code, stderr, ExitInput, c.want)
		}
	}
	// 300 trials keep about 300·P(entered at point 1) = 300·0.25 ≈ 75 < 100.
	_, err := run(t, "run", geo, "-q", "--no-files", "-f", "none", "-n", "300", "--seed", "1", "--evidence", filepath.Join(dir, "rare.yaml"))
	if err == nil || !strings.Contains(err.Error(), "trials would keep 1000") {
		t.Errorf("too few accepted: %v", err)
	}
	if _, statErr := os.Stat(filepath.Join(dir, "out-bad", "geo", "result.json")); statErr == nil {
		t.Error("a failed run wrote result.json")
	}
}

// Shards of a conditioned run merge into exactly the unsharded result, and
// 1 or 2 workers give the same counts.
func TestEvidenceShardsAndWorkers(t *testing.T) {
	t.Parallel()
	dir := writeEvidenceFiles(t)
	base := []string{"run", filepath.Join(dir, "geo.yaml"), "--evidence", filepath.Join(dir, "news.yaml"), "-n", "6001", "--draws", "13", "--seed", "8", "-q", "--no-charts", "-f", "none"}
	for _, w := range []string{"1", "2"} {
		if _, err := run(t, append(base, "-j", w, "-o", filepath.Join(dir, "w"+w))...); err != nil {
			t.Fatal(err)
		}
	}
	one := readResultFile(t, filepath.Join(dir, "w1", "geo", "result.json"))
	two := readResultFile(t, filepath.Join(dir, "w2", "geo", "result.json"))
	if !reflect.DeepEqual(one.Counts, two.Counts) {
		t.Fatal("1 and 2 workers keep different trials")
	}
	var shards []string
	for _, k := range []string{"0/3", "1/3", "2/3"} {
		if _, err := run(t, append(base, "--shard", k, "-o", filepath.Join(dir, "shards"))...); err != nil {
			t.Fatal(err)
		}
	}
	shards, _ = filepath.Glob(filepath.Join(dir, "shards", "geo-shard-*"))
	if _, err := run(t, append([]string{"merge", "-q", "-f", "none", "--no-charts", "-o", filepath.Join(dir, "merged")}, shards...)...); err != nil {
		t.Fatal(err)
	}
	merged := readResultFile(t, filepath.Join(dir, "merged", "geo", "result.json"))
	if !reflect.DeepEqual(merged.Counts, one.Counts) || !reflect.DeepEqual(merged.Evidence, one.Evidence) {
		t.Fatal("merged shards differ from the unsharded conditioned run")
	}
}

// The briefing batch with the illustrative evidence runs (few trials) and
// its report has the prior-vs-posterior section and the comparison.
func TestBriefingEvidenceBatch(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "..", "scenarios", "batches", "briefing_evidence.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	scen, _ := filepath.Abs(filepath.Join("..", "..", "scenarios"))
	text := strings.NewReplacer("trials: 100000", "trials: 1500", "out: out/briefing_evidence", "out: "+filepath.Join(dir, "out"), "../", scen+"/").Replace(string(src))
	file := filepath.Join(dir, "batch.yaml")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, "batch", "-q", "--resolutions", filepath.Join(dir, "missing.yaml"), file); exitCode(err) != ExitInput {
		t.Fatalf("a missing resolutions file: %v, want exit %d before the jobs run", err, ExitInput)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Fatal("the batch ran with a missing resolutions file")
	}
	if _, err := run(t, "batch", "-q", "--resolutions", filepath.Join(scen, "examples", "resolutions.example.yaml"), file); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "out", "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"### Evidence: prior and posterior", "HYPOTHETICAL", "prior median [5%, 95%]", "before-and-after-evidence",
		"## Resolutions and running score", "| running score |", "#### From 2025-04-30 on", "(paired ratio)", "| `talks.ceasefire` | 0.0% | "} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	r := readResultFile(t, filepath.Join(dir, "out", "evidence_example", "result.json"))
	if r.Evidence == nil || r.Evidence.Ran != 1500 || r.Evidence.Accepted >= 1500 {
		t.Errorf("evidence_example: %+v", r.Evidence)
	}
}

// validate --evidence checks an evidence file against the scenario and
// lists the items.
func TestValidateEvidence(t *testing.T) {
	t.Parallel()
	dir := writeEvidenceFiles(t)
	out, err := run(t, "validate", filepath.Join(dir, "geo.yaml"), "--evidence", filepath.Join(dir, "news.yaml"))
	if err != nil || !strings.Contains(out, "1 evidence item(s)") || !strings.Contains(out, "not_yet: not reached x.in by 2025-01-29 (source: a test fixture)") {
		t.Errorf("validate: %v\n%s", err, out)
	}
	if _, err := run(t, "validate", filepath.Join(dir, "geo.yaml"), "--evidence", filepath.Join(dir, "bad.yaml")); exitCode(err) != ExitInput {
		t.Errorf("validate with bad evidence: %v, want exit %d", err, ExitInput)
	}
}

// trace says whether the evidence keeps a trial, and agrees with a run:
// the trials it keeps are as many as the run keeps.
func TestTraceEvidence(t *testing.T) {
	t.Parallel()
	dir := writeEvidenceFiles(t)
	geo, news := filepath.Join(dir, "geo.yaml"), filepath.Join(dir, "news.yaml")
	const n = 500
	if _, err := run(t, "run", geo, "--evidence", news, "-n", "500", "--seed", "3", "-q", "--no-charts", "-f", "none", "-o", filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	r := readResultFile(t, filepath.Join(dir, "out", "geo", "result.json"))
	kept := 0
	for i := range n {
		out, err := run(t, "trace", geo, "--evidence", news, "--trial", fmt.Sprint(i), "--seed", "3", "-n", "500")
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.Contains(out, "evidence: kept"):
			kept++
		case !strings.Contains(out, "evidence: REJECTED"):
			t.Fatalf("trace of trial %d says nothing of the evidence:\n%s", i, out)
		}
	}
	if int64(kept) != r.Counts.Trials {
		t.Errorf("trace keeps %d of %d trials, the run %d", kept, n, r.Counts.Trials)
	}
}
