package results

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"scensim/outdir"
)

// Rendering the result files ahead (while charts are drawn) writes the
// same folder, byte for byte, as rendering them when writing.
func TestWriteRenderedToSameFiles(t *testing.T) {
	r := fixtureResult(t)
	extra := map[string][]byte{"b.png": []byte("b"), "a.svg": []byte("a")}
	write := func(dir string, rendered bool) []string {
		tg, err := outdir.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer tg.Close()
		var paths []string
		if rendered {
			files, err := Files(r, nil)
			if err != nil {
				t.Fatal(err)
			}
			paths, err = WriteRenderedTo(tg, files, extra)
			if err != nil {
				t.Fatal(err)
			}
		} else if paths, err = WriteFilesTo(tg, r, extra); err != nil {
			t.Fatal(err)
		}
		return paths
	}
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	pa, pb := write(a, false), write(b, true)
	if len(pa) != len(pb) {
		t.Fatalf("%d files against %d", len(pa), len(pb))
	}
	for i := range pa {
		if filepath.Base(pa[i]) != filepath.Base(pb[i]) {
			t.Errorf("file %d: %s against %s", i, pa[i], pb[i])
		}
		da, _ := os.ReadFile(pa[i])
		db, _ := os.ReadFile(pb[i])
		if !bytes.Equal(da, db) || len(da) == 0 {
			t.Errorf("%s differs (%d against %d bytes)", filepath.Base(pa[i]), len(da), len(db))
		}
	}
	if !slices.Equal(dirNames(t, a), dirNames(t, b)) {
		t.Errorf("folders hold %v against %v", dirNames(t, a), dirNames(t, b))
	}

	// An extra file may not replace a result file.
	files, _ := Files(r, nil)
	tg, err := outdir.Open(filepath.Join(t.TempDir(), "c"))
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	if _, err := WriteRenderedTo(tg, files, map[string][]byte{"outcomes.csv": nil}); err == nil {
		t.Error("an extra outcomes.csv was accepted")
	}
}

// bigResult is a result of one 2-state track over points points, every
// trial staying in its first state.
func bigResult(t *testing.T, points int) *Result {
	t.Helper()
	l := Layout{Scenario: "big", Title: "Big", Tracks: []TrackLayout{{Name: "x", States: []string{"a", "b"}}}}
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for k := range points {
		l.Points = append(l.Points, day.AddDate(0, 0, k).Format("2006-01-02"))
	}
	c := NewCounts(&l)
	c.Trials = 10
	for k := range points {
		c.Occupancy[k*2] = 10
	}
	c.Entry[0], c.Entry[2*(points+1)-1] = 10, 10
	m := Manifest{Scenario: "big", Title: "Big", File: "big.yaml", FileSHA256: strings.Repeat("0", 64), Seed: 1, Trials: 10,
		Step: "day", Start: l.Points[0], End: l.Points[points-1], Steps: points - 1, ToolVersion: "test"}
	r, err := NewResult(l, *c, m, RunInfo{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The per-point tables are left out beyond MaxStepTableRows rows, unless
// asked for; a result at the limit keeps them.
func TestStepTablesLeftOutBeyondLimit(t *testing.T) {
	names := func(files []outdir.File) []string {
		var n []string
		for _, f := range files {
			n = append(n, f.Name)
		}
		return n
	}
	at := bigResult(t, MaxStepTableRows/2)
	files, err := Files(at, nil)
	if err != nil {
		t.Fatal(err)
	}
	if StepTablesLeftOut(at) || !slices.Contains(names(files), "occupancy.csv") || !slices.Contains(names(files), "first_entry.csv") {
		t.Errorf("at the limit (%d rows): %v", StepTableRows(at), names(files))
	}
	over := bigResult(t, MaxStepTableRows/2+1)
	files, err = Files(over, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := names(files)
	if !StepTablesLeftOut(over) || slices.Contains(got, "occupancy.csv") || slices.Contains(got, "first_entry.csv") || !slices.Contains(got, "result.json") {
		t.Errorf("over the limit (%d rows): %v", StepTableRows(over), got)
	}
	full, err := FilesWith(over, nil, FileOptions{FullTables: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range full {
		if f.Name == "occupancy.csv" && bytes.Count(f.Data, []byte("\n")) != MaxStepTableRows+2+1 {
			t.Errorf("occupancy.csv of %d lines", bytes.Count(f.Data, []byte("\n")))
		}
	}
	if len(full) != len(files)+2 {
		t.Errorf("--tables full: %v", names(full))
	}
}
