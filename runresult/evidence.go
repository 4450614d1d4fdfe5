package runresult

import (
	"slices"
	"strings"

	"scensim/model"
	"scensim/results"
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
