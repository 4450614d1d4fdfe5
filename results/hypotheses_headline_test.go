package results

import (
	"bytes"
	"strings"
	"testing"
)

// With headline outcomes, hypotheses rank by their change of those alone;
// the changed count still counts every outcome.
func TestHypothesisRankingByHeadline(t *testing.T) {
	c := &Comparison{Scenarios: []ComparedScenario{{Label: "s", Scenario: "s"}, {Label: "H1 off"}, {Label: "H2 off"}}}
	diff := func(d float64) *Difference {
		return &Difference{D: d, Lo: d - 0.01, Hi: d + 0.01, Significant: true, Paired: true}
	}
	p := &Proportion{P: 0.5, N: 10}
	c.Rows = []CompareRow{
		{Kind: "outcome", Name: "side", Estimates: []*Proportion{p, p, p}, Diffs: []*Difference{nil, diff(0.30), diff(0.02)}},
		{Kind: "outcome", Name: "main", Headline: true, Estimates: []*Proportion{p, p, p}, Diffs: []*Difference{nil, diff(0.03), diff(-0.08)}},
	}
	tab := NewHypothesisTable(c, []string{"H1", "H2"}, []int{1, 2}, [][]string{{"a"}, {"b"}})
	var got []string
	for _, r := range tab.Rows {
		got = append(got, r.Hypothesis+":"+r.Largest)
	}
	// By all outcomes H1 (30 pp of side) would lead; by the headline
	// outcome main, H2 (8 pp) does.
	if strings.Join(got, " ") != "H2:main H1:main" || tab.RankedBy != "headline outcomes" || tab.Rows[1].Significant != 2 {
		t.Errorf("ranking %v by %q (%+v)", got, tab.RankedBy, tab.Rows)
	}
	var b bytes.Buffer
	if err := WriteHypothesesText(&b, tab, 0); err != nil || !strings.Contains(b.String(), "unconditional headline outcome") {
		t.Errorf("text does not say it ranks by headline outcomes: %v\n%s", err, b.String())
	}

	c.Rows[1].Headline = false
	tab = NewHypothesisTable(c, []string{"H1", "H2"}, []int{1, 2}, [][]string{{"a"}, {"b"}})
	if tab.Rows[0].Hypothesis != "H1" || tab.Rows[0].Largest != "side" || tab.RankedBy != "all outcomes" {
		t.Errorf("without headline outcomes: %+v by %q", tab.Rows, tab.RankedBy)
	}
}
