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

// Hypotheses rank by their largest material change, not their largest
// significant one: at min_diff 5 points, H1's 20-point change of x, whose
// interval [+1, +39] reaches into ±5 points, does not count, and H2's
// 10-point change [+8, +12] leads; H1 ranks by its material 6 points of y.
// A hypothesis with significant but no material change says so.
func TestHypothesisRankingByMaterialChange(t *testing.T) {
	c := &Comparison{MinDiff: 0.05, Scenarios: []ComparedScenario{{Label: "s", Scenario: "s"}, {Label: "H1 off"}, {Label: "H2 off"}, {Label: "H3 off"}}}
	diff := func(d, lo, hi float64) *Difference {
		return &Difference{D: d, Lo: lo, Hi: hi, Significant: lo > 0 || hi < 0, Paired: true}
	}
	p := &Proportion{P: 0.5, N: 10}
	est := []*Proportion{p, p, p, p}
	c.Rows = []CompareRow{
		{Kind: "outcome", Name: "x", Estimates: est, Diffs: []*Difference{nil, diff(0.20, 0.01, 0.39), diff(0.10, 0.08, 0.12), diff(0.03, 0.01, 0.05)}},
		{Kind: "outcome", Name: "y", Estimates: est, Diffs: []*Difference{nil, diff(0.06, 0.055, 0.065), diff(0.01, 0.0, 0.02), diff(0.0, -0.01, 0.01)}},
	}
	tab := NewHypothesisTable(c, []string{"H1", "H2", "H3"}, []int{1, 2, 3}, [][]string{{"a"}, {"b"}, {"c"}})
	var got []string
	for _, r := range tab.Rows {
		got = append(got, r.Hypothesis+":"+r.Largest)
	}
	if strings.Join(got, " ") != "H2:x H1:y H3:" || tab.Rows[1].Significant != 2 || tab.Rows[2].Significant != 1 {
		t.Errorf("ranking %v (%+v)", got, tab.Rows)
	}
	var b bytes.Buffer
	if err := WriteHypothesesText(&b, tab, 0); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{"ranked by: largest material change (95% interval wholly beyond ±5 points) of an unconditional outcome", "no material change"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	b.Reset()
	if err := WriteHypothesesMarkdown(&b, tab); err != nil || !strings.Contains(b.String(), "ranked by: largest material change") {
		t.Errorf("markdown: %v\n%s", err, b.String())
	}
}
