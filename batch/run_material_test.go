package batch

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scensim/results"
)

// A batch comparison of scenarios with a dist runs them on shared draws
// and writes the material changes with the batch's min_diff:; changing
// min_diff: reruns the comparison (it is part of its key).
func TestBatchCompareNestedAndMaterial(t *testing.T) {
	path := writeBatch(t, `trials: 4000
min_diff: 2
jobs:
  - scenario: toy_dist.yaml
  - scenario: toy_dist.yaml
    name: fast
    set: {rate: 0.3}
compare:
  - [toy_dist, fast]
`)
	toy, err := os.ReadFile(filepath.Join("testdata", "toy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(toy), "rate: {value: 0.1, range: [0.05, 0.2], source: [H1]}", `rate: {value: 0.1, dist: "uniform(0.05, 0.2)", source: [H1]}`, 1)
	if src == string(toy) {
		t.Fatal("toy.yaml no longer has the rate line this test rewrites")
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(path), "toy_dist.yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	idx := runBatch(t, path, testOptions(out))
	if st := idx.Comparisons[0]; st.Status != StatusRan {
		t.Fatalf("comparison: %+v", st)
	}
	data, err := os.ReadFile(filepath.Join(out, "compare-toy_dist-vs-fast", "compare.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c results.Comparison
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	if c.Nested == nil || c.Nested.Draws != 10 || c.MinDiff != 0.02 {
		t.Fatalf("nested %+v, min_diff %g: want 10 shared draws and 0.02", c.Nested, c.MinDiff)
	}
	if len(c.Material) == 0 {
		t.Fatal("no material change between rate ~ uniform(0.05, 0.2) and rate 0.3")
	}
	for _, m := range c.Material {
		if !(float64(m.Lo) > 0.02 || float64(m.Hi) < -0.02) {
			t.Errorf("%s: [%g, %g] listed as material at ±0.02", m.Label(), float64(m.Lo), float64(m.Hi))
		}
	}
	if err := os.WriteFile(path, []byte(strings.Replace(mustRead(t, path), "min_diff: 2", "min_diff: 3", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	idx = runBatch(t, path, testOptions(out))
	if st := idx.Comparisons[0]; st.Status != StatusRan {
		t.Errorf("after min_diff changed, the comparison is %q, want rerun", st.Status)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
