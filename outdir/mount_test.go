package outdir

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
)

// tmpfs mounts a small tmpfs (size bytes) on a new folder and unmounts it
// at the end of the test. It needs root (CAP_SYS_ADMIN): without it the
// test is skipped, except under CI=true, where it fails.
func tmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "mnt")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
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

// An output root that is a real mount point: folders inside it, files
// written into it, and the mount point itself replaced (in place) all work,
// where a temporary in the parent would fail with "invalid cross-device
// link".
func TestRealMountPoint(t *testing.T) {
	mnt := tmpfs(t, "1m")
	if err := ReplaceDir(filepath.Join(mnt, "job"), files("result.json", "1")); err != nil {
		t.Fatalf("folder inside a mount point: %v", err)
	}
	if err := ReplaceDir(filepath.Join(mnt, "job"), files("result.json", "2")); err != nil {
		t.Fatalf("folder inside a mount point, replaced: %v", err)
	}
	if err := WriteFile(filepath.Join(mnt, "index.json"), []byte("{}")); err != nil {
		t.Fatalf("file in a mount point: %v", err)
	}
	if err := WriteFile(filepath.Join(mnt, "index.json"), []byte("{ }")); err != nil {
		t.Fatalf("file in a mount point, replaced: %v", err)
	}
	if err := os.RemoveAll(filepath.Join(mnt, "job")); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(mnt, "index.json"))
	if err := os.Mkdir(filepath.Join(mnt, "lost+found"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"a", "b"} {
		if err := ReplaceDir(mnt, files("chart-"+v+".png", v)); err != nil {
			t.Fatalf("the mount point itself: %v", err)
		}
	}
	if got, want := names(t, mnt), []string{ManifestName, "chart-b.png", "lost+found"}; !reflect.DeepEqual(got, want) {
		t.Errorf("mount point holds %v, want %v", got, want)
	}
}

// On a full disk the previous file stays whole and no temporary remains.
func TestWriteFileFullDisk(t *testing.T) {
	mnt := tmpfs(t, "64k")
	path := filepath.Join(mnt, "g.dot")
	if err := WriteFile(path, []byte("digraph old {}\n")); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(path, []byte(strings.Repeat("x", 1<<20)))
	if err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("writing 1 MB into 64 kB: %v, want no space left", err)
	}
	if got := read(t, path); got != "digraph old {}\n" {
		t.Errorf("previous file changed to %d bytes", len(got))
	}
	if got := names(t, mnt); !reflect.DeepEqual(got, []string{"g.dot"}) {
		t.Errorf("left behind: %v", got)
	}
}

// On a full disk a folder is not replaced: the previous one stays whole.
func TestReplaceDirFullDisk(t *testing.T) {
	mnt := tmpfs(t, "64k")
	dir := filepath.Join(mnt, "run")
	if err := ReplaceDir(dir, files("result.json", "old")); err != nil {
		t.Fatal(err)
	}
	err := ReplaceDir(dir, []File{{Name: "result.json", Data: []byte("new")}, {Name: "big.png", Data: make([]byte, 1<<20)}})
	if err == nil {
		t.Fatal("replacing with 1 MB on 64 kB succeeded")
	}
	if got := read(t, filepath.Join(dir, "result.json")); got != "old" {
		t.Errorf("result.json = %q", got)
	}
	if got := names(t, mnt); !reflect.DeepEqual(got, []string{"run"}) {
		t.Errorf("left behind: %v", got)
	}
}
