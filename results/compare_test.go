package results

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"scensim/model"
	"scensim/sim"
)

// The worked examples of Newcombe (1998), "Improved confidence intervals
// for the difference between binomial proportions based on paired data",
// Statistics in Medicine 17:2635–2650, Table II, method 10, to the four
// decimals the paper gives.
func TestNewcombePairedPaperExamples(t *testing.T) {
	for _, c := range []struct {
		a, b, c, d int64
		lo, hi     float64
	}{
		{36, 12, 2, 0, 0.0569, 0.3404},
		{18, 12, 2, 18, 0.0562, 0.3290},
		{53, 0, 0, 1, -0.0729, 0.0729},
		{0, 30, 0, 0, 0.8395, 1.0},
	} {
		lo, hi := NewcombePaired(c.a, c.b, c.c, c.d, Z95)
		if math.Abs(lo-c.lo) > 5e-5 || math.Abs(hi-c.hi) > 5e-5 {
			t.Errorf("(%d, %d, %d, %d): [%.4f, %.4f], want [%.4f, %.4f]", c.a, c.b, c.c, c.d, lo, hi, c.lo, c.hi)
		}
	}
	if lo, hi := NewcombePaired(0, 0, 0, 0, Z95); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("n = 0: [%v, %v], want NaN", lo, hi)
	}
}

// The worked examples of Newcombe (1998), "Interval estimation for the
// difference between independent proportions: comparison of eleven
// methods", Statistics in Medicine 17:873–890, Table II, method 10.
func TestNewcombeUnpairedPaperExamples(t *testing.T) {
	for _, c := range []struct {
		k1, n1, k2, n2 int64
		lo, hi         float64
	}{
		{56, 70, 48, 80, 0.0524, 0.3339},
		{9, 10, 3, 10, 0.1705, 0.8090},
	} {
		lo, hi := NewcombeUnpaired(c.k1, c.n1, c.k2, c.n2, Z95)
		if math.Abs(lo-c.lo) > 5e-5 || math.Abs(hi-c.hi) > 5e-5 {
			t.Errorf("%d/%d - %d/%d: [%.4f, %.4f], want [%.4f, %.4f]", c.k1, c.n1, c.k2, c.n2, lo, hi, c.lo, c.hi)
		}
	}
	// Paired with no correlation is the unpaired interval of the margins.
	lo1, hi1 := NewcombeUnpaired(40, 100, 30, 100, Z95)
	lo2, hi2 := squareAndAdd(40, 100, 30, 100, 0, Z95)
	if lo1 != lo2 || hi1 != hi2 {
		t.Errorf("unpaired [%v, %v] != square-and-add with phi 0 [%v, %v]", lo1, hi1, lo2, hi2)
	}
}

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

func runCompare(t *testing.T, plans []*model.Plan, trials int64) *Comparison {
	t.Helper()
	l := NewCompareLayout(plans)
	pt, err := sim.RunPaired(context.Background(), plans, l.Probes, sim.Options{Trials: trials, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	c, err := l.Build(plans, nil, pt, 3, "test", RunInfo{})
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
		f   func(*bytes.Buffer, *Comparison) error
		buf *bytes.Buffer
	}{
		{func(b *bytes.Buffer, c *Comparison) error { return WriteCompareText(b, c) }, &txt},
		{func(b *bytes.Buffer, c *Comparison) error { return WriteCompareMarkdown(b, c) }, &md},
		{func(b *bytes.Buffer, c *Comparison) error { return WriteCompareCSV(b, c) }, &cs},
		{func(b *bytes.Buffer, c *Comparison) error { return WriteCompareJSON(b, c) }, &js},
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
	if len(recs) != 1+2*len(c.Rows) || len(recs[0]) != 20 {
		t.Errorf("csv: %d records of %d fields", len(recs), len(recs[0]))
	}
	var back Comparison
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Format != CompareFormat || len(back.Rows) != len(c.Rows) || back.Rows[0].Diffs[0] != nil || back.Rows[0].Diffs[1].D != c.Rows[0].Diffs[1].D {
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

func TestHypothesisTableRanking(t *testing.T) {
	c := &Comparison{Scenarios: []ComparedScenario{{Label: "s", Scenario: "s"}, {Label: "H1 off"}, {Label: "H2 off"}}}
	diff := func(d float64, sig, paired bool) *Difference {
		return &Difference{D: d, Lo: d - 0.01, Hi: d + 0.01, Significant: sig, Paired: paired}
	}
	p := &Proportion{P: 0.5, N: 10}
	c.Rows = []CompareRow{
		{Kind: "outcome", Name: "x", Estimates: []*Proportion{p, p, p}, Diffs: []*Difference{nil, diff(-0.02, true, true), diff(0.10, true, true)}},
		{Kind: "outcome", Name: "y", Estimates: []*Proportion{p, p, p}, Diffs: []*Difference{nil, diff(0.5, true, false), diff(0.01, false, true)}},
	}
	tab := NewHypothesisTable(c, []string{"H1", "H2", "H3"}, []int{1, 2, -1}, [][]string{{"a"}, {"b"}, {"nothing"}})
	var got []string
	for _, r := range tab.Rows {
		got = append(got, r.Hypothesis+":"+r.Largest)
	}
	// H2 changes x by 10 pp; H1's largest paired change is 2 pp (its 50 pp
	// change of y is unpaired); H3 was not run.
	if strings.Join(got, " ") != "H2:x H1:x H3:" || tab.Rows[1].Significant != 2 {
		t.Errorf("ranking %v (%+v)", got, tab.Rows)
	}
	var b bytes.Buffer
	if err := WriteHypothesesText(&b, tab, 0); err != nil || !strings.Contains(b.String(), "not run") {
		t.Errorf("text: %v\n%s", err, b.String())
	}
	b.Reset()
	if err := WriteHypothesesJSON(&b, tab); err != nil || !json.Valid(b.Bytes()) {
		t.Errorf("json: %v", err)
	}
}
