package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// valuedScenario writes a scenario with one yes/no outcome (b) and two
// value outcomes: steps_in_b (always defined) and weeks_to_b (undefined
// when b is never reached, so it has no Sobol indices).
func valuedScenario(t *testing.T) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "valued.yaml")
	src := `scensim: 1
name: valued
time: {start: 2025-01-01, steps: 10}
params:
  u: {value: 0.2, dist: "uniform(0.05, 0.5)", range: [0.05, 0.5]}
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
    unit: steps
  weeks_to_b:
    value: entry(t.b) / weeks(1)
`
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// pngCharts lists the PNG files of dir, each checked to decode.
func pngCharts(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.png"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(b)); err != nil {
			t.Errorf("%s does not decode: %v", n, err)
		}
		out = append(out, filepath.Base(n))
	}
	return out
}

// psa, sobol and calibrate draw charts of the value outcomes they compute:
// psa one per value outcome; sobol the bars of each value outcome named by
// --outcome (and, when only value outcomes are named, no yes/no bars);
// calibrate its chart for a value target alone.
func TestValueOutcomeCharts(t *testing.T) {
	t.Parallel()
	file := valuedScenario(t)
	out := t.TempDir()
	common := []string{"-q", "-f", "none", "-o", out}
	if _, err := run(t, append([]string{"psa", file, "--outer", "40", "--inner", "20", "--bootstrap", "20"}, common...)...); err != nil {
		t.Fatal(err)
	}
	if got, want := pngCharts(t, filepath.Join(out, "valued-psa")), []string{"psa.png", "psa_value_steps_in_b.png", "psa_value_weeks_to_b.png"}; !slices.Equal(got, want) {
		t.Errorf("psa charts %v, want %v", got, want)
	}
	sobol := append([]string{"sobol", file, "--samples", "40", "--inner", "10", "--bootstrap", "20"}, common...)
	if _, err := run(t, append(sobol, "--outcome", "steps_in_b,weeks_to_b")...); err != nil {
		t.Fatal(err)
	}
	if got, want := pngCharts(t, filepath.Join(out, "valued-sobol")), []string{"sobol.png", "sobol_value_steps_in_b.png"}; !slices.Equal(got, want) {
		t.Errorf("sobol --outcome steps_in_b,weeks_to_b: charts %v, want %v", got, want)
	}
	if _, err := run(t, append(sobol, "--outcome", "steps_in_b", "--outcome", "b")...); err != nil {
		t.Fatal(err)
	}
	if got, want := pngCharts(t, filepath.Join(out, "valued-sobol")), []string{"sobol.png", "sobol_b.png", "sobol_value_steps_in_b.png"}; !slices.Equal(got, want) {
		t.Errorf("sobol --outcome steps_in_b --outcome b: charts %v, want %v", got, want)
	}
	if _, err := run(t, append([]string{"calibrate", file, "--target", "steps_in_b=5", "--vary", "u", "-n", "2000", "--check-trials", "2000"}, common...)...); err != nil {
		t.Fatal(err)
	}
	if got, want := pngCharts(t, filepath.Join(out, "valued-calibrate")), []string{"calibrate.png", "calibrate_trace.png"}; !slices.Equal(got, want) {
		t.Errorf("calibrate of a value target: charts %v, want %v", got, want)
	}
	_, err := run(t, append(sobol, "--outcome", "steps_in_b,stpes_in_b")...)
	if exitCode(err) != 2 || err == nil || !strings.Contains(err.Error(), "unknown outcome") {
		t.Errorf("a misspelt outcome: exit %d, %v; want 2", exitCode(err), err)
	}
}
