package results

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// FileNames returns the names of the files [WriteFiles] writes, in the order
// of its returned paths.
func FileNames() []string { return cloneSlice(fileNames) }

var fileNames = []string{"result.json", "outcomes.csv", "reached.csv", "occupancy.csv", "first_entry.csv", "outcomes.md"}

var fileWriters = map[string]func(io.Writer, *Result) error{
	"result.json":     WriteJSON,
	"outcomes.csv":    WriteOutcomesCSV,
	"reached.csv":     WriteReachedCSV,
	"occupancy.csv":   WriteOccupancyCSV,
	"first_entry.csv": WriteFirstEntryCSV,
	"outcomes.md":     WriteMarkdown,
}

// WriteFiles writes the files named in [FileNames] (result.json,
// outcomes.csv, reached.csv, occupancy.csv, first_entry.csv, outcomes.md)
// into dir and returns their paths (dir joined with each name, in that
// order).
//
// Procedure and guarantees:
//
//  1. Everything is rendered in memory first, and the targets are checked
//     (dir must be a directory if it exists; no target name in it may be a
//     directory). Any failure here returns an error having touched nothing.
//  2. Missing parent directories of dir are created (and are left in place if
//     a later step fails). A temporary directory ".<base(dir)>.tmp-*" is
//     created next to dir, every file is written and fsynced into it. A
//     failure here removes the temporary directory; dir is untouched.
//  3. If dir did not exist, the temporary directory (mode 0755; files 0644
//     less umask) is renamed to dir: dir appears atomically with all files,
//     or not at all.
//     If dir existed, each file is renamed over its target, result.json last:
//     each file is atomically replaced, so no reader ever sees a partially
//     written file, other files in dir are left alone, and a complete
//     result.json with a new content means the others are new as well. The
//     set as a whole is not atomic in this case: if a rename fails (or the
//     machine crashes) midway, some targets are new and the rest old, each
//     whole.
//
// The temporary directory is removed on every return path (barring a
// crash). Nothing is written if r.Validate fails.
func WriteFiles(dir string, r *Result) ([]string, error) {
	return WriteFilesWith(dir, r, nil)
}

// WriteFilesWith is [WriteFiles] with extra files (name → content, such as
// charts) written in the same way and at the same time: into the same
// temporary directory, renamed with the others, before result.json. The
// returned paths are those of WriteFiles followed by the extra files in
// name order. An extra name must be a plain file name (no path separator,
// not starting with a dot) and not one of [FileNames]; otherwise nothing is
// written.
func WriteFilesWith(dir string, r *Result, extra map[string][]byte) ([]string, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	names := cloneSlice(fileNames)
	contents := make([][]byte, len(fileNames))
	for i, name := range fileNames {
		var buf bytes.Buffer
		if err := fileWriters[name](&buf, r); err != nil {
			return nil, fmt.Errorf("results: rendering %s: %w", name, err)
		}
		contents[i] = buf.Bytes()
	}
	vn, vc, err := r.valueFiles() // values.csv, for a result with value outcomes
	if err != nil {
		return nil, err
	}
	names, contents = append(names, vn...), append(contents, vc...)
	extraNames := make([]string, 0, len(extra))
	for name := range extra {
		if err := checkExtraName(name); err != nil {
			return nil, err
		}
		if name == ValuesCSVName {
			return nil, fmt.Errorf("results: extra file %q would replace the value outcomes file", name)
		}
		extraNames = append(extraNames, name)
	}
	slices.Sort(extraNames)
	for _, name := range extraNames {
		names = append(names, name)
		contents = append(contents, extra[name])
	}
	return writeSet(dir, names, contents)
}

// WriteExtra writes files (name → content) into dir with the guarantees of
// [WriteFiles] (result.json aside): all rendered in memory by the caller,
// written and fsynced into a temporary directory next to dir, then either
// the temporary directory renamed to dir (if dir did not exist) or each file
// renamed over its target. It returns the paths in name order. Names follow
// the rule of [WriteFilesWith]; at least one file is needed.
func WriteExtra(dir string, files map[string][]byte) ([]string, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("results: no files to write")
	}
	names := make([]string, 0, len(files))
	for name := range files {
		if err := checkExtraName(name); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	slices.Sort(names)
	contents := make([][]byte, len(names))
	for i, name := range names {
		contents[i] = files[name]
	}
	return writeSet(dir, names, contents)
}

// checkExtraName checks the name of an extra file.
func checkExtraName(name string) error {
	switch {
	case name == "" || strings.HasPrefix(name, ".") || strings.ContainsAny(name, `/\`) || filepath.Base(name) != name:
		return fmt.Errorf("results: %q is not a plain file name", name)
	case slices.Contains(fileNames, name):
		return fmt.Errorf("results: %q is one of the result files", name)
	}
	return nil
}

// writeSet writes names[i] with contents[i] into dir as WriteFiles
// describes; names[0] is renamed last.
func writeSet(dir string, names []string, contents [][]byte) ([]string, error) {
	dir = filepath.Clean(dir)
	exists := false
	switch fi, err := os.Stat(dir); {
	case err == nil && !fi.IsDir():
		return nil, fmt.Errorf("results: %s exists and is not a directory", dir)
	case err == nil:
		exists = true
		for _, name := range names {
			if fi, err := os.Lstat(filepath.Join(dir, name)); err == nil && fi.IsDir() {
				return nil, fmt.Errorf("results: %s is a directory", filepath.Join(dir, name))
			}
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("results: %w", err)
	}

	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	defer os.RemoveAll(tmp) // empty or gone on success
	for i, name := range names {
		if err := writeSynced(filepath.Join(tmp, name), contents[i]); err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
	}

	paths := make([]string, len(names))
	for i, name := range names {
		paths[i] = filepath.Join(dir, name)
	}
	if !exists {
		if err := os.Chmod(tmp, 0o755); err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
		if err := syncDir(tmp); err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
		if err := os.Rename(tmp, dir); err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
		if err := syncDir(parent); err != nil {
			return paths, fmt.Errorf("results: files written but not synced: %w", err)
		}
		return paths, nil
	}
	// names[0] (result.json for a result) goes last.
	for i := range names {
		j := (i + 1) % len(names)
		if err := os.Rename(filepath.Join(tmp, names[j]), paths[j]); err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
	}
	if err := syncDir(dir); err != nil {
		return paths, fmt.Errorf("results: files written but not synced: %w", err)
	}
	return paths, nil
}

// writeSynced creates path (which must not exist), writes data and fsyncs.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir fsyncs a directory so that renames in it are durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
