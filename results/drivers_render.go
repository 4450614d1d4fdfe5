package results

import (
	"io"
	"strconv"
	"strings"
)

// DriversCSVName is the file [WriteFilesWith] adds when a result has top
// drivers (a nested run with its draws' param values).
const DriversCSVName = "drivers.csv"

// driversTitle heads the top drivers table in text and Markdown.
const driversTitle = "top drivers: first-order share of the variance of P across parameter draws, 95% interval"

// driverRows returns the outcomes whose drivers the text and Markdown show:
// the headline outcomes when there are any, otherwise all, in file order.
func (r *Result) driverRows() []int {
	var rows []int
	for i, o := range r.Outcomes {
		if _, ok := r.Drivers[o.Name]; ok && (o.Headline || !r.HasHeadline()) {
			rows = append(rows, i)
		}
	}
	return rows
}

// fmtDriver formats a share as "param 41% [33, 49]".
func fmtDriver(d DriverShare) string {
	return d.Param + " " + fmtShare(d.Share) + " [" + strconv.FormatFloat(100*d.Lo, 'f', 0, 64) + ", " + strconv.FormatFloat(100*d.Hi, 'f', 0, 64) + "]"
}

// driverCells are an outcome's drivers as table cells: up to TopDrivers
// shares, or the note saying why there are none.
func driverCells(od OutcomeDrivers) []string {
	if len(od.Top) == 0 {
		return []string{od.Note}
	}
	var cells []string
	for _, d := range od.Top {
		cells = append(cells, fmtDriver(d))
	}
	return cells
}

// commonDriversNote returns the note of the outcomes in rows when none of
// them has drivers and all share one note (too few draws, say), so that it
// is said once; "" otherwise.
func (r *Result) commonDriversNote(rows []int) string {
	note := ""
	for k, i := range rows {
		od := r.Drivers[r.Outcomes[i].Name]
		if len(od.Top) > 0 || (k > 0 && od.Note != note) {
			return ""
		}
		note = od.Note
	}
	return note
}

// writeDriversText writes the top drivers table of the text report.
func (r *Result) writeDriversText(b *strings.Builder) {
	rows := r.driverRows()
	if len(rows) == 0 {
		return
	}
	if note := r.commonDriversNote(rows); note != "" {
		b.WriteString("\ntop drivers: " + note + "\n")
		return
	}
	b.WriteString("\n" + driversTitle + "\n")
	t := &table{align: "llll"}
	t.add("outcome", "1st", "2nd", "3rd")
	for _, i := range rows {
		name := r.Outcomes[i].Name
		t.add(append([]string{name}, driverCells(r.Drivers[name])...)...)
	}
	t.write(b)
	b.WriteString(driversNote + "\n")
}

// driversNote says how to read the top drivers table.
const driversNote = "Each: the share of P's variance over the assumptions that the param alone explains " +
	"(binned over the draws, Monte Carlo noise removed), with a jackknife 95% interval; " +
	"a lower limit of 0 means not distinguishable from none, and the top share among many params is biased upwards."

// writeDriversMarkdown writes the top drivers table of the Markdown report.
func (r *Result) writeDriversMarkdown(b *strings.Builder) {
	rows := r.driverRows()
	if len(rows) == 0 {
		return
	}
	if note := r.commonDriversNote(rows); note != "" {
		b.WriteString("\n**Top drivers:** " + mdCell(note) + ".\n")
		return
	}
	b.WriteString("\n**Top drivers** (" + driversTitle[len("top drivers: "):] + ")\n\n")
	mdRow(b, "outcome", "1st", "2nd", "3rd")
	mdRow(b, ":--", ":--", ":--", ":--")
	for _, i := range rows {
		name := r.Outcomes[i].Name
		cells := driverCells(r.Drivers[name])
		for j := range cells {
			cells[j] = mdCell(cells[j])
		}
		for len(cells) < TopDrivers {
			cells = append(cells, "")
		}
		mdRow(b, append([]string{mdCode(name)}, cells...)...)
	}
	b.WriteString("\n" + driversNote + "\n")
}

// WriteDriversCSV writes one row per outcome and top driver with columns
// outcome, rank (1 = largest share), param, share, lo, hi, draws, bins and
// note; an outcome without drivers has one row with rank, param, share, lo
// and hi empty and the note saying why. Outcomes are in layout order.
func WriteDriversCSV(w io.Writer, r *Result) error {
	header := []string{"outcome", "rank", "param", "share", "lo", "hi", "draws", "bins", "note"}
	return writeCSV(w, r, header, func(add func(...string)) {
		for _, o := range r.Outcomes {
			od, ok := r.Drivers[o.Name]
			if !ok {
				continue
			}
			if len(od.Top) == 0 {
				add(o.Name, "", "", "", "", "", csvInt(od.Draws), csvInt(od.Bins), od.Note)
			}
			for k, d := range od.Top {
				add(o.Name, csvInt(k+1), d.Param, csvFloat(d.Share), csvFloat(d.Lo), csvFloat(d.Hi), csvInt(od.Draws), csvInt(od.Bins), od.Note)
			}
		}
	})
}
