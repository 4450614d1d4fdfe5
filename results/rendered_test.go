package results

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

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
