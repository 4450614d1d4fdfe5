package results

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Number formats shared by the text and Markdown renderers (fixed precision,
// so output is byte-identical for equal inputs):
//
//   - probabilities and interval limits: percent with 1 decimal ("23.4%",
//     "[22.1, 24.8]");
//   - standard errors: percentage points with 2 decimals ("±0.65");
//   - an undefined probability (N == 0): "n/a", with "-" for interval and SE.

func fmtPct(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return strconv.FormatFloat(100*x, 'f', 1, 64) + "%"
}

func fmtNum1(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) }

func fmtSE(p Proportion) string {
	if !p.Defined() {
		return "-"
	}
	return "±" + strconv.FormatFloat(100*p.SE, 'f', 2, 64)
}

// fmtCIs formats the 95% intervals of ps as "[lo, hi]", padding the limits
// so that the brackets and commas line up in a column.
func fmtCIs(ps []Proportion) []string {
	wl, wh := 0, 0
	for _, p := range ps {
		if p.Defined() {
			wl = max(wl, len(fmtNum1(p.Lo)))
			wh = max(wh, len(fmtNum1(p.Hi)))
		}
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		if !p.Defined() {
			out[i] = "-"
			continue
		}
		out[i] = fmt.Sprintf("[%*s, %*s]", wl, fmtNum1(p.Lo), wh, fmtNum1(p.Hi))
	}
	return out
}

