package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checksScenario has one headline outcome with a question, an internal
// date and one check; broken makes the check fail in most trials.
func checksScenario(t *testing.T, broken bool) string {
	t.Helper()
	expr := "not reached(t.b) or entry(t.b) > 0"
	if broken {
		expr = "not reached(t.b)"
	}
	src := `scensim: 1
name: checked
time: {start: 2025-01-01, step: week, steps: 20}
dates:
  cut: {value: 2025-02-01, internal: true}
tracks:
  t:
    initial: a
    states: [a, b]
    transitions:
      - {from: a, to: b, p: 0.1}
outcomes:
  got_b: {when: reached(t.b), group: main, headline: true, question: "Does t reach b?"}
  early_b: {when: "reached_by(t.b, cut)", group: main}
checks:
  b_not_at_start: {expr: "` + expr + `", why: b is entered by a transition}
`
	file := filepath.Join(t.TempDir(), "checked.yaml")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestValidateAndShowListChecks(t *testing.T) {
	file := checksScenario(t, false)
	out, err := run(t, "validate", file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "1 check(s), not judged yet") || !strings.Contains(out, "b_not_at_start") {
		t.Errorf("validate does not list the check:\n%s", out)
	}
	out, err = run(t, "show", file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CHECKS (not judged yet", "b_not_at_start", "[main]", "(headline)", "question: Does t reach b?", "internal: not drawn"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
}

// Checks never appear in the outcome table; headline outcomes come first.
func TestRunTableHeadlineNoChecks(t *testing.T) {
	out, err := run(t, "run", "--quiet", "--no-files", "--trials", "2000", "--questions", checksScenario(t, false))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "b_not_at_start") {
		t.Errorf("a check in the run's tables:\n%s", out)
	}
	h, all := strings.Index(out, "Headline\n"), strings.Index(out, "All outcomes\n")
	if h < 0 || all < h || !strings.Contains(out[h:all], "got_b") || strings.Contains(out[h:all], "early_b") {
		t.Errorf("want a Headline table of got_b alone before all outcomes:\n%s", out)
	}
	if !strings.Contains(out, "Does t reach b?") {
		t.Errorf("--questions shows no question:\n%s", out)
	}
}

// A broken check stops the run with exit code 3, naming the trial, check
// and expression, and the trace command that replays it; trace shows it.
func TestBrokenCheckExit3(t *testing.T) {
	file := checksScenario(t, true)
	_, err := run(t, "run", "--quiet", "--no-files", "--trials", "2000", "--seed", "4", file)
	if code := exitCode(err); code != ExitRuntime {
		t.Fatalf("exit %d (%v), want %d", code, err, ExitRuntime)
	}
	msg := err.Error()
	// The horizon is step 21: the date cut (a Saturday) splits a weekly step.
	for _, want := range []string{"check b_not_at_start does not hold: not reached(t.b)", "step 21 (2025-05-21", "scensim trace --trial ", "--seed 4 " + file} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	i := strings.Index(msg, "--trial ")
	trial := strings.Fields(msg[i+len("--trial "):])[0]
	out, err := run(t, "trace", "--trial", trial, "--seed", "4", file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "check b_not_at_start") || !strings.Contains(out, "BROKEN") {
		t.Errorf("trace of trial %s does not show the broken check:\n%s", trial, out)
	}
}
