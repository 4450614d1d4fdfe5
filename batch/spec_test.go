package batch

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeBatch writes a batch file beside a copy of the test scenarios and
// returns its path.
func writeBatch(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"toy.yaml", "bad_prob.yaml", "slow.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "b.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Every mistake of a batch file is reported at once, with file:line:col
// and the line, as the scenario loader does.
func TestParseErrorsHavePositions(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string // messages after "b.yaml:"
	}{
		{"unknown keys", `jobs:
  - scenario: toy.yaml
    trails: 100
trails: 100
`, []string{
			`3:5: unknown key "trails" in a job (known: scenario, name, set, grid, seed, trials, precision, max_trials, draws, fixed_params, as_of_forecast)`,
			`4:1: unknown key "trails" in the batch (known: name, title, out, workers, parallel, jobs, compare, min_diff, min_diff_value, seed, trials, precision, max_trials, draws, fixed_params)`,
		}},
		{"missing jobs", "seed: 3\n", []string{`1:1: the batch needs the key "jobs"`}},
		{"empty file", "# nothing\n", []string{`1:1: the file is empty`}},
		{"yaml syntax", "jobs:\n  - scenario: toy.yaml\n    set: {a: 1\n", []string{`3: YAML syntax: did not find expected ',' or '}'`}},
		{"yaml indentation", "jobs:\n  - scenario: toy.yaml\n   name: x\n", []string{`2: YAML syntax: did not find expected '-' indicator`}},
		{"scenario not found", `jobs:
  - scenario: nope.yaml
  - scenario: no_such_embedded
  - name: x
`, []string{
			`2:15: no scenario file `,
			`3:15: no embedded scenario "no_such_embedded" (embedded: `,
			`4:5: a job needs the key "scenario"`,
		}},
		{"values", `seed: -1
trials: 1e99
precision: 0.7
jobs:
  - scenario: toy.yaml
    trials: 100
    precision: 0.01
  - scenario: toy.yaml
    name: has space
  - scenario: toy.yaml
    name: g
    set: {rate: 0.1, 1x: 2}
    grid: {rate: [0.1, 0.2, 0.1], mid: 2025-02-01, other: []}
workers: 0
`, []string{
			`1:7: seed "-1": want a whole number from 0 to 2^64-1`,
			`2:9: trials must be a whole number from 1 to 2000000000, not "1e99"`,
			`3:12: precision "0.7": want a 95% half-width between 0 and 0.5, e.g. 0.002`,
			`7:5: the job gives both trials and precision: a fixed trial count or a precision target, not both`,
			`9:11: job name "has space": use letters, digits, _ . - + = (it names the job's folder)`,
			`12:22: set: "1x" is not a param or date name`,
			`13:12: rate is in both set (line 12) and grid`,
			`13:29: grid: rate lists 0.1 twice`,
			`13:40: grid: mid must be a list, not "2025-02-01"`,
			`13:59: grid: other has no values`,
			`14:10: workers "0": want a whole number from 1 to 4096`,
		}},
		{"draws", `draws: 0
fixed_params: yes
jobs:
  - scenario: toy.yaml
    trials: 100
    draws: 200
  - scenario: toy.yaml
    name: both
    draws: 10
    fixed_params: true
  - scenario: toy.yaml
    name: prec
    precision: 0.01
    draws: 10
  - scenario: toy.yaml
    name: big
    draws: 20001
  - scenario: toy.yaml
    name: inherits
    draws: 13
trials: 12
`, []string{
			`1:8: draws "0": want a whole number from 1 to 20000 (parameter draws of a nested run)`,
			`2:15: fixed_params "yes": want true or false`,
			`6:5: the job asks for 200 draws of 100 trials: at most one draw per trial`,
			`9:5: the job gives both draws and fixed_params: true: fixed params are not drawn`,
			`14:5: the job gives both draws and precision: the number of trials, hence of draws, is not known in advance`,
			`17:12: draws "20001": want a whole number from 1 to 20000`,
			`20:5: job inherits asks for 13 draws of 12 trials: at most one draw per trial`,
		}},
		{"names and comparisons", `jobs:
  - scenario: toy.yaml
  - scenario: toy.yaml
  - scenario: toy.yaml
    name: t2
  - scenario: toy.yaml
    name: index.json
compare:
  - [toy, t3]
  - [toy]
  - {jobs: [toy, t2], name: toy}
  - 7
  - {jobs: [toy, t2], name: Report.html}
`, []string{
			`3:15: two jobs are named "toy" (the other at line 2): give one a different name:`,
			`7:11: a job cannot be named "index.json": the batch writes a file of that name`,
			`9:11: no job named "t3" (jobs: toy, t2)`,
			`10:5: a comparison needs at least two jobs, the reference first`,
			`11:5: the comparison's folder "toy" is also a job's name: give the comparison a name:`,
			`12:5: an item of compare must be a list of job names ([baseline, no_linkage]) or a mapping with jobs:, not "7"`,
			`13:5: a comparison cannot be named "Report.html": the batch writes a file of that name`,
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeBatch(t, c.text)
			spec, errs := Load(path)
			if spec != nil {
				t.Fatalf("no error; want %d", len(c.want))
			}
			var got []string
			for _, e := range errs {
				got = append(got, strings.TrimPrefix(e.Error(), path+":"))
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %d errors, want %d:\n%s", len(got), len(c.want), strings.Join(got, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], c.want[i]) {
					t.Errorf("error %d:\n got %s\nwant %s", i, got[i], c.want[i])
				}
			}
			// Snippets carry the source line and a caret under the column.
			if e := errs[0]; e.Pos.Line > 0 && e.Line == "" {
				t.Errorf("error %q has no source line for its snippet", e.Error())
			}
		})
	}
}

