package analysis

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"scensim/model"
	"scensim/results"
)

// Manifest is what a reader needs to reproduce an analysis.
type Manifest struct {
	Command     string   `json:"command"` // sweep, tornado, psa, sobol, calibrate
	Scenario    string   `json:"scenario"`
	Title       string   `json:"title"`
	File        string   `json:"file"`
	FileSHA256  string   `json:"file_sha256"`
	Seed        uint64   `json:"seed"`
	Trials      int64    `json:"trials"` // per run; see each analysis
	Overrides   []string `json:"overrides"`
	Disabled    []string `json:"disabled,omitempty"`
	ToolVersion string   `json:"tool_version"`
}

// RunInfo holds facts that do not affect the results; it is written to the
// JSON file only, so the other files are byte-identical for any worker count.
type RunInfo struct {
	Workers        int     `json:"workers"`
	ElapsedSeconds float64 `json:"elapsed_seconds"`
	TotalTrials    int64   `json:"total_trials"` // trials run over all plans
}

func manifestOf(command string, p *model.Plan, r Run) Manifest {
	ovs := p.Overrides
	if ovs == nil {
		ovs = []string{}
	}
	return Manifest{
		Command: command, Scenario: p.Name, Title: p.Title, File: p.File, FileSHA256: p.SHA256,
		Seed: r.Seed, Trials: r.Trials, Overrides: ovs, Disabled: p.Disabled, ToolVersion: r.ToolVersion,
	}
}

// Table is a rectangular table of strings, rendered as CSV, Markdown or
// aligned text.
type Table struct {
	Name    string // file stem of its CSV, e.g. "tornado"
	Title   string
	Columns []string
	Rows    [][]string
	Notes   []string // printed under the table in text and Markdown
	NoCSV   bool     // shown in text and Markdown only
	NoText  bool     // written as CSV only
}

func (t *Table) add(cells ...string) { t.Rows = append(t.Rows, cells) }

// CSV renders the table as RFC 4180 CSV with a header row.
func (t *Table) CSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(t.Columns)
	for _, r := range t.Rows {
		_ = w.Write(r)
	}
	w.Flush()
	return b.Bytes()
}

// leftAligned reports whether column j holds text rather than numbers.
func (t *Table) leftAligned(j int) bool {
	for _, r := range t.Rows {
		if j < len(r) && r[j] != "" {
			c, _ := utf8.DecodeRuneInString(r[j])
			return unicode.IsLetter(c) || c == '_'
		}
	}
	return true
}

// Text renders the table with aligned columns.
func (t *Table) Text(b *bytes.Buffer) {
	if t.Title != "" {
		fmt.Fprintf(b, "%s\n", t.Title)
	}
	width := make([]int, len(t.Columns))
	for j, c := range t.Columns {
		width[j] = utf8.RuneCountInString(c)
	}
	for _, r := range t.Rows {
		for j, c := range r {
			width[j] = max(width[j], utf8.RuneCountInString(c))
		}
	}
	line := func(cells []string) {
		var s strings.Builder
		for j, c := range cells {
			if j > 0 {
				s.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[j]-utf8.RuneCountInString(c))
			if t.leftAligned(j) {
				s.WriteString(c + pad)
			} else {
				s.WriteString(pad + c)
			}
		}
		b.WriteString(strings.TrimRight(s.String(), " ") + "\n")
	}
	line(t.Columns)
	for _, r := range t.Rows {
		line(r)
	}
	for _, n := range t.Notes {
		fmt.Fprintf(b, "  %s\n", n)
	}
}

// Markdown renders the table as a GitHub Markdown table.
func (t *Table) Markdown(b *bytes.Buffer) {
	if t.Title != "" {
		fmt.Fprintf(b, "### %s\n\n", t.Title)
	}
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	b.WriteString("|")
	for _, c := range t.Columns {
		b.WriteString(" " + esc(c) + " |")
	}
	b.WriteString("\n|")
	for j := range t.Columns {
		if t.leftAligned(j) {
			b.WriteString("---|")
		} else {
			b.WriteString("---:|")
		}
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		b.WriteString("|")
		for _, c := range r {
			b.WriteString(" " + esc(c) + " |")
		}
		b.WriteString("\n")
	}
	if len(t.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range t.Notes {
			fmt.Fprintf(b, "- %s\n", n)
		}
	}
	b.WriteString("\n")
}

// Report is an analysis ready to print and write.
type Report struct {
	Stem     string   // file stem: sweep, tornado, psa, sobol, calibrate
	Manifest Manifest //
	Heading  []string // lines describing the analysis
	Tables   []*Table // written as NAME.csv (STEM.csv if unnamed)
	JSON     any      // the document of STEM.json
	Charts   map[string][]byte
	Extra    map[string][]byte // further files (a calibrated scenario)
}

