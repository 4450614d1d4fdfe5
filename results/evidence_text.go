package results

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// fmtQ formats a param quantile with 4 significant digits ("-" for NaN).
func fmtQ(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// evidenceLines returns the lines that say what a conditioned run kept.
func (s *EvidenceSummary) evidenceLines() []string {
	lines := []string{fmt.Sprintf("kept %d of %d trials (acceptance %s); every estimate below is given the evidence and rests on the %d kept trials",
		s.Accepted, s.Ran, fmtRate(s.Rate), s.EffectiveTrials)}
	if s.DrawsAccepting > 0 {
		lines = append(lines, fmt.Sprintf("draws with a kept trial: %d; effective number of draws (Kish, weights ∝ acceptance per draw): %.1f", s.DrawsAccepting, s.DrawESS))
	}
	return lines
}

func fmtRate(r float64) string { return strconv.FormatFloat(100*r, 'g', 3, 64) + "%" }

// writeEvidenceText writes the evidence block of the text table: the
// items, the acceptance and the params' prior and posterior.
func (r *Result) writeEvidenceText(b *strings.Builder) {
	s := r.Evidence
	if s == nil {
		return
	}
	b.WriteString("\n")
	t := &table{align: "lll"}
	t.add("evidence", "condition", "source")
	for _, it := range s.Items {
		t.add(it.Name, it.Condition, strings.Join(it.Source, "; "))
	}
	t.write(b)
	for _, l := range s.evidenceLines() {
		b.WriteString(l + "\n")
	}
	if len(s.Params) > 0 {
		b.WriteString("\n")
		t = &table{align: "llrrrrrr"}
		t.add("param", "", "mean", "5%", "25%", "50%", "75%", "95%")
		for _, p := range s.Params {
			for _, row := range []struct {
				what string
				q    ParamQuantiles
			}{{"prior", p.Prior}, {"posterior", p.Posterior}} {
				name := p.Name
				if row.what == "posterior" {
					name = ""
				}
				q := row.q
				t.add(name, row.what, fmtQ(q.Mean), fmtQ(q.P5), fmtQ(q.P25), fmtQ(q.P50), fmtQ(q.P75), fmtQ(q.P95))
			}
		}
		t.write(b)
	}
	if a := r.asOfForecast(); a != nil {
		WriteAsOfText(b, a)
	}
}

// asOfForecast returns the as-of table of a run with evidence from the
// manifest's AsOfForecast date on, nil without evidence or date (or for a
// date outside the run, which a batch refuses before it runs).
func (r *Result) asOfForecast() *AsOf {
	if r.Evidence == nil || r.Manifest.AsOfForecast == "" {
		return nil
	}
	a, err := AsOfTable(r, r.Manifest.AsOfForecast)
	if err != nil {
		return nil
	}
	return a
}

// writeEvidenceMarkdown writes the evidence section of the Markdown table.
func (r *Result) writeEvidenceMarkdown(b *strings.Builder) {
	s := r.Evidence
	if s == nil {
		return
	}
	b.WriteString("\n### Evidence\n\n")
	mdRow(b, "evidence", "condition", "source")
	mdRow(b, "---", "---", "---")
	for _, it := range s.Items {
		mdRow(b, mdCode(it.Name), mdCell(it.Condition), mdCell(strings.Join(it.Source, "; ")))
	}
	b.WriteString("\n")
	for _, l := range s.evidenceLines() {
		b.WriteString(mdCell(l) + ".\n")
	}
	if len(s.Params) > 0 {
		b.WriteString("\n")
		mdRow(b, "param", "", "mean", "5%", "25%", "50%", "75%", "95%")
		mdRow(b, "---", "---", "---:", "---:", "---:", "---:", "---:", "---:")
		for _, p := range s.Params {
			mdRow(b, mdCode(p.Name), "prior", fmtQ(p.Prior.Mean), fmtQ(p.Prior.P5), fmtQ(p.Prior.P25), fmtQ(p.Prior.P50), fmtQ(p.Prior.P75), fmtQ(p.Prior.P95))
			mdRow(b, "", "posterior", fmtQ(p.Posterior.Mean), fmtQ(p.Posterior.P5), fmtQ(p.Posterior.P25), fmtQ(p.Posterior.P50), fmtQ(p.Posterior.P75), fmtQ(p.Posterior.P95))
		}
	}
	if a := r.asOfForecast(); a != nil {
		b.WriteString("\n### From " + a.Date + " on\n\n")
		head, cells := a.Cells()
		mdRow(b, head...)
		sep := []string{"---"}
		for range head[1:] {
			sep = append(sep, "---:")
		}
		mdRow(b, sep...)
		for _, row := range cells {
			row[0] = mdCode(row[0])
			mdRow(b, row...)
		}
		b.WriteString("\n" + a.Note() + ".\n")
	}
}

// AsOfRow is the forecast for one state from an as-of date on: among the
// kept trials that had not entered the state by the as-of point, the share
// that enter it after that point and by each later named date, and by the
// horizon.
type AsOfRow struct {
	Track, State string
	// Entered is the share of trials that had entered the state by the
	// as-of point; NotYet the number of trials that had not.
	Entered float64
	NotYet  int64
	By      []float64 // per date of AsOf.Dates: P(enter in (as-of, date] | not entered by as-of); NaN without NotYet
	Horizon float64
	// Median is the median first-entry date of those trials that enter
	// after the as-of point ("" if fewer than half of NotYet enter).
	Median string
}

// AsOf is the forecast table of a result from a date on.
type AsOf struct {
	Date  string // as given
	Point int    // the last point dated on or before Date
	Dates []NamedDate
	Rows  []AsOfRow // per state, in global state order
}

// AsOfTable returns the forecast of r from date (YYYY-MM-DD) on: for each
// state, the share already entered by date, and among the trials not yet
// entered the share entering by each later named date and by the horizon,
// with their median first-entry date. A date outside the run's points is
// an error.
func AsOfTable(r *Result, date string) (*AsOf, error) {
	l := &r.Layout
	if len(date) != len(DateLayout) || date < l.Points[0] || date > l.Points[len(l.Points)-1] {
		return nil, fmt.Errorf("--as-of %q: want a date YYYY-MM-DD from %s to %s", date, l.Points[0], l.Points[len(l.Points)-1])
	}
	a := &AsOf{Date: date, Point: l.PointOf(date)}
	for _, d := range l.NamedDates {
		if d.Date > date && d.Point > a.Point && !d.Internal {
			a.Dates = append(a.Dates, d)
		}
	}
	P := len(l.Points)
	c := &r.Counts
	for g := range l.NumStates() {
		track, state := l.State(g)
		row := AsOfRow{Track: track, State: state, Horizon: math.NaN()}
		entry := c.Entry[g*(P+1) : (g+1)*(P+1)]
		var before int64
		for k := 0; k <= a.Point; k++ {
			before += entry[k]
		}
		row.NotYet = c.Trials - before
		if c.Trials > 0 {
			row.Entered = float64(before) / float64(c.Trials)
		}
		share := func(last int) float64 {
			if row.NotYet == 0 {
				return math.NaN()
			}
			var n int64
			for k := a.Point + 1; k <= last; k++ {
				n += entry[k]
			}
			return float64(n) / float64(row.NotYet)
		}
		for _, d := range a.Dates {
			row.By = append(row.By, share(d.Point))
		}
		row.Horizon = share(P - 1)
		var cum int64
		for k := a.Point + 1; k < P && row.NotYet > 0; k++ {
			cum += entry[k]
			if 2*cum >= row.NotYet {
				row.Median = l.Points[k]
				break
			}
		}
		a.Rows = append(a.Rows, row)
	}
	return a, nil
}

// Cells returns the as-of table as text cells: the header (the first
// column names the state as track.state; a named date's column is headed
// "name (YYYY-MM-DD)") and one row per state that some trial entered or
// could still enter, each with the state, entered, not yet, the share per
// later named date, the horizon's share and the median entry date.
func (a *AsOf) Cells() (head []string, rows [][]string) {
	head = []string{"from " + a.Date, "entered", "not yet"}
	for _, d := range a.Dates {
		head = append(head, d.Name+" ("+d.Date+")")
	}
	head = append(head, "horizon", "median entry")
	for _, row := range a.Rows {
		if row.NotYet == 0 && row.Entered == 0 {
			continue
		}
		cells := []string{row.Track + "." + row.State, fmtPct(row.Entered), strconv.FormatInt(row.NotYet, 10)}
		for _, x := range row.By {
			cells = append(cells, fmtPctNaN(x))
		}
		rows = append(rows, append(cells, fmtPctNaN(row.Horizon), orDash(row.Median)))
	}
	return head, rows
}

// Note says how to read the as-of table's shares.
func (a *AsOf) Note() string {
	return "each share after \"not yet\" counts the trials that enter the state after " + a.Date + " and by the date, among those not entered by then"
}

// WriteAsOfText writes the as-of table: states any trial could still
// enter after the date.
func WriteAsOfText(w io.Writer, a *AsOf) error {
	var b strings.Builder
	b.WriteString("\n")
	t := &table{align: "lrr" + strings.Repeat("r", len(a.Dates)+1) + "l"}
	head := []string{"from " + a.Date, "entered", "not yet"}
	dates := []string{"", "", ""}
	for _, d := range a.Dates {
		head, dates = append(head, d.Name), append(dates, d.Date)
	}
	t.add(append(head, "horizon", "median entry")...)
	t.add(append(dates, "", "")...)
	_, rows := a.Cells()
	for _, row := range rows {
		t.add(row...)
	}
	t.write(&b)
	b.WriteString(a.Note() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func fmtPctNaN(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmtPct(x)
}
