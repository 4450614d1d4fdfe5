package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"scensim/results"
)

// The view: a report's tables as cells of text, shared by the HTML and
// Markdown renderings so that both say the same. Numbers have fixed
// formats (so equal inputs give equal bytes):
//
//   - a probability: "23.4% [22.1, 24.8] n=100000", the estimate in
//     percent with its 95% Wilson interval and the number of trials it is
//     a share of (for a conditional outcome, the trials where its given
//     held); "n/a (n=0)" when undefined;
//   - a difference: "+1.23 pp [+0.80, +1.66]" in percentage points with its
//     95% interval, then "*" if the interval excludes 0 and "(unpaired)"
//     for a conditional outcome.

// cell is a table cell: its text and, for numbers, the value to sort by.
type cell struct {
	Text string
	Code bool    // show as code
	Num  bool    // has a sort value
	V    float64 // sort value (NaN sorts first)
	Cls  string  // CSS class of the cell ("" for none)
}

func (c cell) SortValue() string {
	if math.IsNaN(c.V) {
		return "-1e300"
	}
	return strconv.FormatFloat(c.V, 'g', 10, 64)
}

type table struct {
	ID     string
	Head   []string
	Right  []bool // right-aligned (numeric) columns
	Rows   [][]cell
	RowCls []string // CSS class of each row ("" for none)
}

func txt(s string) cell  { return cell{Text: s} }
func code(s string) cell { return cell{Text: s, Code: s != ""} }
func num(s string, v float64) cell {
	return cell{Text: s, Num: true, V: v}
}

func pct1(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) }

// fmtEst formats a proportion as "23.4% [22.1, 24.8] n=100000".
func fmtEst(p results.Proportion) string {
	if !p.Defined() {
		return fmt.Sprintf("n/a n=%d", p.N)
	}
	return fmt.Sprintf("%s%% [%s, %s] n=%d", pct1(p.P), pct1(p.Lo), pct1(p.Hi), p.N)
}

func fmtDiff(d *results.Difference) string {
	if !d.Defined() {
		return "-"
	}
	s := fmt.Sprintf("%s pp [%s, %s]", results.FormatPP(d.D), results.FormatPP(d.Lo), results.FormatPP(d.Hi))
	if d.Significant {
		s += " *"
	}
	switch {
	case d.RatioPaired:
		s += " (paired ratio)"
	case !d.Paired:
		s += " (unpaired)"
	}
	return s
}

func estCell(p results.Proportion) cell { return num(fmtEst(p), p.P) }

