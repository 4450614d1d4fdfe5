package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs the CLI in-process with stdout captured.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	old := os.Stdout
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout = w
	done := make(chan string)
	go func() {
		var b bytes.Buffer
		_, _ = b.ReadFrom(r)
		done <- b.String()
	}()
	app := newApp()
	runErr := app.Run(interleave(app, append([]string{"scensim"}, args...)))
	w.Close()
	os.Stdout = old
	return <-done, runErr
}

func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if err != nil {
		return 1
	}
	return 0
}

// The same seed gives byte-identical files for any number of workers; only
// result.json's "run" section (workers, elapsed time) differs.
func TestRunFilesIdenticalAcrossWorkers(t *testing.T) {
	dir := t.TempDir()
	for _, w := range []string{"1", "2"} {
		if _, err := run(t, "run", "--quiet", "--trials", "3000", "--seed", "5", "--workers", w, "--out", filepath.Join(dir, w), "--format", "none"); err != nil {
			t.Fatal(err)
		}
	}
	names, _ := filepath.Glob(filepath.Join(dir, "1", "baseline", "[^.]*")) // not the hidden manifest
	if len(names) < 6 {
		t.Fatalf("wrote %d files, want at least 6", len(names))
	}
	for _, a := range names {
		b := filepath.Join(dir, "2", "baseline", filepath.Base(a))
		da, _ := os.ReadFile(a)
		db, err := os.ReadFile(b)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(a) == "result.json" {
			da, db = dropRun(t, da), dropRun(t, db)
		}
		if !bytes.Equal(da, db) {
			t.Errorf("%s differs between 1 and 2 workers", filepath.Base(a))
		}
	}
}

func dropRun(t *testing.T, data []byte) []byte {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "run")
	out, _ := json.Marshal(m)
	return out
}

func TestRunFlagsAfterArgsAndOverrides(t *testing.T) {
	out, err := run(t, "run", "baseline", "--trials", "500", "--no-files", "-q", "--set", "summer=2025-07-01")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"trials          500", "summer=2025-07-01", "ceasefire"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestBadInputsExitNonZero(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("scensim: 1\nname: x\ntime: {start: 2025-01-01, steps: 3}\ntracks: {t: {initial: a, states: [a], transitions: [{from: a, to: b, p: 2}]}}\n"), 0o644)
	cases := []struct {
		args []string
		code int
	}{
		{[]string{"run", "--trials", "1e12", "--no-files"}, 2},
		{[]string{"run", "--trials", "-3", "--no-files"}, 2},
		{[]string{"run", "--seed", "abc", "--no-files"}, 2},
		{[]string{"run", "--set", "nosuch=1", "--no-files", "-q"}, 2},
		{[]string{"run", "--set", "oops", "--no-files"}, 2},
		{[]string{"run", "--format", "xml", "--no-files"}, 2},
		{[]string{"run", "no/such/file.yaml"}, 2},
		{[]string{"validate", bad}, 2},
		{[]string{"validate"}, 2},
		{[]string{"trace", "--trial", "-1"}, 2},
	}
	for _, c := range cases {
		_, err := run(t, c.args...)
		if got := exitCode(err); got != c.code {
			t.Errorf("scensim %s: exit %d (%v), want %d", strings.Join(c.args, " "), got, err, c.code)
		}
	}
}

func TestValidateShowListTrace(t *testing.T) {
	out, err := run(t, "validate", "../../scenarios/baseline.yaml")
	if err != nil || !strings.Contains(out, ": ok:") {
		t.Fatalf("validate baseline: %v\n%s", err, out)
	}
	out, err = run(t, "list")
	if err != nil || !strings.Contains(out, "baseline (default)") {
		t.Fatalf("list: %v\n%s", err, out)
	}
	out, err = run(t, "show")
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"H1 ", "H10 ", "H19 "} {
		if !strings.Contains(out, "\n  "+h) {
			t.Errorf("show lists no place carrying %s", h)
		}
	}
	out, err = run(t, "trace", "--trial", "17")
	if err != nil || !strings.Contains(out, "trial 17") || !strings.Contains(out, "->") {
		t.Fatalf("trace: %v\n%s", err, out)
	}
}
