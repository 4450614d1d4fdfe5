package batch

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"scensim/model"
	"scensim/scenarios"
)

// fuzzDir lays out a folder for batch files to refer to: the test
// scenarios and the shipped ones both beside the batch file (dir/batches)
// and one level up, as scenarios/batches/ refers to ../NAME.yaml.
func fuzzDir(f *testing.F) string {
	dir := f.TempDir()
	sub := filepath.Join(dir, "batches")
	if err := os.Mkdir(sub, 0o755); err != nil {
		f.Fatal(err)
	}
	var files []string
	for _, g := range []string{"testdata/*.yaml", "../scenarios/*.yaml"} {
		m, err := filepath.Glob(g)
		if err != nil {
			f.Fatal(err)
		}
		files = append(files, m...)
	}
	for _, src := range files {
		data, err := os.ReadFile(src)
		if err != nil {
			f.Fatal(err)
		}
		for _, d := range []string{dir, sub} {
			if err := os.WriteFile(filepath.Join(d, filepath.Base(src)), data, 0o644); err != nil {
				f.Fatal(err)
			}
		}
	}
	return sub
}

// FuzzSpec parses arbitrary batch files: nothing panics, parsing is
// deterministic, and every accepted spec is internally consistent.
func FuzzSpec(f *testing.F) {
	seeds, err := filepath.Glob("../scenarios/batches/*.yaml")
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no batch files in scenarios/batches: %v", err)
	}
	for _, path := range seeds {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"jobs:\n  - scenario: toy.yaml\n",
		"jobs:\n  - scenario: toy.yaml\n    grid: {rate: [0.1, 0.2]}\n  - scenario: baseline\n    name: b\ncompare:\n  - [toy+rate=0.1, b]\n",
		"seed: 1e3\ntrials: 2.5e3\nworkers: 2\nparallel: 1_0\njobs:\n  - scenario: toy.yaml\n    precision: 0.01\n    max_trials: 1e6\n",
		"jobs: [{scenario: toy.yaml, seed: 1.5}]\n",
		"jobs: &a [{scenario: toy.yaml}, *a]\n",
		"name: x\nout: o\njobs:\n  - {scenario: ../toy.yaml, set: {rate: 0.1}, name: n}\ncompare: [{name: c, jobs: [n, n]}]\n",
	} {
		f.Add([]byte(s))
	}
	dir := fuzzDir(f)
	file := filepath.Join(dir, "fuzz.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, errs := Parse(file, data)
		spec2, errs2 := Parse(file, data)
		if !reflect.DeepEqual(spec, spec2) || errs.Error() != errs2.Error() {
			t.Fatalf("two parses differ")
		}
		if spec == nil {
			if len(errs.Errors()) == 0 {
				t.Fatalf("refused without an error")
			}
			for _, e := range errs.Errors() {
				if e.Pos.File != file {
					t.Errorf("error without the batch file's name: %v", e)
				}
			}
			return
		}
		checkSpec(t, spec)
	})
}

// checkSpec checks what the runner relies on in an accepted spec.
func checkSpec(t *testing.T, spec *Spec) {
	t.Helper()
	if spec.Name == "" || spec.Out == "" || spec.Workers < 0 || spec.Parallel < 0 {
		t.Errorf("spec name %q, out %q, workers %d, parallel %d", spec.Name, spec.Out, spec.Workers, spec.Parallel)
	}
	if len(spec.Jobs) == 0 || len(spec.Jobs) > MaxJobs {
		t.Fatalf("%d jobs", len(spec.Jobs))
	}
	names := map[string]bool{}
	for _, j := range spec.Jobs {
		if j.Name == "" || names[j.Name] || !nameRE.MatchString(j.Name) || len(j.Name) > model.MaxFileNameBytes {
			t.Errorf("job name %q: empty, repeated, not a plain folder name or too long", j.Name)
		}
		names[j.Name] = true
		if j.Scenario == "" || j.Source == "" {
			t.Errorf("job %q names no scenario (%q, source %q)", j.Name, j.Scenario, j.Source)
		}
		if name, ok := strings.CutPrefix(j.Source, "embedded:"); ok {
			if _, found := scenarios.Read(name); !found {
				t.Errorf("job %q: no embedded scenario %q", j.Name, name)
			}
		} else if st, err := os.Stat(j.Source); err != nil || !st.Mode().IsRegular() {
			t.Errorf("job %q: source %q is not a file: %v", j.Name, j.Source, err)
		}
		if j.Trials < 0 || j.Trials > model.MaxTrials {
			t.Errorf("job %q: %d trials", j.Name, j.Trials)
		}
		if j.Precision != 0 && (j.Trials != 0 || !(j.Precision > 0 && j.Precision < 0.5) || j.MaxTrials < 1 || j.MaxTrials > model.MaxTrials) {
			t.Errorf("job %q: precision %g with %d trials, max %d", j.Name, j.Precision, j.Trials, j.MaxTrials)
		}
		if j.Precision == 0 && j.MaxTrials != 0 {
			t.Errorf("job %q: max trials %d without a precision", j.Name, j.MaxTrials)
		}
		for _, s := range j.Sets {
			if name, _, ok := strings.Cut(s, "="); !ok || !identRE.MatchString(name) {
				t.Errorf("job %q: set %q is not name=value", j.Name, s)
			}
		}
	}
	cmps := map[string]bool{}
	for _, c := range spec.Compare {
		if c.Name == "" || cmps[c.Name] || names[c.Name] || len(c.Name) > model.MaxFileNameBytes {
			t.Errorf("comparison name %q: empty, repeated, a job's or too long", c.Name)
		}
		cmps[c.Name] = true
		if len(c.Jobs) < 2 {
			t.Errorf("comparison %q of %d jobs", c.Name, len(c.Jobs))
		}
		seen := map[string]bool{}
		for _, j := range c.Jobs {
			if !names[j] || seen[j] {
				t.Errorf("comparison %q: job %q unknown or repeated", c.Name, j)
			}
			seen[j] = true
		}
	}
}

// Names that become folder names are refused, at their line, when too
// long for the file system, before anything runs (a grid's names grow
// with each axis).
func TestLongFolderNames(t *testing.T) {
	long := strings.Repeat("v", 120)
	path := writeBatch(t, "name: "+strings.Repeat("b", 224)+"\njobs:\n  - scenario: toy.yaml\n    grid: {rate: ["+long+"], x: ["+long+"]}\n  - scenario: toy.yaml\n    name: "+strings.Repeat("n", 224)+"\n")
	_, errs := Load(path)
	var got []string
	for _, e := range errs.Errors() {
		got = append(got, e.Pos.String()[len(path)+1:]+": "+e.Msg)
	}
	want := []string{
		"1:7: the batch name bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb… is 224 bytes long; it names the output folder: at most 223",
		"3:15: the job name toy+rate=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv… is 252 bytes long; it names the job's folder: at most 223 (give a shorter name:)",
		"6:11: the job name nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn… is 224 bytes long; it names the job's folder: at most 223 (give a shorter name:)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
