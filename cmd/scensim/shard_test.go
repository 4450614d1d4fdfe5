package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// compareDirs checks that the tables of two result folders are
// byte-identical and that result.json differs at most in its "run" section.
func compareDirs(t *testing.T, a, b string) {
	t.Helper()
	for _, f := range []string{"outcomes.csv", "reached.csv", "occupancy.csv", "first_entry.csv", "outcomes.md", "drivers.csv"} {
		da, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		db, err := os.ReadFile(filepath.Join(b, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(da, db) {
			t.Errorf("%s differs between %s and %s", f, a, b)
		}
	}
	ja, _ := os.ReadFile(filepath.Join(a, "result.json"))
	jb, _ := os.ReadFile(filepath.Join(b, "result.json"))
	if !bytes.Equal(dropRun(t, ja), dropRun(t, jb)) {
		t.Errorf("result.json differs beyond its run section between %s and %s", a, b)
	}
}

// Shards run as separate processes, like Kubernetes or Slurm array tasks,
// merge into exactly the unsharded result.
func TestShardProcessesMergeToUnsharded(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	dir := t.TempDir()
	bin := needBinary(t)
	const n = 4
	var procs []*exec.Cmd
	for k := 0; k < n; k++ {
		cmd := exec.Command(bin, "run", "-q", "-f", "none", "-n", "10001", "--seed", "77", "--shard", fmt.Sprintf("%d/%d", k, n), "--out", filepath.Join(dir, "shards"))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, cmd)
	}
	for _, p := range procs {
		if err := p.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	shards, _ := filepath.Glob(filepath.Join(dir, "shards", "baseline-shard-*"))
	if len(shards) != n {
		t.Fatalf("found %d shard folders, want %d", len(shards), n)
	}
	if out, err := exec.Command(bin, append([]string{"merge", "-q", "-f", "none", "--no-charts", "--out", filepath.Join(dir, "merged")}, shards...)...).CombinedOutput(); err != nil {
		t.Fatalf("merge: %v\n%s", err, out)
	}
	if _, err := run(t, "run", "-q", "-f", "none", "--no-charts", "-n", "10001", "--seed", "77", "--out", filepath.Join(dir, "whole")); err != nil {
		t.Fatal(err)
	}
	compareDirs(t, filepath.Join(dir, "merged", "baseline"), filepath.Join(dir, "whole", "baseline"))

	// An incomplete set is refused, naming the missing shard.
	out, err := exec.Command(bin, append([]string{"merge", "-q", "--out", filepath.Join(dir, "bad")}, shards[:n-1]...)...).CombinedOutput()
	if err == nil || !strings.Contains(string(out), fmt.Sprintf("missing shard(s) %d of %d", n-1, n)) {
		t.Errorf("merge of %d of %d shards: %v\n%s", n-1, n, err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "bad")); !os.IsNotExist(err) {
		t.Errorf("a refused merge wrote %s", filepath.Join(dir, "bad"))
	}
}

// A precision-targeted run reports how far it went and equals a fixed run
// of its final size.
func TestPrecisionRunEqualsFixedRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := run(t, "run", "-q", "-f", "none", "--no-charts", "--precision", "0.02", "--seed", "3", "--out", filepath.Join(dir, "p")); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "p", "baseline", "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Run struct {
			Precision        float64 `json:"precision"`
			Rounds           int     `json:"rounds"`
			PrecisionReached bool    `json:"precision_reached"`
		} `json:"run"`
		Counts struct {
			Trials int64 `json:"trials"`
		} `json:"counts"`
		Outcomes []struct {
			Estimate struct {
				Lo, Hi float64
			} `json:"estimate"`
		} `json:"outcomes"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if !doc.Run.PrecisionReached || doc.Run.Precision != 0.02 || doc.Run.Rounds < 1 {
		t.Fatalf("run section %+v: want the 0.02 target reached", doc.Run)
	}
	for i, o := range doc.Outcomes {
		if (o.Estimate.Hi-o.Estimate.Lo)/2 > 0.02 {
			t.Errorf("outcome %d: half-width %.4f above the target", i, (o.Estimate.Hi-o.Estimate.Lo)/2)
		}
	}
	n := fmt.Sprint(doc.Counts.Trials)
	if _, err := run(t, "run", "-q", "-f", "none", "--no-charts", "-n", n, "--seed", "3", "--out", filepath.Join(dir, "f")); err != nil {
		t.Fatal(err)
	}
	compareDirs(t, filepath.Join(dir, "p", "baseline"), filepath.Join(dir, "f", "baseline"))
}

func TestShardAndPrecisionFlagsChecked(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"run", "--shard", "3/3", "--no-files"},
		{"run", "--shard", "x", "--no-files"},
		{"run", "--precision", "0", "--no-files"},
		{"run", "--precision", "0.01", "--max-trials", "1e12", "--no-files"},
		{"run", "--precision", "0.01", "--shard", "0/2", "--no-files"},
		{"merge"},
		{"merge", "no/such/result.json"},
	} {
		_, err := run(t, args...)
		if exitCode(err) != 2 {
			t.Errorf("scensim %s: exit %d (%v), want 2", strings.Join(args, " "), exitCode(err), err)
		}
	}
}
