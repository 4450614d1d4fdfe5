package batch

import (
	"strings"
	"testing"

	"scensim/results"
)

// min_diff: and min_diff_value: set the comparisons' materiality
// thresholds, in the batch (for every comparison) and in a comparison (for
// it alone); absent, they are the defaults; bad values are errors with
// positions.
func TestCompareMinDiff(t *testing.T) {
	path := writeBatch(t, `min_diff: 2
jobs:
  - scenario: toy.yaml
  - scenario: toy.yaml
    name: t2
compare:
  - [toy, t2]
  - {name: strict, jobs: [toy, t2], min_diff: 0.5, min_diff_value: 10}
`)
	spec, errs := Load(path)
	if errs != nil {
		t.Fatal(errs.Snippets())
	}
	if c := spec.Compare[0]; c.MinDiff != 0.02 || c.MinDiffValue != results.DefaultMinDiffValue {
		t.Errorf("batch min_diff: comparison thresholds %g, %g", c.MinDiff, c.MinDiffValue)
	}
	if c := spec.Compare[1]; c.MinDiff != 0.005 || c.MinDiffValue != 0.1 {
		t.Errorf("comparison min_diff: thresholds %g, %g", c.MinDiff, c.MinDiffValue)
	}
	path = writeBatch(t, "jobs:\n  - scenario: toy.yaml\n  - {scenario: toy.yaml, name: t2}\ncompare:\n  - [toy, t2]\n")
	if spec, errs = Load(path); errs != nil {
		t.Fatal(errs.Snippets())
	}
	if c := spec.Compare[0]; c.MinDiff != results.DefaultMinDiff || c.MinDiffValue != results.DefaultMinDiffValue {
		t.Errorf("default thresholds %g, %g", c.MinDiff, c.MinDiffValue)
	}
	for _, bad := range []struct{ text, want string }{
		{"min_diff: -1\njobs:\n  - scenario: toy.yaml\n", `1:11: min_diff "-1": want percentage points`},
		{"min_diff: 101\njobs:\n  - scenario: toy.yaml\n", `1:11: min_diff "101": want percentage points`},
		{"jobs:\n  - scenario: toy.yaml\n  - {scenario: toy.yaml, name: t2}\ncompare:\n  - {jobs: [toy, t2], min_diff_value: x}\n", `5:39: min_diff_value "x": want a non-negative percentage`},
	} {
		_, errs := Load(writeBatch(t, bad.text))
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), bad.want) {
			t.Errorf("%q: errors %v, want %q", bad.text, errs, bad.want)
		}
	}
}
