package results

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"
)

// A conditioned result by hand: one track out → in, 5 points, one param
// with 4 bins on [0, 1]; 10 trials kept, 6 rejected, nested 2 draws × 8.
func conditionedFixture(t *testing.T) *Result {
	t.Helper()
	l := Layout{
		Scenario: "ev", Points: []string{"2025-01-01", "2025-01-08", "2025-01-15", "2025-01-22", "2025-01-29"},
		NamedDates: []NamedDate{{Name: "d2", Date: "2025-01-15", Point: 2}, {Name: "d4", Date: "2025-01-29", Point: 4}},
		Tracks:     []TrackLayout{{Name: "x", States: []string{"out", "in"}}},
		Outcomes:   []OutcomeLayout{{Name: "entered"}},
		Params:     []ParamLayout{{Name: "theta", Dist: "uniform(0, 1)", Lo: 0, Hi: 1, Bins: 4}},
		Evidence:   []EvidenceItem{{Name: "e", Condition: "not reached x.in by 2025-01-08", Source: []string{"s"}}},
	}
	c := NewCounts(&l)
	c.Trials, c.Conditioned, c.Rejected = 10, true, 6
	// Entry of "out": all at 0; of "in": 0 at points 0..1, 2 at 2, 3 at 3, 1 at 4, 4 never.
	c.Entry = []int64{10, 0, 0, 0, 0, 0, 0, 0, 2, 3, 1, 4}
	for k, in := range []int64{0, 0, 2, 5, 6} {
		c.Occupancy[k*2], c.Occupancy[k*2+1] = 10-in, in
	}
	c.Hits[0], c.Given[0] = 6, 10
	c.ParamHist = []int64{0, 1, 2, 3, 4, 0}
	c.RejectedHist = []int64{0, 4, 2, 0, 0, 0}
	c.PerDraw = 8
	c.DrawTrials, c.DrawRejected = []int64{3, 7}, []int64{5, 1}
	c.DrawHits, c.DrawGiven = []int64{2, 4}, []int64{3, 7}
	c.DrawReached = make([]int64, 2*2*3)
	c.DrawReached[0], c.DrawReached[1], c.DrawReached[2] = 3, 3, 3
	c.DrawReached[6], c.DrawReached[7], c.DrawReached[8] = 7, 7, 7
	c.DrawReached[3+1], c.DrawReached[3+2] = 1, 2
	c.DrawReached[9+0], c.DrawReached[9+1], c.DrawReached[9+2] = 2, 5, 4
	r, err := NewResult(l, *c, Manifest{Scenario: "ev", Trials: 16}, RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestEvidenceSummary(t *testing.T) {
	r := conditionedFixture(t)
	s := r.Evidence
	if s == nil || s.Ran != 16 || s.Accepted != 10 || s.Rate != 10.0/16 || s.EffectiveTrials != 10 {
		t.Fatalf("summary %+v", s)
	}
	// Draw weights a = 3/8, 7/8: Kish (Σa)²/Σa² = 1.25²/(0.140625+0.765625).
	if want := 1.5625 / 0.90625; s.DrawsAccepting != 2 || math.Abs(s.DrawESS-want) > 1e-12 {
		t.Errorf("draws %d ESS %g, want 2 and %g", s.DrawsAccepting, s.DrawESS, want)
	}
	// Posterior bins 1,2,3,4 of width 0.25: mean (0.125+2·0.375+3·0.625+4·0.875)/10.
	p := s.Params[0]
	if want := (0.125 + 0.75 + 1.875 + 3.5) / 10; math.Abs(p.Posterior.Mean-want) > 1e-12 {
		t.Errorf("posterior mean %g, want %g", p.Posterior.Mean, want)
	}
	// Median: target 5 trials, cumulative 1, 3, 6 → bin 3, (5−3)/3 of it.
	if want := 0.5 + 0.25*2.0/3; math.Abs(p.Posterior.P50-want) > 1e-12 {
		t.Errorf("posterior median %g, want %g", p.Posterior.P50, want)
	}
	// Prior: bins 5, 4, 3, 4 over 16; median target 8 → bin 2 at (8−5)/4.
	if want := 0.25 + 0.25*3.0/4; math.Abs(p.Prior.P50-want) > 1e-12 {
		t.Errorf("prior median %g, want %g", p.Prior.P50, want)
	}
	var text, md, js bytes.Buffer
	if err := WriteText(&text, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"kept 10 of 16 trials (acceptance 62.5%)", "not reached x.in by 2025-01-08", "posterior", "10 kept by the evidence, of 16 run"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	if !strings.Contains(md.String(), "### Evidence") {
		t.Error("markdown lacks the evidence section")
	}
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(&js)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Evidence, r.Evidence) || !reflect.DeepEqual(back.Counts, r.Counts) {
		t.Error("a conditioned result does not survive its JSON")
	}
}

func TestAsOfTable(t *testing.T) {
	r := conditionedFixture(t)
	a, err := AsOfTable(r, "2025-01-17") // between points 2 and 3: as of point 2
	if err != nil {
		t.Fatal(err)
	}
	if a.Point != 2 || len(a.Dates) != 1 || a.Dates[0].Name != "d4" {
		t.Fatalf("as of point %d with dates %+v", a.Point, a.Dates)
	}
	in := a.Rows[1]
	// 2 entered by point 2; 8 not yet, of which 3+1 enter by d4 (point 4).
	if in.Entered != 0.2 || in.NotYet != 8 || in.By[0] != 0.5 || in.Horizon != 0.5 || in.Median != "2025-01-29" {
		t.Errorf("row %+v", in)
	}
	if out := a.Rows[0]; out.NotYet != 0 || !math.IsNaN(out.Horizon) {
		t.Errorf("initial state row %+v", out)
	}
	for _, bad := range []string{"2024-12-31", "2025-02-01", "soon"} {
		if _, err := AsOfTable(r, bad); err == nil {
			t.Errorf("as of %q: no error", bad)
		}
	}
	var b bytes.Buffer
	if err := WriteAsOfText(&b, a); err != nil || !strings.Contains(b.String(), "from 2025-01-17") {
		t.Errorf("as-of text: %v\n%s", err, b.String())
	}
}

func TestEvidenceTooFewAndChecks(t *testing.T) {
	s := &EvidenceSummary{Ran: 100000, Accepted: 12, Rate: 12.0 / 100000}
	err := s.TooFew()
	if err == nil || !strings.Contains(err.Error(), "kept 12 of 100000 trials (0.012%)") || !strings.Contains(err.Error(), "about 8.3e+06 trials would keep 1000") {
		t.Errorf("too few: %v", err)
	}
	if err := (&EvidenceSummary{Ran: 500}).TooFew(); err == nil || !strings.Contains(err.Error(), "kept none of 500") {
		t.Errorf("none kept: %v", err)
	}
	if err := (&EvidenceSummary{Ran: 500, Accepted: 100, Rate: 0.2}).TooFew(); err != nil {
		t.Errorf("100 kept: %v", err)
	}
	r := conditionedFixture(t)
	bad := r.Counts.Clone()
	bad.DrawRejected[0] = 6 // 3 + 6 > 8 per draw
	if err := r.Layout.CheckCounts(bad); err == nil {
		t.Error("a draw running more than per_draw trials passed the check")
	}
	bad = r.Counts.Clone()
	bad.Conditioned = false
	if err := r.Layout.CheckCounts(bad); err == nil {
		t.Error("rejected counts without evidence passed the check")
	}
}

// With equal weights the weighted range is DrawRange; a draw of weight 0
// is as if it were absent; a conditioned nested result uses the weights.
func TestDrawRangeWeighted(t *testing.T) {
	h := []int64{10, 40, 25, 70, 55}
	n := []int64{100, 100, 100, 100, 100}
	near := func(a, b Spread) bool {
		return a.Draws == b.Draws && math.Abs(a.P5-b.P5) < 1e-9 && math.Abs(a.P50-b.P50) < 1e-9 &&
			math.Abs(a.P95-b.P95) < 1e-9 && math.Abs(a.NoiseShare-b.NoiseShare) < 1e-9
	}
	if got, want := DrawRangeWeighted(h, n, []float64{0.3, 0.3, 0.3, 0.3, 0.3}), DrawRange(h, n); !near(got, want) {
		t.Errorf("equal weights %+v, DrawRange %+v", got, want)
	}
	if got, want := DrawRangeWeighted(h, n, []float64{1, 1, 0, 1, 1}), DrawRange([]int64{10, 40, 70, 55}, []int64{100, 100, 100, 100}); !near(got, want) {
		t.Errorf("a zero weight %+v, without the draw %+v", got, want)
	}
	// Weight on the low draws pulls the median down.
	low := DrawRangeWeighted(h, n, []float64{1, 0.2, 1, 0.2, 0.2})
	if all := DrawRange(h, n); !(low.P50 < all.P50) {
		t.Errorf("weighted median %g, unweighted %g", low.P50, all.P50)
	}
	r := conditionedFixture(t)
	w := drawWeights(&r.Counts)
	if len(w) != 2 || w[0] != 3.0/8 || w[1] != 7.0/8 {
		t.Errorf("draw weights %v, want [3/8 7/8]", w)
	}
}
