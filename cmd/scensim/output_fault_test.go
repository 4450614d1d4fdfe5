package main

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"scensim/outdir"
	"scensim/results"
)

// faultRounds is how many times the fault tests repeat themselves: 1 by
// default, SCENSIM_FAULT_ROUNDS to stress them (the binary is built once).
func faultRounds(t *testing.T) int {
	s := os.Getenv("SCENSIM_FAULT_ROUNDS")
	if s == "" {
		return 1
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		t.Fatalf("SCENSIM_FAULT_ROUNDS=%q: want a positive whole number", s)
	}
	return n
}

// buildBinary returns the command built for the tests and a copy of the toy
// scenario in dir.
func buildBinary(t *testing.T, dir string) (bin, scenario string) {
	t.Helper()
	bin = needBinary(t)
	data, err := os.ReadFile(filepath.Join("..", "..", "batch", "testdata", "toy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	scenario = filepath.Join(dir, "toy.yaml")
	if err := os.WriteFile(scenario, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return bin, scenario
}

// runCmd is the command line of a run of the toy scenario with a seed.
func runCmd(bin, scenario, out string, seed uint64) *exec.Cmd {
	return exec.Command(bin, "run", "-q", "-f", "none", "-n", "2000", "--seed", strconv.FormatUint(seed, 10), "--out", out, scenario)
}

// checkWhole checks that dir holds one complete, consistent result: the
// files on disk are exactly those of its manifest, each intact; the CSV
// and Markdown files are the renderings of its result.json; the seed is one
// of seeds. It returns the seed.
func checkWhole(t *testing.T, dir string, seeds []uint64) uint64 {
	t.Helper()
	m, err := outdir.ReadManifestFile(dir)
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	if err := m.Verify(dir); err != nil {
		t.Fatalf("a mixed folder: %v", err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var onDisk, listed []string
	for _, e := range ents {
		if e.Name() != outdir.ManifestName {
			onDisk = append(onDisk, e.Name())
		}
	}
	for _, e := range m.Files {
		listed = append(listed, e.Name)
	}
	if !slices.Equal(onDisk, listed) {
		t.Fatalf("a mixed folder: it holds %v, its manifest lists %v", onDisk, listed)
	}
	res := readResultFile(t, filepath.Join(dir, "result.json"))
	files, err := results.Files(res, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files[1:] { // result.json aside: its run section differs
		if got, err := os.ReadFile(filepath.Join(dir, f.Name)); err != nil || !bytes.Equal(got, f.Data) {
			t.Fatalf("a mixed folder: %s is not the rendering of its result.json (%v)", f.Name, err)
		}
	}
	if !slices.Contains(seeds, res.Manifest.Seed) {
		t.Fatalf("the folder holds seed %d, want one of %v", res.Manifest.Seed, seeds)
	}
	return res.Manifest.Seed
}

// noLeftovers checks that out holds nothing but the folder name: no
// temporary folder, no lock file.
func noLeftovers(t *testing.T, out, name string) {
	t.Helper()
	ents, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.Name() != name {
			t.Errorf("left in the output root: %s", e.Name())
		}
	}
}

// waitForTemporary returns once a temporary folder of toy appears in out,
// or the process has ended (its result is put back into done).
func waitForTemporary(out string, done chan error) {
	for {
		if tmps, _ := filepath.Glob(filepath.Join(out, ".toy.tmp-*")); len(tmps) > 0 {
			return
		}
		select {
		case err := <-done:
			done <- err
			return
		case <-time.After(time.Millisecond):
		}
	}
}

// A run killed with SIGKILL at any moment leaves either the previous
// complete folder or the new complete one, never a mix, and no lock that
// stops the next run; the next run removes what the killed one left. Half
// the kills fall anywhere in the run, half are aimed at its write phase.
func TestKilledRunLeavesWholeFolder(t *testing.T) {
	bin, scenario := buildBinary(t, t.TempDir())
	out := filepath.Join(t.TempDir(), "out")
	dir := filepath.Join(out, "toy")
	first := runCmd(bin, scenario, out, 1)
	if b, err := first.CombinedOutput(); err != nil {
		t.Fatalf("first run: %v\n%s", err, b)
	}
	// The first run's CPU time (not the wall clock) sizes the window the
	// kills are spread over; the assertions hold at any kill moment.
	took := first.ProcessState.UserTime() + first.ProcessState.SystemTime()
	prev := checkWhole(t, dir, []uint64{1})
	rng := rand.New(rand.NewPCG(2026, 11)) // fixed: the same kill moments every time
	const killsPerRound = 3
	newer, midWrite := 0, 0
	for i := range faultRounds(t) * killsPerRound {
		seed := uint64(100 + i)
		cmd := runCmd(bin, scenario, out, seed)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		if i%2 == 0 {
			// Kill moments spread over the whole run and a little beyond it.
			time.Sleep(time.Duration(rng.Float64() * 1.2 * float64(took)))
		} else {
			// Aimed at the write phase: once the temporary folder appears,
			// within the next 150 ms (writing, fsyncing, swapping, removing
			// the previous version).
			delay := time.Duration(rng.Float64() * float64(150*time.Millisecond))
			waitForTemporary(out, done)
			time.Sleep(delay)
		}
		cmd.Process.Kill()
		err := <-done
		if err != nil && !strings.Contains(err.Error(), "signal: killed") {
			t.Fatalf("kill %d: the run failed on its own: %v\n%s", i, err, stderr.Bytes())
		}
		if tmps, _ := filepath.Glob(filepath.Join(out, ".toy.tmp-*")); len(tmps) > 0 {
			midWrite++ // killed while writing or swapping the folder
		}
		got := checkWhole(t, dir, []uint64{prev, seed})
		if got == seed {
			newer++
		}
		prev = got
		target, err := outdir.Open(dir) // no lock held by the dead process
		if err != nil {
			t.Fatalf("kill %d: the folder stays locked: %v", i, err)
		}
		target.Close()
	}
	t.Logf("%d kills: %d left the new folder, %d the previous one; %d struck while the folder was being written", faultRounds(t)*killsPerRound, newer, faultRounds(t)*killsPerRound-newer, midWrite)
	if b, err := runCmd(bin, scenario, out, 7).CombinedOutput(); err != nil {
		t.Fatalf("run after the kills: %v\n%s", err, b)
	}
	checkWhole(t, dir, []uint64{7})
	noLeftovers(t, out, "toy")
}

// Runs started together into one folder: each either writes it or is
// refused at once with exit 1 and a message saying another process is
// writing it; the folder ends up one complete result of a run that
// succeeded.
func TestConcurrentRunsIntoOneFolder(t *testing.T) {
	bin, scenario := buildBinary(t, t.TempDir())
	const writers = 3
	for round := range faultRounds(t) {
		out := filepath.Join(t.TempDir(), "out")
		var wg sync.WaitGroup
		codes := make([]int, writers)
		stderrs := make([]bytes.Buffer, writers)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := runCmd(bin, scenario, out, uint64(10*round+w+1))
				cmd.Stderr = &stderrs[w]
				err := cmd.Run()
				codes[w] = cmd.ProcessState.ExitCode()
				if err != nil && codes[w] < 0 {
					codes[w] = -1
				}
			}()
		}
		wg.Wait()
		var ok []uint64
		for w, code := range codes {
			switch msg := stderrs[w].String(); {
			case code == 0:
				ok = append(ok, uint64(10*round+w+1))
			case code == 1 && strings.Contains(msg, "another scensim process is writing it"):
			default:
				t.Errorf("round %d, writer %d: exit %d: %s", round, w, code, msg)
			}
		}
		if len(ok) == 0 {
			t.Fatalf("round %d: no writer succeeded: %v", round, codes)
		}
		checkWhole(t, filepath.Join(out, "toy"), ok)
		noLeftovers(t, out, "toy")
	}
}
