package results

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"scensim/outdir"
)

// dirNames lists the entries of dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func checkFiles(t *testing.T, r *Result, paths []string, dir string) {
	t.Helper()
	want := make([]string, len(fileNames))
	for i, n := range fileNames {
		want[i] = filepath.Join(dir, n)
	}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("paths = %v, want %v", paths, want)
	}
	for _, p := range paths {
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := fileWriters[filepath.Base(p)](&b, r); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, b.Bytes()) {
			t.Errorf("%s does not hold the rendering", p)
		}
	}
	back, err := os.Open(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if _, err := ReadJSON(back); err != nil {
		t.Errorf("written result.json does not read back: %v", err)
	}
}

func TestWriteFilesNewDir(t *testing.T) {
	r := fixtureResult(t)
	parent := t.TempDir()
	dir := filepath.Join(parent, "out", "run1") // two missing levels
	paths, err := WriteFiles(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, r, paths, dir)
	got := dirNames(t, dir)
	want := slices.Sorted(slices.Values(append(cloneSlice(fileNames), outdir.ManifestName)))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("dir holds %v, want %v", got, want)
	}
	if names := dirNames(t, filepath.Join(parent, "out")); !reflect.DeepEqual(names, []string{"run1"}) {
		t.Errorf("temporary files left next to dir: %v", names)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("dir mode: %v %v", fi.Mode(), err)
	}
}

// Writing into an existing folder replaces it as a whole: a file of the
// earlier run that this one does not write (a chart) is gone.
func TestWriteFilesExistingDir(t *testing.T) {
	r := fixtureResult(t)
	dir := t.TempDir()
	for name, data := range map[string]string{"result.json": "stale", "outcomes.md": "stale", "chart.svg": "keep"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	paths, err := WriteFiles(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, r, paths, dir)
	if _, err := os.Stat(filepath.Join(dir, "chart.svg")); !os.IsNotExist(err) {
		t.Errorf("a file of the earlier run survived: %v", err)
	}
	if got, want := dirNames(t, dir), slices.Sorted(slices.Values(append(cloneSlice(fileNames), outdir.ManifestName))); !reflect.DeepEqual(got, want) {
		t.Errorf("dir holds %v, want %v", got, want)
	}
	if names := dirNames(t, filepath.Dir(dir)); slices.ContainsFunc(names, func(n string) bool { return n[0] == '.' }) {
		t.Errorf("temporary directory left behind: %v", names)
	}
}

// The target path is an existing regular file: error, the file is unchanged,
// and nothing else appears in its directory.
func TestWriteFilesTargetIsFile(t *testing.T) {
	r := fixtureResult(t)
	parent := t.TempDir()
	target := filepath.Join(parent, "out")
	if err := os.WriteFile(target, []byte("a file"), 0o644); err != nil {
		t.Fatal(err)
	}
	if paths, err := WriteFiles(target, r); err == nil {
		t.Fatalf("WriteFiles into a regular file succeeded: %v", paths)
	}
	if names := dirNames(t, parent); !reflect.DeepEqual(names, []string{"out"}) {
		t.Errorf("parent holds %v after failure, want only [out]", names)
	}
	if b, _ := os.ReadFile(target); string(b) != "a file" {
		t.Errorf("target file changed: %q", b)
	}
}

// The existing dir holds a subfolder, which scensim never writes: it is
// refused before anything is written, so nothing is replaced and no
// temporary directory remains.
func TestWriteFilesTargetNameIsDir(t *testing.T) {
	r := fixtureResult(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "result.json"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "occupancy.csv"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteFiles(dir, r); err == nil {
		t.Fatal("WriteFiles succeeded over a directory named occupancy.csv")
	}
	if got := dirNames(t, dir); !reflect.DeepEqual(got, []string{"occupancy.csv", "result.json"}) {
		t.Errorf("dir holds %v after failure", got)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "result.json")); string(b) != "old" {
		t.Errorf("result.json replaced despite failure: %q", b)
	}
	if names := dirNames(t, filepath.Dir(dir)); len(names) != 1 {
		t.Errorf("temporary directory left behind: %v", names)
	}
}

// An invalid result writes nothing and does not create dir.
func TestWriteFilesInvalidResult(t *testing.T) {
	r := fixtureResult(t)
	r.Counts.Trials++
	parent := t.TempDir()
	if _, err := WriteFiles(filepath.Join(parent, "out"), r); err == nil {
		t.Fatal("WriteFiles accepted inconsistent counts")
	}
	if names := dirNames(t, parent); len(names) != 0 {
		t.Errorf("parent holds %v after failure", names)
	}
}

// The parent is read-only, so the temporary directory cannot be created:
// error and nothing written. Root, for whom permissions do not apply,
// re-runs it as an unprivileged user.
func TestWriteFilesReadOnlyParent(t *testing.T) {
	if rerunUnprivileged(t) {
		return
	}
	r := fixtureResult(t)
	parent := t.TempDir()
	if err := os.Chmod(parent, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(parent, 0o755)
	if _, err := WriteFiles(filepath.Join(parent, "out"), r); err == nil {
		t.Fatal("WriteFiles succeeded in a read-only directory")
	}
	if names := dirNames(t, parent); len(names) != 0 {
		t.Errorf("parent holds %v after failure", names)
	}
}
