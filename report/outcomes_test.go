package report

import (
	"testing"

	"scensim/results"
)

func TestOutcomeTableGroups(t *testing.T) {
	l := results.Layout{
		Scenario: "g", Points: []string{"2025-01-01", "2025-01-08"},
		Tracks: []results.TrackLayout{{Name: "t", States: []string{"a", "b"}}},
		Outcomes: []results.OutcomeLayout{
			{Name: "x", OutcomeMeta: results.OutcomeMeta{Group: "one", Headline: true, Question: "Does x happen?"}},
			{Name: "y", OutcomeMeta: results.OutcomeMeta{Group: "two"}},
			{Name: "z", OutcomeMeta: results.OutcomeMeta{Group: "one"}},
		},
	}
	c := results.NewCounts(&l)
	c.Trials = 10
	c.Entry[0] = 10 // every trial starts in t.a
	c.Entry[3+2] = 10
	c.Occupancy[0], c.Occupancy[2] = 10, 10
	c.Hits, c.Given = []int64{3, 4, 5}, []int64{10, 10, 10}
	r, err := results.NewResult(l, *c, results.Manifest{Scenario: "g", Trials: 10}, results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	tab := outcomeTable(r, "o")
	var got []string
	for i, row := range tab.Rows {
		got = append(got, tab.RowCls[i]+":"+row[0].Text)
	}
	want := []string{"group:one", "headline:x", ":z", "group:two", ":y"}
	if len(got) != len(want) {
		t.Fatalf("rows %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("rows %q, want %q", got, want)
		}
	}
	if tab.Head[1] != "question" || tab.Rows[1][1].Text != "Does x happen?" {
		t.Errorf("no question column: %v / %v", tab.Head, tab.Rows[1])
	}
}
