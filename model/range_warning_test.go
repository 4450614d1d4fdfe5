package model

import (
	"strings"
	"testing"
)

// A param that declares a range but no dist is run at its value in every
// parameter draw: compiling warns about it (and only about it).
func TestRangeWithoutDistWarns(t *testing.T) {
	const src = `scensim: 1
name: ranges
time: {start: 2025-01-01, step: week, steps: 4}
params:
  fixed_ranged: {value: 0.1, range: [0.05, 0.2]}
  drawn_ranged: {value: 0.1, range: [0.05, 0.2], dist: "uniform(0.05, 0.2)"}
  fixed_plain: {value: 0.1}
tracks:
  t:
    initial: a
    states: [a, b]
    transitions:
      - {from: a, to: b, p: fixed_ranged + drawn_ranged + fixed_plain}
outcomes:
  moved: t.b
`
	p, errs := Compile("ranges.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs)
	}
	ws := errs.Warnings()
	if len(ws) != 1 || !strings.Contains(ws[0].Msg, "param fixed_ranged declares a range but no dist") {
		t.Fatalf("warnings %v, want one about fixed_ranged", ws)
	}
}
