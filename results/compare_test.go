package results

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
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
