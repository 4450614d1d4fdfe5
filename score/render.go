package score

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"scensim/results"
)

// Renderings of a report.
var Renderings = []string{"text", "markdown", "json", "csv"}

// Write renders the report as format (one of [Renderings]) to w.
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case "text", "markdown":
		return r.writeTables(w, format == "markdown")
	case "json":
		return r.writeJSON(w)
	case "csv":
		return r.writeCSV(w)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Renderings, ", "))
}

// num formats a score with 6 decimals, "-" for none.
func num(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return strconv.FormatFloat(x, 'f', 6, 64)
}

// table is a titled grid of cells; the first left columns (at least one)
// are left-aligned in text, the others right-aligned.
type table struct {
	title  string
	header []string
	rows   [][]string
	left   int
}

func (r *Report) ids() []string {
	ids := make([]string, len(r.Forecasters))
	for i, f := range r.Forecasters {
		ids[i] = f.ID
	}
	return ids
}

func (r *Report) tables() []table {
	ids := r.ids()
	fc := table{title: "Forecasts (probability of yes)", header: append([]string{"outcome", "resolved", "date"}, ids...), left: 3}
	br := table{title: "Brier score per outcome: (p − o)²", header: append([]string{"outcome", "resolved"}, ids...), left: 2}
	lg := table{title: "Log score per outcome: −ln(probability given to what happened)", header: append([]string{"outcome", "resolved"}, ids...), left: 2}
	for _, row := range r.Rows {
		res := row.Resolution
		date := res.Date
		if date == "" {
			date = "-"
		}
		line := []string{res.Outcome, res.Status.String(), date}
		bl := []string{res.Outcome, res.Status.String()}
		ll := []string{res.Outcome, res.Status.String()}
		for _, c := range row.Cells {
			line = append(line, num(c.P))
			bl = append(bl, num(c.Brier))
			ll = append(ll, num(c.Log))
		}
		fc.rows = append(fc.rows, line)
		if res.Status == Yes || res.Status == No {
			br.rows = append(br.rows, bl)
			lg.rows = append(lg.rows, ll)
		}
	}
	all := table{title: fmt.Sprintf("Overall (Brier = reliability − resolution + uncertainty + residual; %d equal forecast bins)", r.Bins),
		header: append([]string{"score"}, ids...)}
	add := func(name string, f func(Forecaster) string) {
		line := []string{name}
		for _, x := range r.Forecasters {
			line = append(line, f(x))
		}
		all.rows = append(all.rows, line)
	}
	add("outcomes scored", func(x Forecaster) string { return strconv.Itoa(x.Overall.N) })
	add("Brier score", func(x Forecaster) string { return num(x.Overall.Brier) })
	add("log score", func(x Forecaster) string { return num(x.Log) })
	add("reliability", func(x Forecaster) string { return num(x.Overall.Reliability) })
	add("resolution", func(x Forecaster) string { return num(x.Overall.Resolution) })
	add("uncertainty", func(x Forecaster) string { return num(x.Overall.Uncertainty) })
	add("residual (within bins)", func(x Forecaster) string { return num(x.Overall.Residual) })
	add("log forecasts clipped", func(x Forecaster) string { return strconv.Itoa(x.Clipped) })

	rel := table{title: "Reliability (per result: forecast bin, forecasts in it, mean forecast, observed frequency of yes)",
		header: []string{"result", "bin", "forecasts", "mean forecast", "observed"}, left: 2}
	for _, f := range r.Forecasters {
		if f.Kind != KindResult {
			continue
		}
		for _, b := range f.Overall.Bins {
			if b.N == 0 {
				continue
			}
			rel.rows = append(rel.rows, []string{f.ID, fmt.Sprintf("%.2f–%.2f", b.Lo, b.Hi), strconv.Itoa(b.N), num(b.Forecast), num(b.Observed)})
		}
	}
	return []table{fc, br, lg, all, rel}
}

