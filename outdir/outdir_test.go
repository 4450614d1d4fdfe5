package outdir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func names(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func files(kv ...string) []File {
	var fs []File
	for i := 0; i < len(kv); i += 2 {
		fs = append(fs, File{Name: kv[i], Data: []byte(kv[i+1])})
	}
	return fs
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A folder is created, then replaced as a whole: a file of the first
// version that the second lacks is gone, the manifest lists exactly the new
// files, and nothing (temporary folder, lock file) is left beside it.
func TestReplaceDirWhole(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out", "run")
	if err := ReplaceDir(dir, files("result.json", "one", "chart.png", "png")); err != nil {
		t.Fatal(err)
	}
	if err := ReplaceDir(dir, files("result.json", "two", "outcomes.csv", "csv")); err != nil {
		t.Fatal(err)
	}
	if got, want := names(t, dir), []string{ManifestName, "outcomes.csv", "result.json"}; !reflect.DeepEqual(got, want) {
		t.Errorf("folder holds %v, want %v", got, want)
	}
	if got := read(t, filepath.Join(dir, "result.json")); got != "two" {
		t.Errorf("result.json = %q", got)
	}
	m, err := ReadManifestFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Has("result.json") || !m.Has("outcomes.csv") || m.Has("chart.png") || len(m.Files) != 2 {
		t.Errorf("manifest %+v", m.Files)
	}
	if err := m.Verify(dir); err != nil {
		t.Error(err)
	}
	if got := names(t, filepath.Join(parent, "out")); !reflect.DeepEqual(got, []string{"run"}) {
		t.Errorf("left beside the folder: %v", got)
	}
}

// A second writer of the same folder is refused at once with ErrBusy and a
// message naming the folder; after the first closes, it succeeds.
func TestSecondWriterRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	first, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(dir)
	lock := filepath.Join(filepath.Dir(dir), LockName("run"))
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "another scensim process is writing it (lock "+lock+" is held)") {
		t.Fatalf("second Open: %v, want ErrBusy naming %s", err, lock)
	}
	if err := first.Replace(files("a.txt", "a")); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ReplaceDir(dir, files("b.txt", "b")); err != nil {
		t.Fatalf("after the first closed: %v", err)
	}
}

