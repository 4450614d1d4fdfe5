package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"scensim/results"
)

// The summary: one screen at the top of a report, before the full tables.
// It shows the headline outcomes × scenarios (each with its simulation
// error and its range over the assumptions), the top drivers of each
// headline outcome when the results record them, and per variant the few
// largest material changes from the report's comparisons.

// summaryTopChanges is how many material changes the summary lists per
// variant.
const summaryTopChanges = 3

// summaryView is what the summary shows.
type summaryView struct {
	AsOf      string       // the information date(s) of the scenarios, or ""
	Outcomes  []summaryRow // the headline outcomes, one row each
	Jobs      []string     // the scenarios (job names), one column each
	Fallback  string       // why the rows are not headline outcomes, or ""
	Drivers   []string     // "outcome: param 45%, param 20% (in job)"
	Changes   []summaryChange
	NoChanges string // what to say when no comparison has material changes, or ""
	// Rule is the materiality threshold the changes were judged by
	// ("±1.00 pp"), or "" when the comparisons have different ones (then
	// each change says its own).
	Rule string
}

// summaryRow is one outcome across the scenarios.
type summaryRow struct {
	Outcome   string
	Condition string // the given of a conditional outcome, or ""
	Cells     []summaryCell
}

// summaryCell is one outcome's estimate in one scenario.
type summaryCell struct {
	Missing  bool   // the scenario has no such outcome
	P        string // "23.4%"
	Err      string // "±0.3": half-width of the 95% simulation-error interval, in points
	Range    string // "12.0–38.1%": 5–95% over the parameter draws; "" for a flat run
	GivenPct string // for a conditional outcome, the share of trials where its given held ("57%")
	Hidden   string // "n/a" text when undefined
}

// summaryChange is one variant's largest material changes.
type summaryChange struct {
	Variant, Reference string
	Items              []string // "outcome +5.2 pp [+4.4, +6.0]"
	More               int      // material changes not listed
	Total              int      // outcomes compared
	Rule               string   // its threshold, "±1.00 pp", when the summary's Rule is ""
}

// AsOfText says the information date(s) of the report's scenarios: one
// date, "2025-03-18 (a, b); 2025-04-01 (c)" when they differ, or "".
func (r *Report) AsOfText() string {
	var dates []string
	by := map[string][]string{}
	for _, j := range r.Jobs {
		d := j.Result.Manifest.AsOf
		if d == "" {
			d = "not stated"
		}
		if _, ok := by[d]; !ok {
			dates = append(dates, d)
		}
		by[d] = append(by[d], j.Name)
	}
	switch {
	case len(dates) == 0, len(dates) == 1 && dates[0] == "not stated":
		return ""
	case len(dates) == 1:
		return dates[0]
	}
	var parts []string
	for _, d := range dates {
		parts = append(parts, d+" ("+strings.Join(by[d], ", ")+")")
	}
	return strings.Join(parts, "; ")
}

func viewSummary(r *Report) *summaryView {
	if len(r.Jobs) == 0 {
		return nil
	}
	v := &summaryView{AsOf: r.AsOfText()}
	var names []string
	given := map[string]string{}
	for _, j := range r.Jobs {
		v.Jobs = append(v.Jobs, j.Name)
		for _, o := range j.Result.Outcomes {
			if o.Headline && !slices.Contains(names, o.Name) {
				names = append(names, o.Name)
				given[o.Name] = o.Given
			}
		}
	}
	if len(names) == 0 { // no scenario marks headline outcomes: the first job's first few
		first := r.Jobs[0].Result.Outcomes
		for _, o := range first[:min(len(first), 5)] {
			names = append(names, o.Name)
			given[o.Name] = o.Given
		}
		v.Fallback = fmt.Sprintf("No scenario marks headline outcomes (headline: true); shown are the first %d outcomes of %s.", len(names), r.Jobs[0].Name)
	}
	for _, name := range names {
		row := summaryRow{Outcome: name, Condition: given[name]}
		for _, j := range r.Jobs {
			row.Cells = append(row.Cells, summaryCellOf(j.Result, name))
		}
		v.Outcomes = append(v.Outcomes, row)
	}
	// Drivers: of the first job that records them for each outcome.
	for _, name := range names {
		for _, j := range r.Jobs {
			ds := j.Drivers
			if ds == nil {
				ds = driversOf(j.Result)
			}
			d, ok := ds[name]
			if !ok || len(d.Top) == 0 {
				continue
			}
			var parts []string
			for _, x := range d.Top {
				parts = append(parts, fmt.Sprintf("%s %s%%", x.Param, strconv.FormatFloat(100*x.Share, 'f', 0, 64)))
			}
			v.Drivers = append(v.Drivers, fmt.Sprintf("%s: %s (share of its variance over the assumptions, in %s)", name, strings.Join(parts, ", "), j.Name))
			break
		}
	}
	// Material changes: one entry per (reference, variant) pair, in the
	// order the comparisons first show them.
	seen := map[string]bool{}
	compared := false
	rules := map[string]bool{}
	for _, c := range r.Comparisons {
		cc := c.C
		material, minDiff := materialOf(cc)
		rule := "±" + results.FormatPP(minDiff)[1:] + " pp"
		for j := 1; j < len(cc.Scenarios); j++ {
			ref, variant := cc.Scenarios[0].Label, cc.Scenarios[j].Label
			if seen[ref+"\x00"+variant] {
				continue
			}
			seen[ref+"\x00"+variant] = true
			compared = true
			rules[rule] = true
			total := 0
			for _, row := range cc.Rows {
				if row.Kind == "outcome" && j < len(row.Diffs) && row.Diffs[j].Defined() {
					total++
				}
			}
			ms := outcomeChanges(material, j)
			if len(ms) == 0 {
				continue
			}
			sc := summaryChange{Variant: variant, Reference: ref, Total: total, More: max(0, len(ms)-summaryTopChanges), Rule: rule}
			for _, m := range ms[:min(len(ms), summaryTopChanges)] {
				sc.Items = append(sc.Items, fmt.Sprintf("%s %s pp [%s, %s]", m.Name, results.FormatPP(float64(m.D)), results.FormatPP(float64(m.Lo)), results.FormatPP(float64(m.Hi))))
			}
			v.Changes = append(v.Changes, sc)
		}
	}
	if len(rules) == 1 {
		for rule := range rules {
			v.Rule = rule
		}
		for i := range v.Changes {
			v.Changes[i].Rule = ""
		}
	}
	if compared && len(v.Changes) == 0 {
		by := v.Rule
		if by == "" {
			by = "each comparison's min_diff"
		}
		v.NoChanges = fmt.Sprintf("No variant changes any outcome materially (by more than %s with 95%% confidence).", by)
	}
	return v
}

