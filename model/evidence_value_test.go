package model

import (
	"strings"
	"testing"
)

// evidenceValueBase is evidenceBase with two value outcomes.
const evidenceValueBase = evidenceBase + `  weeks_in:
    accumulate: x.in
  first_in:
    value: entry(x.in)
`

// A value item compiles to its outcome, range, date and point.
func TestEvidenceValueCompiles(t *testing.T) {
	src := evidenceValueBase + `evidence:
  a: {value: weeks_in, in: [2, 6.5], at: week4, source: note}
  b: {value: first_in, in: [-1, -1], at: 2025-01-10, source: note}
`
	p, errs := Compile("ev.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	want := []struct {
		value, point int
		lo, hi       float64
		text         string
	}{
		{0, 4, 2, 6.5, "weeks_in in [2, 6.5] at 2025-01-29"},
		{1, 1, -1, -1, "first_in in [-1, -1] at 2025-01-10"},
	}
	for i, w := range want {
		e := p.Evidence[i]
		if e.Kind != EvidenceValue || e.Value != w.value || e.Point != w.point || e.Lo != w.lo || e.Hi != w.hi || e.Text != w.text {
			t.Errorf("item %s: kind %d value %d point %d [%g, %g] %q, want value %d point %d [%g, %g] %q",
				e.Name, e.Kind, e.Value, e.Point, e.Lo, e.Hi, e.Text, w.value, w.point, w.lo, w.hi, w.text)
		}
	}
}

// Bad value items are positioned errors.
func TestEvidenceValueErrors(t *testing.T) {
	const line = "ev.yaml:22:"
	cases := []struct{ item, want string }{
		{"a: {value: weeks_inn, in: [1, 2], at: week4, source: s}", line + `14: evidence a: "weeks_inn" is no value outcome (did you mean "weeks_in"?)`},
		{"a: {value: entered, in: [1, 2], at: week4, source: s}", line + `14: evidence a: "entered" is a yes/no outcome, not a value outcome`},
		{"a: {value: weeks_in, in: [3, 2], at: week4, source: s}", line + "29: evidence a: in: [3, 2] is reversed (lo > hi)"},
		{"a: {value: weeks_in, in: [], at: week4, source: s}", line + "3: evidence a: in: must be [lo, hi], two numbers (it has 0)"},
		{"a: {value: weeks_in, in: [1], at: week4, source: s}", line + "29: evidence a: in: must be [lo, hi], two numbers (it has 1)"},
		{"a: {value: weeks_in, in: [1, x], at: week4, source: s}", line + `32: evidence a: in: "x" is not a number`},
		{"a: {value: weeks_in, at: week4, source: s}", line + "3: evidence a: value: needs in: [lo, hi]"},
		{"a: {value: weeks_in, in: [1, 2], source: s}", line + "3: evidence a: value: needs at:"},
		{"a: {value: weeks_in, in: [1, 2], by: week4, source: s}", line + "40: evidence a: value: takes at:, not by:"},
		{"a: {value: weeks_in, in: [1, 2], at: 2026-01-01, source: s}", line + "40: evidence a: 2026-01-01 is after the horizon 2025-03-12"},
		{"a: {value: weeks_in, in: [1, 2], at: 2024-01-01, source: s}", line + "40: evidence a: 2024-01-01 is before the start 2025-01-01"},
		{"a: {reached: x.in, in: [1, 2], by: week4, source: s}", line + "3: evidence a: in: [lo, hi] is the range of a value: item"},
		{"a: {value: weeks_in, in: x.in, at: week4, source: s}", line + "3: evidence a needs exactly one of"},
	}
	for _, c := range cases {
		src := evidenceValueBase + "evidence:\n  " + c.item + "\n"
		p, errs := Compile("ev.yaml", []byte(src), nil)
		if p != nil {
			t.Errorf("%s: compiled", c.item)
			continue
		}
		if got := errs.Error(); !strings.Contains(got, c.want) {
			t.Errorf("%s:\n got %s\nwant %s", c.item, got, c.want)
		}
	}
}