// A lock file left by a killed writer (present, not locked) does not block.
func TestStaleLockFileIgnored(t *testing.T) {
	parent := t.TempDir()
	if err := os.WriteFile(filepath.Join(parent, LockName("run")), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ReplaceDir(filepath.Join(parent, "run"), files("a.txt", "a")); err != nil {
		t.Fatal(err)
	}
	if got := names(t, parent); !reflect.DeepEqual(got, []string{"run"}) {
		t.Errorf("parent holds %v", got)
	}
}

// A folder scensim did not write is never replaced.
func TestForeignFolderRefused(t *testing.T) {
	for name, setup := range map[string]func(dir string) error{
		"user files": func(dir string) error { return os.WriteFile(filepath.Join(dir, "thesis.tex"), []byte("mine"), 0o644) },
		"subfolder": func(dir string) error {
			if err := os.WriteFile(filepath.Join(dir, "result.json"), []byte("{}"), 0o644); err != nil {
				return err
			}
			return os.Mkdir(filepath.Join(dir, "photos"), 0o755)
		},
	} {
		dir := t.TempDir()
		if err := setup(dir); err != nil {
			t.Fatal(err)
		}
		before := names(t, dir)
		err := ReplaceDir(dir, files("a.txt", "a"))
		if err == nil || !strings.Contains(err.Error(), "refusing to replace it") {
			t.Errorf("%s: %v, want a refusal", name, err)
		}
		if got := names(t, dir); !reflect.DeepEqual(got, before) {
			t.Errorf("%s: folder changed to %v", name, got)
		}
	}
}

// Temporary folders of killed writers are removed by the next writer of the
// same folder, and only those: another folder's temporaries stay.
func TestStaleTemporariesRemoved(t *testing.T) {
	parent := t.TempDir()
	mine := []string{".run.tmp-0123456789abcdef", ".run.old-fedcba9876543210", ".run.new"}
	others := []string{".run.tmp-x.tmp-0123456789abcdef", ".runs.tmp-0123456789abcdef", ".run.tmp-short"}
	for _, n := range slices.Concat(mine, others) {
		if err := os.Mkdir(filepath.Join(parent, n), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(parent, "run"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := ReplaceDir(filepath.Join(parent, "run"), files("a.txt", "a")); err != nil {
		t.Fatal(err)
	}
	want := slices.Sorted(slices.Values(append(slices.Clone(others), "run")))
	if got := names(t, parent); !reflect.DeepEqual(got, want) {
		t.Errorf("parent holds %v, want %v", got, want)
	}
}

// A writer killed after moving the old folder aside (where the filesystem
// cannot exchange) left the folder missing: the next Open restores it.
func TestMovedAsideFolderRestored(t *testing.T) {
	parent := t.TempDir()
	old := filepath.Join(parent, ".run.old-0123456789abcdef")
	if err := os.Mkdir(old, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(old, "result.json"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	target, err := Open(filepath.Join(parent, "run"))
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	if got := read(t, filepath.Join(parent, "run", "result.json")); got != "old" {
		t.Errorf("restored result.json = %q", got)
	}
}

// Without an atomic exchange the folder is moved aside and replaced; the
// result is the same whole folder.
func TestReplaceWithoutExchange(t *testing.T) {
	saved := exchange
	exchange = func(a, b string) error { return errNoExchange }
	defer func() { exchange = saved }()
	parent := t.TempDir()
	dir := filepath.Join(parent, "run")
	for _, v := range []string{"one", "two"} {
		if err := ReplaceDir(dir, files("result.json", v, v+".png", v)); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := names(t, dir), []string{ManifestName, "result.json", "two.png"}; !reflect.DeepEqual(got, want) {
		t.Errorf("folder holds %v, want %v", got, want)
	}
	if got := names(t, parent); !reflect.DeepEqual(got, []string{"run"}) {
		t.Errorf("parent holds %v", got)
	}
}

// A folder on another filesystem than its parent (a mount point; simulated
// here) is written in place, with its temporary inside it: the files of the
// previous manifest that the new version lacks are removed, files it did
// not list are kept.
func TestMountPointWrittenInPlace(t *testing.T) {
	saved := sameDevice
	sameDevice = func(a, b string) (bool, error) { return false, nil }
	defer func() { sameDevice = saved }()
	parent := t.TempDir()
	dir := filepath.Join(parent, "mnt")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := ReplaceDir(dir, files("result.json", "one", "one.png", "png")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	target, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !target.inPlace {
		t.Fatal("a mount point is not written in place")
	}
	if err := target.Replace(files("result.json", "two")); err != nil {
		t.Fatal(err)
	}
	target.Close()
	if got, want := names(t, dir), []string{ManifestName, "notes.txt", "result.json"}; !reflect.DeepEqual(got, want) {
		t.Errorf("folder holds %v, want %v", got, want)
	}
	if got := names(t, parent); !reflect.DeepEqual(got, []string{"mnt"}) {
		t.Errorf("a temporary was made beside the mount point: %v", got)
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "g.dot")
	for _, v := range []string{"one", "two"} {
		if err := WriteFile(path, []byte(v)); err != nil {
			t.Fatal(err)
		}
		if got := read(t, path); got != v {
			t.Errorf("file = %q, want %q", got, v)
		}
	}
	if got := names(t, dir); !reflect.DeepEqual(got, []string{"g.dot"}) {
		t.Errorf("dir holds %v", got)
	}
	if err := WriteFile(dir, []byte("x")); err == nil {
		t.Error("WriteFile over a directory succeeded")
	}
}

// WriteFile removes the temporaries of the same file that killed writers
// left an hour or more ago, and no other file.
func TestWriteFileRemovesStaleTemporaries(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, ".g.dot.tmp-0123456789abcdef")
	young := filepath.Join(dir, ".g.dot.tmp-fedcba9876543210")
	other := filepath.Join(dir, ".h.dot.tmp-0123456789abcdef")
	for _, p := range []string{old, young, other} {
		if err := os.WriteFile(p, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-2 * time.Hour)
	for _, p := range []string{old, other} {
		if err := os.Chtimes(p, long, long); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteFile(filepath.Join(dir, "g.dot"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Base(young), filepath.Base(other), "g.dot"}
	slices.Sort(want)
	if got := names(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("dir holds %v, want %v", got, want)
	}
}

// A target opened and closed without a Replace (a command that failed or
// was interrupted) leaves none of the parents that Open created; one that
// was replaced keeps them, and an existing parent is never removed.
func TestCloseRemovesCreatedParents(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "a", "b", "NAME")
	tg, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := tg.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "a")); !os.IsNotExist(err) {
		t.Errorf("an unwritten target left %s/a behind (%v)", root, err)
	}
	if _, err := os.Stat(root); err != nil {
		t.Errorf("the existing parent was removed: %v", err)
	}
	tg, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := tg.Replace([]File{{Name: "x.txt", Data: []byte("x")}}); err != nil {
		t.Fatal(err)
	}
	if err := tg.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.txt")); err != nil {
		t.Errorf("a written target lost its file: %v", err)
	}
}

// writeAll writes every file it can and reports the first failure in the
// files' order, whichever write ends first.
func TestWriteAllReportsFirstFailureInOrder(t *testing.T) {
	dir := t.TempDir()
	var files []File
	for i := range 20 {
		files = append(files, File{Name: fmt.Sprintf("f%02d", i), Data: []byte{byte(i)}})
	}
	for _, name := range []string{"f07", "f13"} { // writeAll creates files exclusively
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	err := writeAll(dir, files)
	if err == nil || !strings.Contains(err.Error(), "f07") {
		t.Fatalf("error %v, want the failure of f07", err)
	}
	for i, f := range files {
		if f.Name == "f07" || f.Name == "f13" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil || len(b) != 1 || b[0] != byte(i) {
			t.Errorf("%s: %v %v", f.Name, b, err)
		}
	}
}
