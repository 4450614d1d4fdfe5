package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const tinyScenario = "../../analysis/testdata/tiny.yaml"

// Bad input to the analysis commands exits with code 2 and says what is
// wrong; a sweep value that breaks the model at run time exits with 3.
func TestAnalysisErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	broken := filepath.Join(dir, "runtime.yaml")
	os.WriteFile(broken, []byte(`scensim: 1
name: rt
time: {start: 2025-01-01, steps: 3}
params:
  p: {value: 0.5, range: [0, 1]}
  u: {value: 0.5, dist: "uniform(0.5, 1)"}
tracks:
  t:
    initial: a
    states: [a, b]
    transitions:
      - {from: a, to: b, p: p * (1 + u)}
outcomes:
  b: {when: reached(t.b)}
`), 0o644)
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"sweep", tinyScenario, "--param", "pp=0:1:3"}, 2, `unknown param "pp" (did you mean "p"?)`},
		{[]string{"sweep", tinyScenario, "--param", "p=0.3:0.1:5"}, 2, "empty range"},
		{[]string{"sweep", tinyScenario, "--param", "p=0.1:0.3:1"}, 2, "at least 2"},
		{[]string{"sweep", tinyScenario, "--param", "p=0.1:0.3:5000"}, 2, "at most 1001"},
		{[]string{"sweep", tinyScenario, "--param", "p=0:0.1:1001", "-n", "2e9"}, 2, "trials in all"},
		{[]string{"sweep", tinyScenario}, 2, "--param"},
		{[]string{"sweep", tinyScenario, "--param", "p=0:0.1:3", "--outcome", "nope"}, 2, `unknown outcome "nope"`},
		{[]string{"sweep", broken, "--param", "p=0.5:0.9:3"}, 3, "p=0.7"},
		{[]string{"tornado", tinyScenario}, 2, "--outcome"},
		{[]string{"tornado", tinyScenario, "--outcome", "y_by_fuor"}, 2, `did you mean "y_by_four"`},
		{[]string{"tornado", tinyScenario, "--outcome", "y_by_four", "--pct", "0"}, 2, "--pct"},
		{[]string{"calibrate", tinyScenario, "--target", "y_by_four=1.5", "--vary", "p"}, 2, "between 0 and 1"},
		{[]string{"calibrate", tinyScenario, "--target", "y_by_four=0", "--vary", "p"}, 2, "between 0 and 1"},
		{[]string{"calibrate", tinyScenario, "--target", "nope=0.3", "--vary", "p"}, 2, `unknown outcome "nope"`},
		{[]string{"calibrate", tinyScenario, "--target", "y_by_four=0.3", "--vary", "nope"}, 2, `unknown param "nope"`},
		{[]string{"calibrate", tinyScenario, "--target", "y_by_four=0.3", "--vary", "q"}, 2, "no range"},
		{[]string{"calibrate", tinyScenario, "--target", "y_by_four=0.3", "--vary", "p=0.3:0.1"}, 2, "empty range"},
		{[]string{"psa", tinyScenario, "--inner", "1"}, 2, "--inner"},
		{[]string{"psa", tinyScenario, "--sampling", "sobol"}, 2, "--sampling"},
		{[]string{"psa", tinyScenario, "--set", "u=0.3"}, 2, "no sampled params"},
		{[]string{"sobol", tinyScenario, "--params", "q"}, 2, "neither dist: nor range:"},
		{[]string{"sobol", tinyScenario, "--samples", "5"}, 2, "--samples"},
		{[]string{"run", tinyScenario, "--sampling", "lhs", "--precision", "0.01", "--no-files"}, 2, "--precision"},
		{[]string{"run", tinyScenario, "--sampling", "halton", "--no-files"}, 2, "--sampling"},
	}
	for _, c := range cases {
		args := append(c.args, "-q", "-o", dir, "-f", "none")
		_, err := run(t, args...)
		if got := exitCode(err); got != c.code || err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("scensim %s: exit %d (%v), want %d with %q", strings.Join(c.args, " "), got, err, c.code, c.msg)
		}
	}
}

// Every analysis command writes its folder, with the same bytes (the JSON's
// run section aside) for any number of workers. Charts are drawn as SVG,
// much cheaper than PNG and as exact a test of their bytes.
func TestAnalysisFilesIdenticalAcrossWorkers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cmds := [][]string{
		{"sweep", tinyScenario, "--param", "p=0.02:0.3:5", "-n", "1000"},
		{"tornado", tinyScenario, "--outcome", "y_by_four", "-n", "1000"},
		{"psa", tinyScenario, "--outer", "50", "--inner", "20", "--bootstrap", "50"},
		{"sobol", tinyScenario, "--samples", "50", "--inner", "4", "--bootstrap", "50", "--params", "u,w,p"},
		{"calibrate", tinyScenario, "--target", "y_by_four=0.3", "--vary", "p", "-n", "1000", "--check-trials", "2000"},
	}
	for _, cmd := range cmds {
		var sets [][]string
		folder := "tiny-" + cmd[0]
		if cmd[0] == "sweep" {
			folder += "-p"
		}
		for _, w := range []string{"1", "2"} {
			out := filepath.Join(dir, w)
			if _, err := run(t, append(cmd, "-q", "-f", "none", "-j", w, "-o", out, "--chart-format", "svg")...); err != nil {
				t.Fatalf("%s: %v", strings.Join(cmd, " "), err)
			}
			files, _ := filepath.Glob(filepath.Join(out, folder, "[^.]*")) // not the hidden manifest
			sets = append(sets, files)
		}
		if len(sets[0]) < 4 || len(sets[0]) != len(sets[1]) {
			t.Fatalf("%s wrote %v and %v", cmd[0], sets[0], sets[1])
		}
		hasChart := false
		for _, a := range sets[0] {
			b := filepath.Join(dir, "2", folder, filepath.Base(a))
			da, _ := os.ReadFile(a)
			db, _ := os.ReadFile(b)
			if strings.HasSuffix(a, ".json") {
				da, db = dropRun(t, da), dropRun(t, db)
			}
			if !bytes.Equal(da, db) {
				t.Errorf("%s: %s differs between 1 and 2 workers", cmd[0], filepath.Base(a))
			}
			hasChart = hasChart || strings.HasSuffix(a, ".svg")
		}
		if !hasChart {
			t.Errorf("%s wrote no chart: %v", cmd[0], sets[0])
		}
	}
}