// header returns the manifest lines shown above the tables.
func (r *Report) header() [][2]string {
	m := r.Manifest
	ov := "none"
	if len(m.Overrides) > 0 {
		ov = strings.Join(m.Overrides, ", ")
	}
	sha := m.FileSHA256
	if len(sha) > 12 {
		sha = sha[:12]
	}
	h := [][2]string{
		{"scensim " + m.Command, m.Scenario + " — " + m.Title},
		{"file", fmt.Sprintf("%s (sha256 %s)", m.File, sha)},
		{"seed", strconv.FormatUint(m.Seed, 10)},
		{"overrides", ov},
	}
	if len(m.Disabled) > 0 {
		h = append(h, [2]string{"disabled", strings.Join(m.Disabled, ", ")})
	}
	h = append(h, [2]string{"tool", m.ToolVersion})
	return h
}

// Text renders the report for a terminal.
func (r *Report) Text() []byte {
	var b bytes.Buffer
	for _, kv := range r.header() {
		fmt.Fprintf(&b, "%-15s %s\n", kv[0], kv[1])
	}
	for _, l := range r.Heading {
		fmt.Fprintf(&b, "%s\n", l)
	}
	for _, t := range r.Tables {
		if !t.NoText {
			b.WriteString("\n")
			t.Text(&b)
		}
	}
	return b.Bytes()
}

// Markdown renders the report as Markdown.
func (r *Report) Markdown() []byte {
	var b bytes.Buffer
	h := r.header()
	fmt.Fprintf(&b, "## %s: %s\n\n", h[0][0], h[0][1])
	for _, kv := range h[1:] {
		fmt.Fprintf(&b, "- %s: `%s`\n", kv[0], kv[1])
	}
	for _, l := range r.Heading {
		// "label   text\n   more text" → "- label: text more text"
		lines := strings.Split(l, "\n")
		for i := range lines {
			lines[i] = strings.TrimSpace(lines[i])
		}
		first := lines[0]
		if label, text, ok := strings.Cut(first, "  "); ok {
			first = label + ": " + strings.TrimSpace(text)
		}
		fmt.Fprintf(&b, "- %s\n", strings.Join(append([]string{first}, lines[1:]...), " "))
	}
	b.WriteString("\n")
	for _, t := range r.Tables {
		if !t.NoText {
			t.Markdown(&b)
		}
	}
	return b.Bytes()
}

// JSONBytes renders the report's JSON document, indented.
func (r *Report) JSONBytes() ([]byte, error) {
	return results.IndentedJSON(r.JSON)
}

// Files returns every file of the report: STEM.json, STEM.md, one CSV per
// table, the charts and the extra files.
func (r *Report) Files() (map[string][]byte, error) {
	js, err := r.JSONBytes()
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{r.Stem + ".json": js, r.Stem + ".md": r.Markdown()}
	for _, t := range r.Tables {
		if t.NoCSV {
			continue
		}
		name := t.Name
		if name == "" {
			name = r.Stem
		}
		files[name+".csv"] = t.CSV()
	}
	for k, v := range r.Charts {
		files[k] = v
	}
	for k, v := range r.Extra {
		files[k] = v
	}
	return files, nil
}

// Formatting helpers. CSV cells hold fractions with 6 decimals, as the
// results package's CSV files do; text cells hold percentages.

func f6(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	s := strconv.FormatFloat(x, 'f', 6, 64)
	if s == "-0.000000" {
		s = "0.000000"
	}
	return s
}

func pct(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return strconv.FormatFloat(100*x, 'f', 1, 64) + "%"
}

// pctCI formats an interval in percentage points, "[12.1, 13.4]".
func pctCI(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "n/a"
	}
	return "[" + strconv.FormatFloat(100*lo, 'f', 1, 64) + ", " + strconv.FormatFloat(100*hi, 'f', 1, 64) + "]"
}

// pts formats a difference in percentage points with its sign.
func pts(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	s := strconv.FormatFloat(100*x, 'f', 1, 64)
	if s == "-0.0" {
		s = "0.0"
	}
	if x > 0 && s != "0.0" {
		s = "+" + s
	}
	return s
}

// g formats a param value briefly.
func g(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

// marshalNaN marshals a map of floats with NaN and infinities as null.
func marshalNaN(m map[string]float64) ([]byte, error) {
	w := make(map[string]*float64, len(m))
	for k, v := range m {
		w[k] = nanNil(v)
	}
	return json.Marshal(w)
}
