package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"scensim/results"
)

// evidenceView is what the report shows of a job run with evidence: the
// observed facts, how many trials agreed, and each param's prior beside
// its posterior.
type evidenceView struct {
	Items     *table
	Summary   string
	Posterior *table // nil without sampled params
	// AsOf is the forecast from the result's as_of_forecast date on, with
	// its title and note; nil without that date.
	AsOf                *table
	AsOfTitle, AsOfNote string
}

// evidenceOf returns the evidence view of r, nil for a run without
// evidence.
func evidenceOf(r *results.Result, id string) *evidenceView {
	s := r.Evidence
	if s == nil {
		return nil
	}
	v := &evidenceView{Items: &table{ID: "evidence-" + id, Head: []string{"evidence", "condition", "source"}}}
	for _, it := range s.Items {
		v.Items.Rows = append(v.Items.Rows, []cell{code(it.Name), txt(it.Condition), txt(strings.Join(it.Source, "; "))})
	}
	v.Summary = fmt.Sprintf("The evidence kept %d of %d trials (%s%%); every table of this job is given the evidence and rests on the kept trials.",
		s.Accepted, s.Ran, strconv.FormatFloat(100*s.Rate, 'g', 3, 64))
	if s.DrawsAccepting > 0 {
		v.Summary += fmt.Sprintf(" Draws with a kept trial: %d; effective number of draws (weights ∝ acceptance): %.1f.", s.DrawsAccepting, s.DrawESS)
	}
	asOfView(v, r, id)
	if len(s.Params) == 0 {
		return v
	}
	t := &table{ID: "posterior-" + id, Head: []string{"param", "prior median [5%, 95%]", "posterior median [5%, 95%]", "shift of the median"},
		Right: []bool{false, true, true, true}}
	f := func(x float64) string {
		if math.IsNaN(x) {
			return "-"
		}
		return strconv.FormatFloat(x, 'g', 4, 64)
	}
	for _, p := range s.Params {
		band := func(q results.ParamQuantiles) string { return f(q.P50) + " [" + f(q.P5) + ", " + f(q.P95) + "]" }
		shift := p.Posterior.P50 - p.Prior.P50
		t.Rows = append(t.Rows, []cell{code(p.Name), num(band(p.Prior), p.Prior.P50), num(band(p.Posterior), p.Posterior.P50), num(f(shift), shift)})
	}
	v.Posterior = t
	return v
}

// posteriorNote explains the prior/posterior table (the HTML template
// says the same).
const posteriorNote = "Prior: the param's distribution over all trials run; posterior: over the trials the evidence kept. " +
	"Quantiles come from each param's histogram (40 bins), interpolated within a bin."

// asOfView adds to v the forecast from the manifest's AsOfForecast date
// on (see results.AsOfTable), if the result gives one.
func asOfView(v *evidenceView, r *results.Result, id string) {
	if r.Manifest.AsOfForecast == "" {
		return
	}
	a, err := results.AsOfTable(r, r.Manifest.AsOfForecast)
	if err != nil {
		return // a batch refuses such a date before it runs
	}
	head, _ := a.Cells()
	t := &table{ID: "asof-" + id, Head: head, Right: make([]bool, len(head))}
	for i := 1; i < len(head)-1; i++ {
		t.Right[i] = true
	}
	pct := func(x float64) cell {
		if math.IsNaN(x) {
			return num("-", x)
		}
		return num(pct1(x)+"%", x)
	}
	for _, row := range a.Rows {
		if row.NotYet == 0 && row.Entered == 0 {
			continue
		}
		cells := []cell{code(row.Track + "." + row.State), pct(row.Entered), num(strconv.FormatInt(row.NotYet, 10), float64(row.NotYet))}
		for _, x := range row.By {
			cells = append(cells, pct(x))
		}
		median := row.Median
		if median == "" {
			median = "-"
		}
		t.Rows = append(t.Rows, append(cells, pct(row.Horizon), txt(median)))
	}
	v.AsOf, v.AsOfTitle = t, "From "+a.Date+" on"
	v.AsOfNote = "Entered: the share of kept trials that entered the state by " + a.Date +
		"; not yet: the kept trials that had not. Each later column: among those, the share that first enter the state after " +
		a.Date + " and by that date; median entry: their median first-entry date (- if fewer than half enter by the horizon)."
}
