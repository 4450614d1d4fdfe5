// Package fsread reads the project's input files with bounds: a file is
// read only if it is a regular file, and never more than its kind's limit.
//
// Every reader of a file a user names (scenario files and the bases they
// extend, batch files, result files, manifests, indexes) goes through
// [ReadFile], so that a device (/dev/zero), a named pipe, a socket or a
// directory is refused by its mode before it is opened, and a file that
// grows past the limit while being read is refused after reading at most
// limit+1 bytes.
package fsread

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular is wrapped by the error of a path that is not a regular
// file (a directory, device, named pipe or socket).
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is wrapped by the error of a file over its limit.
var ErrTooLarge = errors.New("file too large")

// CheckRegular returns an error wrapping [ErrNotRegular] that names what
// path is, unless mode is a regular file's.
func CheckRegular(path string, mode fs.FileMode) error {
	if mode.IsRegular() {
		return nil
	}
	what := "not a regular file"
	switch {
	case mode.IsDir():
		what = "a directory"
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe"
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	case mode&fs.ModeDevice != 0:
		what = "a device"
	case mode&fs.ModeSymlink != 0:
		what = "a symbolic link"
	}
	return &limitError{fmt.Sprintf("%s is %s, not a file", path, what), ErrNotRegular}
}

// Size formats a byte limit for messages: "4 MiB", "512 KiB", "100 bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ReadFile returns the contents of the file at path (symbolic links
// followed) if it is a regular file of at most limit bytes. It refuses,
// before opening it, anything that is not a regular file; it reads at most
// limit+1 bytes, so a file that is (or grows) larger is refused without
// reading the rest. kind names the file in the size message ("scenario
// files are limited to 4 MiB"). Errors name path.
func ReadFile(path string, limit int64, kind string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := CheckRegular(path, st.Mode()); err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, tooLarge(path, limit, kind)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The path may have been replaced between Stat and Open.
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if err := CheckRegular(path, st.Mode()); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(path, limit, kind)
	}
	return data, nil
}

// ReadAll reads r to its end, or refuses it, after reading limit+1 bytes,
// as larger than limit.
func ReadAll(r io.Reader, limit int64, kind string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &limitError{fmt.Sprintf("the input is larger than %s, the limit for %s", Size(limit), kind), ErrTooLarge}
	}
	return data, nil
}

func tooLarge(path string, limit int64, kind string) error {
	return &limitError{fmt.Sprintf("%s: file is larger than %s, the limit for %s", path, Size(limit), kind), ErrTooLarge}
}

// limitError is a refusal: its message, and the sentinel it matches.
type limitError struct {
	msg  string
	kind error
}

func (e *limitError) Error() string { return e.msg }
func (e *limitError) Unwrap() error { return e.kind }
