package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A nested run prints the top drivers under the outcome tables and writes
// drivers.csv; with too few draws it says so instead of ranking noise.
func TestRunPrintsTopDrivers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out, err := run(t, "run", "-q", "-n", "8000", "--draws", "40", "--no-charts", "-o", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "top drivers: first-order share") || !strings.Contains(out, "\nceasefire_by_horizon ") {
		t.Errorf("run output lacks the top drivers table:\n%s", out)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "baseline", "drivers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(csv), "outcome,rank,param,share,lo,hi,draws,bins,note\n") || !strings.Contains(string(csv), "\nceasefire_by_horizon,") {
		t.Errorf("drivers.csv:\n%s", csv)
	}
	out, err = run(t, "run", "-q", "-n", "1000", "--no-files")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "too few parameter draws to rank drivers (10; need 20)") {
		t.Errorf("a run of 10 draws does not say it has too few:\n%s", out)
	}
	out, err = run(t, "run", "-q", "-n", "1000", "--fixed-params", "--no-files")
	if err != nil || strings.Contains(out, "top drivers") {
		t.Errorf("a fixed-params run shows top drivers (%v):\n%s", err, out)
	}
}