// table is a text table with left ('l') or right ('r') aligned columns.
type table struct {
	align string
	rows  [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// addWrapped adds a row whose cells are wrapped at width runes (at spaces
// where possible, else hard), as several table lines: nothing is cut off.
// The continuation lines are blank in the columns that have ended.
func (t *table) addWrapped(width int, cells ...string) {
	wrapped := make([][]string, len(cells))
	lines := 1
	for i, c := range cells {
		wrapped[i] = wrapText(c, width)
		lines = max(lines, len(wrapped[i]))
	}
	for l := 0; l < lines; l++ {
		row := make([]string, len(cells))
		for i := range cells {
			if l < len(wrapped[i]) {
				row[i] = wrapped[i][l]
			}
		}
		t.add(row...)
	}
}

// wrapText splits s into lines of at most width runes, breaking at spaces
// where it can and inside a word longer than width; joined back with
// spaces (or nothing, at a hard break) they give s. width < 1 means no
// wrapping.
func wrapText(s string, width int) []string {
	if width < 1 || utf8.RuneCountInString(s) <= width {
		return []string{s}
	}
	var lines []string
	r := []rune(s)
	for len(r) > width {
		cut := -1
		for i := width; i > 0; i-- {
			if r[i] == ' ' {
				cut = i
				break
			}
		}
		if cut <= 0 { // no space to break at: a hard break
			lines = append(lines, string(r[:width]))
			r = r[width:]
			continue
		}
		lines = append(lines, string(r[:cut]))
		r = r[cut+1:]
	}
	return append(lines, string(r))
}

// write writes the table with columns separated by two spaces, widths
// counted in runes, trailing spaces trimmed.
func (t *table) write(b *strings.Builder) {
	var width []int
	for _, row := range t.rows {
		for i, c := range row {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, row := range t.rows {
		var line strings.Builder
		for i, c := range row {
			if i > 0 {
				line.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i < len(t.align) && t.align[i] == 'r' {
				line.WriteString(pad + c)
			} else {
				line.WriteString(c + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
}

// shownStates returns the global indices of the states shown in the reached
// and first-entry tables: every state at least one trial entered (so each
// track's initial state, entered at point 0 by every trial, is always shown),
// or every state if there are no trials. hidden lists "track.state" of the
// states left out.
func (r *Result) shownStates() (shown []int, hidden []string) {
	for g, e := range r.FirstEntry {
		if r.Counts.Trials == 0 || e.Ever.K > 0 {
			shown = append(shown, g)
		} else {
			hidden = append(hidden, e.Track+"."+e.State)
		}
	}
	return shown, hidden
}

// dateNotes explains named dates outside the points.
func (r *Result) dateNotes() []string {
	var notes []string
	first, last := r.Layout.Points[0], r.Layout.Points[len(r.Layout.Points)-1]
	for _, d := range r.Layout.NamedDates {
		switch {
		case d.Internal:
		case d.Point < 0:
			notes = append(notes, fmt.Sprintf("%s (%s) is before the first point (%s): 0%% by construction.", d.Name, d.Date, first))
		case d.Date > last:
			notes = append(notes, fmt.Sprintf("%s (%s) is after the last point (%s): its column is reached by the last point.", d.Name, d.Date, last))
		}
	}
	return notes
}

// reachedErrorNote says how large the simulation error of the reached-by
// shares of the shown states is: the largest 95% half-width among them
// (Wilson, or in a nested run from the variance between draws), and where
// their ranges over the assumptions are, or that a run without draws has
// none. It is "" when no state is shown.
func (r *Result) reachedErrorNote(shown []int) string {
	if len(shown) == 0 {
		return ""
	}
	worst := 0.0
	for _, g := range shown {
		row := r.Reached[g]
		for _, d := range append(r.ShownDates(row.By), row.Horizon) {
			if hw := (d.Reached.Hi - d.Reached.Lo) / 2; hw > worst || math.IsNaN(hw) {
				worst = hw
			}
		}
	}
	s := fmt.Sprintf("reached by: shares of the trials; their simulation error (95%%) is at most ±%.1f pts", 100*worst)
	if math.IsNaN(worst) {
		s = "reached by: shares of the trials; their simulation error is not known (a share of no trials)"
	}
	if r.Nested != nil {
		return s + "; their ranges over the assumptions are in the table above."
	}
	return s + "; this run is not nested in parameter draws, so no range over the assumptions is computed."
}

// firstEntryNote says what the first-entry table's dates are and that
// their uncertainty is not computed.
const firstEntryNote = "first entry: ever is the horizon column of reached by; p10, median and p90 are the points by which 10%, 50% and 90% of the trials that enter the state have entered it, pooled over all trials. No simulation error or range over the assumptions is computed for these dates; the reached-by shares at the named dates, with theirs, say how uncertain the timing is."

// capitalise returns s with its first letter upper-case.
func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (r *Result) trialsText() string {
	s := strconv.FormatInt(r.Counts.Trials, 10)
	if sh := r.Manifest.Shard; sh != nil {
		s += fmt.Sprintf(" (shard %d of %d: trials %d..%d of %d)", sh.K, sh.N, sh.First, sh.First+sh.Trials-1, sh.TotalTrials)
	} else if r.Manifest.Trials != r.Counts.Ran() {
		s += fmt.Sprintf(" (requested %d)", r.Manifest.Trials)
	}
	if r.Counts.Conditioned {
		s += fmt.Sprintf(" kept by the evidence, of %d run", r.Counts.Ran())
	}
	return s
}

func (r *Result) timeText() string {
	m, pts := r.Manifest, r.Layout.Points
	s := fmt.Sprintf("%s .. %s (%d points)", pts[0], pts[len(pts)-1], len(pts))
	if m.Step != "" {
		s += ", step " + m.Step
	}
	if m.End != "" {
		s += ", horizon " + m.End
	}
	return s
}

func (r *Result) overridesText() string {
	if len(r.Manifest.Overrides) == 0 {
		return "none"
	}
	return strings.Join(r.Manifest.Overrides, ", ")
}

// WriteText writes r as an aligned plain-text report for a terminal:
//
//   - a header: scenario and title, scenario file with the first 12 hex
//     digits of its SHA-256, seed, trials counted (and requested, if they
//     differ), time grid, overrides, tool version;
//   - the outcomes table: name, P, 95% Wilson interval, ±SE (percentage
//     points), n; a conditional outcome has n = the number of trials where
//     its `given` held and ends with "| given <expression>";
//   - the reached-by table: one row per state, one column per named date
//     (internal dates left out) and one for the horizon (the last point), each the percentage of all trials
//     that had entered the state at a point on or before that date;
//   - the first-entry table: per state, the percentage of trials that ever
//     entered it and the 10%, 50% and 90% quantiles of the first-entry date
//     among them.
//
// The two state tables omit states no trial entered (listed in a note below
// the reached-by table); initial states, entered at point 0 by every trial,
// always appear. Notes also flag named dates outside the points. RunInfo is
// not written. The output is a pure function of r. Nothing is written if
// r.Validate fails. Outcomes are grouped, and headline outcomes shown first
// in a table of their own (see groups.go).
func WriteText(w io.Writer, r *Result) error { return WriteTextWith(w, r, TextOptions{}) }

// WriteTextWith is [WriteText] with options.
func WriteTextWith(w io.Writer, r *Result, opts TextOptions) error {
	if err := r.Validate(); err != nil {
		return err
	}
	var b strings.Builder
	m := r.Manifest
	head := &table{align: "ll"}
	name := r.Layout.Scenario
	if r.Layout.Title != "" {
		name += " — " + r.Layout.Title
	}
	head.add("scensim result", name)
	if m.AsOf != "" {
		head.add("as of", m.AsOf+" (the date of the information the scenario encodes)")
	}
	file := orDash(m.File)
	if m.FileSHA256 != "" {
		file += " (sha256 " + shortHash(m.FileSHA256) + ")"
	}
	head.add("file", file)
	head.add("seed", strconv.FormatUint(m.Seed, 10))
	head.add("trials", r.trialsText())
	head.add("time", r.timeText())
	head.add("overrides", r.overridesText())
	if ps := r.paramsText(); ps != "" {
		head.add("params", ps)
	}
	head.add("tool", orDash(m.ToolVersion))
	head.write(&b)
	r.writeEvidenceText(&b)

	b.WriteString("\n")
	r.writeOutcomesText(&b, opts)
	r.writeDriversText(&b)
	r.writeValuesText(&b)

	if len(r.Reached) > 0 {
		shown, hidden := r.shownStates()
		b.WriteString("\n")
		t := &table{align: "l" + strings.Repeat("r", len(r.Layout.NamedDates)+1)}
		names, dates := []string{"reached by"}, []string{""}
		for _, d := range r.ShownDates(r.Reached[0].By) {
			names, dates = append(names, d.Name), append(dates, d.Date)
		}
		h := r.Reached[0].Horizon
		t.add(append(names, h.Name)...)
		t.add(append(dates, h.Date)...)
		for _, g := range shown {
			row := r.Reached[g]
			cells := []string{row.Track + "." + row.State}
			for _, d := range r.ShownDates(row.By) {
				cells = append(cells, fmtPct(d.Reached.P))
			}
			t.add(append(cells, fmtPct(row.Horizon.Reached.P))...)
		}
		t.write(&b)
		if r.Nested != nil {
			b.WriteString("\n")
			t = &table{align: "l" + strings.Repeat("r", len(r.Layout.NamedDates)+1)}
			t.add(append([]string{"reached by: range over assumptions 5%..95%"}, append(names[1:], h.Name)...)...)
			t.add(append(dates, h.Date)...)
			for _, g := range shown {
				row := r.Reached[g]
				cells := []string{row.Track + "." + row.State}
				for _, d := range r.ShownDates(row.By) {
					cells = append(cells, fmtSpread(d.Range))
				}
				t.add(append(cells, fmtSpread(row.Horizon.Range))...)
			}
			t.write(&b)
		}
		if len(hidden) > 0 {
			b.WriteString("not entered in any trial (omitted): " + strings.Join(hidden, ", ") + "\n")
		}
		for _, n := range r.dateNotes() {
			b.WriteString("note: " + n + "\n")
		}
		if n := r.reachedErrorNote(shown); n != "" {
			b.WriteString("note: " + n + "\n")
		}

		b.WriteString("\n")
		t = &table{align: "lrlll"}
		t.add("first entry", "ever", "p10", "median", "p90")
		for _, g := range shown {
			e := r.FirstEntry[g]
			t.add(e.Track+"."+e.State, fmtPct(e.Ever.P), orDash(e.P10), orDash(e.Median), orDash(e.P90))
		}
		t.write(&b)
		b.WriteString("note: " + firstEntryNote + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCell escapes s for a GitHub Markdown table cell: newlines become spaces
// and pipes are escaped (GFM requires this even inside code spans).
func mdCell(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	return strings.ReplaceAll(s, "|", `\|`)
}

// mdCode returns s as a Markdown code span.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

func mdRow(b *strings.Builder, cells ...string) {
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" " + c + " |")
	}
	b.WriteString("\n")
}

// WriteMarkdown writes r as GitHub-flavoured Markdown for review threads: a
// title, a manifest line with everything needed to reproduce the run (seed,
// trials, scenario file and the first 12 hex digits of its SHA-256, time grid,
// overrides, tool version), then the same three tables as [WriteText]
// (outcomes with their rationale and sources, reached-by, first entry) with
// the same row selection, number formats and notes. A "given" column appears
// only if some outcome is conditional. RunInfo is not written. The output is a
// pure function of r. Nothing is written if r.Validate fails.
func WriteMarkdown(w io.Writer, r *Result) error {
	if err := r.Validate(); err != nil {
		return err
	}
	var b strings.Builder
	m := r.Manifest
	title := "## scensim result: " + mdCode(r.Layout.Scenario)
	if r.Layout.Title != "" {
		title += " — " + mdCell(r.Layout.Title)
	}
	b.WriteString(title + "\n\n")
	if m.AsOf != "" {
		fmt.Fprintf(&b, "**As of %s** (the date of the information the scenario encodes).\n\n", m.AsOf)
	}
	file := mdCode(m.File)
	if file == "" {
		file = "-"
	}
	if m.FileSHA256 != "" {
		file += " (sha256 " + mdCode(shortHash(m.FileSHA256)) + ")"
	}
	overrides := "none"
	if len(m.Overrides) > 0 {
		var os []string
		for _, o := range m.Overrides {
			os = append(os, mdCode(o))
		}
		overrides = strings.Join(os, ", ")
	}
	params := ""
	if ps := r.paramsText(); ps != "" {
		params = "; params " + ps
	}
	fmt.Fprintf(&b, "**Manifest:** seed %s; trials %s; file %s; time %s; overrides %s%s; tool %s.\n",
		mdCode(strconv.FormatUint(m.Seed, 10)), mdCode(r.trialsText()), file,
		r.timeText(), overrides, params, mdCode(orDash(m.ToolVersion)))

	r.writeEvidenceMarkdown(&b)
	b.WriteString("\n### Outcomes\n\n")
	r.writeOutcomesMarkdown(&b)
	r.writeDriversMarkdown(&b)
	r.writeValuesMarkdown(&b)

	if len(r.Reached) > 0 {
		shown, hidden := r.shownStates()
		b.WriteString("\n### Reached by\n\n")
		head, rule := []string{"state"}, []string{":--"}
		for _, d := range slices.Concat(r.ShownDates(r.Reached[0].By), []ReachedAt{r.Reached[0].Horizon}) {
			head, rule = append(head, mdCell(d.Name)+"<br>"+d.Date), append(rule, "--:")
		}
		mdRow(&b, head...)
		mdRow(&b, rule...)
		for _, g := range shown {
			row := r.Reached[g]
			cells := []string{mdCode(row.Track + "." + row.State)}
			for _, d := range slices.Concat(r.ShownDates(row.By), []ReachedAt{row.Horizon}) {
				cell := fmtPct(d.Reached.P)
				if r.Nested != nil {
					cell += " " + fmtSpread(d.Range)
				}
				cells = append(cells, cell)
			}
			mdRow(&b, cells...)
		}
		if r.Nested != nil {
			b.WriteString("\nEach cell: P averaged over the assumptions, then its range over assumptions [5%, 95%] across parameter draws.\n")
		}
		var notes []string
		if len(hidden) > 0 {
			var hs []string
			for _, h := range hidden {
				hs = append(hs, mdCode(h))
			}
			notes = append(notes, "Not entered in any trial (omitted): "+strings.Join(hs, ", ")+".")
		}
		notes = append(notes, r.dateNotes()...)
		if n := r.reachedErrorNote(shown); n != "" {
			notes = append(notes, capitalise(n))
		}
		if len(notes) > 0 {
			b.WriteString("\n")
			for _, n := range notes {
				b.WriteString("- " + n + "\n")
			}
		}

		b.WriteString("\n### First entry\n\n")
		mdRow(&b, "state", "ever", "p10", "median", "p90")
		mdRow(&b, ":--", "--:", ":-:", ":-:", ":-:")
		for _, g := range shown {
			e := r.FirstEntry[g]
			mdRow(&b, mdCode(e.Track+"."+e.State), fmtPct(e.Ever.P), orDash(e.P10), orDash(e.Median), orDash(e.P90))
		}
		b.WriteString("\n- " + capitalise(firstEntryNote) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
