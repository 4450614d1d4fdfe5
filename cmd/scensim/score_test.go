package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The score tests run one after another, not in parallel: urfave/cli
// writes its package-level help flag whenever it parses flags.

// The hand-made results and resolutions of package score's tests; their
// scores are computed by hand in score/report_test.go.
var (
	scoreV1   = filepath.Join("..", "..", "score", "testdata", "v1")
	scoreV2   = filepath.Join("..", "..", "score", "testdata", "v2", "result.json")
	scoreRes  = filepath.Join("..", "..", "score", "testdata", "resolutions.yaml")
	scoreBase = "0.3"
)

// fieldsOf returns the fields of the first table row of out (a line
// indented by two spaces) whose first fields are the words of label,
// without them.
func fieldsOf(t *testing.T, out, label string) []string {
	t.Helper()
	words := strings.Fields(label)
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if strings.HasPrefix(line, "  ") && len(f) > len(words) && slices.Equal(f[:len(words)], words) {
			return f[len(words):]
		}
	}
	t.Fatalf("no line %q in:\n%s", label, out)
	return nil
}

// The text output carries the hand-computed scores of the two hand-made
// results and of the references, in the columns R1, R2, 50%, base rate.
func TestScoreHandMadeText(t *testing.T) {
	out, err := run(t, "score", scoreV1, scoreV2, "--resolutions", scoreRes, "--base-rate", scoreBase)
	if err != nil {
		t.Fatal(err)
	}
	for label, want := range map[string]string{
		// Brier: 0.6725/6, 0.4325/6, 0.25, 1.41/6.
		"Brier score": "0.112083 0.072083 0.250000 0.235000",
		// Log: (−4 ln 0.8 − ln 0.7 − ln 0.35)/6, −(3 ln 0.9 + ln 0.7 + ln 0.5 + ln 0.75)/6, ln 2,
		// −(ln 0.6 + 2 ln 0.3 + 3 ln 0.7)/6.
		"log score":              "0.383179 0.275598 0.693147 0.664799",
		"reliability":            "0.036875 0.072083 0.000000 0.035000",
		"resolution":             "0.166667 0.250000 0.000000 0.050000",
		"uncertainty":            "0.250000 0.250000 0.250000 0.250000",
		"residual (within bins)": "-0.008125 0.000000 0.000000 0.000000",
		"outcomes scored":        "6 6 6 6",
		// Per outcome: aid_cut resolved yes; R1 said 0.35, R2 0.5.
		"aid_cut yes 2025-03-04":            "0.350000 0.500000 0.500000 0.300000",
		"election_called open":              "- 0.600000 0.500000 0.500000 0.300000",
		"deal_given_summit condition false": "2025-03-07 1.000000 - 0.500000 0.300000",
	} {
		if got := strings.Join(fieldsOf(t, out, label), " "); got != want {
			t.Errorf("%s: %q, want %q", label, got, want)
		}
	}
	// The Brier table's row of aid_cut: 0.65², 0.5², 0.5², 0.7².
	_, brierTable, _ := strings.Cut(out, "Brier score per outcome")
	if got := strings.Join(fieldsOf(t, brierTable, "aid_cut yes"), " "); got != "0.422500 0.250000 0.250000 0.490000" {
		t.Errorf("Brier of aid_cut: %q", got)
	}
	for _, want := range []string{"6 outcomes scored, 1 open, 1 with their condition false", "toy 2025-01-10 seed 7", "toy 2025-02-14 seed 8"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

// --out writes the reliability chart and the renderings, all at once.
func TestScoreOut(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "scores")
	out, err := run(t, "score", scoreV1, scoreV2, "-r", scoreRes, "--base-rate", scoreBase, "--out", dir, "--chart-format", "svg", "--format", "none", "-q")
	if err != nil {
		t.Fatal(err)
	}
	if out != "" {
		t.Errorf("--format none printed %q", out)
	}
	for _, name := range []string{"reliability.svg", "score.md", "score.json", "score.csv"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	data, _ := os.ReadFile(filepath.Join(dir, "score.json"))
	var doc struct {
		Format      string
		Forecasters []struct {
			ID       string
			N        int
			Residual *float64
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Format != "scensim-score/1" || len(doc.Forecasters) != 4 || doc.Forecasters[0].N != 6 ||
		doc.Forecasters[0].Residual == nil || *doc.Forecasters[0].Residual > -0.008124 || *doc.Forecasters[0].Residual < -0.008126 {
		t.Errorf("score.json: %+v", doc)
	}
	svg, _ := os.ReadFile(filepath.Join(dir, "reliability.svg"))
	if !strings.Contains(string(svg), "<svg") {
		t.Error("reliability.svg is not an SVG")
	}
}

func TestScoreBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("resolutions:\n  talks_opn: {value: yes, date: 2025-01-01}\n  aid_cut: {value: 0.3, date: 2025-01-01}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	notFile := filepath.Join(dir, "plain")
	if err := os.WriteFile(notFile, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{scoreV1, "--resolutions", bad}, ExitInput, "2 error(s)"},
		{[]string{scoreV1}, ExitInput, "--resolutions FILE is required"},
		{[]string{"--resolutions", scoreRes}, ExitInput, "name at least one result"},
		{[]string{dir, "--resolutions", scoreRes}, ExitInput, "not a result folder"},
		{[]string{scoreRes, "--resolutions", scoreRes}, ExitInput, "malformed JSON"},
		{[]string{scoreV1, "--resolutions", scoreRes}, ExitInput, "no base rate for summit_held"},
		{[]string{scoreV1, "--resolutions", scoreRes, "--base-rate", "1.5"}, ExitInput, "--base-rate"},
		{[]string{scoreV1, "--resolutions", scoreRes, "--base-rate", "0.3", "--format", "xml"}, ExitInput, "--format"},
		{[]string{scoreV1, "--resolutions", scoreRes, "--base-rate", "0.3", "--bins", "0"}, ExitInput, "--bins"},
		{[]string{scoreV1, "--resolutions", scoreRes, "--base-rate", "0.3", "--chart-format", "gif"}, ExitInput, "--chart-format"},
		{[]string{scoreV1, "--resolutions", dir}, ExitInput, "is a directory"},
		{[]string{scoreV1, "--resolutions", scoreRes, "--base-rate", "0.3", "--out", filepath.Join(notFile, "sub"), "-q"}, ExitWrite, "writing"},
	} {
		_, err := run(t, append([]string{"score"}, c.args...)...)
		if code := exitCode(err); code != c.code || err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("score %v: exit %d, %v; want exit %d and %q", c.args, code, err, c.code, c.want)
		}
	}
}

// The example resolutions file names outcomes of the baseline scenario and
// scores a run of it.
func TestScoreExampleResolutions(t *testing.T) {
	dir := t.TempDir()
	if _, err := run(t, "run", "baseline", "--trials", "2000", "--out", dir, "-q", "--format", "none"); err != nil {
		t.Fatal(err)
	}
	example := filepath.Join("..", "..", "scenarios", "examples", "resolutions.example.yaml")
	out, err := run(t, "score", filepath.Join(dir, "baseline"), "--resolutions", example, "--format", "markdown")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"4 outcomes scored", "| prelim_hazard_before_summer | no |", "| mobilisation_given_collapse | condition false |"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
