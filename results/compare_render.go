package results

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Renderings of a [Comparison]: text for the terminal, Markdown for review
// threads, CSV and JSON for machines. Text and Markdown show every outcome
// and the reached-by cells whose difference is significant (CSV and JSON
// hold every cell); probabilities are in percent with one decimal,
// differences in percentage points with two.

// FormatPP formats a difference of probabilities in percentage points,
// with two decimals and a sign ("+1.25", "-0.40", "0.00"; "n/a" for NaN).
func FormatPP(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	s := strconv.FormatFloat(100*x, 'f', 2, 64)
	if s == "-0.00" {
		s = "0.00"
	}
	if x > 0 && s != "0.00" {
		s = "+" + s
	}
	return s
}

func fmtEstimate(p *Proportion) string {
	if p == nil {
		return "-"
	}
	if !p.Defined() {
		return "n/a"
	}
	return fmt.Sprintf("%s [%s, %s]", fmtPct(p.P), fmtNum1(p.Lo), fmtNum1(p.Hi))
}

func fmtDifference(d *Difference) string {
	if !d.Defined() {
		return "-"
	}
	s := fmt.Sprintf("%s [%s, %s]", FormatPP(d.D), FormatPP(d.Lo), FormatPP(d.Hi))
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

func fmtRatio(d *Difference) string {
	if !d.Defined() || !d.Paired && !d.RatioPaired || math.IsNaN(d.WidthRatio) {
		return "-"
	}
	return strconv.FormatFloat(d.WidthRatio, 'f', 2, 64)
}

// clip shortens s to n runes for a text table.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (c *Comparison) labels() []string {
	var out []string
	for _, s := range c.Scenarios {
		out = append(out, s.Label)
	}
	return out
}

// fileLine describes where a scenario came from.
func (s ComparedScenario) fileLine() string {
	line := fmt.Sprintf("%s (sha256 %s)", s.File, shortHash(s.FileSHA256))
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
	return line
}

// crnNote summarises the CRN gain of scenario j's outcome differences.
func (c *Comparison) crnNote(j int) string {
	m, n := c.CRNGain(j, "outcome")
	if n == 0 {
		return ""
	}
	gain := "n/a"
	if m > 0 {
		gain = strconv.FormatFloat(1/(m*m), 'f', 1, 64)
	}
	return fmt.Sprintf("CRN: the paired intervals of the %d unconditional outcomes are a median %.2f of the width independent runs of the same size would give (as precise as %s times as many independent trials).", n, m, gain)
}

const compareFootnote = "* the 95% interval of the difference excludes 0. Differences are in percentage points: paired (Newcombe 1998, paired method 10) unless marked unpaired (a conditional outcome: hybrid score interval over each scenario's own given-trials) or paired ratio (a run with evidence: ratio estimator over the shared trials). CRN = paired interval width / independent-runs width."

// significantReached returns the reached rows whose difference for
// scenario j is significant, and how many reached rows j has a difference for.
func (c *Comparison) significantReached(j int) (rows []CompareRow, total int) {
	for _, r := range c.Rows {
		if r.Kind != "reached" || !r.Diffs[j].Defined() {
			continue
		}
		total++
		if r.Diffs[j].Significant {
			rows = append(rows, r)
		}
	}
	return rows, total
}

