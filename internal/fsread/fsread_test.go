//go:build unix

package fsread

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(small, []byte("12345"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadFile(small, 5, "test files"); err != nil || string(got) != "12345" {
		t.Fatalf("ReadFile at the limit = %q, %v", got, err)
	}
	_, err := ReadFile(small, 4, "test files")
	if !errors.Is(err, ErrTooLarge) || err.Error() != small+": file is larger than 4 bytes, the limit for test files" {
		t.Errorf("over the limit: %v", err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(small, link); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadFile(link, 5, "test files"); err != nil || string(got) != "12345" {
		t.Errorf("through a symbolic link = %q, %v", got, err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing"), 5, "x"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}

	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for path, what := range map[string]string{
		dir:            "a directory",
		fifo:           "a named pipe", // opening it for reading would block
		sock:           "a socket",
		"/dev/zero":    "a device", // endless
		"/dev/urandom": "a device",
	} {
		if path == "/dev/zero" || path == "/dev/urandom" {
			if _, err := os.Stat(path); err != nil {
				if os.Getenv("CI") == "true" {
					t.Fatalf("%s is needed: %v", path, err)
				}
				t.Logf("%s: %v; not checked", path, err)
				continue
			}
		}
		_, err := ReadFile(path, 1<<20, "test files")
		if !errors.Is(err, ErrNotRegular) || err.Error() != path+" is "+what+", not a file" {
			t.Errorf("ReadFile(%s) = %v, want %q", path, err, what)
		}
	}
}

func TestReadAll(t *testing.T) {
	if got, err := ReadAll(strings.NewReader("abc"), 3, "x"); err != nil || string(got) != "abc" {
		t.Errorf("ReadAll at the limit = %q, %v", got, err)
	}
	// An endless reader is cut at limit+1 bytes.
	if _, err := ReadAll(zeros{}, 1<<20, "result files"); !errors.Is(err, ErrTooLarge) ||
		err.Error() != "the input is larger than 1 MiB, the limit for result files" {
		t.Errorf("ReadAll of an endless reader: %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{4 << 20: "4 MiB", 1 << 30: "1 GiB", 512 << 10: "512 KiB", 1000: "1000 bytes", 3<<20 + 1: "3145729 bytes"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
