package sim_test

import (
	"context"
	"testing"
	"time"

	"scensim/sim"
)

// TestBaselineDeadlineIsAPoint checks that the baseline's deadline (summer,
// Sunday 1 June 2025, inside a weekly step from a Wednesday) is a point of
// the grid, so that ceasefire_by_summer counts every ceasefire dated up to
// 1 June and none after; that named dates with different dates have
// different points, so their reached-by columns differ by construction;
// and that the count equals the ceasefire entries at points dated on or
// before 1 June.
func TestBaselineDeadlineIsAPoint(t *testing.T) {
	p := baselinePlan(t)
	summer := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	pointOf := map[string]int{}
	seen := map[int]time.Time{}
	for _, d := range p.Dates {
		pointOf[d.Name] = d.Point
		if d.Date.After(p.Points[0]) && !d.Date.After(p.Points[p.Steps]) {
			if !p.Points[d.Point].Equal(d.Date) {
				t.Errorf("date %s (%s) is not a point: point %d is %s", d.Name, d.Date.Format(time.DateOnly), d.Point, p.Points[d.Point].Format(time.DateOnly))
			}
			if other, dup := seen[d.Point]; dup && !other.Equal(d.Date) {
				t.Errorf("dates %s and %s share point %d", d.Name, other.Format(time.DateOnly), d.Point)
			}
			seen[d.Point] = d.Date
		}
	}
	k, ok := pointOf["summer"]
	if !ok || !p.Points[k].Equal(summer) {
		t.Fatalf("summer is point %d (%v), want a point dated 2025-06-01", k, ok)
	}
	if !p.Points[k-1].Before(summer) || !p.Points[k+1].After(summer) {
		t.Fatal("points around summer out of order")
	}

	o, g := -1, -1
	for i, x := range p.Outcomes {
		if x.Name == "ceasefire_by_summer" {
			o = i
		}
	}
	for i := range p.States {
		if p.FullName(i) == "talks.ceasefire" {
			g = i
		}
	}
	if o < 0 || g < 0 {
		t.Fatal("the baseline has no ceasefire_by_summer or talks.ceasefire")
	}
	const trials = 20000
	tl, err := sim.Run(context.Background(), p, sim.Options{Trials: trials, Seed: 1, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var byDeadline int64
	for j := 0; j <= k; j++ {
		byDeadline += tl.Entry[g*(p.Steps+2)+j]
	}
	if tl.Hits[o] != byDeadline {
		t.Errorf("ceasefire_by_summer counts %d trials; ceasefires entered at points up to 1 June: %d", tl.Hits[o], byDeadline)
	}
	t.Logf("ceasefire_by_summer: %d of %d trials (%.1f%%)", tl.Hits[o], trials, 100*float64(tl.Hits[o])/trials)
}