// WriteCompareText writes the comparison as text tables: the scenarios,
// the assumptions that differ (and what each switched-off hypothesis did),
// then for each scenario after the first its outcomes and significant
// reached-by cells beside the first's, with the paired differences.
func WriteCompareText(w io.Writer, c *Comparison) error {
	var b strings.Builder
	labels := c.labels()
	fmt.Fprintf(&b, "COMPARE %s\n", strings.Join(labels, " | "))
	head := &table{align: "ll"}
	head.add("trials", fmt.Sprintf("%d paired (trial i of every scenario draws the same numbers for params and tracks of the same name)", c.Trials))
	head.add("seed", strconv.FormatUint(c.Seed, 10))
	for i, s := range c.Scenarios {
		k := ""
		if i == 0 {
			k = "scenarios"
		}
		head.add(k, s.Label+": "+s.fileLine())
	}
	head.add("tool", "scensim "+c.ToolVersion)
	head.write(&b)

	b.WriteString("\nASSUMPTIONS THAT DIFFER\n")
	if len(c.Assumptions) == 0 {
		b.WriteString("none: the scenarios make the same assumptions\n")
	} else {
		t := &table{}
		t.add(append([]string{"what"}, labels...)...)
		for _, a := range c.Assumptions {
			row := []string{a.What}
			for _, v := range a.Values {
				row = append(row, orDash(v))
			}
			t.addWrapped(60, row...)
		}
		t.write(&b)
	}
	for _, s := range c.Scenarios {
		if len(s.DisabledNotes) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s switches off %s:\n", s.Label, strings.Join(s.Disabled, ", "))
		for _, n := range s.DisabledNotes {
			b.WriteString("  " + n + "\n")
		}
	}

	c.writeMaterialText(&b)
	align := strings.Repeat("l", 2+len(c.diffHead())) + "r"
	for j := 1; j < len(c.Scenarios); j++ {
		fmt.Fprintf(&b, "\nOUTCOMES: %s vs %s\n", labels[j], labels[0])
		t := &table{align: align}
		t.add(append([]string{"outcome", labels[0], labels[j]}, c.diffHead()...)...)
		for _, r := range c.Rows {
			if r.Kind == "outcome" {
				t.add(append([]string{r.Name, fmtEstimate(r.Estimates[0]), fmtEstimate(r.Estimates[j])}, c.diffCells(r.Diffs[j])...)...)
			}
		}
		t.write(&b)
		c.writeValueCompare(&b, j, labels, false)
		rows, total := c.significantReached(j)
		fmt.Fprintf(&b, "\nREACHED BY: %s vs %s (%d of %d cells differ significantly; all cells in compare.csv)\n", labels[j], labels[0], len(rows), total)
		if len(rows) > 0 {
			t := &table{align: align}
			t.add(append([]string{"state @ date", labels[0], labels[j]}, c.diffHead()...)...)
			for _, r := range rows {
				t.add(append([]string{r.Label(), fmtEstimate(r.Estimates[0]), fmtEstimate(r.Estimates[j])}, c.diffCells(r.Diffs[j])...)...)
			}
			t.write(&b)
		}
		if note := c.crnNote(j); note != "" {
			b.WriteString("\n" + note + "\n")
		}
	}
	b.WriteString("\n" + c.footnote() + "\n")
	if note := c.drawsFootnote(); note != "" {
		b.WriteString(note + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCompareMarkdown writes the comparison as GitHub Markdown, with the
// content of [WriteCompareText].
func WriteCompareMarkdown(w io.Writer, c *Comparison) error {
	var b strings.Builder
	labels := c.labels()
	fmt.Fprintf(&b, "## Comparison: %s\n\n", mdCell(strings.Join(labels, " vs ")))
	fmt.Fprintf(&b, "%d paired trials per scenario, seed %d, common random numbers (trial i of every scenario draws the same numbers for params and tracks of the same name); scensim %s.\n\n", c.Trials, c.Seed, c.ToolVersion)
	for _, s := range c.Scenarios {
		fmt.Fprintf(&b, "- **%s**: %s\n", mdCell(s.Label), mdCell(s.fileLine()))
	}
	b.WriteString("\n### Assumptions that differ\n\n")
	if len(c.Assumptions) == 0 {
		b.WriteString("None: the scenarios make the same assumptions.\n")
	} else {
		head := []string{"what"}
		for _, l := range labels {
			head = append(head, mdCell(l))
		}
		mdRow(&b, head...)
		mdRow(&b, strings.Split(strings.Repeat("---,", len(head)), ",")[:len(head)]...)
		for _, a := range c.Assumptions {
			row := []string{mdCell(a.What)}
			for _, v := range a.Values {
				if v == "" {
					row = append(row, "—")
				} else {
					row = append(row, mdCode(mdCell(v)))
				}
			}
			mdRow(&b, row...)
		}
	}
	for _, s := range c.Scenarios {
		if len(s.DisabledNotes) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s switches off %s:\n\n", mdCell(s.Label), mdCell(strings.Join(s.Disabled, ", ")))
		for _, n := range s.DisabledNotes {
			b.WriteString("- " + mdCell(n) + "\n")
		}
	}
	c.writeMaterialMarkdown(&b)
	table := func(first string, rows []CompareRow, j int) {
		mdRow(&b, append([]string{first, mdCell(labels[0]), mdCell(labels[j])}, c.diffHead()...)...)
		mdRow(&b, append(strings.Split(strings.Repeat("---,", 2+len(c.diffHead())), ",")[:2+len(c.diffHead())], "---:")...)
		for _, r := range rows {
			cells := c.diffCells(r.Diffs[j])
			cells[0] = strings.Replace(cells[0], " *", " **\\***", 1)
			mdRow(&b, append([]string{mdCode(r.Label()), fmtEstimate(r.Estimates[0]), fmtEstimate(r.Estimates[j])}, cells...)...)
		}
	}
	for j := 1; j < len(c.Scenarios); j++ {
		fmt.Fprintf(&b, "\n### %s vs %s\n\n", mdCell(labels[j]), mdCell(labels[0]))
		var outs []CompareRow
		for _, r := range c.Rows {
			if r.Kind == "outcome" {
				outs = append(outs, r)
			}
		}
		table("outcome", outs, j)
		c.writeValueCompare(&b, j, labels, true)
		rows, total := c.significantReached(j)
		fmt.Fprintf(&b, "\nReached by: %d of %d cells differ significantly (all cells in compare.csv).\n", len(rows), total)
		if len(rows) > 0 {
			b.WriteString("\n")
			table("state @ date", rows, j)
		}
		if note := c.crnNote(j); note != "" {
			b.WriteString("\n" + note + "\n")
		}
	}
	b.WriteString("\n" + strings.Replace(c.footnote(), "* ", "\\* ", 1) + "\n")
	if note := c.drawsFootnote(); note != "" {
		b.WriteString("\n" + note + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCompareCSV writes one line per row and scenario that has it: kind,
// name, by, conditional, scenario, hits, n, p, lo95, hi95, then for
// scenarios after the first the difference from the first: diff,
// diff_lo95, diff_hi95, paired, gain, loss, indep_lo95, indep_hi95,
// width_ratio, significant, and, from the draws of a nested comparison,
// diff_se, diff_range_p5, diff_range_p50, diff_range_p95,
// diff_range_noise_share, share_of_draws_with_sign (empty when flat), and
// material (the interval lies wholly beyond ±min_diff); all empty for the
// first scenario.
func WriteCompareCSV(w io.Writer, c *Comparison) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write([]string{"kind", "name", "by", "conditional", "scenario", "hits", "n", "p", "lo95", "hi95",
		"diff", "diff_lo95", "diff_hi95", "paired", "gain", "loss", "indep_lo95", "indep_hi95", "width_ratio", "significant",
		"diff_se", "diff_range_p5", "diff_range_p50", "diff_range_p95", "diff_range_noise_share", "share_of_draws_with_sign", "material"})
	for _, r := range c.Rows {
		for j, e := range r.Estimates {
			if e == nil {
				continue
			}
			rec := []string{r.Kind, r.Name, r.By, strconv.FormatBool(r.Conditional), c.Scenarios[j].Label,
				csvInt(e.K), csvInt(e.N), csvFloat(e.P), csvFloat(e.Lo), csvFloat(e.Hi)}
			if d := r.Diffs[j]; d != nil {
				rec = append(rec, csvFloat(d.D), csvFloat(d.Lo), csvFloat(d.Hi), strconv.FormatBool(d.Paired),
					csvInt(d.Gain), csvInt(d.Loss), csvFloat(d.IndepLo), csvFloat(d.IndepHi), csvFloat(d.WidthRatio), strconv.FormatBool(d.Significant))
				if o := d.OverDraws; o != nil {
					rec = append(rec, csvFloat(o.SE), csvFloat(o.P5), csvFloat(o.P50), csvFloat(o.P95), csvFloat(o.NoiseShare), csvFloat(o.SignShare))
				} else {
					rec = append(rec, "", "", "", "", "", "")
				}
				rec = append(rec, strconv.FormatBool(c.IsMaterial(d)))
			} else {
				rec = append(rec, "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "")
			}
			_ = cw.Write(rec)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// WriteCompareJSON writes the comparison as indented JSON (NaN as null).
func WriteCompareJSON(w io.Writer, c *Comparison) error {
	return writeJSON(w, c)
}
