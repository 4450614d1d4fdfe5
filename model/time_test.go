package model

import (
	"fmt"
	"testing"
)

// TestMonthlyStepsEndOfMonth checks the end-of-month convention: a start
// on the 29th to 31st steps to the last day of shorter months, never
// skipping a month, and goes back to its own day in longer ones.
func TestMonthlyStepsEndOfMonth(t *testing.T) {
	cases := []struct {
		start string
		want  []string
	}{
		{"2025-01-31", []string{"2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31", "2025-06-30"}},
		{"2024-01-31", []string{"2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30"}},
		{"2025-01-29", []string{"2025-01-29", "2025-02-28", "2025-03-29", "2025-04-29", "2025-05-29", "2025-06-29"}},
		{"2025-03-15", []string{"2025-03-15", "2025-04-15", "2025-05-15", "2025-06-15", "2025-07-15", "2025-08-15"}},
		{"2025-10-31", []string{"2025-10-31", "2025-11-30", "2025-12-31", "2026-01-31", "2026-02-28", "2026-03-31"}},
	}
	for _, c := range cases {
		src := fmt.Sprintf("scensim: 1\nname: months\ntime: {start: %s, step: month, steps: 5}\ntracks:\n  t:\n    initial: a\n    states: [a, b]\n    transitions:\n      - {from: a, to: b, p: 0.1}\n", c.start)
		p, errs := Compile("months.yaml", []byte(src), nil)
		if p == nil {
			t.Fatal(errs.Snippets())
		}
		for k, pt := range p.Points {
			if got := pt.Format("2006-01-02"); got != c.want[k] {
				t.Errorf("start %s, point %d: %s, want %s", c.start, k, got, c.want[k])
			}
			if k > 0 && p.StepDays[k-1] != p.PointDay[k]-p.PointDay[k-1] {
				t.Errorf("start %s, step %d: %v days", c.start, k-1, p.StepDays[k-1])
			}
		}
	}
}

// TestMonthOffsetsEndOfMonth checks that named dates offset by months or
// years follow the same convention as monthly steps, so that "start + 1m"
// is point 1.
func TestMonthOffsetsEndOfMonth(t *testing.T) {
	src := `scensim: 1
name: offsets
time: {start: 2025-01-31, step: month, steps: 14}
dates:
  one: start + 1m
  three: start + 3m
  year: start + 1y
  back: three - 2m
  leap: 2024-02-29
  leap_next: leap + 1y
tracks:
  t:
    initial: a
    states: [a, b]
`
	p, errs := Compile("offsets.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	want := map[string]struct {
		date  string
		point int
	}{
		"one": {"2025-02-28", 1}, "three": {"2025-04-30", 3}, "year": {"2026-01-31", 12},
		"back": {"2025-02-28", 1}, "leap": {"2024-02-29", -1}, "leap_next": {"2025-02-28", 1},
	}
	for _, d := range p.Dates {
		w := want[d.Name]
		if got := d.Date.Format("2006-01-02"); got != w.date || d.Point != w.point {
			t.Errorf("%s: %s at point %d, want %s at point %d", d.Name, got, d.Point, w.date, w.point)
		}
	}
}
