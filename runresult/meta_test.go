package runresult

import (
	"slices"
	"testing"

	"scensim/model"
	"scensim/results"
	"scensim/sim"
)

const metaSrc = `scensim: 1
name: meta
time: {start: 2025-01-01, step: week, steps: 20}
dates:
  mid: 2025-03-01
  cut: {value: 2025-02-01, internal: true}
tracks:
  t:
    initial: a
    states: [a, b]
    transitions:
      - {from: a, to: b, p: 0.1, source: [H1]}
outcomes:
  got_b: {when: reached(t.b), group: main, headline: true, question: "Does t reach b?"}
  early_b: {when: "reached_by(t.b, cut)", group: main}
checks:
  b_entered_later: {expr: "not reached(t.b) or entry(t.b) > 0", source: [H7]}
`

// The result of a run carries the outcomes' presentation fields and the
// dates' internal flag; comparisons carry the headline flag; hypotheses
// cited by checks alone are listed.
func TestResultCarriesOutcomeMeta(t *testing.T) {
	p, errs := model.Compile("meta.yaml", []byte(metaSrc), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	tally := sim.NewTally(p)
	res, err := FromRun(p, tally, 1, "test", results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	if o := res.Outcomes[0]; o.Group != "main" || !o.Headline || o.Question != "Does t reach b?" {
		t.Errorf("outcome row %+v", o.OutcomeMeta)
	}
	// A result lists its dates in date order: cut (1 February), then mid.
	if l := res.Layout; l.Outcomes[1].Group != "main" || l.Outcomes[1].Headline || l.NamedDates[1].Name != "mid" || l.NamedDates[1].Internal || !l.NamedDates[0].Internal {
		t.Errorf("layout %+v %+v", l.Outcomes, l.NamedDates)
	}
	rows := NewCompareLayout([]*model.Plan{p, p}).Rows
	if !rows[0].Headline || rows[1].Headline {
		t.Errorf("compare rows headline: %v %v", rows[0].Headline, rows[1].Headline)
	}
	if got := CitedHypotheses(p); !slices.Equal(got, []string{"H1", "H7"}) {
		t.Errorf("cited %v, want [H1 H7]", got)
	}
}
