package results

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"scensim/outdir"
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

// WriteFiles replaces the folder dir with the files named in [FileNames]
// (result.json, outcomes.csv, reached.csv, occupancy.csv, first_entry.csv,
// outcomes.md; the two per-point tables only up to [MaxStepTableRows] rows)
// and returns their paths (dir joined with each name, in that order).
//
// Everything is rendered in memory first; nothing is written if r.Validate
// fails. The folder is then replaced as a whole by [outdir.ReplaceDir]: it
// holds exactly these files (and the manifest [outdir.ManifestName]) and a
// reader sees either the complete previous folder or the complete new one,
// never a mix, even if the process is killed. Files of an earlier run that
// this one does not write (charts, say) do not survive. A second process
// writing the same folder at the same time is refused with an error
// wrapping [outdir.ErrBusy]. Missing parents of dir are created. An existing
// dir that scensim did not write is refused.
func WriteFiles(dir string, r *Result) ([]string, error) {
	return WriteFilesWith(dir, r, nil)
}

// WriteFilesWith is [WriteFiles] with extra files (name → content, such as
// charts) in the same folder. The returned paths are those of WriteFiles
// followed by the extra files in name order. An extra name must be a plain
// file name (no path separator, not starting with a dot) and not one of
// [FileNames]; otherwise nothing is written.
func WriteFilesWith(dir string, r *Result, extra map[string][]byte) ([]string, error) {
	files, err := Files(r, extra)
	if err != nil {
		return nil, err
	}
	return replace(dir, nil, files)
}

// WriteFilesTo is [WriteFilesWith] into a folder already opened (and
// locked) with [outdir.Open], as a command does before a long run so that an
// unwritable or busy output fails before the work. It does not close t.
func WriteFilesTo(t *outdir.Target, r *Result, extra map[string][]byte) ([]string, error) {
	files, err := Files(r, extra)
	if err != nil {
		return nil, err
	}
	return replace(t.Dir(), t, files)
}

// WriteRenderedTo is [WriteFilesTo] for files already rendered by
// [Files](r, nil), so that a command can render the result files while it
// draws the charts: it writes files followed by extra (in name order),
// exactly what WriteFilesTo(t, r, extra) writes. An extra name must be a
// plain file name and not the name of one of files.
func WriteRenderedTo(t *outdir.Target, files []outdir.File, extra map[string][]byte) ([]string, error) {
	for _, f := range files {
		if _, ok := extra[f.Name]; ok {
			return nil, fmt.Errorf("results: extra file %q would replace a result file", f.Name)
		}
	}
	more, err := extraFiles(extra)
	if err != nil {
		return nil, err
	}
	return replace(t.Dir(), t, append(slices.Clone(files), more...))
}

// MaxStepTableRows bounds the rows of each of occupancy.csv and
// first_entry.csv, one per state and point, that the result files hold by
// default: beyond it (a model of thousands of states over thousands of
// steps, whose two tables would take gigabytes) they are left out unless
// asked for with [FileOptions].FullTables. result.json always holds the
// counts they are made of, so plot and merge work either way.
const MaxStepTableRows = 1 << 20

// StepTableRows is the number of rows of occupancy.csv for r (first_entry.csv
// has one more per state).
func StepTableRows(r *Result) int64 {
	return int64(len(r.Layout.Points)) * int64(r.Layout.NumStates())
}

// StepTablesLeftOut reports whether [Files] leaves occupancy.csv and
// first_entry.csv out for r (see MaxStepTableRows).
func StepTablesLeftOut(r *Result) bool { return StepTableRows(r) > MaxStepTableRows }

// FileOptions choose what [FilesWith] renders.
type FileOptions struct {
	// FullTables writes occupancy.csv and first_entry.csv whatever their
	// size (see MaxStepTableRows).
	FullTables bool
}

// Files renders the files of [WriteFilesWith] in its order, without writing.
func Files(r *Result, extra map[string][]byte) ([]outdir.File, error) {
	return FilesWith(r, extra, FileOptions{})
}

// FilesWith is [Files] with options: by default occupancy.csv and
// first_entry.csv are left out when [StepTablesLeftOut].
func FilesWith(r *Result, extra map[string][]byte, opts FileOptions) ([]outdir.File, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	leaveOut := !opts.FullTables && StepTablesLeftOut(r)
	files := make([]outdir.File, 0, len(fileNames)+len(extra))
	for _, name := range fileNames {
		if leaveOut && (name == "occupancy.csv" || name == "first_entry.csv") {
			continue
		}
		var buf bytes.Buffer
		if err := fileWriters[name](&buf, r); err != nil {
			return nil, fmt.Errorf("results: rendering %s: %w", name, err)
		}
		files = append(files, outdir.File{Name: name, Data: buf.Bytes()})
	}
	vn, vc, err := r.valueFiles() // values.csv, for a result with value outcomes
	if err != nil {
		return nil, err
	}
	for i, name := range vn {
		files = append(files, outdir.File{Name: name, Data: vc[i]})
	}
	if _, ok := extra[ValuesCSVName]; ok && len(vn) > 0 {
		return nil, fmt.Errorf("results: extra file %q would replace the value outcomes file", ValuesCSVName)
	}
	if len(r.Drivers) > 0 {
		if _, ok := extra[DriversCSVName]; ok {
			return nil, fmt.Errorf("results: extra file %q would replace the top drivers file", DriversCSVName)
		}
		var buf bytes.Buffer
		if err := WriteDriversCSV(&buf, r); err != nil {
			return nil, fmt.Errorf("results: rendering %s: %w", DriversCSVName, err)
		}
		files = append(files, outdir.File{Name: DriversCSVName, Data: buf.Bytes()})
	}
	more, err := extraFiles(extra)
	if err != nil {
		return nil, err
	}
	return append(files, more...), nil
}

// extraFiles checks the names of extra files and sorts them by name.
func extraFiles(extra map[string][]byte) ([]outdir.File, error) {
	names := make([]string, 0, len(extra))
	for name := range extra {
		if err := checkExtraName(name); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	slices.Sort(names)
	files := make([]outdir.File, len(names))
	for i, name := range names {
		files[i] = outdir.File{Name: name, Data: extra[name]}
	}
	return files, nil
}

// WriteExtra replaces the folder dir with files (name → content), as
// [WriteFiles] does, and returns their paths in name order. Names follow
// the rule of [WriteFilesWith]; at least one file is needed.
func WriteExtra(dir string, files map[string][]byte) ([]string, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("results: no files to write")
	}
	list, err := extraFiles(files)
	if err != nil {
		return nil, err
	}
	return replace(dir, nil, list)
}

// WriteExtraTo is [WriteExtra] into a folder already opened (and locked)
// with [outdir.Open]. It does not close t.
func WriteExtraTo(t *outdir.Target, files map[string][]byte) ([]string, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("results: no files to write")
	}
	list, err := extraFiles(files)
	if err != nil {
		return nil, err
	}
	return replace(t.Dir(), t, list)
}

// replace replaces dir (opened as t, or opened here if t is nil) with files
// and returns their paths.
func replace(dir string, t *outdir.Target, files []outdir.File) ([]string, error) {
	if t == nil {
		var err error
		if t, err = outdir.Open(dir); err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
		defer t.Close()
	}
	if err := t.Replace(files); err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = filepath.Join(dir, f.Name)
	}
	return paths, nil
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
