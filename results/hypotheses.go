package results

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Hypothesis tables: which hypothesis drives which outcome. Each
// hypothesis a scenario cites is switched off alone (model.Options.Disable)
// and run paired against the scenario; the table ranks the hypotheses by
// their largest material outcome change (its 95% interval wholly beyond
// ±Comparison.MinDiff, as [Comparison.IsMaterial] and the comparison's
// material list decide), among the headline outcomes when the scenario
// marks any.

// HypothesisRow is one hypothesis switched off alone.
type HypothesisRow struct {
	Hypothesis string `json:"hypothesis"`
	// Scenario is the index of its variant in the comparison, or -1 when
	// switching it off changes nothing (no param has an off value for it
	// and no transition goes): it is then not run.
	Scenario int      `json:"scenario"`
	Notes    []string `json:"notes"` // what switching it off did
	// Largest is the unconditional outcome with the largest material
	// |difference| ("" if none): the ranking uses only paired differences,
	// whose trial counts are the same in both runs, and only material ones,
	// so that a large but uncertain change does not outrank a smaller,
	// well-established one. Significant is the number of outcomes
	// (conditional ones too) that changed significantly.
	Largest     string  `json:"largest"`
	LargestDiff float64 `json:"largest_diff"`
	Significant int     `json:"significant"`
	// Material is the number of outcomes whose change is material: its
	// interval lies wholly beyond ±Comparison.MinDiff.
	Material int `json:"material"`
}

// HypothesisTable ranks a scenario's hypotheses by influence.
type HypothesisTable struct {
	Format   string `json:"format"`
	Scenario string `json:"scenario"`
	// RankedBy says which outcomes the ranking reads: "headline outcomes"
	// when the scenario marks any (Largest is then the headline outcome
	// with the largest change), else "all outcomes".
	RankedBy   string          `json:"ranked_by,omitempty"`
	Rows       []HypothesisRow `json:"rows"` // most influential first
	Comparison *Comparison     `json:"comparison"`
}

// HypothesisFormat identifies a hypotheses.json file.
const HypothesisFormat = "scensim-hypotheses/1"

// NewHypothesisTable ranks hypotheses: ids[i] was switched off in
// c.Scenarios[scenario[i]] (or not run, scenario[i] = -1, with notes[i]
// saying why).
func NewHypothesisTable(c *Comparison, ids []string, scenario []int, notes [][]string) *HypothesisTable {
	t := &HypothesisTable{Format: HypothesisFormat, Scenario: c.Scenarios[0].Scenario, Comparison: c, RankedBy: "all outcomes"}
	headlines := false
	for _, r := range c.Rows {
		headlines = headlines || r.Kind == "outcome" && r.Headline
	}
	if headlines {
		t.RankedBy = "headline outcomes"
	}
	for i, h := range ids {
		row := HypothesisRow{Hypothesis: h, Scenario: scenario[i], Notes: notes[i], LargestDiff: math.NaN()}
		if j := scenario[i]; j > 0 {
			for _, r := range c.Rows {
				d := r.Diffs[j]
				if r.Kind != "outcome" || !d.Defined() || !d.Significant {
					continue
				}
				row.Significant++
				if c.IsMaterial(d) {
					row.Material++
				}
				if headlines && !r.Headline || !c.IsMaterial(d) {
					continue // counted as changed, but not ranked by
				}
				if d.Paired && (math.IsNaN(row.LargestDiff) || math.Abs(d.D) > math.Abs(row.LargestDiff)) {
					row.Largest, row.LargestDiff = r.Name, d.D
				}
			}
		}
		t.Rows = append(t.Rows, row)
	}
	abs := func(x float64) float64 {
		if math.IsNaN(x) {
			return -1
		}
		return math.Abs(x)
	}
	sort.SliceStable(t.Rows, func(a, b int) bool {
		ra, rb := t.Rows[a], t.Rows[b]
		if abs(ra.LargestDiff) != abs(rb.LargestDiff) {
			return abs(ra.LargestDiff) > abs(rb.LargestDiff)
		}
		return HypothesisLess(ra.Hypothesis, rb.Hypothesis)
	})
	return t
}

// change is one (hypothesis, outcome) difference.
type change struct {
	h   string
	row CompareRow
	j   int
}

// changes lists the material outcome changes (every change if all),
// largest |d| first.
func (t *HypothesisTable) changes(all bool) []change {
	var out []change
	for _, h := range t.Rows {
		if h.Scenario <= 0 {
			continue
		}
		for _, r := range t.Comparison.Rows {
			if d := r.Diffs[h.Scenario]; r.Kind == "outcome" && d.Defined() && (all || t.Comparison.IsMaterial(d)) {
				out = append(out, change{h.Hypothesis, r, h.Scenario})
			}
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		return math.Abs(out[a].row.Diffs[out[a].j].D) > math.Abs(out[b].row.Diffs[out[b].j].D)
	})
	return out
}

