package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --draws and --fixed-params: bad values exit 2; a nested run prints both
// kinds of uncertainty and records its design; --fixed-params runs flat
// and says so; trace names the draw of a nested run's trial.
func TestDrawsAndFixedParams(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"run", "-n", "1000", "--draws", "0", "--no-files"},
		{"run", "-n", "1000", "--draws", "abc", "--no-files"},
		{"run", "-n", "1000", "--draws", "1001", "--no-files"},
		{"run", "-n", "1e6", "--draws", "20001", "--no-files"},
		{"run", "-n", "1000", "--draws", "10", "--fixed-params", "--no-files"},
		{"run", "--precision", "0.01", "--draws", "10", "--no-files"},
		{"trace", "--trial", "5", "--trials", "5"},
	} {
		if _, err := run(t, args...); exitCode(err) != 2 {
			t.Errorf("scensim %s: exit %d (%v), want 2", strings.Join(args, " "), exitCode(err), err)
		}
	}
	dir := t.TempDir()
	out, err := run(t, "run", "-q", "-n", "2000", "--draws", "20", "--no-charts", "-o", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"range over assumptions", "simulation error (95%)", "(20 draws of 100 trials)", "1 fixed, 56 drawn"} {
		if !strings.Contains(out, want) {
			t.Errorf("nested run output lacks %q:\n%s", want, out)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "baseline", "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Nested struct {
			Draws   int `json:"draws"`
			PerDraw int `json:"per_draw"`
		} `json:"nested"`
	}
	if err := json.Unmarshal(data, &doc); err != nil || doc.Nested.Draws != 20 || doc.Nested.PerDraw != 100 {
		t.Fatalf("result.json nested design %+v (%v), want 20 draws of 100", doc.Nested, err)
	}
	out, err = run(t, "run", "-q", "-n", "2000", "--fixed-params", "--no-files")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "range over assumptions") || !strings.Contains(out, "params=fixed") || !strings.Contains(out, "every param at its value") {
		t.Errorf("fixed-params run output:\n%s", out)
	}
	out, err = run(t, "trace", "--trial", "1234", "--trials", "2000", "--draws", "20")
	if err != nil || !strings.Contains(out, "trial 1234 is in parameter draw 12 (100 trials per draw)") {
		t.Fatalf("trace: %v\n%s", err, out)
	}
}
