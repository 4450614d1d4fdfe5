package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCompareCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out, err := run(t, "compare", "baseline", "no_linkage", "-n", "2000", "-q", "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"COMPARE baseline | no_linkage", "ASSUMPTIONS THAT DIFFER", "param linkage_boost", "no_linkage switches off H8:",
		"link_agendas removed", "OUTCOMES: no_linkage vs baseline", "ceasefire_by_horizon", "CRN: the paired intervals"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "compare-baseline-vs-no_linkage", "[^.]*"))
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	if got := strings.Join(names, " "); got != "compare.csv compare.json compare.md compare_diff.png compare_outcomes.png compare_values.csv" {
		t.Errorf("files: %s", got)
	}
	data, err := os.ReadFile(filepath.Join(dir, "compare-baseline-vs-no_linkage", "compare.json"))
	if err != nil || !json.Valid(data) {
		t.Errorf("compare.json: %v", err)
	}

	// The same scenario twice: nothing differs, and it says so.
	out, err = run(t, "compare", "baseline", "baseline", "-n", "500", "-q", "--no-files")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "COMPARE baseline | baseline#2") || !strings.Contains(out, "none: the scenarios make the same assumptions") || strings.Contains(out, " *") {
		t.Errorf("identical scenarios:\n%s", out)
	}
}

func TestHypothesesCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out, err := run(t, "hypotheses", "-n", "500", "-q", "--out", dir, "--top", "5")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"HYPOTHESES of baseline", "rank", "H8", "WHICH HYPOTHESIS DRIVES WHICH OUTCOME", "WHAT SWITCHING EACH OFF DID"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// Every hypothesis of the baseline can be switched off, so each is run.
	if strings.Contains(out, "not run") {
		t.Errorf("some hypothesis was not run:\n%s", out)
	}
	for i := 1; i <= 19; i++ {
		if h := fmt.Sprintf("H%d ", i); !strings.Contains(out, h) {
			t.Errorf("output lacks %q", h)
		}
	}
	for _, f := range []string{"hypotheses.csv", "hypotheses.json", "hypotheses.md"} {
		if _, err := os.Stat(filepath.Join(dir, "hypotheses-baseline", f)); err != nil {
			t.Error(err)
		}
	}
}

func TestShowExplainsDisable(t *testing.T) {
	t.Parallel()
	out, err := run(t, "show", "no_linkage")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"extends embedded:baseline", "SWITCHED OFF: H8", "H8 off: param linkage_boost = 0 (its off value; was ~ pert(0.1, 0.5, 1))",
		"H8 off: transition linkage: link_agendas removed", "linkage_boost              0  range [0, 1] [H8]  off: 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("show no_linkage lacks %q:\n%s", want, out)
		}
	}
	// A variant file on disk extends the baseline beside it.
	out, err = run(t, "validate", "../../scenarios/ground_force.yaml")
	if err != nil || !strings.Contains(out, ": ok:") {
		t.Errorf("validate ground_force.yaml: %v\n%s", err, out)
	}
}

func TestCompareBadInputs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	missing := write("missing.yaml", "scensim: 1\nname: missing\nextends: nosuch\n")
	typo := write("typo.yaml", "scensim: 1\nname: typo\nextends: baseline\nparams:\n  linkage_bost: 0\n")
	cycleA := write("ca.yaml", "scensim: 1\nname: ca\nextends: cb\n")
	write("cb.yaml", "scensim: 1\nname: cb\nextends: ca\n")
	cases := []struct {
		args []string
		code int
	}{
		{[]string{"compare", "baseline", "--no-files"}, 2},
		{[]string{"compare", "baseline", "nosuch", "--no-files", "-q"}, 2},
		{[]string{"compare", "baseline", "no_linkage", "--format", "xml", "--no-files"}, 2},
		{[]string{"compare", "baseline", "no_linkage", "--chart-format", "gif"}, 2},
		{[]string{"compare", "baseline", "no_linkage", "--trials", "0", "--no-files"}, 2},
		{[]string{"compare", "baseline", "no_linkage", "--seed", "x", "--no-files"}, 2},
		{[]string{"compare", "baseline", "no_linkage", "--set", "nosuch=1", "--no-files", "-q"}, 2},
		{[]string{"compare", "baseline", missing, "--no-files", "-q"}, 2},
		{[]string{"compare", "baseline", typo, "--no-files", "-q"}, 2},
		{[]string{"validate", cycleA}, 2},
		{[]string{"hypotheses", "baseline", "no_linkage"}, 2},
		{[]string{"hypotheses", "--workers", "0"}, 2},
	}
	for _, c := range cases {
		_, err := run(t, c.args...)
		if got := exitCode(err); got != c.code {
			t.Errorf("scensim %s: exit %d (%v), want %d", strings.Join(c.args, " "), got, err, c.code)
		}
	}
}
