package results

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Renderings of what a nested comparison adds: the columns of the range of
// a difference over the parameter draws and the share of draws with its
// sign, and the section of material changes.

// diffHead is the header of the difference columns of a comparison table.
func (c *Comparison) diffHead() []string {
	if c.Nested == nil {
		return []string{"difference, pp [95% CI]", "CRN"}
	}
	return []string{"difference, pp [simulation error 95%]", "range over assumptions 5%..95% (median), pp", "share of draws with this sign", "CRN"}
}

// diffCells are the difference columns of one row for scenario j.
func (c *Comparison) diffCells(d *Difference) []string {
	if c.Nested == nil {
		return []string{fmtDifference(d), fmtRatio(d)}
	}
	return []string{fmtDifference(d), fmtDrawRange(d), fmtSignShare(d), fmtRatio(d)}
}

// fmtDrawRange is a difference's range over the draws: "[-22.1, -4.6] (-11.3)".
func fmtDrawRange(d *Difference) string {
	if !d.Defined() || !d.OverDraws.Defined() {
		return "-"
	}
	o := d.OverDraws
	return fmt.Sprintf("[%s, %s] (%s)", FormatPP(o.P5), FormatPP(o.P95), FormatPP(o.P50))
}

// fmtSignShare is the share of draws with the difference's sign, "97%",
// with the noise share when it is large enough to matter (≥ 0.25).
func fmtSignShare(d *Difference) string {
	if !d.Defined() || d.OverDraws == nil || math.IsNaN(d.OverDraws.SignShare) {
		return "-"
	}
	s := strconv.FormatFloat(100*d.OverDraws.SignShare, 'f', 0, 64) + "%"
	if ns := d.OverDraws.NoiseShare; ns >= 0.25 {
		s += fmt.Sprintf(" (noise %.0f%%)", 100*ns)
	}
	return s
}

// drawsFootnote explains the columns of a nested comparison.
func (c *Comparison) drawsFootnote() string {
	if c.Nested == nil {
		return ""
	}
	return fmt.Sprintf("The scenarios share %d parameter draws of %d trials (draw k of each gives the params they share the same values). Simulation error: the 95%% interval of the pooled difference, from the variation of the per-draw differences between draws. Range over assumptions: how the difference itself moves across the draws, each draw's own noise removed. Share of draws with this sign: of the draws (noise removed), the share where the difference has the pooled difference's sign; given only when the interval excludes 0, and to be read with the noise share shown beside it when it is 25%% or more. Conditional outcomes are compared within each draw unpaired, over each scenario's own given-trials.", c.Nested.Draws, c.Nested.PerDraw)
}

// thresholdText says what is material, e.g. "±1 point; value outcomes
// ±5% of the first scenario's mean".
func (c *Comparison) thresholdText() string {
	s := "±" + c.pointsText()
	if len(c.Values) > 0 {
		s += "; value outcomes ±" + c.valueShareText()
	}
	return s
}

// pointsText is MinDiff in words: "1 point", "2.5 points".
func (c *Comparison) pointsText() string {
	s := strconv.FormatFloat(100*c.MinDiff, 'g', 4, 64) + " point"
	if c.MinDiff != 0.01 {
		s += "s"
	}
	return s
}

func (c *Comparison) valueShareText() string {
	return strconv.FormatFloat(100*c.MinDiffValue, 'g', 4, 64) + "% of the first scenario's mean"
}

// notMaterialText is the line that counts the changes not listed.
func (c *Comparison) notMaterialText() string {
	s := fmt.Sprintf("and %d cells changed by less than %s", c.NotMaterial, c.pointsText())
	if len(c.Values) > 0 {
		s += " (value outcomes: " + c.valueShareText() + ")"
	}
	return s + " or within noise (all in the full tables below and in compare.csv)"
}

// materialCells are the cells of one material change: scenario, change,
// difference [95% CI], range over assumptions, share of draws with this
// sign.
func materialCells(m MaterialChange) []string {
	f := FormatPP
	if m.Kind == "value" {
		f = func(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
	}
	diff := fmt.Sprintf("%s [%s, %s]", f(float64(m.D)), f(float64(m.Lo)), f(float64(m.Hi)))
	if m.Unit != "" {
		diff += " " + m.Unit
	}
	rng, share := "-", "-"
	if !math.IsNaN(float64(m.RangeP5)) {
		rng = fmt.Sprintf("[%s, %s]", f(float64(m.RangeP5)), f(float64(m.RangeP95)))
	}
	if !math.IsNaN(float64(m.SignShare)) {
		share = strconv.FormatFloat(100*float64(m.SignShare), 'f', 0, 64) + "%"
	}
	if ns := float64(m.RangeNoiseShare); ns >= 0.25 {
		rng += fmt.Sprintf(" (noise %.0f%%)", 100*ns)
	}
	return []string{m.ScenarioLabel, m.Label(), diff, rng, share}
}

var materialHead = []string{"scenario", "change", "difference [95% CI] (pp for probabilities)", "range over assumptions 5%..95%", "share of draws with this sign"}

// writeMaterialText writes the section of material changes as text.
func (c *Comparison) writeMaterialText(b *strings.Builder) {
	fmt.Fprintf(b, "\nMATERIAL CHANGES (95%% interval wholly beyond %s), largest first\n", c.thresholdText())
	if len(c.Material) == 0 {
		b.WriteString("none\n")
	} else {
		t := &table{align: "lllll"}
		t.add(materialHead...)
		for _, m := range c.Material {
			t.add(materialCells(m)...)
		}
		t.write(b)
	}
	b.WriteString(c.notMaterialText() + "\n")
}

// writeMaterialMarkdown writes the section of material changes as Markdown.
func (c *Comparison) writeMaterialMarkdown(b *strings.Builder) {
	fmt.Fprintf(b, "\n### Material changes\n\nChanges whose 95%% interval lies wholly beyond %s, largest first.\n\n", c.thresholdText())
	if len(c.Material) == 0 {
		b.WriteString("None.\n")
	} else {
		mdRow(b, materialHead...)
		mdRow(b, "---", "---", "---", "---", "---:")
		for _, m := range c.Material {
			cells := materialCells(m)
			cells[0], cells[1] = mdCell(cells[0]), mdCode(cells[1])
			mdRow(b, cells...)
		}
	}
	b.WriteString("\n" + strings.ToUpper(c.notMaterialText()[:1]) + c.notMaterialText()[1:] + ".\n")
}

// IsMaterial reports whether d lies wholly beyond the comparison's
// threshold for probabilities.
func (c *Comparison) IsMaterial(d *Difference) bool {
	return d.Defined() && !math.IsNaN(d.Lo) && Beyond(d.Lo, d.Hi, c.MinDiff)
}

// nestedFootnote replaces compareFootnote in a nested comparison.
const nestedFootnote = "* the 95% interval of the difference excludes 0. Differences are in percentage points, paired by trial and by parameter draw; their interval (simulation error) comes from the variation of the per-draw differences between draws and contains Newcombe's flat paired interval; a conditional outcome (marked unpaired) is compared unpaired within each draw. CRN = paired interval width / width for independent nested runs."

// footnote is the note under a comparison's tables.
func (c *Comparison) footnote() string {
	if c.Nested != nil {
		return nestedFootnote
	}
	return compareFootnote
}
