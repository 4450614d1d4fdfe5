//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds scensim into a temporary folder.
// runBinary runs bin with args in dir and returns its stderr and exit
// code. A command still running after a minute (a hang) is killed and
// fails the test.
func runBinary(t *testing.T, bin, dir string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("scensim %s did not end within a minute", strings.Join(args, " "))
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
		return stderr.String(), 0
	case errors.As(err, &ee):
		return stderr.String(), ee.ExitCode()
	}
	t.Fatalf("scensim %s: %v", strings.Join(args, " "), err)
	return "", -1
}

const tinyScenarioText = `scensim: 1
name: tiny
time: {start: 2025-01-01, steps: 10}
tracks:
  t:
    initial: a
    states: [a, b]
    transitions:
      - {from: a, to: b, p: 0.1}
outcomes:
  got_b: {when: reached(t.b)}
`

// Hostile input files are refused with a clear message and exit 2, never
// read without bound, hang on, or quoted from: devices, named pipes,
// files over the limit, and extends: pointing outside the scenario's
// folder or at a file that is not a scenario.
func TestHostileInputFiles(t *testing.T) {
	for _, dev := range []string{"/dev/zero", "/dev/urandom"} {
		if _, err := os.Stat(dev); err != nil {
			t.Fatalf("%s is needed: %v", dev, err)
		}
	}
	bin := needBinary(t)
	dir := t.TempDir()
	write := func(rel, text string) string {
		path := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	const secret = "TOPSECRET-LINE: do not print me"
	write("secret.txt", secret+"\n")
	write("proj/big.yaml", tinyScenarioText+"# "+strings.Repeat("x", 4<<20)+"\n")
	write("proj/up.yaml", strings.Replace(tinyScenarioText, "name: tiny", "name: up\nextends: ../secret.txt", 1))
	write("proj/notscen.yaml", strings.Replace(tinyScenarioText, "name: tiny", "name: ns\nextends: notes.txt", 1))
	write("proj/notes.txt", secret+"\n")
	write("proj/viadev.yaml", strings.Replace(tinyScenarioText, "name: tiny", "name: viadev\nextends: zero.yaml", 1))
	write("proj/viafifo.yaml", strings.Replace(tinyScenarioText, "name: tiny", "name: viafifo\nextends: fifo.yaml", 1))
	write("proj/vialink.yaml", strings.Replace(tinyScenarioText, "name: tiny", "name: vialink\nextends: link.yaml", 1))
	write("proj/sub/ok.yaml", "scensim: 1\nname: ok\nextends: base\n")
	write("proj/sub/base.yaml", tinyScenarioText)
	write("proj/longname.yaml", strings.Replace(tinyScenarioText, "name: tiny", "name: "+strings.Repeat("n", 255), 1))
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "proj", "zero.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "secret.txt"), filepath.Join(dir, "proj", "link.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "proj", "fifo.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "proj", "res"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "proj", "res", "result.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "proj")
	cases := []struct {
		args []string
		want string // in stderr
	}{
		{[]string{"run", "/dev/zero"}, "/dev/zero is a device, not a file"},
		{[]string{"validate", "/dev/urandom"}, "/dev/urandom is a device, not a file"},
		{[]string{"run", "fifo.yaml"}, "fifo.yaml is a named pipe, not a file"},
		{[]string{"validate", "big.yaml"}, "big.yaml: file is larger than 4 MiB, the limit for scenario files"},
		{[]string{"plot", "/dev/zero"}, "/dev/zero is a device, not a file"},
		{[]string{"plot", "res/result.json"}, "res/result.json is a named pipe, not a file"},
		{[]string{"merge", "/dev/zero"}, "/dev/zero is a device, not a file"},
		{[]string{"report", "res"}, "res: no results"}, // a result.json that is not a file is not a result
		{[]string{"batch", "/dev/zero"}, "/dev/zero is a device, not a file"},
		{[]string{"batch", "fifo.yaml"}, "fifo.yaml is a named pipe, not a file"},
		{[]string{"validate", "up.yaml"}, "secret.txt is outside the folder of up.yaml; a base must be in that folder or below it (--allow-outside allows it)"},
		{[]string{"validate", "vialink.yaml"}, "link.yaml is outside the folder of vialink.yaml"},
		{[]string{"validate", "viadev.yaml"}, "zero.yaml is outside the folder of viadev.yaml"},
		{[]string{"validate", "--allow-outside", "viadev.yaml"}, "zero.yaml is a device, not a file"},
		{[]string{"validate", "viafifo.yaml"}, "fifo.yaml is a named pipe, not a file"},
		{[]string{"validate", "--allow-outside", "up.yaml"}, "secret.txt is not a scenario file (it has no scensim: line)"},
		{[]string{"show", "--allow-outside", "vialink.yaml"}, "link.yaml is not a scenario file (it has no scensim: line)"},
		{[]string{"run", "notscen.yaml"}, "notes.txt is not a scenario file (it has no scensim: line)"},
		{[]string{"validate", "longname.yaml"}, "the scenario name nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn… is too long: the file or folder nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn… would have 277 bytes (at most 223)"},
		{[]string{"run", "-n", "100", "-o", "out", "longname.yaml"}, "would have 277 bytes"},
	}
	for _, c := range cases {
		stderr, code := runBinary(t, bin, p, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("scensim %s: exit %d, stderr:\n%s\nwant exit 2 and %q", strings.Join(c.args, " "), code, stderr, c.want)
		}
		if strings.Contains(stderr, "TOPSECRET") {
			t.Errorf("scensim %s quoted another file:\n%s", strings.Join(c.args, " "), stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(p, "out")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("run of a scenario whose folder name is too long wrote %s: %v", filepath.Join(p, "out"), err)
	}
	// A base inside the folder tree still works.
	if stderr, code := runBinary(t, bin, p, "validate", "sub/ok.yaml"); code != 0 {
		t.Errorf("validate sub/ok.yaml: exit %d\n%s", code, stderr)
	}
}

// A scenario spanning 314 years of weekly steps draws its charts (the date
// axis once walked forever past 292 years), and one SIGTERM while they are
// drawn ends the run with exit 130 and no files. The wait is bounded
// generously; the test asserts that the process ends, not how fast.
func TestSignalDuringLongSpanCharts(t *testing.T) {
	bin := needBinary(t)
	dir := t.TempDir()
	scen := filepath.Join(dir, "long.yaml")
	text := strings.Replace(tinyScenarioText, "steps: 10", "horizon: 2340-01-01", 1)
	if err := os.WriteFile(scen, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	// Without a signal, the run completes and writes its charts.
	if stderr, code := runBinary(t, bin, dir, "run", "-q", "-n", "20", "-f", "none", "-o", "full", "long.yaml"); code != 0 {
		t.Fatalf("run: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "full", "tiny", "occupancy_t.png")); err != nil {
		t.Fatalf("no occupancy chart: %v", err)
	}

	cmd := exec.Command(bin, "run", "-n", "20", "-f", "text", "-o", "out", "long.yaml")
	cmd.Dir = dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The table is printed once the trials are done, just before the charts
	// are drawn.
	buf := make([]byte, 1)
	if _, err := stdout.Read(buf); err != nil {
		t.Fatalf("no table printed: %v\n%s", err, stderr.String())
	}
	go func() { _, _ = bytes.NewBuffer(nil).ReadFrom(stdout) }()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("one SIGTERM did not end scensim run\n%s", stderr.String())
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 || !strings.Contains(stderr.String(), "interrupted; no files written") {
		t.Errorf("after SIGTERM: %v, stderr:\n%s\nwant exit 130, interrupted, no files", err, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an interrupted run wrote %s: %v", filepath.Join(dir, "out"), err)
	}
}

// A sweep whose output folder (NAME-sweep-P1-P2) would be too long a name
// is refused before it runs.
func TestSweepFolderNameTooLong(t *testing.T) {
	p1, p2 := strings.Repeat("p", 110), strings.Repeat("q", 110)
	src := strings.Replace(tinyScenarioText, "tracks:", "params:\n  "+p1+": {value: 0.1, range: [0, 0.2]}\n  "+p2+": {value: 0.1, range: [0, 0.2]}\ntracks:", 1)
	src = strings.Replace(src, "p: 0.1}", "p: "+p1+" + "+p2+"}", 1)
	path := filepath.Join(t.TempDir(), "sw.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := run(t, "sweep", path, "--param", p1+"=0:0.1:2", "-n", "10", "-q", "-f", "none", "-o", out, "--no-charts"); err != nil {
		t.Fatalf("a sweep of one long-named param: %v", err)
	}
	_, err := run(t, "sweep", path, "--param", p1+"=0:0.1:2", "--param", p2+"=0:0.1:2", "-n", "10", "-q", "-f", "none", "-o", out)
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "would have 232 bytes (at most 223)") {
		t.Errorf("sweep of two long-named params: %v (exit %d), want exit 2", err, exitCode(err))
	}
}
