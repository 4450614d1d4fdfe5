package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"scensim/model"
	"scensim/scenarios"
)

// binary is the scensim command built once for the package's tests that
// need a real process (see TestMain); "" if the build failed.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "scensim-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin := filepath.Join(dir, "scensim")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building scensim for the process tests: %v\n%s", err, out)
	} else {
		binary = bin
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// needBinary returns the built command or fails the test.
func needBinary(t *testing.T) string {
	t.Helper()
	if binary == "" {
		t.Fatal("the scensim binary could not be built (see the output above)")
	}
	return binary
}

// A signal stops every kind of long command: it exits 130 (ExitInterrupted)
// and leaves no output folder of the interrupted work. Each command is
// given far more work than it could finish before the signal; the signal
// is sent once the process has had time to start its work. The only time
// limit is a generous one that fails the test if the process never ends.
func TestSignalStopsLongCommands(t *testing.T) {
	t.Parallel()
	bin := needBinary(t)
	dir := t.TempDir()
	copyTestScenarios(t, dir)
	batchFile := filepath.Join(dir, "long.yaml")
	if err := os.WriteFile(batchFile, []byte("trials: 100000000\nout: "+filepath.Join(dir, "batch-out")+"\njobs:\n  - scenario: toy.yaml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		sig    syscall.Signal
		args   []string
		absent string // the folder the interrupted work would have written
	}{
		{"run", syscall.SIGTERM, []string{"run", "baseline", "-n", "1e8", "-q", "-o", filepath.Join(dir, "run-out")}, filepath.Join(dir, "run-out")},
		{"compare", syscall.SIGINT, []string{"compare", "baseline", "no_linkage", "-n", "1e8", "-q", "-o", filepath.Join(dir, "compare-out")}, filepath.Join(dir, "compare-out")},
		{"batch", syscall.SIGTERM, []string{"batch", batchFile, "-q"}, filepath.Join(dir, "batch-out", "toy")},
		{"sweep", syscall.SIGINT, []string{"sweep", "baseline", "--param", "snap_ceasefire_rate=0:0.02:5", "-n", "1e8", "-q", "-o", filepath.Join(dir, "sweep-out")}, filepath.Join(dir, "sweep-out")},
		// Few trials and a chart per outcome: the signal comes while the
		// analysis' charts are drawn (or, on a slow machine, before).
		{"tornado charts", syscall.SIGTERM, []string{"tornado", "baseline", "-n", "200", "-q", "--outcome", baselineOutcomes(t), "-o", filepath.Join(dir, "tornado-out")}, filepath.Join(dir, "tornado-out")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var stderr bytes.Buffer
			cmd := exec.Command(bin, c.args...)
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			// Not an assertion: time for the process to start its work.
			time.Sleep(2 * time.Second)
			if err := cmd.Process.Signal(c.sig); err != nil {
				t.Fatalf("signal: %v (the command ended early: %s)", err, stderr.String())
			}
			var err error
			select {
			case err = <-done:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				<-done
				t.Fatalf("scensim %s did not end within 30 s of %v", c.name, c.sig)
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != ExitInterrupted {
				t.Fatalf("scensim %s after %v: %v, want exit %d; stderr:\n%s", c.name, c.sig, err, ExitInterrupted, stderr.String())
			}
			if _, err := os.Stat(c.absent); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("scensim %s interrupted left %s behind (%v)", c.name, c.absent, err)
			}
		})
	}
}

// baselineOutcomes lists the embedded baseline's outcomes, comma-separated.
func baselineOutcomes(t *testing.T) string {
	t.Helper()
	data, _ := scenarios.Read(scenarios.Default)
	p, errs := model.Compile("baseline.yaml", data, nil)
	if p == nil {
		t.Fatal(errs.Err())
	}
	var names []string
	for _, o := range p.Outcomes {
		names = append(names, o.Name)
	}
	return strings.Join(names, ",")
}