func (t *HypothesisTable) summary(h HypothesisRow) (largest, what string) {
	switch {
	case h.Scenario < 0:
		return "not run", "nothing to switch off: " + strings.Join(h.Notes, "; ")
	case h.Largest == "":
		largest = "no material change"
	default:
		for _, r := range t.Comparison.Rows {
			if r.Kind == "outcome" && r.Name == h.Largest {
				largest = h.Largest + " " + fmtDifference(r.Diffs[h.Scenario])
			}
		}
	}
	return largest, fmt.Sprintf("%d note(s): %s", len(h.Notes), clip(strings.Join(h.Notes, "; "), 70))
}

// rankHeader heads the ranking's last column: what the hypotheses are
// ranked by.
func rankHeader(t *HypothesisTable) string {
	return "ranked by: largest material change (95% interval wholly beyond ±" + t.Comparison.pointsText() + ") of an unconditional " + rankedOutcome(t) + ", pp [95% CI]"
}

// WriteHypothesesText writes the ranking and the top significant changes
// (at most top; all if top <= 0) as text.
func WriteHypothesesText(w io.Writer, t *HypothesisTable, top int) error {
	var b strings.Builder
	c := t.Comparison
	fmt.Fprintf(&b, "HYPOTHESES of %s: each switched off alone, paired against the scenario (%d trials each, seed %d)\n", t.Scenario, c.Trials, c.Seed)
	fmt.Fprintf(&b, "scenario %s\n\n", c.Scenarios[0].fileLine())
	tb := &table{align: "rlrl"}
	tb.add("rank", "hypothesis", "changed", rankHeader(t))
	for i, h := range t.Rows {
		largest, _ := t.summary(h)
		changed := strconv.Itoa(h.Significant)
		if h.Scenario < 0 {
			changed = "-"
		}
		tb.add(strconv.Itoa(i+1), h.Hypothesis, changed, largest)
	}
	tb.write(&b)
	b.WriteString("(changed: outcomes whose 95% interval of the difference excludes 0)\n")
	ch := t.changes(false)
	n := len(ch)
	if top > 0 && n > top {
		ch = ch[:top]
	}
	rest := len(t.changes(true)) - n
	fmt.Fprintf(&b, "\nWHICH HYPOTHESIS DRIVES WHICH OUTCOME (%d of %d material changes: 95%% interval wholly beyond ±%s; largest first; all in hypotheses.csv)\n", len(ch), n, c.pointsText())
	tb = &table{align: strings.Repeat("l", 3+len(c.diffHead())) + "r"}
	tb.add(append([]string{"hypothesis off", "outcome", "with it", "without it"}, c.diffHead()...)...)
	for _, x := range ch {
		tb.add(append([]string{x.h, x.row.Name, fmtEstimate(x.row.Estimates[0]), fmtEstimate(x.row.Estimates[x.j])}, c.diffCells(x.row.Diffs[x.j])...)...)
	}
	if len(ch) > 0 {
		tb.write(&b)
	}
	fmt.Fprintf(&b, "and %d other outcome changes were smaller than %s or within noise\n", rest, c.pointsText())
	b.WriteString("\nWHAT SWITCHING EACH OFF DID\n")
	for _, h := range t.Rows {
		fmt.Fprintf(&b, "%s:\n", h.Hypothesis)
		for _, n := range h.Notes {
			b.WriteString("  " + n + "\n")
		}
	}
	b.WriteString("\n" + c.footnote() + "\n")
	if note := c.drawsFootnote(); note != "" {
		b.WriteString(note + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteHypothesesMarkdown writes the ranking, a matrix of significant
// changes (outcome × hypothesis, in percentage points) and the notes as
// Markdown.
func WriteHypothesesMarkdown(w io.Writer, t *HypothesisTable) error {
	var b strings.Builder
	c := t.Comparison
	fmt.Fprintf(&b, "## Hypotheses of %s\n\n", mdCell(t.Scenario))
	fmt.Fprintf(&b, "Each hypothesis switched off alone and run paired against the scenario: %d trials each, seed %d, common random numbers; scensim %s. Scenario: %s.\n\n",
		c.Trials, c.Seed, c.ToolVersion, mdCell(c.Scenarios[0].fileLine()))
	mdRow(&b, "rank", "hypothesis", "outcomes changed", rankHeader(t))
	mdRow(&b, "---:", "---", "---:", "---")
	for i, h := range t.Rows {
		largest, _ := t.summary(h)
		changed := strconv.Itoa(h.Significant)
		if h.Scenario < 0 {
			changed = "—"
		}
		mdRow(&b, strconv.Itoa(i+1), h.Hypothesis, changed, mdCell(largest))
	}
	// The matrix: outcomes down, hypotheses (ranked) across.
	var cols []HypothesisRow
	for _, h := range t.Rows {
		if h.Scenario > 0 {
			cols = append(cols, h)
		}
	}
	if len(cols) > 0 {
		fmt.Fprintf(&b, "\n### Which hypothesis drives which outcome\n\nMaterial changes in percentage points when the hypothesis is switched off: those whose 95%% interval lies wholly beyond ±%s (blank: no material change; u: unpaired, a conditional outcome).\n\n", c.pointsText())
		head := []string{"outcome"}
		align := []string{"---"}
		for _, h := range cols {
			head = append(head, h.Hypothesis)
			align = append(align, "---:")
		}
		mdRow(&b, head...)
		mdRow(&b, align...)
		for _, r := range c.Rows {
			if r.Kind != "outcome" {
				continue
			}
			cells := []string{mdCode(r.Name)}
			for _, h := range cols {
				d := r.Diffs[h.Scenario]
				cell := ""
				if c.IsMaterial(d) {
					cell = strconv.FormatFloat(100*d.D, 'f', 1, 64)
					if !d.Paired {
						cell += " u"
					}
				}
				cells = append(cells, cell)
			}
			mdRow(&b, cells...)
		}
	}
	b.WriteString("\n### What switching each off did\n\n")
	for _, h := range t.Rows {
		fmt.Fprintf(&b, "- **%s**: %s\n", h.Hypothesis, mdCell(strings.Join(h.Notes, "; ")))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteHypothesesCSV writes one line per (hypothesis, outcome): hypothesis,
// rank, outcome, conditional, p_with, p_without, diff, diff_lo95,
// diff_hi95, paired, gain, loss, width_ratio, significant, diff_range_p5,
// diff_range_p50, diff_range_p95, share_of_draws_with_sign (from the draws
// of a nested comparison; empty when flat), material; hypotheses not run
// have one line with the outcome fields empty.
func WriteHypothesesCSV(w io.Writer, t *HypothesisTable) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write([]string{"hypothesis", "rank", "outcome", "conditional", "p_with", "p_without", "diff", "diff_lo95", "diff_hi95", "paired", "gain", "loss", "width_ratio", "significant",
		"diff_range_p5", "diff_range_p50", "diff_range_p95", "share_of_draws_with_sign", "material"})
	for i, h := range t.Rows {
		rank := strconv.Itoa(i + 1)
		if h.Scenario <= 0 {
			_ = cw.Write([]string{h.Hypothesis, rank, "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""})
			continue
		}
		for _, r := range t.Comparison.Rows {
			if r.Kind != "outcome" || r.Estimates[0] == nil || r.Estimates[h.Scenario] == nil {
				continue
			}
			d := r.Diffs[h.Scenario]
			if d == nil {
				continue
			}
			_ = cw.Write([]string{h.Hypothesis, rank, r.Name, strconv.FormatBool(r.Conditional),
				csvFloat(r.Estimates[0].P), csvFloat(r.Estimates[h.Scenario].P), csvFloat(d.D), csvFloat(d.Lo), csvFloat(d.Hi),
				strconv.FormatBool(d.Paired), csvInt(d.Gain), csvInt(d.Loss), csvFloat(d.WidthRatio), strconv.FormatBool(d.Significant),
				drawCSV(d, func(o *DrawDifference) float64 { return o.P5 }), drawCSV(d, func(o *DrawDifference) float64 { return o.P50 }),
				drawCSV(d, func(o *DrawDifference) float64 { return o.P95 }), drawCSV(d, func(o *DrawDifference) float64 { return o.SignShare }),
				strconv.FormatBool(t.Comparison.IsMaterial(d))})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// WriteHypothesesJSON writes the table, with its comparison, as JSON.
func WriteHypothesesJSON(w io.Writer, t *HypothesisTable) error {
	type row struct {
		HypothesisRow
		LargestDiff *float64 `json:"largest_diff"`
	}
	doc := struct {
		Format     string      `json:"format"`
		Scenario   string      `json:"scenario"`
		Rows       []row       `json:"rows"`
		Comparison *Comparison `json:"comparison"`
	}{t.Format, t.Scenario, nil, t.Comparison}
	for _, h := range t.Rows {
		doc.Rows = append(doc.Rows, row{h, nanToNil(h.LargestDiff)})
	}
	return writeJSON(w, doc)
}

// drawCSV is one field of d's description over draws for CSV ("" when flat).
func drawCSV(d *Difference, f func(*DrawDifference) float64) string {
	if d.OverDraws == nil {
		return ""
	}
	return csvFloat(f(d.OverDraws))
}

// rankedOutcome names what the ranking reads, for table headers.
func rankedOutcome(t *HypothesisTable) string {
	if t.RankedBy == "headline outcomes" {
		return "headline outcome"
	}
	return "outcome"
}
