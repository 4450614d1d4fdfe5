package results

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite results/testdata/*.golden from the current output")

var renderers = []struct {
	golden string
	write  func(io.Writer, *Result) error
}{
	{"text.golden", WriteText},
	{"markdown.golden", WriteMarkdown},
	{"outcomes_csv.golden", WriteOutcomesCSV},
	{"reached_csv.golden", WriteReachedCSV},
	{"occupancy_csv.golden", WriteOccupancyCSV},
	{"first_entry_csv.golden", WriteFirstEntryCSV},
	{"json.golden", WriteJSON},
}

func render(t *testing.T, write func(io.Writer, *Result) error, r *Result) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestGolden compares every renderer's output for the fixture with
// testdata/*.golden. Run `go test ./results/ -update` to rewrite them after an
// intended change, and review the diff.
func TestGolden(t *testing.T) {
	r := fixtureResult(t)
	for _, c := range renderers {
		t.Run(c.golden, func(t *testing.T) {
			got := render(t, c.write, r)
			path := filepath.Join("testdata", c.golden)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./results/ -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run with -update if intended):\n%s", path, lineDiff(string(want), string(got)))
			}
		})
	}
}

// lineDiff reports the lines that differ, by position.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl + "\n")
		}
	}
	return b.String()
}

func itoa(i int) string { return csvInt(i) }

// Renderings other than JSON do not depend on RunInfo, and none depends on
// anything but the result (render twice, compare).
func TestRenderDeterministic(t *testing.T) {
	r1 := fixtureResult(t)
	r2 := fixtureResult(t)
	r2.Run = RunInfo{Workers: 1, ElapsedSeconds: 99, Started: "2030-01-01T00:00:00Z"}
	for _, c := range renderers {
		a, b := render(t, c.write, r1), render(t, c.write, r1)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renderings differ", c.golden)
		}
		if c.golden == "json.golden" {
			continue
		}
		if !bytes.Equal(a, render(t, c.write, r2)) {
			t.Errorf("%s: rendering depends on RunInfo", c.golden)
		}
	}
}

// Spot checks of the text report independent of the golden file.
func TestTextContents(t *testing.T) {
	out := string(render(t, WriteText, fixtureResult(t)))
	for _, want := range []string{
		"seed            20250319",
		// 351/1000: Wilson [32.2, 38.1]; SE sqrt(.351·.649/1000) = 1.51 points.
		"ceasefire           35.1%  [32.2, 38.1]  ±1.51  1000",
		"divided_given_deal  82.8%  [79.6, 85.7]  ±1.56   588  | given reached(talks.ceasefire) || reached(talks.preliminary)",
		"not entered in any trial (omitted): europe.challenge",
		"note: summer (2025-06-01) is after the last point (2025-04-16)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "europe.challenge  ") || strings.Contains(out, "elapsed") {
		t.Errorf("text output shows an omitted state or run info:\n%s", out)
	}
	for i, line := range strings.Split(out, "\n") {
		if strings.TrimRight(line, " ") != line {
			t.Errorf("line %d has trailing spaces: %q", i+1, line)
		}
	}
}

// An outcome whose `given` never held is undefined, shown as n/a.
func TestTextUndefinedOutcome(t *testing.T) {
	l := smallLayout()
	c := NewCounts(&l)
	c.Trials = 4
	c.Entry = []int64{4, 0, 0, 0, 0, 0, 0, 4}
	c.Occupancy = []int64{4, 0, 4, 0, 4, 0}
	c.ParamHist = []int64{0, 2, 2, 0}
	r := Compute(l, *c, Manifest{Scenario: "small", Trials: 4}, RunInfo{})
	out := string(render(t, WriteText, r))
	if !strings.Contains(out, "o        n/a  -         -  0  | given reached(t.b)") {
		t.Errorf("undefined outcome not shown as n/a:\n%s", out)
	}
	md := string(render(t, WriteMarkdown, r))
	if !strings.Contains(md, "| `o` | n/a | - | - | 0 | `reached(t.b)` |") {
		t.Errorf("undefined outcome not shown as n/a in Markdown:\n%s", md)
	}
	csv := string(render(t, WriteOutcomesCSV, r))
	if !strings.Contains(csv, "o,true,reached(t.b),0,0,,,0.000000,1.000000,,") {
		t.Errorf("undefined outcome CSV:\n%s", csv)
	}
}

func TestMarkdownEscaping(t *testing.T) {
	md := string(render(t, WriteMarkdown, fixtureResult(t)))
	for _, want := range []string{
		"`reached(talks.ceasefire) \\|\\| reached(talks.preliminary)`",
		"Division once any deal \\| ceasefire exists.",
		"seed `20250319`",
		"sha256 `9f86d081884c`",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
}

func TestWritersRejectInvalidResult(t *testing.T) {
	r := fixtureResult(t)
	r.Counts.Entry = r.Counts.Entry[:3]
	for _, c := range renderers {
		var b bytes.Buffer
		if err := c.write(&b, r); err == nil || b.Len() != 0 {
			t.Errorf("%s: err = %v, wrote %d bytes", c.golden, err, b.Len())
		}
	}
	r = fixtureResult(t)
	r.Reached = r.Reached[:2]
	if err := WriteText(io.Discard, r); err == nil {
		t.Errorf("WriteText accepted derived rows that do not match the layout")
	}
}
