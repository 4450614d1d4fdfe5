package runresult

import (
	"math"
	"slices"
	"strings"

	"scensim/model"
	"scensim/results"
	"scensim/sim"
)

// evidenceItems lists the evidence of p for the result's layout (nil
// without evidence).
func evidenceItems(p *model.Plan) []results.EvidenceItem {
	var out []results.EvidenceItem
	for _, e := range p.Evidence {
		it := results.EvidenceItem{Name: e.Name, Condition: e.Text, Source: slices.Clone(e.Source), Why: e.Why}
		if !e.Date.IsZero() {
			it.Date = e.Date.Format(results.DateLayout)
		}
		out = append(out, it)
	}
	return out
}

// evidenceText lists the evidence of p in one line, for the assumptions
// that differ between compared scenarios ("" without evidence).
func evidenceText(p *model.Plan) string {
	var parts []string
	for _, e := range p.Evidence {
		parts = append(parts, e.Name+": "+e.Text)
	}
	return strings.Join(parts, "; ")
}

// ratioPaired makes d, the difference of a row between a run with
// evidence and one on the same trials (either may have the evidence), the
// paired ratio-estimator difference over the shared trials (see
// results.RatioPairedDifference), from the row's joint answers jt. It keeps
// the unpaired interval already in d when the paired one is degenerate
// (every counted answer the same within each run).
func ratioPaired(d *results.Difference, jt *sim.Joint) {
	var cells [3][3]int64
	for a := -1; a <= 1; a++ {
		for b := -1; b <= 1; b++ {
			cells[a+1][b+1] = jt.At(a, b)
		}
	}
	D, lo, hi, se := results.RatioPairedDifference(cells, results.Z95)
	if math.IsNaN(D) || !(se > 0) {
		return
	}
	d.D, d.Lo, d.Hi, d.RatioPaired = D, lo, hi, true
	if w := d.IndepHi - d.IndepLo; w > 0 {
		d.WidthRatio = (hi - lo) / w
	}
}
