package main

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
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

// show lists each value outcome with its kind, its expression and how it
// is summed, and indexes its sources among the hypotheses.
func TestShowListsValueOutcomes(t *testing.T) {
	t.Parallel()
	out, err := run(t, "show", "baseline")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"VALUE OUTCOMES (a number per trial)",
		"weeks_to_ceasefire         value: entry(talks.ceasefire) / weeks(1)",
		"accumulate: us_stance.pressing_kyiv  (depends on state) [H3, H16]",
		"summed over the points of the trial, one per step",
		"unit weeks; histogram 53 bins over [-0.5, 52.5)",
		"value outcome weeks_to_ceasefire",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	file := filepath.Join(t.TempDir(), "cohort.yaml")
	src := `
scensim: 1
name: cohort
time: {start: 2025-01-01, step: month, steps: 12}
tracks:
  h:
    initial: well
    states: [well, sick]
    transitions:
      - {from: well, to: sick, p: 0.03}
outcomes:
  cost:
    accumulate: "h.sick ? 800 : 100"
    discount: 0.035
    half_cycle: true
`
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = run(t, "show", file)
	if err != nil {
		t.Fatal(err)
	}
	if want := "with half-cycle correction (trapezoid rule), discounted at 0.035 a year"; !strings.Contains(out, want) {
		t.Errorf("show lacks %q:\n%s", want, out)
	}
}

// sobol --outcome takes a value outcome's name (alone or in a list with
// yes/no outcomes) and shows its first-order and total indices of
// E[value | θ] with their intervals, or why it has none; a value outcome
// named twice is bad input.
func TestSobolOutcomeTakesValueOutcomes(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "valued.yaml")
	src := `scensim: 1
name: valued
time: {start: 2025-01-01, steps: 10}
params:
  u: {value: 0.2, dist: "uniform(0.05, 0.5)"}
  w: {value: 0.5, dist: "uniform(0, 1)"}
tracks:
  t:
    initial: a
    states: [a, b]
    transitions:
      - {from: a, to: b, p: u}
outcomes:
  b: {when: reached(t.b)}
  steps_in_b:
    accumulate: t.b
  weeks_to_b:
    value: entry(t.b) / weeks(1)
`
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"sobol", file, "--samples", "40", "--inner", "20", "--bootstrap", "40", "--no-files", "-q"}
	out, err := run(t, append(args, "--outcome", "b,steps_in_b", "--outcome", "weeks_to_b")...)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"steps_in_b: E[value | θ] has mean",
		"weeks_to_b: no Sobol indices",
		"undefined in some trials",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("sobol lacks %q:\n%s", want, out)
		}
	}
	// u drives the steps in b; w is read by nothing.
	var st = map[string]float64{}
	for _, line := range strings.Split(out[strings.Index(out, "steps_in_b: E[value"):], "\n")[2:4] {
		f := strings.Fields(line)
		if len(f) < 6 {
			t.Fatalf("index row %q", line)
		}
		x, err := strconv.ParseFloat(f[len(f)-3], 64)
		if err != nil {
			t.Fatalf("index row %q: %v", line, err)
		}
		st[f[0]] = x
	}
	if !(st["u"] > 0.5) || !(math.Abs(st["w"]) < 0.1) {
		t.Errorf("total indices %v: want u above 0.5 and w near 0", st)
	}
	_, err = run(t, append(args, "--outcome", "steps_in_b,steps_in_b")...)
	if exitCode(err) != 2 || err == nil || !strings.Contains(err.Error(), "named twice") {
		t.Errorf("a value outcome named twice: exit %d, %v; want 2", exitCode(err), err)
	}
}
