package runresult

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"scensim/model"
	"scensim/results"
	"scensim/sim"
)

const compareSrc = `scensim: 1
name: %s
time: {start: 2025-01-01, step: week, steps: 20}
dates: {mid: 2025-03-01}
params:
  p: {value: %s, dist: "uniform(0.01, 0.1)"}
tracks:
  t:
    initial: a
    states: [a, b, c]
    transitions:
      - {name: ab, from: a, to: b, p: p}
      - {name: bc, from: b, to: c, p: 0.1}
outcomes:
  got_b: reached(t.b)
  c_given_b: {when: reached(t.c), given: reached(t.b)}
`

func comparePlan(t *testing.T, name, p string) *model.Plan {
	t.Helper()
	src := strings.Replace(compareSrc, "%s", name, 1)
	src = strings.Replace(src, "%s", p, 1)
	plan, errs := model.Compile(name+".yaml", []byte(src), nil)
	if plan == nil {
		t.Fatal(errs.Snippets())
	}
	return plan
}

func runCompare(t *testing.T, plans []*model.Plan, trials int64) *results.Comparison {
	t.Helper()
	l := NewCompareLayout(plans)
	pt, err := sim.RunPaired(context.Background(), plans, l.Probes, sim.Options{Trials: trials, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	c, err := l.Build(plans, nil, pt, 3, "test", results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Identical scenarios give exactly zero difference, with no discordant
// trial, in every row.
func TestCompareIdentical(t *testing.T) {
	a := comparePlan(t, "a", "0.05")
	c := runCompare(t, []*model.Plan{a, a}, 2000)
	if len(c.Assumptions) != 0 {
		t.Errorf("assumptions differ: %+v", c.Assumptions)
	}
	// 2 outcomes, then 3 states × (mid, horizon).
	if len(c.Rows) != 2+3*2 {
		t.Fatalf("%d rows", len(c.Rows))
	}
	for _, r := range c.Rows {
		d := r.Diffs[1]
		if !d.Defined() || d.D != 0 || d.Gain != 0 || d.Loss != 0 || d.Significant {
			t.Errorf("%s: %+v", r.Label(), d)
		}
		if *r.Estimates[0] != *r.Estimates[1] {
			t.Errorf("%s: estimates differ", r.Label())
		}
		if d.Paired != (r.Name != "c_given_b") {
			t.Errorf("%s: paired %v", r.Label(), d.Paired)
		}
	}
}

// A real change: the paired interval holds the difference, is narrower
// than the independent one, and the discordant counts give D.
func TestCompareVariant(t *testing.T) {
	a, b := comparePlan(t, "a", "0.05"), comparePlan(t, "b", "0.04")
	// The variant fixes p (no dist) at a lower value.
	b.Params[0].Dist = nil
	c := runCompare(t, []*model.Plan{a, b}, 20000)
	if len(c.Assumptions) != 1 || c.Assumptions[0].What != "param p" || c.Assumptions[0].Values[1] != "0.04" {
		t.Errorf("assumptions %+v", c.Assumptions)
	}
	for _, r := range c.Rows {
		d := r.Diffs[1]
		if r.Kind == "outcome" && r.Name == "got_b" {
			if want := float64(d.Gain-d.Loss) / float64(c.Trials); d.D != want || d.D >= 0 || !d.Significant {
				t.Errorf("got_b: %+v", d)
			}
			if !(d.Lo <= d.D && d.D <= d.Hi) || !(d.Hi-d.Lo < d.IndepHi-d.IndepLo) || d.WidthRatio >= 1 {
				t.Errorf("got_b: paired [%v, %v] vs independent [%v, %v]", d.Lo, d.Hi, d.IndepLo, d.IndepHi)
			}
			if e := r.Estimates[1].P - r.Estimates[0].P; math.Abs(e-d.D) > 1e-12 {
				t.Errorf("got_b: D %v, estimates differ by %v", d.D, e)
			}
		}
	}
	// Renderings.
	var txt, md, cs, js bytes.Buffer
	for _, w := range []struct {
		f   func(*bytes.Buffer, *results.Comparison) error
		buf *bytes.Buffer
	}{
		{func(b *bytes.Buffer, c *results.Comparison) error { return results.WriteCompareText(b, c) }, &txt},
		{func(b *bytes.Buffer, c *results.Comparison) error { return results.WriteCompareMarkdown(b, c) }, &md},
		{func(b *bytes.Buffer, c *results.Comparison) error { return results.WriteCompareCSV(b, c) }, &cs},
		{func(b *bytes.Buffer, c *results.Comparison) error { return results.WriteCompareJSON(b, c) }, &js},
	} {
		if err := w.f(w.buf, c); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{"ASSUMPTIONS THAT DIFFER", "param p", "OUTCOMES: b vs a", "got_b", "(unpaired)", "CRN: the paired intervals"} {
		if !strings.Contains(txt.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, txt.String())
		}
	}
	if !strings.Contains(md.String(), "### b vs a") || !strings.Contains(md.String(), "| `got_b` |") {
		t.Errorf("markdown:\n%s", md.String())
	}
	recs, err := csv.NewReader(&cs).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+2*len(c.Rows) || len(recs[0]) != 27 {
		t.Errorf("csv: %d records of %d fields", len(recs), len(recs[0]))
	}
	var back results.Comparison
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Format != results.CompareFormat || len(back.Rows) != len(c.Rows) || back.Rows[0].Diffs[0] != nil || back.Rows[0].Diffs[1].D != c.Rows[0].Diffs[1].D {
		t.Errorf("json round trip: %+v", back.Rows[0])
	}
}

// A row that one scenario lacks has no difference; dates are matched by
// name, each scenario using its own.
func TestCompareMismatchedRows(t *testing.T) {
	a := comparePlan(t, "a", "0.05")
	src := strings.Replace(strings.Replace(strings.Replace(compareSrc, "%s", "b", 1), "%s", "0.05", 1), "  got_b: reached(t.b)\n", "  got_c: reached(t.c)\n", 1)
	src = strings.Replace(src, "mid: 2025-03-01", "mid: 2025-04-01", 1)
	b, errs := model.Compile("b.yaml", []byte(src), nil)
	if b == nil {
		t.Fatal(errs.Snippets())
	}
	c := runCompare(t, []*model.Plan{a, b}, 500)
	var names []string
	for _, r := range c.Rows {
		if r.Kind == "outcome" {
			names = append(names, r.Name)
			if (r.Name == "c_given_b") != (r.Diffs[1] != nil) {
				t.Errorf("%s: diff %v", r.Name, r.Diffs[1])
			}
		}
	}
	if strings.Join(names, " ") != "got_b c_given_b got_c" {
		t.Errorf("outcome rows %v", names)
	}
	found := false
	for _, a := range c.Assumptions {
		found = found || a.What == "date mid" && a.Values[0] == "2025-03-01" && a.Values[1] == "2025-04-01"
	}
	if !found {
		t.Errorf("the moved date is not in the assumptions: %+v", c.Assumptions)
	}
}
