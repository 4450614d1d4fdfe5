package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"scensim/outdir"
)

// mountTmpfs mounts a tmpfs (size, mount flags) on a new folder for the
// test. It needs root: without it the test is skipped, except under
// CI=true, where it fails.
func mountTmpfs(t *testing.T, size string, flags uintptr) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "mnt")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", flags, "size="+size); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("cannot mount a tmpfs (needs root) and CI=true requires this test: %v", err)
		}
		t.Skipf("cannot mount a tmpfs (needs root): %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmounting %s: %v", dir, err)
		}
	})
	return dir
}

// wantExit checks a command's exit code and that its message contains want.
func wantExit(t *testing.T, what string, err error, code int, want string) {
	t.Helper()
	if got := exitCode(err); got != code {
		t.Errorf("%s: exit %d (%v), want %d", what, got, err, code)
	}
	if code != 0 && (err == nil || !strings.Contains(err.Error(), want)) {
		t.Errorf("%s: message %v, want one containing %q", what, err, want)
	}
}

// An output root that is a mount point works for batch --out, report and
// plot --out (a temporary in the parent would be on another filesystem).
func TestOutputRootIsMountPoint(t *testing.T) {
	mnt := mountTmpfs(t, "16m", 0)
	dir := t.TempDir()
	copyTestScenarios(t, dir)
	spec := filepath.Join(dir, "b.yaml")
	if err := os.WriteFile(spec, []byte("trials: 500\njobs:\n  - scenario: toy.yaml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := run(t, "batch", spec, "--out", mnt, "-q")
	wantExit(t, "batch --out MOUNT", err, 0, "")
	_, err = run(t, "report", "-q", mnt)
	wantExit(t, "report MOUNT", err, 0, "")
	for _, f := range []string{"index.json", "index.md", "report.html", "toy/result.json"} {
		if _, err := os.Stat(filepath.Join(mnt, f)); err != nil {
			t.Error(err)
		}
	}
	plotted := mountTmpfs(t, "16m", 0)
	_, err = run(t, "plot", "-q", filepath.Join(mnt, "toy", "result.json"), "--out", plotted)
	wantExit(t, "plot --out MOUNT", err, 0, "")
	if pngs, _ := filepath.Glob(filepath.Join(plotted, "*.png")); len(pngs) == 0 {
		t.Error("plot wrote no chart into the mount point")
	}
}

// A result.json with null (or another non-count) in a count array is
// refused by plot, report and merge with exit 2 and the field's name.
func TestCorruptCountsRefused(t *testing.T) {
	out := t.TempDir()
	if _, err := run(t, "run", "-q", "-f", "none", "--trials", "300", "--no-charts", "--out", out); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(out, "baseline", "result.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ value, want string }{
		{"null", "counts.hits[0] is null"},
		{"-5", "counts.hits[0] is -5"},
		{"2.5", "counts.hits[0] is 2.5"},
	} {
		i := bytes.Index(data, []byte(`"hits": [`))
		k := i + bytes.IndexAny(data[i+9:], "0123456789") + 9
		end := k + bytes.IndexAny(data[k:], ",\n]")
		bad := slices.Concat(data[:k], []byte(c.value), data[end:])
		dir := filepath.Join(t.TempDir(), "baseline")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "result.json"), bad, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := run(t, "plot", "-q", filepath.Join(dir, "result.json"))
		wantExit(t, "plot "+c.value, err, 2, c.want)
		_, err = run(t, "report", "-q", dir)
		wantExit(t, "report "+c.value, err, 2, c.want)
		_, err = run(t, "merge", "-q", "-f", "none", "--out", t.TempDir(), dir)
		wantExit(t, "merge "+c.value, err, 2, c.want)
	}
}

// A second run into the same folder replaces it as a whole: the charts of
// the first run do not stay beside the result of the second.
func TestRunReplacesFolderWhole(t *testing.T) {
	out := t.TempDir()
	if _, err := run(t, "run", "-q", "-f", "none", "--trials", "300", "--seed", "1", "--out", out); err != nil {
		t.Fatal(err)
	}
	if pngs, _ := filepath.Glob(filepath.Join(out, "baseline", "*.png")); len(pngs) == 0 {
		t.Fatal("the first run drew no chart")
	}
	_, err := run(t, "run", "-q", "-f", "none", "--trials", "300", "--seed", "2", "--no-charts", "--out", out)
	wantExit(t, "second run", err, 0, "")
	if pngs, _ := filepath.Glob(filepath.Join(out, "baseline", "*.png")); len(pngs) != 0 {
		t.Errorf("charts of seed 1 beside the result of seed 2: %v", pngs)
	}
	if r := readResultFile(t, filepath.Join(out, "baseline", "result.json")); r.Manifest.Seed != 2 {
		t.Errorf("result.json has seed %d", r.Manifest.Seed)
	}
}

// graph -o on a full disk exits 1 and leaves the previous file whole.
func TestGraphFullDiskKeepsPreviousFile(t *testing.T) {
	mnt := mountTmpfs(t, "64k", 0)
	path := filepath.Join(mnt, "g.dot")
	if err := os.WriteFile(path, []byte("digraph old {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	filler, err := os.Create(filepath.Join(mnt, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := filler.Write(make([]byte, 512)); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	filler.Close()
	_, err = run(t, "graph", "-o", path)
	wantExit(t, "graph -o FULL", err, 1, "no space left on device")
	if got, _ := os.ReadFile(path); string(got) != "digraph old {}\n" {
		t.Errorf("the previous file became %d bytes", len(got))
	}
}

// An unwritable --out fails with exit 1 before the simulation: nothing is
// printed (the table comes after the run) and the message names the folder.
func TestUnwritableOutFailsBeforeRun(t *testing.T) {
	ro := mountTmpfs(t, "1m", syscall.MS_RDONLY)
	afile := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(afile, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{ro, filepath.Join(afile, "sub")} {
		stdout, err := run(t, "run", "-q", "--trials", "300", "--out", out)
		wantExit(t, "run --out "+out, err, 1, "writing "+filepath.Join(out, "baseline"))
		if stdout != "" {
			t.Errorf("run --out %s simulated before failing: printed %q", out, stdout)
		}
	}
}

// A run into a folder another process is writing is refused at once, with
// exit 1 and a message saying so; the folder is untouched.
func TestBusyOutputRefused(t *testing.T) {
	out := t.TempDir()
	held, err := outdir.Open(filepath.Join(out, "baseline"))
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	stdout, err := run(t, "run", "-q", "--trials", "300", "--out", out)
	wantExit(t, "run into a locked folder", err, 1, "another scensim process is writing it")
	if stdout != "" {
		t.Errorf("simulated before refusing: %q", stdout)
	}
	if _, err := os.Stat(filepath.Join(out, "baseline")); !os.IsNotExist(err) {
		t.Errorf("the folder was written: %v", err)
	}
}

// plot replaces the charts of a result folder as a whole (charts of another
// format go) and keeps its other files; a folder scensim did not write is
// refused with exit 1.
func TestPlotReplacesCharts(t *testing.T) {
	out := t.TempDir()
	if _, err := run(t, "run", "-q", "-f", "none", "--trials", "300", "--chart-format", "svg", "--out", out); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(out, "baseline")
	_, err := run(t, "plot", "-q", "--chart-format", "png", filepath.Join(dir, "result.json"))
	wantExit(t, "plot", err, 0, "")
	if svgs, _ := filepath.Glob(filepath.Join(dir, "*.svg")); len(svgs) != 0 {
		t.Errorf("charts of the earlier format stayed: %v", svgs)
	}
	if pngs, _ := filepath.Glob(filepath.Join(dir, "*.png")); len(pngs) == 0 {
		t.Error("no new chart")
	}
	m, err := outdir.ReadManifestFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"result.json", "outcomes.csv", "outcomes.md"} {
		if !m.Has(name) {
			t.Errorf("plot dropped %s", name)
		}
	}
	if err := m.Verify(dir); err != nil {
		t.Error(err)
	}
	mine := t.TempDir()
	if err := os.WriteFile(filepath.Join(mine, "thesis.tex"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = run(t, "plot", "-q", filepath.Join(dir, "result.json"), "--out", mine)
	wantExit(t, "plot --out a user's folder", err, 1, "refusing to replace it")
	if got, _ := os.ReadFile(filepath.Join(mine, "thesis.tex")); string(got) != "mine" {
		t.Error("the user's file was touched")
	}
}

// An analysis whose output folder cannot be written fails with exit 1
// before its work: nothing is printed.
func TestAnalysisUnwritableOutFailsBeforeWork(t *testing.T) {
	afile := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(afile, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(afile, "sub")
	stdout, err := run(t, "tornado", tinyScenario, "-n", "500", "-q", "--out", out)
	wantExit(t, "tornado --out "+out, err, 1, "writing "+filepath.Join(out, "tiny-tornado"))
	if stdout != "" {
		t.Errorf("the analysis ran before failing: printed %q", stdout)
	}
}

// compare and hypotheses check their output folder before simulating too.
func TestCompareUnwritableOutFailsBeforeWork(t *testing.T) {
	afile := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(afile, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(afile, "sub")
	for _, args := range [][]string{
		{"compare", "baseline", "no_linkage", "-n", "300", "-q", "--out", out},
		{"hypotheses", "baseline", "-n", "300", "-q", "--out", out},
	} {
		stdout, err := run(t, args...)
		wantExit(t, args[0]+" --out "+out, err, 1, "writing "+out)
		if stdout != "" {
			t.Errorf("%s simulated before failing: printed %q", args[0], stdout)
		}
	}
}
