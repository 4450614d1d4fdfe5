package report

import (
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
	head := []string{"outcome", "P [95% CI] n", "±SE (pp)", "given", "hypotheses", "why"}
	if questions {
		head = []string{"outcome", "question", "P [95% CI] n", "±SE (pp)", "given", "hypotheses", "why"}
	}
	right := []bool{false, true, true}
	if questions {
		right = []bool{false, false, true, true}
	}
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
			row = append(row, estCell(o.Estimate), se, code(o.Given), txt(strings.Join(o.Source, ", ")), txt(o.Why))
			t.Rows = append(t.Rows, row)
			t.RowCls = append(t.RowCls, strings.Join(cls, " "))
		}
	}
	return t
}
