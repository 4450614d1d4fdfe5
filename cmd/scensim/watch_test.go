package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// liveToy is the live package's test scenario (live/testdata/toy.yaml):
// two drawn params, each with a range, so that moving one keeps the run
// nested (and the changes paired by draw).
var liveToy = func() string {
	b, err := os.ReadFile(filepath.Join("..", "..", "live", "testdata", "toy.yaml"))
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// lockedBuffer collects a process's output as it comes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor waits until the output holds a match of re after offset from,
// and returns the text from from to the end of the match. It fails the
// test if the process ends first or nothing matches within a generous
// limit (a guard against a hang, not a speed assertion).
func waitFor(t *testing.T, out *lockedBuffer, done <-chan struct{}, from int, re *regexp.Regexp) (string, int) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		s := out.String()
		if from <= len(s) {
			if loc := re.FindStringIndex(s[from:]); loc != nil {
				return s[from : from+loc[1]], from + loc[1]
			}
		}
		select {
		case <-done:
			t.Fatalf("the process ended before %q appeared; output:\n%s", re, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q did not appear; output:\n%s", re, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// writeFileAtomic replaces a file as an editor saving it does.
func writeFileAtomic(t *testing.T, path, text string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// watch re-runs on each save: a change to a param shows as a material,
// paired change; a broken save shows its positioned error and keeps the
// last good table; the fix shows a table again; a base file the scenario
// extends is watched too; SIGINT ends it with exit 130.
func TestWatchFollowsSaves(t *testing.T) {
	t.Parallel()
	bin := needBinary(t)
	dir := t.TempDir()
	base := filepath.Join(dir, "toy.yaml")
	path := filepath.Join(dir, "mine.yaml")
	writeFileAtomic(t, base, liveToy)
	overlay := "scensim: 1\nname: mine\nextends: toy.yaml\nparams:\n  p_c: {value: 0.05}\n"
	writeFileAtomic(t, path, overlay)
	cmd := exec.Command(bin, "watch", path, "--trials", "4000", "--poll", "50ms", "-j", "1")
	var out lockedBuffer
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	defer func() {
		select {
		case <-done:
		default:
			cmd.Process.Kill()
			<-done
		}
	}()
	v1, at := waitFor(t, &out, done, 0, regexp.MustCompile(`(?s)== version 1 of .*?lies beyond ±1 points\n`))
	if !strings.Contains(v1, "4000 trials, seed 7, 10 draws of 400 trials") || !regexp.MustCompile(`got_b +\d+\.\d%.*\(new\)`).MatchString(v1) {
		t.Fatalf("first table:\n%s", v1)
	}

	// 1. A change to a param in the base file: got_b rises, paired, marked.
	writeFileAtomic(t, base, strings.Replace(liveToy, `uniform(0.05, 0.15)`, `uniform(0.25, 0.35)`, 1))
	v2, at2 := waitFor(t, &out, done, at, regexp.MustCompile(`(?s)== version 2 of .*?lies beyond ±1 points\n`))
	if !regexp.MustCompile(`got_b +\d+\.\d% +\[[^]]*\] +\+\d+\.\d pt \[\+\d+\.\d, \+\d+\.\d\] paired <<`).MatchString(v2) {
		t.Fatalf("after moving rate, got_b is not shown as a material paired rise:\n%s", v2)
	}

	// 2. A broken save: the positioned error, and the last good table.
	writeFileAtomic(t, path, "scensim: 1\nname: mine\nextends: toy.yaml\nparams:\n  p_c: {value: 0.05, vlaue: 1}\n")
	v3, at3 := waitFor(t, &out, done, at2, regexp.MustCompile(`(?s)== version 3 of .*?lies beyond ±1 points\n`))
	if !regexp.MustCompile(`mine\.yaml:5:\d+: .*vlaue`).MatchString(v3) || !strings.Contains(v3, "(the last good table stands:)") || !strings.Contains(v3, "== version 2 of") {
		t.Fatalf("a broken save should show the positioned error and the last good table:\n%s", v3)
	}

	// 3. The fix (p_c raised): a table again, compared with version 2.
	writeFileAtomic(t, path, strings.Replace(overlay, "0.05", "0.3", 1))
	v4, _ := waitFor(t, &out, done, at3, regexp.MustCompile(`(?s)== version 4 of .*?lies beyond ±1 points\n`))
	if !regexp.MustCompile(`c_given_b +\d+\.\d% +\[[^]]*\] +\+\d+\.\d pt .*paired <<`).MatchString(v4) ||
		!regexp.MustCompile(`got_b +\d+\.\d% +\[[^]]*\] +[+-]0\.0 pt \[[+-]0\.0, [+-]0\.0\] paired\n`).MatchString(v4) {
		t.Fatalf("after the fix: c_given_b should rise and got_b stay exactly where it was:\n%s", v4)
	}

	// Ctrl-C ends it with exit 130.
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("watch did not end within 30 s of SIGINT")
	}
	var ee *exec.ExitError
	if !errors.As(waitErr, &ee) || ee.ExitCode() != ExitInterrupted {
		t.Fatalf("watch after SIGINT: %v, want exit %d; stderr:\n%s", waitErr, ExitInterrupted, stderr.String())
	}
}

// Bad arguments are bad input (exit 2), before anything is watched.
func TestWatchBadInput(t *testing.T) {
	t.Parallel()
	bin := needBinary(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "toy.yaml")
	writeFileAtomic(t, path, liveToy)
	for _, args := range [][]string{
		{"watch"},
		{"watch", filepath.Join(dir, "missing.yaml")},
		{"watch", "baseline"},
		{"watch", path, "--min-diff", "-1"},
		{"watch", path, "--draws", "5", "--fixed-params"},
		{"serve", path, "--port", "99999"},
		{"serve", path, path},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Stdout = io.Discard
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != ExitInput {
			t.Errorf("scensim %v: %v, want exit %d", args, err, ExitInput)
		}
	}
}
