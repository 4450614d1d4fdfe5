package report

import (
	"fmt"
	"slices"
	"sort"

	"scensim/model"
)

// Info is what a report says about a scenario beyond its result: its
// description and the hypotheses it cites. Batch runs store it in each
// job's job.json; for other result folders [Load] asks a [Describer].
type Info struct {
	Name        string       `json:"name"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Hypotheses  []Hypothesis `json:"hypotheses"` // in natural order: H2 before H10
	// Disabled lists the hypotheses switched off (disable:), and
	// DisabledNotes what that did, one line per element.
	Disabled      []string `json:"disabled"`
	DisabledNotes []string `json:"disabled_notes"`
	Bases         []string `json:"bases"` // "file sha256" of each scenario it extends, nearest first
}

// Hypothesis is one hypothesis ID a scenario cites, with the elements that
// carry it ("param prelim_rate", "transition talks: prelim_deal", ...).
type Hypothesis struct {
	ID        string   `json:"id"`
	CarriedBy []string `json:"carried_by"`
}

// InfoOf describes a compiled scenario.
func InfoOf(p *model.Plan) Info {
	in := Info{Name: p.Name, Title: p.Title, Description: p.Description,
		Disabled: slices.Clone(p.Disabled), DisabledNotes: slices.Clone(p.DisabledNotes)}
	for _, b := range p.Bases {
		in.Bases = append(in.Bases, b.File+" "+b.SHA256)
	}
	cites := map[string][]string{}
	cite := func(what string, src []string) {
		for _, h := range src {
			if !slices.Contains(cites[h], what) {
				cites[h] = append(cites[h], what)
			}
		}
	}
	for _, x := range p.Params {
		cite("param "+x.Name, x.Source)
	}
	for _, v := range p.Vars {
		cite("var "+v.Name, v.Source)
	}
	for _, x := range p.Transitions {
		cite("transition "+p.Tracks[x.Track].Name+": "+x.Name, x.Source)
	}
	for _, o := range p.Outcomes {
		cite("outcome "+o.Name, o.Source)
	}
	ids := make([]string, 0, len(cites))
	for h := range cites {
		ids = append(ids, h)
	}
	sort.Slice(ids, func(i, j int) bool { return hypLess(ids[i], ids[j]) })
	for _, h := range ids {
		in.Hypotheses = append(in.Hypotheses, Hypothesis{ID: h, CarriedBy: cites[h]})
	}
	return in
}

// hypLess orders hypothesis IDs naturally: H2 before H10.
func hypLess(a, b string) bool {
	var na, nb int
	_, ea := fmt.Sscanf(a, "H%d", &na)
	_, eb := fmt.Sscanf(b, "H%d", &nb)
	if ea == nil && eb == nil && na != nb {
		return na < nb
	}
	return a < b
}
