package results

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"scensim/outdir"
)

// Extra files (charts) are written with the result files, in the same
// temporary directory, and their paths follow those of WriteFiles.
func TestWriteFilesWithExtra(t *testing.T) {
	r := fixtureResult(t)
	dir := filepath.Join(t.TempDir(), "run")
	extra := map[string][]byte{"reached.png": []byte("png 2"), "outcomes.png": []byte("png 1")}
	paths, err := WriteFilesWith(dir, r, extra)
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, r, paths[:len(fileNames)], dir)
	if got, want := paths[len(fileNames):], []string{filepath.Join(dir, "outcomes.png"), filepath.Join(dir, "reached.png")}; !reflect.DeepEqual(got, want) {
		t.Errorf("extra paths %v, want %v", got, want)
	}
	for name, data := range extra {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(got) != string(data) {
			t.Errorf("%s = %q, %v", name, got, err)
		}
	}
	want := slices.Sorted(slices.Values(append(cloneSlice(fileNames), "outcomes.png", "reached.png", outdir.ManifestName)))
	if got := dirNames(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("dir holds %v, want %v", got, want)
	}

	// Into the existing directory: replaced as a whole (files of the earlier
	// version gone), no temporary left.
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
	if _, err := WriteFilesWith(dir, r, map[string][]byte{"outcomes.png": []byte("new")}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "outcomes.png")); string(got) != "new" {
		t.Errorf("outcomes.png not replaced: %q", got)
	}
	for _, gone := range []string{"notes.txt", "reached.png"} {
		if _, err := os.Stat(filepath.Join(dir, gone)); !os.IsNotExist(err) {
			t.Errorf("%s of the earlier version survived: %v", gone, err)
		}
	}
	if names := dirNames(t, filepath.Dir(dir)); !reflect.DeepEqual(names, []string{"run"}) {
		t.Errorf("temporary files left next to dir: %v", names)
	}
}

// A bad extra name writes nothing.
func TestWriteFilesWithBadNames(t *testing.T) {
	r := fixtureResult(t)
	for _, name := range []string{"", ".hidden", "a/b.png", "../up.png", `a\b.png`, "result.json", "outcomes.csv"} {
		dir := filepath.Join(t.TempDir(), "run")
		if _, err := WriteFilesWith(dir, r, map[string][]byte{name: []byte("x")}); err == nil {
			t.Errorf("extra name %q accepted", name)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("extra name %q: dir was created", name)
		}
	}
}

func TestWriteExtra(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "charts")
	paths, err := WriteExtra(dir, map[string][]byte{"b.svg": []byte("b"), "a.svg": []byte("a")})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(dir, "a.svg"), filepath.Join(dir, "b.svg")}; !reflect.DeepEqual(paths, want) {
		t.Errorf("paths %v, want %v", paths, want)
	}
	if _, err := WriteExtra(dir, map[string][]byte{"a.svg": []byte("A")}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "a.svg")); string(got) != "A" {
		t.Errorf("a.svg = %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.svg")); !os.IsNotExist(err) {
		t.Errorf("b.svg of the earlier version survived: %v", err)
	}
	if _, err := WriteExtra(dir, nil); err == nil {
		t.Error("WriteExtra of nothing succeeded")
	}
	if _, err := WriteExtra(dir, map[string][]byte{"result.json": nil}); err == nil {
		t.Error("WriteExtra may not write result.json")
	}
}
