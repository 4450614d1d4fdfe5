package resultdiff

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"scensim/internal/fsread"
	"scensim/results"
)

// ResultFile and IndexFile are the files Load looks for in a folder: a
// result folder holds result.json, a batch output root index.json.
const (
	ResultFile = "result.json"
	IndexFile  = "index.json"
)

// Input is what one argument of a diff names: a single result, or a batch
// output root with its jobs' results by job name.
type Input struct {
	Path   string
	Result *results.Result // a single result; nil for a batch root
	Jobs   []Job           // a batch root's jobs with a result, in index order
}

// Job is one job of a batch root.
type Job struct {
	Name   string
	Path   string // its result.json
	Result *results.Result
}

// Load reads what path names: a result.json file, a result folder (holding
// result.json) or a batch output root (holding index.json; every job with
// a result.json in its folder is read, jobs without one are left out).
func Load(path string) (*Input, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, errors.Unwrap(err))
	}
	if !st.IsDir() {
		r, err := results.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return &Input{Path: path, Result: r}, nil
	}
	rf := filepath.Join(path, ResultFile)
	if _, err := os.Stat(rf); err == nil {
		r, err := results.ReadFile(rf)
		if err != nil {
			return nil, err
		}
		return &Input{Path: path, Result: r}, nil
	}
	data, err := fsread.ReadFile(filepath.Join(path, IndexFile), 64<<20, "batch index files")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: neither a result (no %s) nor a batch output root (no %s)", path, ResultFile, IndexFile)
	}
	if err != nil {
		return nil, err
	}
	var idx struct {
		Jobs []struct {
			Name string `json:"name"`
			Dir  string `json:"dir"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal(data, &idx); err != nil {
		return nil, fmt.Errorf("%s: not a batch index: %v", filepath.Join(path, IndexFile), err)
	}
	in := &Input{Path: path}
	for _, j := range idx.Jobs {
		if j.Name == "" || !filepath.IsLocal(j.Dir) {
			return nil, fmt.Errorf("%s: job %q has no folder inside the root", filepath.Join(path, IndexFile), j.Name)
		}
		rf := filepath.Join(path, j.Dir, ResultFile)
		if _, err := os.Stat(rf); err != nil {
			continue // a job that failed or was interrupted: nothing to compare
		}
		r, err := results.ReadFile(rf)
		if err != nil {
			return nil, err
		}
		in.Jobs = append(in.Jobs, Job{Name: j.Name, Path: rf, Result: r})
	}
	return in, nil
}

// Named is the diff of one job of two batch roots.
type Named struct {
	Job  string `json:"job"`
	Diff *Diff  `json:"diff"`
}

// Set is the diff of two inputs: one diff for two results, one per job
// present in both for two batch roots (with the jobs only one root has).
type Set struct {
	Old     string   `json:"old"`
	New     string   `json:"new"`
	MinDiff float64  `json:"min_diff"`
	Diffs   []Named  `json:"diffs"`
	OnlyOld []string `json:"jobs_only_old,omitempty"`
	OnlyNew []string `json:"jobs_only_new,omitempty"`
}

// NoChange reports whether nothing changed in any diff of the set and both
// sides hold the same jobs.
func (s *Set) NoChange() bool {
	for _, d := range s.Diffs {
		if !d.Diff.NoChange() {
			return false
		}
	}
	return len(s.OnlyOld) == 0 && len(s.OnlyNew) == 0
}

// CompareInputs diffs two inputs: two results, or two batch roots (jobs
// paired by name). A result against a batch root is an error.
func CompareInputs(old, new *Input, minDiff float64) (*Set, error) {
	s := &Set{Old: old.Path, New: new.Path, MinDiff: minDiff}
	switch {
	case old.Result != nil && new.Result != nil:
		d, err := Compare(old.Path, old.Result, new.Path, new.Result, minDiff)
		if err != nil {
			return nil, err
		}
		s.Diffs = []Named{{Diff: d}}
	case old.Result == nil && new.Result == nil:
		byName := map[string]Job{}
		for _, j := range new.Jobs {
			byName[j.Name] = j
		}
		seen := map[string]bool{}
		for _, o := range old.Jobs {
			n, ok := byName[o.Name]
			if !ok {
				s.OnlyOld = append(s.OnlyOld, o.Name)
				continue
			}
			seen[o.Name] = true
			d, err := Compare(o.Path, o.Result, n.Path, n.Result, minDiff)
			if err != nil {
				return nil, err
			}
			s.Diffs = append(s.Diffs, Named{Job: o.Name, Diff: d})
		}
		for _, j := range new.Jobs {
			if !seen[j.Name] {
				s.OnlyNew = append(s.OnlyNew, j.Name)
			}
		}
		if len(s.Diffs) == 0 && len(s.OnlyOld) == 0 && len(s.OnlyNew) == 0 {
			return nil, fmt.Errorf("%s and %s: neither batch root holds a job with a result", old.Path, new.Path)
		}
	default:
		return nil, fmt.Errorf("%s and %s: cannot compare a single result with a batch output root (give two results or two roots)", old.Path, new.Path)
	}
	return s, nil
}
