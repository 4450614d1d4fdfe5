package runresult

import (
	"slices"

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