// A grid expands to the cartesian product of its values (the first key
// varying slowest), one job per point, named after the point; set: comes
// first in each job's overrides; the batch's trials, seed and precision
// apply unless the job gives its own.
func TestGridExpansion(t *testing.T) {
	path := writeBatch(t, `name: g
seed: 11
precision: 0.01
max_trials: 50000
jobs:
  - scenario: toy.yaml
    name: sweep
    set: {mid: 2025-02-15}
    grid:
      rate: [0.05, 0.1, 0.2]
      mid2: ["2025-03-01", "a b"]
  - scenario: toy.yaml
    trials: 500
    seed: 3
  - scenario: baseline
compare:
  - [toy, "sweep+rate=0.05+mid2=2025-03-01"]
`)
	spec, errs := Load(path)
	if errs != nil {
		t.Fatal(errs.Snippets())
	}
	var names []string
	for _, j := range spec.Jobs {
		names = append(names, j.Name)
	}
	want := []string{
		"sweep+rate=0.05+mid2=2025-03-01", "sweep+rate=0.05+mid2=a_b",
		"sweep+rate=0.1+mid2=2025-03-01", "sweep+rate=0.1+mid2=a_b",
		"sweep+rate=0.2+mid2=2025-03-01", "sweep+rate=0.2+mid2=a_b",
		"toy", "baseline",
	}
	if !slices.Equal(names, want) {
		t.Fatalf("jobs %q, want %q", names, want)
	}
	j := spec.Jobs[3]
	if !slices.Equal(j.Sets, []string{"mid=2025-02-15", "rate=0.1", "mid2=a b"}) {
		t.Errorf("sets %q", j.Sets)
	}
	if j.Precision != 0.01 || j.MaxTrials != 50000 || j.Trials != 0 || j.Seed == nil || *j.Seed != 11 {
		t.Errorf("grid job settings: precision %g max %d trials %d seed %v", j.Precision, j.MaxTrials, j.Trials, j.Seed)
	}
	if j.Source != filepath.Join(filepath.Dir(path), "toy.yaml") {
		t.Errorf("source %q", j.Source)
	}
	toy := spec.Jobs[6]
	if toy.Trials != 500 || toy.Precision != 0 || *toy.Seed != 3 {
		t.Errorf("job settings: trials %d precision %g seed %d", toy.Trials, toy.Precision, *toy.Seed)
	}
	if spec.Jobs[7].Source != "embedded:baseline" {
		t.Errorf("embedded source %q", spec.Jobs[7].Source)
	}
	if spec.Out != filepath.Join("out", "g") {
		t.Errorf("out %q", spec.Out)
	}
	if len(spec.Compare) != 1 || spec.Compare[0].Name != "compare-toy-vs-sweep+rate=0.05+mid2=2025-03-01" {
		t.Errorf("compare %+v", spec.Compare)
	}
}
