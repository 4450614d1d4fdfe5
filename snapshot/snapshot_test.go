package snapshot

import (
	"reflect"
	"testing"
)

func base() *Scenario {
	return &Scenario{Name: "s", AsOf: "2025-03-18", Time: Time{Start: "2025-03-19", End: "2026-03-18", Step: "week", Steps: 52},
		Params:   []Param{{Name: "a", Value: "0.2", Dist: "beta(2, 8)", Range: "[0.1, 0.4]"}, {Name: "b", Value: "1"}},
		Dates:    []Date{{Name: "summer", Date: "2025-06-01"}},
		Trans:    []Transition{{Track: "talks", Name: "deal", From: "open", To: "deal", Rule: "p: a", When: "week > 2"}},
		Outcomes: []Outcome{{Name: "deal", When: "reached(talks.deal)"}}}
}

func TestDiffEqual(t *testing.T) {
	if got := Diff(base(), base()); len(got) != 0 {
		t.Errorf("equal snapshots: %+v", got)
	}
}

func TestDiffChanges(t *testing.T) {
	n := base()
	n.AsOf = "2025-04-01"
	n.Params[0].Dist = "beta(3, 7)"
	n.Params = n.Params[:1]                                               // b removed
	n.Params = append(n.Params, Param{Name: "c", Value: "2"})             // c added
	n.Dates[0].Date = "2025-07-01"                                        // moved
	n.Trans[0].When = ""                                                  // guard dropped
	n.Outcomes = append(n.Outcomes, Outcome{Name: "x", When: "week > 3"}) // outcome added
	want := []Change{
		{Kind: "as_of", Name: "as_of", Old: "2025-03-18", New: "2025-04-01"},
		{Kind: "param", Name: "a", Field: "dist", Old: "beta(2, 8)", New: "beta(3, 7)"},
		{Kind: "param", Name: "b", Old: "value 1"},
		{Kind: "date", Name: "summer", Old: "2025-06-01", New: "2025-07-01"},
		{Kind: "transition", Name: "talks: deal", Field: "when", Old: "week > 2", New: ""},
		{Kind: "param", Name: "c", New: "value 2"},
		{Kind: "outcome", Name: "x", New: "when week > 3"},
	}
	got := Diff(base(), n)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%+v\nwant\n%+v", got, want)
	}
	if w := got[1].What(); w != "param a dist" {
		t.Errorf("What() = %q", w)
	}
	if w := got[0].What(); w != "as_of" {
		t.Errorf("What() = %q", w)
	}
}
