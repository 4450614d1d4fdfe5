package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/urfave/cli/v2"
)

// parseMu serialises the CLI library's flag parsing across parallel tests:
// urfave/cli v2 applies its package-level help and version flags on every
// parse, a write that the race detector reports between two apps parsing
// at once. A command runs concurrently with the others once its flags are
// parsed (its Before hook releases the lock).
var parseMu sync.Mutex

// run runs the CLI in-process with its stdout captured and returns it with
// the command's error; stderr is logged when the test fails.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	app := newApp()
	app.Writer, app.ErrWriter = &stdout, &stderr
	parseMu.Lock()
	var once sync.Once
	parsed := func() { once.Do(parseMu.Unlock) }
	for _, cmd := range app.Commands {
		before := cmd.Before
		cmd.Before = func(c *cli.Context) error {
			parsed()
			if before != nil {
				return before(c)
			}
			return nil
		}
	}
	runErr := app.RunContext(context.Background(), interleave(app, append([]string{"scensim"}, args...)))
	parsed()
	t.Cleanup(func() {
		if t.Failed() && stderr.Len() > 0 {
			t.Logf("stderr of scensim %s:\n%s", strings.Join(args, " "), stderr.String())
		}
	})
	return stdout.String(), runErr
}

// exitCode is the process exit code main would give for err.
func exitCode(err error) int { return exitCodeOf(err) }

// The same seed gives byte-identical files for any number of workers; only
// result.json's "run" section (workers, elapsed time) differs. Charts are
// drawn as SVG, much cheaper than PNG and as exact a test of their bytes.
func TestRunFilesIdenticalAcrossWorkers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, w := range []string{"1", "2"} {
		if _, err := run(t, "run", "--quiet", "--trials", "3000", "--seed", "5", "--workers", w, "--out", filepath.Join(dir, w), "--format", "none", "--chart-format", "svg"); err != nil {
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
	t.Parallel()
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
	t.Parallel()
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
		{[]string{"nosuch"}, 2},
		{[]string{"help", "nosuch"}, 2},
		{[]string{"run", "--nosuch"}, 2},
		{[]string{"run", "--trials"}, 2},
		{[]string{"run", "--workers", "two"}, 2},
		{[]string{"compare", "--nosuch", "a", "b"}, 2},
		{[]string{"--nosuch"}, 2},
	}
	for _, c := range cases {
		_, err := run(t, c.args...)
		if got := exitCode(err); got != c.code {
			t.Errorf("scensim %s: exit %d (%v), want %d", strings.Join(c.args, " "), got, err, c.code)
		}
	}
}

func TestValidateShowListTrace(t *testing.T) {
	t.Parallel()
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

// help lists the commands; help CMD and CMD --help show the command's
// flags; both exit 0.
func TestHelp(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"help"}, "compare"},
		{[]string{"help", "run"}, "--trials"},
		{[]string{"run", "--help"}, "--trials"},
		{[]string{"help", "compare"}, "--workers"},
		{nil, "COMMANDS"},
	} {
		out, err := run(t, c.args...)
		if err != nil || !strings.Contains(out, c.want) {
			t.Errorf("scensim %s: %v; output lacks %q:\n%s", strings.Join(c.args, " "), err, c.want, out)
		}
	}
}

// The exit code of a command's error, and the cause kept behind it.
func TestExitCodeKeepsCause(t *testing.T) {
	t.Parallel()
	cause := os.ErrNotExist
	err := exitErrorf(ExitWrite, "writing x: %w", cause)
	if exitCodeOf(err) != ExitWrite || !errors.Is(err, cause) {
		t.Errorf("exit %d, errors.Is(cause) %v", exitCodeOf(err), errors.Is(err, cause))
	}
	wrapped := fmt.Errorf("outer: %w", exitWith(ExitInput, cause))
	if exitCodeOf(wrapped) != ExitInput || !errors.Is(wrapped, cause) {
		t.Errorf("wrapped: exit %d", exitCodeOf(wrapped))
	}
	if exitCodeOf(nil) != ExitOK || exitCodeOf(errors.New("x")) != ExitWrite {
		t.Error("nil or unclassified errors get the wrong code")
	}
	var stdout, stderr bytes.Buffer
	parseMu.Lock() // runMain parses flags like run does (see parseMu)
	code := runMain(context.Background(), []string{"scensim", "nosuch"}, &stdout, &stderr)
	parseMu.Unlock()
	if code != ExitInput || !strings.Contains(stderr.String(), `unknown command "nosuch"`) {
		t.Errorf("runMain nosuch: exit %d, stderr %q", code, stderr.String())
	}
}
