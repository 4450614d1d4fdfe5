package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"scensim/results"
)

// outcomeTable is a run's outcome table: the outcomes grouped as the text
// tables group them (a header row of class "group" per group, when the
// scenario groups its outcomes), headline outcomes in rows of class
// "headline", and a question column when any outcome has a question.
func outcomeTable(r *results.Result, id string) *table {
	questions := false
	for _, o := range r.Outcomes {
		questions = questions || o.Question != ""
	}
	ranged := false
	for _, o := range r.Outcomes {
		ranged = ranged || o.Range.Defined()
	}
	head := []string{"outcome"}
	right := []bool{false}
	if questions {
		head, right = append(head, "question"), append(right, false)
	}
	head, right = append(head, estimateHead, "±SE (pp)"), append(right, true, true)
	if ranged {
		head, right = append(head, rangeHead), append(right, true)
	}
	head = append(head, "given", "hypotheses", "why")
	t := &table{ID: id, Head: head, Right: right}
	for _, g := range r.OutcomeGroups(false) {
		if g.Title != "" {
			row := make([]cell, len(head))
			row[0] = txt(g.Title)
			t.Rows = append(t.Rows, row)
			t.RowCls = append(t.RowCls, "group")
		}
		for _, i := range g.Rows {
			o := r.Outcomes[i]
			se := num("-", math.NaN())
			if o.Estimate.Defined() {
				se = num("±"+strconv.FormatFloat(100*o.Estimate.SE, 'f', 2, 64), o.Estimate.SE)
			}
			var cls []string
			if o.Conditional {
				cls = append(cls, "cond")
			}
			if o.Headline {
				cls = append(cls, "headline")
			}
			row := []cell{code(o.Name)}
			if questions {
				row = append(row, txt(o.Question))
			}
			est := estCell(o.Estimate)
			if o.Conditional && r.Counts.Trials > 0 {
				est.Text += fmt.Sprintf(" (among the %.0f%% of trials where given)", 100*float64(o.Estimate.N)/float64(r.Counts.Trials))
			}
			row = append(row, est, se)
			if ranged {
				row = append(row, rangeCell(o.Range))
			}
			row = append(row, code(o.Given), txt(strings.Join(o.Source, ", ")), txt(o.Why))
			t.Rows = append(t.Rows, row)
			t.RowCls = append(t.RowCls, strings.Join(cls, " "))
		}
	}
	return t
}

// The headers of the two numbers every outcome carries: the pooled
// estimate with its simulation-error interval, and (for a nested run) its
// range over the assumptions.
const (
	estimateHead = "P [95% CI, simulation error] n"
	rangeHead    = "range over assumptions (5–95%)"
)

// rangeCell is an outcome's range over the assumptions, "12.0–38.1%", or
// "-" when it was not estimated.
func rangeCell(s *results.Spread) cell {
	if !s.Defined() {
		return num("-", math.NaN())
	}
	return num(pct1(s.P5)+"–"+pct1(s.P95)+"%", s.P50)
}