func summaryCellOf(r *results.Result, name string) summaryCell {
	for _, o := range r.Outcomes {
		if o.Name != name {
			continue
		}
		e := o.Estimate
		if !e.Defined() {
			return summaryCell{Hidden: fmt.Sprintf("n/a (n=%d)", e.N)}
		}
		c := summaryCell{P: pct1(e.P) + "%", Err: "±" + strconv.FormatFloat(100*math.Max(e.P-e.Lo, e.Hi-e.P), 'f', 1, 64)}
		if o.Range.Defined() {
			c.Range = pct1(o.Range.P5) + "–" + pct1(o.Range.P95) + "%"
		}
		if o.Conditional && r.Counts.Trials > 0 {
			c.GivenPct = strconv.FormatFloat(100*float64(e.N)/float64(r.Counts.Trials), 'f', 0, 64) + "%"
		}
		return c
	}
	return summaryCell{Missing: true}
}

// Text is the cell as one line: "23.4% ±0.3, range 12.0–38.1%", with
// "among the 57% of trials where given" for a conditional outcome.
func (c summaryCell) Text() string {
	switch {
	case c.Missing:
		return "—"
	case c.Hidden != "":
		return c.Hidden
	}
	s := c.P + " " + c.Err
	if c.Range != "" {
		s += ", range " + c.Range
	}
	if c.GivenPct != "" {
		s += ", among the " + c.GivenPct + " where given"
	}
	return s
}

// Legend explains the summary's cells, and says when no range over the
// assumptions was estimated.
func (v *summaryView) Legend() string {
	s := "Each cell: the pooled probability over all trials (for a conditional outcome, over the trials where its given held); ± the half-width of its 95% simulation-error interval (Monte Carlo noise, in points); range: 5–95% of the probability across parameter draws (the range over assumptions)."
	for _, row := range v.Outcomes {
		for _, c := range row.Cells {
			if c.Range != "" {
				return s
			}
		}
	}
	return s + " No range is shown: these runs drew every trial's params independently (flat runs), which pools the uncertainty over the assumptions into the estimate; a nested run (scensim run --draws) estimates the range."
}

// writeSummaryMarkdown writes the summary section of report.md.
func writeSummaryMarkdown(b *strings.Builder, r *Report, v *summaryView) {
	b.WriteString("## Summary\n\n")
	if v.AsOf != "" {
		fmt.Fprintf(b, "Information as of **%s**.\n\n", mdEsc(v.AsOf))
	}
	if v.Fallback != "" {
		b.WriteString(mdEsc(v.Fallback) + "\n\n")
	}
	b.WriteString("| headline outcome |")
	for _, j := range v.Jobs {
		b.WriteString(" " + mdEsc(j) + " |")
	}
	b.WriteString("\n| :-- |" + strings.Repeat(" --: |", len(v.Jobs)) + "\n")
	for _, row := range v.Outcomes {
		name := mdCode(row.Outcome)
		if row.Condition != "" {
			name += " (among trials where " + mdCode(row.Condition) + ")"
		}
		b.WriteString("| " + name + " |")
		for _, c := range row.Cells {
			b.WriteString(" " + mdEsc(c.Text()) + " |")
		}
		b.WriteString("\n")
	}
	b.WriteString("\n" + v.Legend() + "\n\n")
	if len(v.Drivers) > 0 {
		b.WriteString("**Top drivers**\n\n")
		for _, d := range v.Drivers {
			b.WriteString("- " + mdEsc(d) + "\n")
		}
		b.WriteString("\n")
	}
	if len(v.Changes) > 0 {
		fmt.Fprintf(b, "**Largest material changes** (%s)\n\n", v.ChangesRule())
		for _, c := range v.Changes {
			b.WriteString("- " + mdEsc(c.line()) + "\n")
		}
		b.WriteString("\n")
	} else if v.NoChanges != "" {
		b.WriteString(mdEsc(v.NoChanges) + "\n\n")
	}
	b.WriteString("Full tables follow.\n\n")
}

// ChangesRule says by which threshold the listed changes are material.
func (v *summaryView) ChangesRule() string {
	if v.Rule == "" {
		return "difference interval wholly beyond the comparison's min_diff, as compare lists them"
	}
	return "difference interval wholly beyond " + v.Rule + ", as compare lists them"
}

// line is the change as one line of text.
func (c summaryChange) line() string {
	s := c.Variant + " vs " + c.Reference
	if c.Rule != "" {
		s += " (beyond " + c.Rule + ")"
	}
	s += ": " + strings.Join(c.Items, "; ")
	if c.More > 0 {
		s += fmt.Sprintf("; and %d more", c.More)
	}
	return s + fmt.Sprintf(" (%d of %d outcomes material)", len(c.Items)+c.More, c.Total)
}
