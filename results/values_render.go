package results

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Value outcomes are rendered in a table of their own after the outcomes:
// mean ± SE with the 95% interval, SD, the 5/25/50/75/95% quantiles
// (estimated from the outcome's histogram, see Quantile), the share of
// trials whose value was undefined, and the histogram's bin width: an
// in-range quantile is within half of it of the exact sample quantile. Numbers use 4 significant
// digits ("-" when undefined).

// fmtValue formats a statistic of a value outcome.
func fmtValue(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// fmtQuantile formats a quantile, marked "<" or ">" when it falls outside
// the histogram's declared range.
func fmtQuantile(row ValueRow, i int) string {
	if i >= len(row.Quantiles) {
		return "-"
	}
	q := row.Quantiles[i]
	s := fmtValue(q.Value)
	if q.Outside {
		s = "~" + s
	}
	return s
}

// valueCells returns the cells of a value row, in the order of valueHeader.
func valueCells(v ValueRow, nested bool) []string {
	name := v.Name
	if v.Unit != "" {
		name += " (" + v.Unit + ")"
	}
	ci := "-"
	if !math.IsNaN(float64(v.Lo95)) {
		ci = "[" + fmtValue(float64(v.Lo95)) + ", " + fmtValue(float64(v.Hi95)) + "]"
	}
	se := "-"
	if !math.IsNaN(float64(v.SE)) {
		se = "±" + fmtValue(float64(v.SE))
	}
	cells := []string{name, fmtValue(float64(v.Mean)), se, ci, fmtValue(float64(v.SD))}
	if nested {
		rng := "-"
		if v.Range.Defined() {
			rng = "[" + fmtValue(v.Range.P5) + ", " + fmtValue(v.Range.P95) + "] (" + fmtValue(v.Range.P50) + ")"
		}
		cells = []string{name, fmtValue(float64(v.Mean)), ci, se, rng, fmtValue(float64(v.SD))}
	}
	for i := range ValueQuantiles {
		cells = append(cells, fmtQuantile(v, i))
	}
	return append(cells, fmtPct(v.UndefinedShare), fmtValue(v.BinWidth))
}

var valueHeader = []string{"value outcome", "mean", "se", "95% CI", "sd", "p5", "p25", "median", "p75", "p95", "undefined", "bin"}

// nestedValueHeader is the header of a nested run's value table: the mean
// with its simulation error and its range over the assumptions, worded as
// in the outcome table, then the spread of the values over all trials.
var nestedValueHeader = []string{"value outcome", "mean", "simulation error (95%)", "±SE", "range over assumptions 5%..95% (median)", "sd",
	"p5", "p25", "median", "p75", "p95", "undefined", "bin"}

// nestedValues reports whether the value rows carry ranges over the
// assumptions (a nested run).
func (r *Result) nestedValues() bool {
	for _, v := range r.Values {
		if v.Range != nil {
			return true
		}
	}
	return false
}

// nestedValueNote explains a nested run's value columns.
const nestedValueNote = "mean: averaged over the assumptions; simulation error: its 95% interval from the variance between parameter draws; " +
	"range over assumptions: 5% and 95% quantiles (median) of the mean given the params across draws, Monte Carlo noise removed; " +
	"sd and quantiles: of the values over all trials"

// valueNote explains the quantile marks.
const valueNote = "quantiles from the outcome's histogram, within half a bin width of the exact sample quantile; " +
	"~ marks one outside the declared range (bounded by the exact min or max); undefined: share of trials with no value"

// writeValuesText writes the value outcomes table (nothing if there are none).
func (r *Result) writeValuesText(b *strings.Builder) {
	if len(r.Values) == 0 {
		return
	}
	b.WriteString("\n")
	nested := r.nestedValues()
	t := &table{align: "lrrlr" + strings.Repeat("r", len(ValueQuantiles)) + "rr"}
	head := valueHeader
	if nested {
		t.align = "lrlrlr" + strings.Repeat("r", len(ValueQuantiles)) + "rr"
		head = nestedValueHeader
	}
	t.add(head...)
	for _, v := range r.Values {
		t.add(valueCells(v, nested)...)
	}
	t.write(b)
	if nested {
		b.WriteString("note: " + nestedValueNote + "\n")
	}
	b.WriteString("note: " + valueNote + "\n")
}

// writeValuesMarkdown writes the value outcomes section (nothing if there
// are none).
func (r *Result) writeValuesMarkdown(b *strings.Builder) {
	if len(r.Values) == 0 {
		return
	}
	b.WriteString("\n### Value outcomes\n\n")
	nested := r.nestedValues()
	rule := []string{":--", "--:", "--:", ":-:", "--:"}
	if nested {
		mdRow(b, nestedValueHeader...)
		rule = []string{":--", "--:", ":-:", "--:", ":-:", "--:"}
	} else {
		mdRow(b, valueHeader...)
	}
	for range ValueQuantiles {
		rule = append(rule, "--:")
	}
	mdRow(b, append(rule, "--:", "--:")...)
	for _, v := range r.Values {
		cells := valueCells(v, nested)
		cells[0] = mdCode(v.Name)
		if v.Unit != "" {
			cells[0] += " (" + mdCell(v.Unit) + ")"
		}
		mdRow(b, cells...)
	}
	if nested {
		b.WriteString("\n" + strings.ToUpper(nestedValueNote[:1]) + nestedValueNote[1:] + ".\n")
	}
	b.WriteString("\n" + strings.ToUpper(valueNote[:1]) + valueNote[1:] + ".\n")
}

// ValuesCSVName is the file [WriteFilesWith] adds when a result has value
// outcomes.
const ValuesCSVName = "values.csv"

// WriteValuesCSV writes one row per value outcome with columns outcome,
// unit, kind, trials, defined, undefined_share, mean, se, lo95, hi95, sd,
// min, max, p5, p25, p50, p75, p95, bin_width, why, source (IDs joined by
// ";"), then, as for outcomes ([WriteOutcomesCSV]), the range over the
// assumptions of a nested run: range_p5, range_p50, range_p95 (quantiles
// of the mean given the params across draws, noise removed),
// range_noise_share and draws, empty for a flat run; in a nested run se,
// lo95 and hi95 are the mean's simulation error ([ClusterMean]). An
// undefined statistic is an empty field.
func WriteValuesCSV(w io.Writer, r *Result) error {
	header := []string{"outcome", "unit", "kind", "trials", "defined", "undefined_share", "mean", "se", "lo95", "hi95", "sd", "min", "max"}
	for _, p := range ValueQuantiles {
		header = append(header, fmt.Sprintf("p%g", 100*p))
	}
	header = append(header, "bin_width", "why", "source", "range_p5", "range_p50", "range_p95", "range_noise_share", "draws")
	return writeCSV(w, r, header, func(add func(...string)) {
		for i, v := range r.Values {
			l := r.Layout.Values[i]
			rec := []string{v.Name, v.Unit, l.Kind, csvInt(v.Trials), csvInt(v.Defined), csvFloat(v.UndefinedShare),
				csvFloat(float64(v.Mean)), csvFloat(float64(v.SE)), csvFloat(float64(v.Lo95)), csvFloat(float64(v.Hi95)),
				csvFloat(float64(v.SD)), csvFloat(float64(v.Min)), csvFloat(float64(v.Max))}
			for j := range ValueQuantiles {
				q := math.NaN()
				if j < len(v.Quantiles) {
					q = v.Quantiles[j].Value
				}
				rec = append(rec, csvFloat(q))
			}
			rec = append(rec, csvFloat(v.BinWidth), l.Why, strings.Join(l.Source, ";"))
			add(append(rec, spreadCells(v.Range)...)...)
		}
	})
}

// valueFiles returns the value outcome files of r (none without value
// outcomes), rendered.
func (r *Result) valueFiles() (names []string, contents [][]byte, err error) {
	if len(r.Values) == 0 {
		return nil, nil, nil
	}
	var buf bytes.Buffer
	if err := WriteValuesCSV(&buf, r); err != nil {
		return nil, nil, fmt.Errorf("results: rendering %s: %w", ValuesCSVName, err)
	}
	return []string{ValuesCSVName}, [][]byte{buf.Bytes()}, nil
}