func estPtrCell(p *results.Proportion) cell {
	if p == nil {
		return num("-", math.NaN())
	}
	return estCell(*p)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// paragraphs splits a description into paragraphs at blank lines.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// jobView is what the report shows of one job.
type jobView struct {
	*Job
	Title        string
	Facts        []string // one-line facts: scenario file, overrides, seed, trials
	Description  []string
	Disabled     string
	DisabledNote []string
	Hypotheses   *table
	Outcomes     *table
	Values       *table        // value outcomes (see values.go), nil if none
	Evidence     *evidenceView // a run with evidence (see evidence.go), else nil
	Reached      *table
	FirstEntry   *table
	Notes        []string
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func trialsText(r *results.Result) string {
	s := strconv.FormatInt(r.Counts.Trials, 10) + " trials"
	if r.Run.Precision > 0 {
		verdict := "reached"
		if !r.Run.PrecisionReached {
			verdict = "not reached"
		}
		s += fmt.Sprintf(" (precision target ±%g %s in %d rounds)", r.Run.Precision, verdict, r.Run.Rounds)
	}
	return s
}

func viewJob(j *Job) *jobView {
	r := j.Result
	m := r.Manifest
	v := &jobView{Job: j, Title: r.Layout.Title}
	v.Facts = append(v.Facts,
		fmt.Sprintf("scenario %s, file %s (sha256 %s)", r.Layout.Scenario, orDash(m.File), shortHash(m.FileSHA256)),
		"overrides: "+orDash(strings.Join(m.Overrides, ", ")),
		fmt.Sprintf("seed %d, %s, %s to %s in %d %s steps", m.Seed, trialsText(r), m.Start, m.End, m.Steps, m.Step))
	if j.Info == nil {
		v.Facts = append(v.Facts, "description and hypotheses not available: the scenario file is missing or has changed since the run")
	} else {
		v.Description = paragraphs(j.Info.Description)
		if len(j.Info.Disabled) > 0 {
			v.Disabled = strings.Join(j.Info.Disabled, ", ")
			v.DisabledNote = j.Info.DisabledNotes
		}
		for _, b := range j.Info.Bases {
			f, h, _ := strings.Cut(b, " ")
			v.Facts = append(v.Facts, fmt.Sprintf("extends %s (sha256 %s)", f, shortHash(h)))
		}
		if len(j.Info.Hypotheses) > 0 {
			t := &table{ID: "hyp-" + j.ID, Head: []string{"hypothesis", "carried by"}}
			for _, h := range j.Info.Hypotheses {
				n := 0.0
				fmt.Sscanf(h.ID, "H%g", &n)
				t.Rows = append(t.Rows, []cell{num(h.ID, n), txt(strings.Join(h.CarriedBy, "; "))})
			}
			v.Hypotheses = t
		}
	}

	if len(r.Outcomes) > 0 {
		v.Outcomes = outcomeTable(r, "outcomes-"+j.ID)
	}
	v.Values = valueTable(r, "values-"+j.ID)
	v.Evidence = evidenceOf(r, j.ID)

	if len(r.Reached) > 0 {
		var shown []int
		var hidden []string
		for g, e := range r.FirstEntry {
			if r.Counts.Trials == 0 || e.Ever.K > 0 {
				shown = append(shown, g)
			} else {
				hidden = append(hidden, e.Track+"."+e.State)
			}
		}
		t := &table{ID: "reached-" + j.ID, Head: []string{"state"}, Right: []bool{false}}
		for _, d := range append(r.ShownDates(r.Reached[0].By), r.Reached[0].Horizon) {
			t.Head = append(t.Head, d.Name+" "+d.Date)
			t.Right = append(t.Right, true)
		}
		for _, g := range shown {
			row := r.Reached[g]
			cells := []cell{code(row.Track + "." + row.State)}
			for _, d := range append(r.ShownDates(row.By), row.Horizon) {
				cells = append(cells, estCell(d.Reached))
			}
			t.Rows = append(t.Rows, cells)
		}
		v.Reached = t
		if len(hidden) > 0 {
			v.Notes = append(v.Notes, "Not entered in any trial (omitted): "+strings.Join(hidden, ", ")+".")
		}
		first, last := r.Layout.Points[0], r.Layout.Points[len(r.Layout.Points)-1]
		for _, d := range r.Layout.NamedDates {
			switch {
			case d.Internal: // no column
			case d.Point < 0:
				v.Notes = append(v.Notes, fmt.Sprintf("%s (%s) is before the first point (%s): 0%% by construction.", d.Name, d.Date, first))
			case d.Date > last:
				v.Notes = append(v.Notes, fmt.Sprintf("%s (%s) is after the last point (%s): its column is reached by the last point.", d.Name, d.Date, last))
			}
		}

		ft := &table{ID: "first-entry-" + j.ID, Head: []string{"state", "ever entered, P [95% CI] n", "p10 date, among the trials that entered", "median date, among them", "p90 date, among them"},
			Right: []bool{false, true}}
		for _, g := range shown {
			e := r.FirstEntry[g]
			med := dateCell(e.Median, e.MedianPoint)
			if e.Median != "" && e.Ever.Defined() {
				med.Text += " (among the " + pct1(e.Ever.P) + "% that entered)"
			}
			ft.Rows = append(ft.Rows, []cell{code(e.Track + "." + e.State), estCell(e.Ever),
				dateCell(e.P10, e.P10Point), med, dateCell(e.P90, e.P90Point)})
		}
		v.FirstEntry = ft
	}
	return v
}

func dateCell(date string, point int) cell { return num(orDash(date), float64(point)) }

// cmpView is what the report shows of one comparison.
type cmpView struct {
	*Comparison
	Labels      []string
	Scenarios   []string // one line per scenario
	Assumptions *table
	Disabled    []string // "label switches off H8: note; note"
	Pairs       []pairView
	Reproduce   string
}

type pairView struct {
	Title    string
	Outcomes *table
	Reached  *table
	Note     string // how many reached cells differ
	CRN      string
}

func viewComparison(r *Report, c *Comparison) *cmpView {
	cc := c.C
	v := &cmpView{Comparison: c}
	for _, s := range cc.Scenarios {
		v.Labels = append(v.Labels, s.Label)
		line := fmt.Sprintf("%s: scenario %s, file %s (sha256 %s)", s.Label, s.Scenario, s.File, shortHash(s.FileSHA256))
		for _, b := range s.Bases {
			f, h, _ := strings.Cut(b, " ")
			line += fmt.Sprintf(", extends %s (sha256 %s)", f, shortHash(h))
		}
		if len(s.Overrides) > 0 {
			line += ", set " + strings.Join(s.Overrides, ", ")
		}
		if s.AsOf != "" {
			line += ", as of " + s.AsOf
		}
		v.Scenarios = append(v.Scenarios, line)
		if len(s.DisabledNotes) > 0 {
			v.Disabled = append(v.Disabled, fmt.Sprintf("%s switches off %s: %s", s.Label, strings.Join(s.Disabled, ", "), strings.Join(s.DisabledNotes, "; ")))
		}
	}
	if len(cc.Assumptions) > 0 {
		t := &table{ID: "assumptions-" + c.ID, Head: append([]string{"what"}, v.Labels...)}
		for _, a := range cc.Assumptions {
			row := []cell{txt(a.What)}
			for i, x := range a.Values {
				c := code(x)
				if x == "" {
					c = txt("—")
				}
				if i > 0 && x != a.Values[0] {
					c.Cls = "changed" // differs from the reference scenario
				}
				row = append(row, c)
			}
			t.Rows = append(t.Rows, row)
		}
		v.Assumptions = t
	}
	for j := 1; j < len(cc.Scenarios); j++ {
		pv := pairView{Title: v.Labels[j] + " vs " + v.Labels[0]}
		mk := func(id, first string) *table {
			return &table{ID: id, Head: []string{first, v.Labels[0] + ": P [95% CI] n", v.Labels[j] + ": P [95% CI] n",
				fmt.Sprintf("difference [95%% CI], n=%d paired", cc.Trials), "CRN width ratio"}, Right: []bool{false, true, true, true, true}}
		}
		out := mk(fmt.Sprintf("paired-%s-%d", c.ID, j), "outcome")
		reached := mk(fmt.Sprintf("paired-reached-%s-%d", c.ID, j), "state @ date")
		total := 0
		for _, r := range cc.Rows {
			d := r.Diffs[j]
			dv := math.NaN()
			if d.Defined() {
				dv = d.D
			}
			ratio := num("-", math.NaN())
			if d.Defined() && d.Paired && !math.IsNaN(d.WidthRatio) {
				ratio = num(strconv.FormatFloat(d.WidthRatio, 'f', 2, 64), d.WidthRatio)
			}
			row := []cell{code(r.Label()), estPtrCell(r.Estimates[0]), estPtrCell(r.Estimates[j]), num(fmtDiff(d), dv), ratio}
			cls := ""
			if d.Defined() && d.Significant {
				cls = "sig"
			}
			switch {
			case r.Kind == "outcome":
				out.Rows = append(out.Rows, row)
				out.RowCls = append(out.RowCls, cls)
			case d.Defined():
				total++
				if d.Significant {
					reached.Rows = append(reached.Rows, row)
					reached.RowCls = append(reached.RowCls, cls)
				}
			}
		}
		pv.Outcomes = out
		pv.Note = fmt.Sprintf("Reached by: %d of %d cells differ significantly (every cell is in %s).", len(reached.Rows), total, pathJoin(c.Dir, CompareFileName))
		if len(reached.Rows) > 0 {
			pv.Reached = reached
		}
		if m, n := cc.CRNGain(j, "outcome"); n > 0 {
			gain := "n/a"
			if m > 0 {
				gain = strconv.FormatFloat(1/(m*m), 'f', 1, 64)
			}
			pv.CRN = fmt.Sprintf("Common random numbers: the paired intervals of the %d unconditional outcomes are a median %.2f of the width that independent runs of the same size would give (as precise as %s times as many independent trials).", n, m, gain)
		}
		v.Pairs = append(v.Pairs, pv)
	}
	v.Reproduce = r.compareCommand(cc)
	return v
}

// diffFootnote explains the difference columns.
const diffFootnote = "Differences are P(scenario) − P(reference) in percentage points (pp) with their 95% interval; * marks an interval that excludes 0. They are paired, trial by trial, over the same trials with common random numbers (Newcombe 1998, paired method 10), except for a conditional outcome, marked unpaired (hybrid score interval over each scenario's own given-trials). The CRN width ratio is the paired interval's width over the width independent runs would give."

// manifestTables are the tables at the bottom of a report.
func manifestTables(r *Report) (jobs, cmps *table) {
	if len(r.Jobs) > 0 {
		jobs = &table{ID: "manifest-jobs", Head: []string{"job", "scenario", "file", "file SHA-256", "seed", "trials", "overrides", "tool version", "reproduce"},
			Right: []bool{false, false, false, false, true, true}}
		for _, j := range r.Jobs {
			m := j.Result.Manifest
			file := m.File
			if j.Info != nil {
				for _, b := range j.Info.Bases {
					file += " (extends " + b + ")"
				}
			}
			trials := strconv.FormatInt(j.Result.Counts.Trials, 10)
			if j.Result.Run.Precision > 0 {
				trials += fmt.Sprintf(" (±%g)", j.Result.Run.Precision)
			}
			jobs.Rows = append(jobs.Rows, []cell{txt(j.Name), code(m.Scenario), code(file), code(m.FileSHA256),
				num(strconv.FormatUint(m.Seed, 10), float64(m.Seed)), num(trials, float64(j.Result.Counts.Trials)),
				code(strings.Join(m.Overrides, ", ")), txt(m.ToolVersion), code(r.runCommand(j.Result))})
		}
	}
	if len(r.Comparisons) > 0 {
		cmps = &table{ID: "manifest-comparisons", Head: []string{"comparison", "scenarios (file sha256)", "seed", "paired trials", "tool version", "reproduce"},
			Right: []bool{false, false, true, true}}
		for _, c := range r.Comparisons {
			var files []string
			for _, s := range c.C.Scenarios {
				f := fmt.Sprintf("%s: %s %s", s.Label, s.File, s.FileSHA256)
				if len(s.Overrides) > 0 {
					f += " set " + strings.Join(s.Overrides, ", ")
				}
				files = append(files, f)
			}
			rep := r.compareCommand(c.C)
			if rep == "" && r.Reproduce != nil {
				rep = "(scenarios with different overrides: rerun the batch)"
			}
			cmps.Rows = append(cmps.Rows, []cell{txt(c.Name), code(strings.Join(files, "; ")),
				num(strconv.FormatUint(c.C.Seed, 10), float64(c.C.Seed)), num(strconv.FormatInt(c.C.Trials, 10), float64(c.C.Trials)),
				txt(c.C.ToolVersion), code(rep)})
		}
	}
	return jobs, cmps
}
