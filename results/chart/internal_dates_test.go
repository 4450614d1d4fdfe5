package chart

import (
	"slices"
	"testing"

	"scensim/results"
)

// Internal dates get no date line; the others do.
func TestInternalDatesNotDrawn(t *testing.T) {
	l := &results.Layout{
		Points: []string{"2025-03-19", "2025-03-26", "2025-04-02", "2025-04-09"},
		NamedDates: []results.NamedDate{
			{Name: "shown", Date: "2025-03-26", Point: 1},
			{Name: "check_only", Date: "2025-04-02", Point: 2, Internal: true},
		},
	}
	tl, err := newTimeline(l)
	if err != nil {
		t.Fatal(err)
	}
	dl := tl.dateLines(l)
	if dl == nil || !slices.Equal(dl.Labels, []string{"shown"}) {
		t.Fatalf("date lines %v, want [shown] alone", dl)
	}
	l.NamedDates[0].Internal = true
	if dl := tl.dateLines(l); dl != nil {
		t.Errorf("only internal dates, yet date lines %v", dl.Labels)
	}
}
