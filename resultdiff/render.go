package resultdiff

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"scensim/results"
)

// WriteJSON writes the set as indented JSON (NaN-free: undefined outcomes
// are listed by name only).
func WriteJSON(w io.Writer, s *Set) error {
	data, err := results.IndentedJSON(s)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// WriteMarkdown writes the set as GitHub Markdown made to paste into a
// pull-request comment: per diff, the assumptions that changed (old →
// new), the material outcome changes with their intervals, then what did
// not change. Two results that differ in nothing say "No change".
func WriteMarkdown(w io.Writer, s *Set) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## scensim diff\n\n%s → %s\n\n", code(s.Old), code(s.New))
	if s.NoChange() {
		fmt.Fprintf(&b, "**No change**: the same assumptions, and no outcome moved by more than ±%s pp with 95%% confidence.\n\n", pp(s.MinDiff))
	}
	if len(s.OnlyOld) > 0 {
		fmt.Fprintf(&b, "Jobs only in the old root: %s.\n\n", codes(s.OnlyOld))
	}
	if len(s.OnlyNew) > 0 {
		fmt.Fprintf(&b, "Jobs only in the new root: %s.\n\n", codes(s.OnlyNew))
	}
	for _, n := range s.Diffs {
		writeDiff(&b, n.Job, n.Diff)
	}
	b.WriteString(footnote(s.MinDiff))
	_, err := io.WriteString(w, b.String())
	return err
}

func footnote(minDiff float64) string {
	return fmt.Sprintf("_Changes are new − old in percentage points (pp) with a 95%% interval for two independent runs (Newcombe's square-and-add method over each run's own simulation-error interval). A change is material when its interval lies wholly beyond ±%s pp. \"range\" is the 5–95%% range over parameter draws of a nested run._\n", pp(minDiff))
}

func writeDiff(b *strings.Builder, job string, d *Diff) {
	if job != "" { // a job of two batch roots
		fmt.Fprintf(b, "### %s\n\n", esc(job))
		if d.NoChange() {
			b.WriteString("No change.\n\n")
			return
		}
	}
	side := func(label string, s Side) {
		asOf := ""
		if s.AsOf != "" {
			asOf = ", as of " + s.AsOf
		}
		fmt.Fprintf(b, "- %s: %s — scenario %s%s, seed %d, %d trials\n", label, code(s.Path), code(s.Scenario), asOf, s.Seed, s.Trials)
	}
	side("old", d.Old)
	side("new", d.New)
	b.WriteString("\n")

	fmt.Fprintf(b, "**Assumptions that changed")
	switch {
	case !d.AssumptionsKnown:
		b.WriteString("**: not known. ")
		for _, s := range []Side{d.Old, d.New} {
			if !s.Snapshot {
				fmt.Fprintf(b, "%s was written before results kept a snapshot of their scenario; ", code(s.Path))
			}
		}
		b.WriteString("rerun it to compare assumptions.\n\n")
	case len(d.Assumptions) == 0:
		b.WriteString("**: none.\n\n")
	default:
		fmt.Fprintf(b, " (%d)**\n\n| assumption | old | new |\n| :-- | :-- | :-- |\n", len(d.Assumptions))
		for _, c := range d.Assumptions {
			fmt.Fprintf(b, "| %s | %s | %s |\n", esc(c.What()), orAbsent(c.Old), orAbsent(c.New))
		}
		b.WriteString("\n")
	}

	total := len(d.Material) + len(d.Unchanged)
	if len(d.Material) == 0 {
		fmt.Fprintf(b, "**Material changes**: none of %d outcomes.\n\n", total)
	} else {
		fmt.Fprintf(b, "**Material changes** (%d of %d outcomes, largest first)\n\n", len(d.Material), total)
		b.WriteString("| outcome | old: P [95% CI] | new: P [95% CI] | change, pp [95% CI] |\n| :-- | --: | --: | --: |\n")
		for _, c := range d.Material {
			name := code(c.Outcome)
			if c.Given != "" {
				name += " (among trials where " + code(c.Given) + ")"
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s [%s, %s] |\n", name, est(c.Old), est(c.New),
				results.FormatPP(c.D), results.FormatPP(c.Lo), results.FormatPP(c.Hi))
		}
		b.WriteString("\n")
	}
	if len(d.Unchanged) > 0 {
		var names []string
		for _, c := range d.Unchanged {
			names = append(names, code(c.Outcome))
		}
		fmt.Fprintf(b, "**Not materially changed** (%d): %s.\n\n", len(d.Unchanged), strings.Join(names, ", "))
	}
	if len(d.Undefined) > 0 {
		fmt.Fprintf(b, "**Not comparable** (no trial met the given on a side): %s.\n\n", codes(d.Undefined))
	}
	if len(d.OnlyOld) > 0 {
		fmt.Fprintf(b, "**Outcomes only in the old result:** %s.\n\n", codes(d.OnlyOld))
	}
	if len(d.OnlyNew) > 0 {
		fmt.Fprintf(b, "**Outcomes only in the new result:** %s.\n\n", codes(d.OnlyNew))
	}
}

// est formats an estimate: "23.4% [22.1, 24.8]", with "range 10.2–35.0"
// for a nested run.
func est(e Estimate) string {
	s := fmt.Sprintf("%s%% [%s, %s]", pct(e.P), pct(e.Lo), pct(e.Hi))
	if e.RangeLo != nil && e.RangeHi != nil {
		s += fmt.Sprintf(", range %s–%s%%", pct(*e.RangeLo), pct(*e.RangeHi))
	}
	return s
}

func pct(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) }
func pp(x float64) string  { return strconv.FormatFloat(100*x, 'f', 2, 64) }

func orAbsent(s string) string {
	if s == "" {
		return "—"
	}
	return code(s)
}

func codes(xs []string) string {
	var out []string
	for _, x := range xs {
		out = append(out, code(x))
	}
	return strings.Join(out, ", ")
}

// code is s as a Markdown code span that is safe in a table cell.
func code(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "|", `\|`).Replace(s)
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

func esc(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ").Replace(s)
	return strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "<", "&lt;", ">", "&gt;").Replace(s)
}
