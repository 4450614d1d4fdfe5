package live

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// ErrOutside is the error of a path that does not lie in the scenario's
// folder.
var ErrOutside = errors.New("only files in the scenario's folder may be read or written")

// InsideDir returns the path of rel inside dir, refusing anything that
// could lead out of it: an empty or absolute path, a path with a ".."
// element, and a path that, once symbolic links are resolved, lies
// outside dir (a missing file is judged by its folder).
func InsideDir(dir, rel string) (string, error) {
	if rel == "" || filepath.IsAbs(rel) || strings.HasPrefix(rel, "/") || strings.HasPrefix(rel, `\`) || filepath.VolumeName(rel) != "" {
		return "", fmt.Errorf("%q: %w", rel, ErrOutside)
	}
	for _, part := range strings.FieldsFunc(rel, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == ".." {
			return "", fmt.Errorf("%q: %w", rel, ErrOutside)
		}
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", err
	}
	if root, err = filepath.Abs(root); err != nil {
		return "", err
	}
	full := filepath.Join(root, filepath.FromSlash(rel))
	real, err := filepath.EvalSymlinks(full)
	if errors.Is(err, os.ErrNotExist) {
		// A file to be created: its folder must exist and be inside.
		parent, perr := filepath.EvalSymlinks(filepath.Dir(full))
		if perr != nil {
			return "", fmt.Errorf("%q: %w", rel, ErrOutside)
		}
		real = filepath.Join(parent, filepath.Base(full))
	} else if err != nil {
		return "", err
	}
	back, err := filepath.Rel(root, real)
	if err != nil || back == ".." || strings.HasPrefix(back, ".."+string(filepath.Separator)) || filepath.IsAbs(back) {
		return "", fmt.Errorf("%q: %w", rel, ErrOutside)
	}
	return full, nil
}

var overlayNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*\.yaml$`)

// CheckOverlayName refuses an overlay file name that is not a plain
// NAME.yaml (letters, digits, _ . -; no folder).
func CheckOverlayName(name string) error {
	if !overlayNameRE.MatchString(name) || len(name) > 200 {
		return fmt.Errorf("overlay file name %q: want a plain NAME.yaml in the scenario's folder (letters, digits, _ . -)", name)
	}
	return nil
}

// writeAtomic writes data to path through a temporary file in the same
// folder, renamed over path, so that a reader never sees half a file. An
// existing path that is not a regular file (a symbolic link, a folder) is
// refused.
func writeAtomic(path string, data []byte) error {
	if st, err := os.Lstat(path); err == nil && !st.Mode().IsRegular() {
		return fmt.Errorf("%s exists and is not a regular file", path)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".overlay-*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	if err := f.Sync(); werr == nil {
		werr = err
	}
	if err := f.Close(); werr == nil {
		werr = err
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		os.Remove(tmp)
	}
	return werr
}
