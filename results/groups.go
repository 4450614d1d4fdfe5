package results

import (
	"slices"
	"strconv"
	"strings"
)

// Outcome groups, headline outcomes and questions (see OutcomeMeta) in the
// text and Markdown tables.
//
// Outcomes are shown grouped: the groups in the order their first outcome
// appears, the outcomes of a group in file order, each group under a
// header row. Outcomes without a group form a group of their own, headed
// "other" when other groups exist; with no groups at all the table is
// the plain list in file order. When any outcome is a headline outcome, a
// "Headline" table of those outcomes alone comes first.

// outcomeSection is one group of outcome rows.
type outcomeSection struct {
	group string // "" for ungrouped outcomes
	rows  []int  // indices into Result.Outcomes, in file order
}

// outcomeSections returns the outcomes of r grouped (all of them, or the
// headline outcomes only).
func (r *Result) outcomeSections(headlineOnly bool) []outcomeSection {
	var out []outcomeSection
	at := map[string]int{}
	for i, o := range r.Outcomes {
		if headlineOnly && !o.Headline {
			continue
		}
		j, ok := at[o.Group]
		if !ok {
			j = len(out)
			at[o.Group] = j
			out = append(out, outcomeSection{group: o.Group})
		}
		out[j].rows = append(out[j].rows, i)
	}
	return out
}

// groupTitle is the header of a section; "" when no header is shown.
func groupTitle(secs []outcomeSection, s outcomeSection) string {
	switch {
	case s.group != "":
		return s.group
	case len(secs) > 1:
		return "other"
	}
	return ""
}

// HasHeadline reports whether any outcome of r is a headline outcome.
func (r *Result) HasHeadline() bool {
	for _, o := range r.Outcomes {
		if o.Headline {
			return true
		}
	}
	return false
}

// hasQuestions reports whether any outcome of r has a question.
func (r *Result) hasQuestions() bool {
	for _, o := range r.Outcomes {
		if o.Question != "" {
			return true
		}
	}
	return false
}

// TextOptions choose what [WriteTextWith] shows beyond the default.
type TextOptions struct {
	// Questions adds each outcome's question (plain words) as a last column.
	Questions bool
}

// writeOutcomesText writes the outcome tables of the text report: the
// headline table (if any outcome is a headline outcome), then every
// outcome, grouped.
func (r *Result) writeOutcomesText(b *strings.Builder, opts TextOptions) {
	if len(r.Outcomes) == 0 {
		b.WriteString("outcomes: none\n")
		return
	}
	if r.HasHeadline() {
		b.WriteString("Headline\n")
		r.outcomeTableText(b, r.outcomeSections(true), opts)
		b.WriteString("\nAll outcomes\n")
	}
	r.outcomeTableText(b, r.outcomeSections(false), opts)
	if r.Nested != nil {
		b.WriteString(r.nestedNote() + "\n")
	}
}

// outcomeTableText writes one aligned outcome table of the given sections.
func (r *Result) outcomeTableText(b *strings.Builder, secs []outcomeSection, opts TextOptions) {
	var ps []Proportion
	for _, s := range secs {
		for _, i := range s.rows {
			ps = append(ps, r.Outcomes[i].Estimate)
		}
	}
	cis := fmtCIs(ps)
	t := &table{align: "lrlrrll"}
	head := []string{"outcome", "P", "95% CI", "±SE", "n"}
	var ranges []string
	if r.Nested != nil { // a nested run: both kinds of uncertainty
		ranges = r.fmtRanges()
		t.align = "lrlrlrll"
		head = []string{"outcome", "P", "simulation error (95%)", "±SE", "range over assumptions 5%..95% (median)", "n"}
	}
	if opts.Questions {
		head = append(head, "", "question")
	}
	t.add(head...)
	k := 0
	for _, s := range secs {
		if title := groupTitle(secs, s); title != "" {
			t.add("[" + title + "]")
		}
		for _, i := range s.rows {
			o := r.Outcomes[i]
			row := []string{o.Name, fmtPct(o.Estimate.P), cis[k], fmtSE(o.Estimate), strconv.FormatInt(o.Estimate.N, 10)}
			if ranges != nil {
				row = slices.Insert(row, 4, ranges[i])
			}
			k++
			given := ""
			if o.Conditional {
				given = "| given " + o.Given
			}
			if opts.Questions {
				row = append(row, given, o.Question)
			} else if given != "" {
				row = append(row, given)
			}
			t.add(row...)
		}
	}
	t.write(b)
}

