package report

import (
	"fmt"
	"io"
	"strings"
)

// mdEsc escapes text for a GitHub Markdown table cell or line.
func mdEsc(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	return strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "<", "&lt;", ">", "&gt;").Replace(s)
}

// mdCode returns s as a code span (pipes escaped, as GFM tables need).
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "|", `\|`).Replace(s)
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

func mdCellText(c cell) string {
	if c.Code {
		return mdCode(c.Text)
	}
	if c.Text == "" {
		return ""
	}
	return mdEsc(c.Text)
}

func mdTable(b *strings.Builder, t *table) {
	b.WriteString("|")
	for _, h := range t.Head {
		b.WriteString(" " + mdEsc(h) + " |")
	}
	b.WriteString("\n|")
	for i := range t.Head {
		if i < len(t.Right) && t.Right[i] {
			b.WriteString(" --: |")
		} else {
			b.WriteString(" :-- |")
		}
	}
	b.WriteString("\n")
	for r, row := range t.Rows {
		b.WriteString("|")
		for i, c := range row {
			s := mdCellText(c)
			if i == 0 && rowClass(t, r) == "cond" {
				s += " *(conditional)*"
			}
			b.WriteString(" " + s + " |")
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

// WriteMarkdown writes the report as GitHub Markdown for review threads,
// with the content of [WriteHTML]: the charts are image links to the
// chart files saved in each job's folder (relative to the report, so
// report.md belongs beside the folders). Its line starting "_Generated" is
// the only one that changes between equal reports.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", mdEsc(r.Title))
	if asOf := r.AsOfText(); asOf != "" {
		fmt.Fprintf(&b, "_Information as of %s._\n", mdEsc(asOf))
	}
	fmt.Fprintf(&b, "_Generated %s._\n\n", r.Generated)
	if sv := viewSummary(r); sv != nil {
		writeSummaryMarkdown(&b, r, sv)
	}
	b.WriteString("Every probability is shown as *P [95% interval] n*: the Monte Carlo estimate in percent, its 95% simulation-error interval (Wilson score for independent trials; from the variance between parameter draws for a nested run) and the number of trials it is a share of (for a conditional outcome, the trials where its *given* held). The manifest at the end names the scenario files (with their SHA-256), seeds, trial counts and tool version, with a command that reproduces each figure.\n\n")
	for _, j := range r.Jobs {
		fmt.Fprintf(&b, "- [%s](#%s)\n", mdEsc(j.Name), anchor(j.Name))
	}
	for _, c := range r.Comparisons {
		fmt.Fprintf(&b, "- [comparison %s](#%s)\n", mdEsc(c.Name), anchor("comparison "+c.Name))
	}
	b.WriteString("\n")
	if len(r.Failed) > 0 {
		b.WriteString("## Jobs without a result\n\n| job | status | error |\n| :-- | :-- | :-- |\n")
		for _, f := range r.Failed {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", mdEsc(f.Name), mdEsc(f.Status), mdCode(f.Error))
		}
		b.WriteString("\n")
	}
	if res := r.Resolutions; res != nil {
		fmt.Fprintf(&b, "## Resolutions and running score\n\nResolutions from %s.\n\n", mdCode(res.File))
		mdTable(&b, res.Table)
		b.WriteString(res.Note + "\n\n")
	}
	for _, j := range r.Jobs {
		v := viewJob(j)
		fmt.Fprintf(&b, "## %s\n\n", mdEsc(j.Name))
		if v.Title != "" {
			fmt.Fprintf(&b, "**%s**\n\n", mdEsc(v.Title))
		}
		for _, f := range v.Facts {
			fmt.Fprintf(&b, "- %s\n", mdEsc(f))
		}
		b.WriteString("\n")
		for _, p := range v.Description {
			fmt.Fprintf(&b, "%s\n\n", mdEsc(p))
		}
		if v.Disabled != "" {
			fmt.Fprintf(&b, "**Switched off:** %s\n\n", mdEsc(v.Disabled))
			for _, n := range v.DisabledNote {
				fmt.Fprintf(&b, "- %s\n", mdEsc(n))
			}
			b.WriteString("\n")
		}
		if v.Hypotheses != nil {
			b.WriteString("### Hypotheses cited\n\n")
			mdTable(&b, v.Hypotheses)
		}
		if e := v.Evidence; e != nil {
			b.WriteString("### Evidence: prior and posterior\n\n")
			mdTable(&b, e.Items)
			b.WriteString(e.Summary + "\n\n")
			if e.Posterior != nil {
				mdTable(&b, e.Posterior)
				b.WriteString(posteriorNote + "\n\n")
			}
			if e.AsOf != nil {
				b.WriteString("#### " + e.AsOfTitle + "\n\n")
				mdTable(&b, e.AsOf)
				b.WriteString(e.AsOfNote + "\n\n")
			}
		}
		if v.Outcomes != nil {
			b.WriteString("### Outcomes\n\n")
			mdTable(&b, v.Outcomes)
		}
		if v.Values != nil {
			b.WriteString("### Value outcomes\n\n")
			mdTable(&b, v.Values)
			b.WriteString(valueNote + "\n\n")
		}
		if v.Reached != nil {
			b.WriteString("### Reached by\n\n")
			mdTable(&b, v.Reached)
		}
		for _, n := range v.Notes {
			fmt.Fprintf(&b, "- %s\n", mdEsc(n))
		}
		if len(v.Notes) > 0 {
			b.WriteString("\n")
		}
		if v.FirstEntry != nil {
			b.WriteString("### First entry\n\n")
			mdTable(&b, v.FirstEntry)
		}
		mdCharts(&b, j.Charts)
	}
	for _, c := range r.Comparisons {
		v := viewComparison(r, c)
		fmt.Fprintf(&b, "## comparison %s\n\n", mdEsc(c.Name))
		fmt.Fprintf(&b, "%d paired trials per scenario, seed %d, with common random numbers.\n\n", c.C.Trials, c.C.Seed)
		for _, s := range v.Scenarios {
			fmt.Fprintf(&b, "- %s\n", mdEsc(s))
		}
		b.WriteString("\n### Assumptions that differ\n\n")
		if v.Assumptions != nil {
			mdTable(&b, v.Assumptions)
		} else {
			b.WriteString("None: the scenarios make the same assumptions.\n\n")
		}
		for _, d := range v.Disabled {
			fmt.Fprintf(&b, "- %s\n", mdEsc(d))
		}
		if len(v.Disabled) > 0 {
			b.WriteString("\n")
		}
		for _, p := range v.Pairs {
			fmt.Fprintf(&b, "### %s\n\n", mdEsc(p.Title))
			mdTable(&b, p.Outcomes)
			fmt.Fprintf(&b, "%s\n\n", mdEsc(p.Note))
			if p.Reached != nil {
				mdTable(&b, p.Reached)
			}
			if p.CRN != "" {
				fmt.Fprintf(&b, "%s\n\n", mdEsc(p.CRN))
			}
		}
		fmt.Fprintf(&b, "%s\n\n", mdEsc(diffFootnote))
		mdCharts(&b, c.Charts)
	}
	b.WriteString("## Manifest\n\n")
	jobs, cmps := manifestTables(r)
	if jobs != nil {
		mdTable(&b, jobs)
	}
	if cmps != nil {
		mdTable(&b, cmps)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCharts links the saved chart images.
func mdCharts(b *strings.Builder, charts []Chart) {
	n := 0
	for _, c := range charts {
		if c.Image == "" {
			continue
		}
		if n == 0 {
			b.WriteString("### Charts\n\n")
		}
		n++
		fmt.Fprintf(b, "![%s](%s)\n\n", mdEsc(chartTitle(c.Name)), linkPath(c.Image))
	}
	if n == 0 && len(charts) > 0 {
		b.WriteString("_No chart files were saved in this folder; see report.html._\n\n")
	}
}

// linkPath escapes a relative path for a Markdown link.
func linkPath(p string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29").Replace(p)
}

// anchor is GitHub's heading anchor for a heading text.
func anchor(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_', r == '-':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}