func (r *Report) writeTables(w io.Writer, md bool) error {
	var b bytes.Buffer
	scored, open, cf := r.Counts()
	head := fmt.Sprintf("Scores against %s: %d outcomes scored, %d open, %d with their condition false", r.Resolutions, scored, open, cf)
	if md {
		fmt.Fprintf(&b, "## %s\n\n", head)
	} else {
		fmt.Fprintf(&b, "%s\n\n", head)
	}
	fmt.Fprintf(&b, "Lower is better for both scores. Brier: (p − o)², o = 1 for yes, 0 for no. "+
		"Log: −ln of the probability given to what happened (natural log; a probability below %g counts as %g).\n\n", LogClip, LogClip)
	legend := table{title: "Forecasters", header: []string{"column", "forecaster", "file"}, left: 3}
	for _, f := range r.Forecasters {
		path := f.Path
		if path == "" {
			path = "-"
		}
		legend.rows = append(legend.rows, []string{f.ID, f.Label, path})
	}
	for _, t := range append([]table{legend}, r.tables()...) {
		if len(t.rows) == 0 {
			continue
		}
		if md {
			writeMarkdown(&b, t)
		} else {
			writeText(&b, t)
		}
	}
	if notes := r.notes(); len(notes) > 0 {
		if md {
			b.WriteString("### Notes\n\n")
		} else {
			b.WriteString("Notes\n")
		}
		for _, n := range notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
		b.WriteString("\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// notes are the caveats of a report: forecasters that scored different
// outcome sets, and the sources of the resolutions.
func (r *Report) notes() []string {
	var out []string
	ref := r.Forecasters[len(r.Forecasters)-1].Overall.N
	for _, f := range r.Forecasters {
		if f.Kind == KindResult && f.Overall.N != ref {
			out = append(out, fmt.Sprintf("%s has forecasts for %d of the %d resolved outcomes; its overall scores are not over the same outcomes as the references'", f.ID, f.Overall.N, ref))
		}
	}
	for _, row := range r.Rows {
		if s := row.Resolution.Source; s != "" {
			out = append(out, fmt.Sprintf("%s resolved %s on %s: %s", row.Resolution.Outcome, row.Resolution.Status, row.Resolution.Date, s))
		}
	}
	return out
}

func writeText(b *bytes.Buffer, t table) {
	width := make([]int, len(t.header))
	for _, line := range append([][]string{t.header}, t.rows...) {
		for i, c := range line {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	b.WriteString(t.title + "\n")
	for _, line := range append([][]string{t.header}, t.rows...) {
		var cells []string
		for i, c := range line {
			pad := strings.Repeat(" ", width[i]-len([]rune(c)))
			if i < max(t.left, 1) {
				cells = append(cells, c+pad)
			} else {
				cells = append(cells, pad+c)
			}
		}
		b.WriteString("  " + strings.TrimRight(strings.Join(cells, "  "), " ") + "\n")
	}
	b.WriteString("\n")
}

func writeMarkdown(b *bytes.Buffer, t table) {
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	fmt.Fprintf(b, "### %s\n\n", t.title)
	cells := make([]string, len(t.header))
	seps := make([]string, len(t.header))
	for i, h := range t.header {
		cells[i], seps[i] = esc(h), "---:"
		if i < max(t.left, 1) {
			seps[i] = "---"
		}
	}
	fmt.Fprintf(b, "| %s |\n|%s|\n", strings.Join(cells, " | "), strings.Join(seps, "|"))
	for _, line := range t.rows {
		cells := make([]string, len(line))
		for i, c := range line {
			cells[i] = esc(c)
		}
		fmt.Fprintf(b, "| %s |\n", strings.Join(cells, " | "))
	}
	b.WriteString("\n")
}

func (r *Report) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	g := func(x float64) string {
		if math.IsNaN(x) {
			return ""
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	records := [][]string{{"forecaster", "label", "outcome", "resolved", "date", "n", "forecast", "brier", "log", "reliability", "resolution", "uncertainty", "residual"}}
	for _, row := range r.Rows {
		res := row.Resolution
		for j, c := range row.Cells {
			n := "0"
			if !math.IsNaN(c.Brier) {
				n = "1"
			}
			records = append(records, []string{r.Forecasters[j].ID, r.Forecasters[j].Label, res.Outcome, res.Status.String(), res.Date, n, g(c.P), g(c.Brier), g(c.Log), "", "", "", ""})
		}
	}
	for _, f := range r.Forecasters {
		d := f.Overall
		records = append(records, []string{f.ID, f.Label, "(all)", "", "", strconv.Itoa(d.N), "", g(d.Brier), g(f.Log), g(d.Reliability), g(d.Resolution), g(d.Uncertainty), g(d.Residual)})
	}
	if err := cw.WriteAll(records); err != nil {
		return err
	}
	return cw.Error()
}

// jsonNum is a score in JSON: null for none.
func jsonNum(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

type jsonBin struct {
	Lo       float64  `json:"lo"`
	Hi       float64  `json:"hi"`
	N        int      `json:"n"`
	Forecast *float64 `json:"forecast"`
	Observed *float64 `json:"observed"`
}

type jsonForecaster struct {
	ID          string    `json:"id"`
	Label       string    `json:"label"`
	Kind        string    `json:"kind"`
	File        string    `json:"file,omitempty"`
	N           int       `json:"n"`
	Brier       *float64  `json:"brier"`
	Log         *float64  `json:"log"`
	Reliability *float64  `json:"reliability"`
	Resolution  *float64  `json:"resolution"`
	Uncertainty *float64  `json:"uncertainty"`
	Residual    *float64  `json:"residual"`
	Clipped     int       `json:"log_clipped"`
	Bins        []jsonBin `json:"bins"`
}

type jsonCell struct {
	Forecast *float64 `json:"forecast"`
	Brier    *float64 `json:"brier"`
	Log      *float64 `json:"log"`
}

type jsonRow struct {
	Outcome  string     `json:"outcome"`
	Resolved string     `json:"resolved"`
	Date     string     `json:"date,omitempty"`
	Source   string     `json:"source,omitempty"`
	Cells    []jsonCell `json:"forecasters"` // in the order of the report's forecasters
}

type jsonReport struct {
	Format      string           `json:"format"`
	Resolutions string           `json:"resolutions"`
	Bins        int              `json:"bins"`
	LogClip     float64          `json:"log_clip"`
	Forecasters []jsonForecaster `json:"forecasters"`
	Outcomes    []jsonRow        `json:"outcomes"`
}

func (r *Report) writeJSON(w io.Writer) error {
	doc := jsonReport{Format: Format, Resolutions: r.Resolutions, Bins: r.Bins, LogClip: LogClip}
	for _, f := range r.Forecasters {
		d := f.Overall
		jf := jsonForecaster{ID: f.ID, Label: f.Label, Kind: f.Kind, File: f.Path, N: d.N,
			Brier: jsonNum(d.Brier), Log: jsonNum(f.Log), Reliability: jsonNum(d.Reliability), Resolution: jsonNum(d.Resolution),
			Uncertainty: jsonNum(d.Uncertainty), Residual: jsonNum(d.Residual), Clipped: f.Clipped, Bins: []jsonBin{}}
		for _, b := range d.Bins {
			jf.Bins = append(jf.Bins, jsonBin{Lo: b.Lo, Hi: b.Hi, N: b.N, Forecast: jsonNum(b.Forecast), Observed: jsonNum(b.Observed)})
		}
		doc.Forecasters = append(doc.Forecasters, jf)
	}
	for _, row := range r.Rows {
		res := row.Resolution
		jr := jsonRow{Outcome: res.Outcome, Resolved: res.Status.String(), Date: res.Date, Source: res.Source}
		for _, c := range row.Cells {
			jr.Cells = append(jr.Cells, jsonCell{Forecast: jsonNum(c.P), Brier: jsonNum(c.Brier), Log: jsonNum(c.Log)})
		}
		doc.Outcomes = append(doc.Outcomes, jr)
	}
	data, err := results.IndentedJSON(doc)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}