// writeOutcomesMarkdown writes the Markdown outcome tables: a headline
// table first when there are headline outcomes, then every outcome with
// a bold header row per group, its question (when any outcome has one),
// rationale and sources.
func (r *Result) writeOutcomesMarkdown(b *strings.Builder) {
	if len(r.Outcomes) == 0 {
		b.WriteString("None.\n")
		return
	}
	if r.HasHeadline() {
		b.WriteString("**Headline**\n\n")
		r.outcomeTableMarkdown(b, r.outcomeSections(true))
		b.WriteString("\n**All outcomes**\n\n")
	}
	r.outcomeTableMarkdown(b, r.outcomeSections(false))
	if r.Nested != nil {
		b.WriteString("\n" + mdCell(r.nestedNote()) + "\n")
	}
}

func (r *Result) outcomeTableMarkdown(b *strings.Builder, secs []outcomeSection) {
	cond, quest := false, r.hasQuestions()
	var ps []Proportion
	for _, s := range secs {
		for _, i := range s.rows {
			ps = append(ps, r.Outcomes[i].Estimate)
			cond = cond || r.Outcomes[i].Conditional
		}
	}
	cis := fmtCIs(ps)
	head, rule := []string{"outcome", "P", "95% CI", "±SE", "n"}, []string{":--", "--:", ":-:", "--:", "--:"}
	var ranges []string
	if r.Nested != nil { // a nested run: both kinds of uncertainty
		ranges = r.fmtRanges()
		head = []string{"outcome", "P", "simulation error (95%)", "±SE", "range over assumptions 5%..95% (median)", "n"}
		rule = []string{":--", "--:", ":-:", "--:", ":-:", "--:"}
	}
	if cond {
		head, rule = append(head, "given"), append(rule, ":--")
	}
	if quest {
		head, rule = append(head, "question"), append(rule, ":--")
	}
	mdRow(b, append(head, "why")...)
	mdRow(b, append(rule, ":--")...)
	k := 0
	for _, s := range secs {
		if title := groupTitle(secs, s); title != "" {
			cells := make([]string, len(head)+1)
			cells[0] = "**" + mdCell(title) + "**"
			mdRow(b, cells...)
		}
		for _, i := range s.rows {
			o := r.Outcomes[i]
			cells := []string{mdCode(o.Name), fmtPct(o.Estimate.P), cis[k], fmtSE(o.Estimate), strconv.FormatInt(o.Estimate.N, 10)}
			if ranges != nil {
				cells = slices.Insert(cells, 4, ranges[i])
			}
			k++
			if cond {
				cells = append(cells, mdCell(mdCode(o.Given)))
			}
			if quest {
				cells = append(cells, mdCell(o.Question))
			}
			why := o.Why
			if len(o.Source) > 0 {
				why += " (" + strings.Join(o.Source, ", ") + ")"
			}
			mdRow(b, append(cells, mdCell(why))...)
		}
	}
}

// ShownDates returns the entries of by (one per named date, in layout
// order) whose date is not internal: the reached-by tables leave internal
// dates out (the CSV and JSON files keep them).
func (r *Result) ShownDates(by []ReachedAt) []ReachedAt {
	out := make([]ReachedAt, 0, len(by))
	for j, d := range by {
		if j < len(r.Layout.NamedDates) && r.Layout.NamedDates[j].Internal {
			continue
		}
		out = append(out, d)
	}
	return out
}

// OutcomeGroup is one group of outcomes as the tables show it: its header
// ("" when the table shows none: no outcome has a group) and the indices
// of its outcomes in Result.Outcomes, in file order.
type OutcomeGroup struct {
	Title string
	Rows  []int
}

// OutcomeGroups returns the outcomes of r grouped as the tables show
// them; headlineOnly keeps the headline outcomes alone.
func (r *Result) OutcomeGroups(headlineOnly bool) []OutcomeGroup {
	secs := r.outcomeSections(headlineOnly)
	out := make([]OutcomeGroup, len(secs))
	for i, s := range secs {
		out[i] = OutcomeGroup{Title: groupTitle(secs, s), Rows: s.rows}
	}
	return out
}