// The calibrated scenario that calibrate writes runs with scensim run and
// gives the check's result.
func TestCalibratedScenarioRuns(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	scen := filepath.Join(dir, "tiny.yaml")
	data, _ := os.ReadFile(tinyScenario)
	os.WriteFile(scen, data, 0o644)
	out := filepath.Join(dir, "out")
	if _, err := run(t, "calibrate", scen, "--target", "y_by_four=0.3", "--vary", "p", "-n", "20000", "--seed", "5", "-q", "-f", "none", "-o", out); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Targets []struct {
			Check struct {
				K, N int64
			}
			Tolerance float64
			Hit       bool
		}
		CheckSeed   uint64 `json:"check_seed"`
		CheckTrials int64  `json:"check_trials"`
	}
	js, err := os.ReadFile(filepath.Join(out, "tiny-calibrate", "calibrate.json"))
	if err != nil || json.Unmarshal(js, &doc) != nil {
		t.Fatal(err)
	}
	overlay := filepath.Join(out, "tiny-calibrate", "tiny_calibrated.yaml")
	// Its base is outside its folder: it runs only with --allow-outside.
	if _, err := run(t, "run", overlay, "-f", "none", "--no-files", "-q"); exitCode(err) != 2 || !strings.Contains(err.Error(), "1 error(s)") {
		t.Errorf("the calibrated scenario without --allow-outside: %v (exit %d), want exit 2", err, exitCode(err))
	}
	text, err := run(t, "run", overlay, "--allow-outside", "-f", "json", "--no-files", "-q") // its run: section is the check's
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Counts struct{ Hits []int64 }
	}
	if err := json.Unmarshal([]byte(text), &res); err != nil {
		t.Fatal(err)
	}
	if doc.CheckSeed != 6 || doc.CheckTrials != 100000 || res.Counts.Hits[0] != doc.Targets[0].Check.K {
		t.Errorf("re-run: %d hits; the check (seed %d, %d trials) had %d", res.Counts.Hits[0], doc.CheckSeed, doc.CheckTrials, doc.Targets[0].Check.K)
	}
	if !doc.Targets[0].Hit {
		t.Errorf("target missed: %+v", doc.Targets[0])
	}
}

// run --sampling lhs: a Latin hypercube over the run's trials, the same
// for any worker count, recorded in the manifest, and merged from shards
// into exactly the unsharded result.
func TestRunLatinHypercube(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var outs []string
	for _, w := range []string{"1", "2"} {
		o, err := run(t, "run", tinyScenario, "--sampling", "lhs", "-n", "3000", "-j", w, "--no-files", "-q", "-f", "markdown")
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, o)
	}
	if outs[0] != outs[1] || !strings.Contains(outs[0], "sampling=lhs") {
		t.Errorf("LHS run: differs across workers or does not say so:\n%s", outs[0])
	}
	mc, _ := run(t, "run", tinyScenario, "-n", "3000", "--no-files", "-q", "-f", "markdown")
	if mc == outs[0] {
		t.Error("--sampling lhs gave the same result as mc")
	}
	for k := range 2 {
		if _, err := run(t, "run", tinyScenario, "--sampling", "lhs", "-n", "3000", "--shard", []string{"0/2", "1/2"}[k], "-o", dir, "-q", "-f", "none", "--no-charts"); err != nil {
			t.Fatal(err)
		}
	}
	merged, err := run(t, "merge", filepath.Join(dir, "tiny-shard-0-of-2"), filepath.Join(dir, "tiny-shard-1-of-2"), "-o", filepath.Join(dir, "m"), "-q", "-f", "markdown", "--no-charts")
	if err != nil {
		t.Fatal(err)
	}
	if merged != outs[0] {
		t.Errorf("merged LHS shards differ from the unsharded run:\n%s\nvs\n%s", merged, outs[0])
	}
}

// A second run of an analysis into the same folder leaves only its own
// files: no chart of an outcome it did not draw.
func TestAnalysisFolderHoldsOneRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, outcomes := range []string{"y_by_four,z_by_four", "y_by_four"} {
		if _, err := run(t, "tornado", tinyScenario, "--outcome", outcomes, "-n", "500", "-q", "-f", "none", "-o", dir); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "tiny-tornado", "[^.]*"))
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	if strings.Join(names, " ") != "tornado.csv tornado.json tornado.md tornado.png" {
		t.Errorf("folder holds %v", names)
	}
}
