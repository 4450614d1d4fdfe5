package chart_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"scensim/results"
	"scensim/results/chart"
)

// wideResult is a result of a 2-state track and a 3-state track over
// points daily points, with every trial staying in its first states.
func wideResult(t *testing.T, points int) *results.Result {
	t.Helper()
	l := results.Layout{Scenario: "wide", Title: "Wide", Tracks: []results.TrackLayout{
		{Name: "x", States: []string{"a", "b"}}, {Name: "y", States: []string{"c", "d", "e"}}}}
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for k := range points {
		l.Points = append(l.Points, day.AddDate(0, 0, k).Format("2006-01-02"))
	}
	c := results.NewCounts(&l)
	c.Trials = 10
	for k := range points {
		c.Occupancy[k*5], c.Occupancy[k*5+2] = 10, 10
	}
	for _, g := range []int{0, 2} {
		c.Entry[l.EntryIndex(g, 0)] = 10
	}
	for _, g := range []int{1, 3, 4} {
		c.Entry[l.EntryIndex(g, points)] = 10
	}
	m := results.Manifest{Scenario: "wide", Title: "Wide", File: "wide.yaml", FileSHA256: strings.Repeat("0", 64), Seed: 1, Trials: 10,
		Step: "day", Start: l.Points[0], End: l.Points[points-1], Steps: points - 1, ToolVersion: "test"}
	r, err := results.NewResult(l, *c, m, results.RunInfo{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Occupancy charts over MaxOccupancyCells states × points are left out by
// default, and said so; the others are drawn.
func TestLargeOccupancyLeftOut(t *testing.T) {
	points := chart.MaxOccupancyCells/3 + 1 // y is over the limit, x is not
	r := wideResult(t, points)
	if got := chart.LeftOut(r, chart.Options{}); !slices.Equal(got, []string{"occupancy_y"}) {
		t.Errorf("LeftOut = %v, want [occupancy_y]", got)
	}
	if got := chart.LeftOut(r, chart.Options{Large: true}); len(got) != 0 {
		t.Errorf("LeftOut with Large = %v", got)
	}
	files, err := chart.All(r, chart.Options{Format: "svg"})
	if err != nil {
		t.Fatal(err)
	}
	if files["occupancy_y.svg"] != nil || files["occupancy_x.svg"] == nil {
		var names []string
		for n := range files {
			names = append(names, n)
		}
		t.Errorf("charts drawn: %v", names)
	}
}
