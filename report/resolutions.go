package report

import (
	"fmt"
	"math"
	"strconv"

	"scensim/score"
)

// resolutionsView is the report's resolution section: per outcome, whether
// it resolved (yes, no, open) and each job's forecast, and per job the
// running Brier score over the outcomes resolved so far.
type resolutionsView struct {
	File  string
	Table *table
	Note  string
}

// Resolve scores every job of r against a resolutions file (see
// docs/scoring.md) and adds the resolution section to the report. A file
// that does not parse against the jobs' outcomes gives its positioned
// errors (model.ErrorList); an empty report is an error.
func (r *Report) Resolve(file string, data []byte) error {
	var in []score.Scored
	for _, j := range r.Jobs {
		in = append(in, score.Scored{Path: j.Name, Result: j.Result})
	}
	if len(in) == 0 {
		return fmt.Errorf("resolutions: the report has no results to score")
	}
	res, errs := score.ParseResolutions(file, data, score.Outcomes(in))
	if len(errs.Errors()) > 0 {
		return errs.Errors()
	}
	sc, err := score.Build(in, res, score.Options{})
	if err != nil {
		return fmt.Errorf("resolutions: %w", err)
	}
	r.Resolutions = resolutionsOf(r, sc)
	return nil
}

// resolutionsOf lays out a score report as the report's table: one row per
// outcome, a column per job (its forecast, and its Brier score once
// resolved), the 50% reference, and a last row with each running score.
func resolutionsOf(r *Report, sc *score.Report) *resolutionsView {
	t := &table{ID: "resolutions", Head: []string{"outcome", "resolved"}, Right: []bool{false, false}}
	for i, f := range sc.Forecasters {
		head := f.ID
		if i < len(r.Jobs) {
			head = r.Jobs[i].Name
		}
		t.Head = append(t.Head, head)
		t.Right = append(t.Right, true)
	}
	pct := func(p float64) string {
		if math.IsNaN(p) {
			return "-"
		}
		return pct1(p) + "%"
	}
	resolved := 0
	for _, row := range sc.Rows {
		st := row.Resolution.Status
		what := st.String()
		if row.Resolution.Date != "" {
			what += " (" + row.Resolution.Date + ")"
		}
		if st == score.Yes || st == score.No {
			resolved++
		}
		cells := []cell{code(row.Resolution.Outcome), txt(what)}
		for _, c := range row.Cells {
			s := pct(c.P)
			if !math.IsNaN(c.Brier) {
				s += " · Brier " + strconv.FormatFloat(c.Brier, 'f', 3, 64)
			}
			cells = append(cells, num(s, c.P))
		}
		t.Rows = append(t.Rows, cells)
	}
	total := []cell{txt("running score"), txt(fmt.Sprintf("%d resolved", resolved))}
	for _, f := range sc.Forecasters {
		s := "-"
		if f.Overall.N > 0 {
			s = fmt.Sprintf("Brier %.3f over %d", f.Overall.Brier, f.Overall.N)
		}
		total = append(total, num(s, f.Overall.Brier))
	}
	t.Rows = append(t.Rows, total)
	return &resolutionsView{File: sc.Resolutions, Table: t,
		Note: "Resolved: yes, no, open, or condition false (a conditional outcome whose condition did not hold: not scored). " +
			"Each cell is the job's forecast, with its Brier score (p − outcome)² once the outcome resolved; the running score is the mean Brier score " +
			"over the outcomes resolved so far that the job forecast (lower is better; 0.25 is the score of 50% on everything)."}
}
