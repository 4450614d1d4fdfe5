package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scensim/results"
)

// compareJSON runs compare with --format json --no-files and reads the
// comparison.
func compareJSON(t *testing.T, args ...string) (*results.Comparison, []byte) {
	t.Helper()
	out, err := run(t, append(append([]string{"compare"}, args...), "-q", "--no-files", "--format", "json")...)
	if err != nil {
		t.Fatal(err)
	}
	var c results.Comparison
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	return &c, []byte(out)
}

// checkMaterialList checks c's material list against its rows: every
// listed change lies wholly beyond ±threshold, the list is sorted by
// size, and listed plus not listed are all the defined differences.
func checkMaterialList(t *testing.T, c *results.Comparison) {
	t.Helper()
	defined := 0
	for _, r := range c.Rows {
		for j := 1; j < len(c.Scenarios); j++ {
			if r.Diffs[j].Defined() {
				defined++
			}
		}
	}
	for _, v := range c.Values {
		for j := 1; j < len(c.Scenarios); j++ {
			if d := v.Diffs[j]; d != nil && !math.IsNaN(float64(d.D)) {
				defined++
			}
		}
	}
	if len(c.Material)+c.NotMaterial != defined {
		t.Errorf("%d material + %d not material, want %d differences in all", len(c.Material), c.NotMaterial, defined)
	}
	for i, m := range c.Material {
		th := float64(m.Threshold)
		if m.Kind != "value" && th != c.MinDiff {
			t.Errorf("%s: threshold %g, want %g", m.Label(), th, c.MinDiff)
		}
		if !(float64(m.Lo) > th || float64(m.Hi) < -th) {
			t.Errorf("%s: interval [%g, %g] does not exclude ±%g", m.Label(), float64(m.Lo), float64(m.Hi), th)
		}
		if i > 0 {
			prev := c.Material[i-1]
			if math.Abs(float64(m.D))/th > math.Abs(float64(prev.D))/float64(prev.Threshold) {
				t.Errorf("material list not sorted by size: %s (%g) after %s (%g)", m.Label(), float64(m.D), prev.Label(), float64(prev.D))
			}
		}
	}
}

// The baseline against a copy whose one param (stall_rate) moves slightly
// lists nothing as material at the default 1 point, although some of its
// changes are significant (their interval excludes 0): the threshold, not
// the run's size, keeps them off the list. Against a variant (ground
// force), the material list is long, sorted, and each listed interval
// excludes ±1 point; with --min-diff 5 it is shorter and excludes ±5.
func TestCompareMaterialChanges(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	slight := filepath.Join(dir, "slight.yaml")
	src := "scensim: 1\nname: slight\nextends: baseline\nparams:\n  stall_rate:\n    dist: pert(0.008, 0.0205, 0.04)\n"
	if err := os.WriteFile(slight, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	c, _ := compareJSON(t, "baseline", slight, "-n", "20000")
	if c.Nested == nil || c.MinDiff != 0.01 {
		t.Fatalf("nested %+v, min_diff %g: want a nested comparison at 0.01", c.Nested, c.MinDiff)
	}
	checkMaterialList(t, c)
	significant := 0
	for _, r := range c.Rows {
		if r.Diffs[1].Defined() && r.Diffs[1].Significant {
			significant++
		}
	}
	if len(c.Material) != 0 || significant == 0 {
		t.Errorf("slight change: %d material (want 0), %d significant (want some)", len(c.Material), significant)
	}

	v, _ := compareJSON(t, "baseline", "ground_force", "-n", "20000")
	checkMaterialList(t, v)
	if len(v.Material) < 5 {
		t.Errorf("ground_force: %d material changes, want several", len(v.Material))
	}
	v5, _ := compareJSON(t, "baseline", "ground_force", "-n", "20000", "--min-diff", "5")
	checkMaterialList(t, v5)
	if v5.MinDiff != 0.05 || len(v5.Material) >= len(v.Material) || len(v5.Material) == 0 {
		t.Errorf("--min-diff 5: min_diff %g, %d material (at 1 point: %d)", v5.MinDiff, len(v5.Material), len(v.Material))
	}

	out, err := run(t, "compare", "baseline", "ground_force", "-n", "20000", "-q", "--no-files")
	if err != nil {
		t.Fatal(err)
	}
	m, o := strings.Index(out, "MATERIAL CHANGES"), strings.Index(out, "OUTCOMES: ground_force vs baseline")
	for _, want := range []string{"cells changed by less than 1 point", "range over assumptions 5%..95%", "share of draws with this sign", "simulation error 95%"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q", want)
		}
	}
	if m < 0 || o < 0 || m > o {
		t.Errorf("the material changes do not come before the full tables")
	}
}

// A nested comparison gives the same result for 1 and 2 workers; with
// --fixed-params it is flat (no draws, no range).
func TestCompareNestedWorkers(t *testing.T) {
	t.Parallel()
	strip := func(b []byte) []byte {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		delete(m, "run")
		out, _ := json.Marshal(m)
		return out
	}
	_, one := compareJSON(t, "baseline", "no_linkage", "-n", "3000", "--workers", "1")
	_, two := compareJSON(t, "baseline", "no_linkage", "-n", "3000", "--workers", "2")
	if !bytes.Equal(strip(one), strip(two)) {
		t.Error("1 and 2 workers give different comparisons")
	}
	f, _ := compareJSON(t, "baseline", "no_linkage", "-n", "3000", "--fixed-params")
	for _, r := range f.Rows {
		if d := r.Diffs[1]; f.Nested != nil || d != nil && d.OverDraws != nil {
			t.Fatal("--fixed-params: the comparison is nested")
		}
	}
}

func TestCompareMaterialBadInputs(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"compare", "baseline", "no_linkage", "--min-diff", "-1", "--no-files", "-q"},
		{"compare", "baseline", "no_linkage", "--min-diff", "NaN", "--no-files", "-q"},
		{"compare", "baseline", "no_linkage", "--min-diff-value", "-5", "--no-files", "-q"},
		{"compare", "baseline", "no_linkage", "--draws", "10", "--fixed-params", "--no-files", "-q"},
		{"compare", "baseline", "no_linkage", "--draws", "0", "--no-files", "-q"},
		{"hypotheses", "--min-diff", "101", "--no-files", "-q"},
	} {
		_, err := run(t, args...)
		if got := exitCode(err); got != 2 {
			t.Errorf("scensim %s: exit %d (%v), want 2", strings.Join(args, " "), got, err)
		}
	}
}

// hypotheses takes the threshold too: every listed material change lies
// beyond it, and the text says how many others there were.
func TestHypothesesMaterial(t *testing.T) {
	t.Parallel()
	out, err := run(t, "hypotheses", "-n", "2000", "-q", "--no-files", "--format", "json", "--min-diff", "3")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Rows       []results.HypothesisRow `json:"rows"`
		Comparison *results.Comparison     `json:"comparison"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	c := doc.Comparison
	if c.MinDiff != 0.03 || c.Nested == nil {
		t.Fatalf("min_diff %g, nested %+v", c.MinDiff, c.Nested)
	}
	checkMaterialList(t, c)
	material := 0
	for _, h := range doc.Rows {
		material += h.Material
	}
	if material == 0 {
		t.Error("no hypothesis changes an outcome materially")
	}
	txt, err := run(t, "hypotheses", "-n", "2000", "-q", "--no-files", "--min-diff", "3")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(txt, "material changes: 95% interval wholly beyond ±3 points") || !strings.Contains(txt, "other outcome changes were smaller than 3 points or within noise") {
		t.Errorf("hypotheses text lacks the material section:\n%s", txt)
	}
}
