package results

import (
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"
)

// CSV conventions, common to every Write*CSV function:
//
//   - RFC 4180 via encoding/csv: comma separated, "\n" line ends, fields
//     quoted only when needed; the first row is a header;
//   - counts are exact integers; shares, probabilities, standard errors and
//     interval limits are fractions in [0, 1] (not percent) printed with
//     exactly 6 decimals (strconv 'f', 6), so files are stable and diffable;
//     the exact value is always recoverable from the integer columns;
//   - an undefined value (a share of 0 trials) is an empty field;
//   - rows follow layout order; RunInfo is never written;
//   - nothing is written if r.Validate fails, and the output is produced in
//     memory and written with a single Write call.

func csvFloat(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'f', 6, 64)
}

func csvInt[T int | int64](x T) string { return strconv.FormatInt(int64(x), 10) }

func share(k, n int64) float64 {
	if n == 0 {
		return math.NaN()
	}
	return float64(k) / float64(n)
}

func writeCSV(w io.Writer, r *Result, header []string, rows func(add func(...string))) error {
	if err := r.Validate(); err != nil {
		return err
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	var err error
	add := func(rec ...string) {
		if err == nil {
			err = cw.Write(rec)
		}
	}
	add(header...)
	rows(add)
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// WriteOutcomesCSV writes one row per outcome with columns
// outcome, conditional (true/false), given (expression or empty), hits, n
// (Trials, or the given count if conditional), p, se, lo95, hi95, why, source
// (IDs joined by ";"), then the range over the assumptions of a nested run:
// range_p5, range_p50, range_p95 (quantiles of P given the params across
// draws, noise removed), range_noise_share and draws (see [Spread]); these
// are empty for a flat run. In a nested run p is the pooled probability and
// se, lo95 and hi95 its simulation error ([ClusterProportion]).
func WriteOutcomesCSV(w io.Writer, r *Result) error {
	return writeCSV(w, r, []string{"outcome", "conditional", "given", "hits", "n", "p", "se", "lo95", "hi95", "why", "source",
		"range_p5", "range_p50", "range_p95", "range_noise_share", "draws"},
		func(add func(...string)) {
			for _, o := range r.Outcomes {
				e := o.Estimate
				row := []string{o.Name, strconv.FormatBool(o.Conditional), o.Given, csvInt(e.K), csvInt(e.N),
					csvFloat(e.P), csvFloat(e.SE), csvFloat(e.Lo), csvFloat(e.Hi), o.Why, strings.Join(o.Source, ";")}
				add(append(row, spreadCells(o.Range)...)...)
			}
		})
}

// WriteReachedCSV writes, per state (global order) and per named date (layout
// order) followed by "horizon", a row with columns track, state, date_name,
// date, point (-1 for a date before the first point), reached (trials that
// had entered the state at a point <= point), n (Trials), p, lo95, hi95,
// then, as for outcomes ([WriteOutcomesCSV]), range_p5, range_p50,
// range_p95, range_noise_share and draws, empty for a flat run.
func WriteReachedCSV(w io.Writer, r *Result) error {
	return writeCSV(w, r, []string{"track", "state", "date_name", "date", "point", "reached", "n", "p", "lo95", "hi95",
		"range_p5", "range_p50", "range_p95", "range_noise_share", "draws"},
		func(add func(...string)) {
			for _, row := range r.Reached {
				for _, d := range append(append([]ReachedAt(nil), row.By...), row.Horizon) {
					e := d.Reached
					add(append([]string{row.Track, row.State, d.Name, d.Date, csvInt(d.Point), csvInt(e.K), csvInt(e.N),
						csvFloat(e.P), csvFloat(e.Lo), csvFloat(e.Hi)}, spreadCells(d.Range)...)...)
				}
			}
		})
}

// spreadCells are the CSV cells of a range over assumptions: p5, p50, p95,
// noise share and draws, all empty for nil (a flat run).
func spreadCells(sp *Spread) []string {
	if sp == nil {
		return []string{"", "", "", "", ""}
	}
	return []string{csvFloat(sp.P5), csvFloat(sp.P50), csvFloat(sp.P95), csvFloat(sp.NoiseShare), csvInt(sp.Draws)}
}

// WriteOccupancyCSV writes, per point k (in order) and per state (global
// order), a row with columns point, date, track, state, count (trials in that
// state at point k), share (count / Trials).
func WriteOccupancyCSV(w io.Writer, r *Result) error {
	return writeCSV(w, r, []string{"point", "date", "track", "state", "count", "share"},
		func(add func(...string)) {
			s := r.Layout.NumStates()
			for k, date := range r.Layout.Points {
				for g := range s {
					t, st := r.Layout.State(g)
					n := r.Counts.Occupancy[k*s+g]
					add(csvInt(k), date, t, st, csvInt(n), csvFloat(share(n, r.Counts.Trials)))
				}
			}
		})
}

// WriteFirstEntryCSV writes, per state (global order), one row per point and
// then a "never" row, with columns track, state, point, date, count (trials
// whose first entry into the state is at that point), share (count / Trials).
// The never row has an empty point and date "never"; its count is the number
// of trials that never entered the state. The counts of a state sum to Trials.
func WriteFirstEntryCSV(w io.Writer, r *Result) error {
	return writeCSV(w, r, []string{"track", "state", "point", "date", "count", "share"},
		func(add func(...string)) {
			p := len(r.Layout.Points)
			for g := range r.Layout.NumStates() {
				t, st := r.Layout.State(g)
				for k := 0; k <= p; k++ {
					n := r.Counts.Entry[g*(p+1)+k]
					point, date := "", "never"
					if k < p {
						point, date = csvInt(k), r.Layout.Points[k]
					}
					add(t, st, point, date, csvInt(n), csvFloat(share(n, r.Counts.Trials)))
				}
			}
		})
}
