package runresult_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"scensim/model"
	"scensim/results"
	"scensim/sim"
)

// A date marked internal gets no reached-by column, so the range table of
// a nested run must leave its cells out as the probability table does:
// every row has one range per column header, and the visible date's column
// holds that date's range, not the internal one's.
func TestReachedRangeTableSkipsInternalDates(t *testing.T) {
	const src = `scensim: 1
name: internal_dates
time: {start: 2025-01-01, step: week, steps: 10}
dates:
  hidden: {value: 2025-01-15, internal: true}
  shown: 2025-02-05
params:
  theta: {dist: "beta(4, 16)"}
tracks:
  t:
    initial: a
    states: [a, b]
    transitions:
      - {from: a, to: b, p: theta}
outcomes:
  moved: t.b
  moved_early: {when: reached(t.b), given: "not reached_by(t.b, hidden)"}
`
	p, errs := model.Compile("internal_dates.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	r := runNested(t, p, 5, sim.Options{Trials: 4000, Params: sim.Params{PerDraw: 100}})
	var b bytes.Buffer
	if err := results.WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	var in bool
	checked := 0
	for _, line := range lines {
		if strings.HasPrefix(line, "reached by: range over assumptions") {
			in = true
			if got := len(strings.Fields(line)) - 6; got != 2 {
				t.Fatalf("range table header %q: %d date columns, want 2 (shown, horizon)", line, got)
			}
			continue
		}
		if in && strings.HasPrefix(line, "t.b") {
			if n := strings.Count(line, "["); n != 2 {
				t.Errorf("range row %q has %d ranges, want 2 (shown, horizon)", line, n)
			}
			var shown string
			for _, row := range r.Reached {
				if row.State == "b" {
					sp := r.ShownDates(row.By)[0].Range
					shown = fmt.Sprintf("[%.1f, %.1f]", 100*sp.P5, 100*sp.P95)
				}
			}
			if !strings.Contains(line, shown) {
				t.Errorf("range row %q lacks the shown date's range %s", line, shown)
			}
			checked++
			in = false
		}
	}
	if checked != 1 {
		t.Fatalf("found %d range rows for t.b in:\n%s", checked, b.String())
	}
}
