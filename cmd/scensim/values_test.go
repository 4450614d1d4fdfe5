package main

import (
	"strings"
	"testing"
)

// trace prints the trial's value outcomes; compare reports their paired
// differences and the ratios asked for, and an unknown ratio name is bad
// input.
func TestValueOutcomesCommands(t *testing.T) {
	t.Parallel()
	out, err := run(t, "validate", "baseline")
	if err != nil || !strings.Contains(out, "3 value outcome(s), a number per trial: weeks_to_ceasefire") {
		t.Errorf("validate does not list the value outcomes (%v):\n%s", err, out)
	}
	out, err = run(t, "trace", "--trial", "3")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"value   weeks_to_ceasefire", "value   weeks_us_pressing_kyiv"} {
		if !strings.Contains(out, want) {
			t.Errorf("trace lacks %q:\n%s", want, out)
		}
	}
	out, err = run(t, "compare", "--quiet", "--no-files", "--trials", "2000", "baseline", "us_presses_moscow",
		"--ratio", "weeks_us_pressing_kyiv/weeks_talks_without_agreement")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"VALUE OUTCOMES: us_presses_moscow vs baseline", "weeks_to_ceasefire (weeks)", "Δweeks_us_pressing_kyiv / Δweeks_talks_without_agreement"} {
		if !strings.Contains(out, want) {
			t.Errorf("compare lacks %q:\n%s", want, out)
		}
	}
	_, err = run(t, "compare", "--quiet", "--no-files", "--trials", "100", "baseline", "us_presses_moscow", "--ratio", "weeks_to_ceasefire/nope")
	if exitCode(err) != 2 || err == nil || !strings.Contains(err.Error(), "two different value outcomes") {
		t.Errorf("unknown ratio name: exit %d, %v; want 2", exitCode(err), err)
	}
}
