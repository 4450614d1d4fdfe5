package report

import (
	"math"
	"strings"
	"testing"

	"scensim/results"
)

// summaryResult is a hand-made result of scenario name with outcomes x
// (headline), c (headline, conditional: 30 of the 100 trials meet its
// given) and y, and, when ranged, a range over the assumptions for x.
func summaryResult(t *testing.T, name, asOf string, ranged bool) *results.Result {
	t.Helper()
	l := results.Layout{
		Scenario: name, Points: []string{"2025-01-01", "2025-01-08"},
		Tracks: []results.TrackLayout{{Name: "t", States: []string{"a", "b"}}},
		Outcomes: []results.OutcomeLayout{
			{Name: "x", OutcomeMeta: results.OutcomeMeta{Headline: true}},
			{Name: "c", Given: "reached(t.b)", OutcomeMeta: results.OutcomeMeta{Headline: true}},
			{Name: "y"},
		},
	}
	cn := results.NewCounts(&l)
	cn.Trials = 100
	cn.Entry[0], cn.Entry[3+2] = 100, 100
	cn.Occupancy[0], cn.Occupancy[2] = 100, 100
	cn.Hits, cn.Given = []int64{40, 6, 10}, []int64{100, 30, 100}
	r, err := results.NewResult(l, *cn, results.Manifest{Scenario: name, Trials: 100, AsOf: asOf}, results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	if ranged {
		r.Outcomes[0].Range = &results.Spread{Draws: 10, P5: 0.2, P50: 0.4, P95: 0.6}
	}
	return r
}

// Wilson intervals: 40/100 is [30.9, 49.8] (± the larger side, 9.8); 6/30
// is [9.5, 37.3] (±17.3).
func TestSummary(t *testing.T) {
	base := &Job{Name: "base", Result: summaryResult(t, "base", "2025-03-18", true),
		Drivers: map[string]OutcomeDrivers{"x": {Top: []Driver{{Param: "p_deal", Share: 0.62}, {Param: "q", Share: 0.2}}}, "c": {Note: "too few draws"}}}
	variant := &Job{Name: "variant", Result: summaryResult(t, "variant", "2025-03-18", false)}
	d := func(v, lo, hi float64) *results.Difference {
		return &results.Difference{D: v, Lo: lo, Hi: hi, Paired: true}
	}
	p := results.NewProportion(40, 100)
	est := []*results.Proportion{&p, &p}
	cmp := &results.Comparison{Trials: 100, Scenarios: []results.ComparedScenario{{Label: "base"}, {Label: "variant"}},
		Rows: []results.CompareRow{
			{Kind: "outcome", Name: "x", Estimates: est, Diffs: []*results.Difference{nil, d(0.05, 0.02, 0.08)}},    // material
			{Kind: "outcome", Name: "y", Estimates: est, Diffs: []*results.Difference{nil, d(-0.09, -0.12, -0.06)}}, // material, larger
			{Kind: "outcome", Name: "c", Estimates: est, Diffs: []*results.Difference{nil, d(0.03, -0.01, 0.07)}},   // not material
			{Kind: "reached", Name: "t.b", By: "horizon", Estimates: est, Diffs: []*results.Difference{nil, d(0.5, 0.4, 0.6)}},
		}}
	r := &Report{Title: "T", Generated: "now", Jobs: []*Job{base, variant}, Comparisons: []*Comparison{{Name: "c", C: cmp}}}
	var b strings.Builder
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		"_Information as of 2025-03-18._",
		"| headline outcome | base | variant |",
		"| `x` | 40.0% ±9.8, range 20.0–60.0% | 40.0% ±9.8 |",
		"| `c` (among trials where `reached(t.b)`) | 20.0% ±17.3, among the 30% where given | 20.0% ±17.3, among the 30% where given |",
		"- x: p_deal 62%, q 20% (share of its variance over the assumptions, in base)",
		"- variant vs base: y -9.00 pp [-12.00, -6.00]; x +5.00 pp [+2.00, +8.00] (2 of 3 outcomes material)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q:\n%s", want, md)
		}
	}
	i, j := strings.Index(md, "## Summary"), strings.Index(md, "## base")
	if i < 0 || j < i || strings.Contains(md[i:j], "| `y`") || strings.Contains(md[i:j], "- c:") {
		t.Errorf("summary misplaced, or a non-headline row or an empty driver line:\n%s", md)
	}

	// Without drivers the slot says nothing; with no material change the
	// summary says so; different as_of dates are listed by job.
	base.Drivers = nil
	variant.Result.Manifest.AsOf = "2025-04-01"
	for _, row := range cmp.Rows {
		row.Diffs[1].Lo, row.Diffs[1].Hi = -0.001, 0.001
	}
	b.Reset()
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	md = b.String()
	if strings.Contains(md, "Top drivers") || !strings.Contains(md, "No variant changes any outcome materially") ||
		!strings.Contains(md, "2025-03-18 (base); 2025-04-01 (variant)") {
		t.Errorf("second summary:\n%s", md)
	}
	var h strings.Builder
	if err := WriteHTML(&h, r); err != nil {
		t.Fatal(err)
	}
	html := h.String()
	if i, j := strings.Index(html, `<section id="summary">`), strings.Index(html, `<section class="job"`); i < 0 || j < i {
		t.Errorf("report.html: the summary is not the first section (%d, %d)", i, j)
	}
	if !strings.Contains(html, "among the 30% where given") || !strings.Contains(html, "range 20.0–60.0%") {
		t.Error("report.html's summary lacks the condition or the range")
	}
}

// The summary lists what the comparison lists as material: its own list
// when compare.json has one (here with min_diff 5 points: y only), else the
// list results.SetMaterial chooses at the comparison's min_diff, with the
// threshold said; comparisons with different thresholds say each.
func TestSummaryUsesComparisonMaterial(t *testing.T) {
	d := func(v, lo, hi float64) *results.Difference {
		return &results.Difference{D: v, Lo: lo, Hi: hi, Paired: true}
	}
	p := results.NewProportion(40, 100)
	est := []*results.Proportion{&p, &p}
	newCmp := func(a, b string) *results.Comparison {
		return &results.Comparison{Trials: 100, Scenarios: []results.ComparedScenario{{Label: a}, {Label: b}},
			Rows: []results.CompareRow{
				{Kind: "outcome", Name: "a", Estimates: est, Diffs: []*results.Difference{nil, d(0.011, 0.0101, 0.012)}},
				{Kind: "outcome", Name: "b", Estimates: est, Diffs: []*results.Difference{nil, d(0.02, 0.009, 0.03)}}, // reaches into ±1 pp
				{Kind: "outcome", Name: "y", Estimates: est, Diffs: []*results.Difference{nil, d(-0.3, -0.4, -0.2)}},
				{Kind: "outcome", Name: "n", Estimates: est, Diffs: []*results.Difference{nil, d(math.NaN(), math.NaN(), math.NaN())}},
			}}
	}
	wide := newCmp("base", "v1")
	wide.SetMaterial(0.05, results.DefaultMinDiffValue) // as batch's min_diff: 5 writes it
	plain := newCmp("base", "v2")                       // no material list: judged at the default 1 point
	r := &Report{Title: "T", Generated: "now", Jobs: []*Job{{Name: "base", Result: summaryResult(t, "base", "", false)}},
		Comparisons: []*Comparison{{Name: "w", C: wide}, {Name: "p", C: plain}}}
	var b strings.Builder
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		"(difference interval wholly beyond the comparison's min_diff, as compare lists them)",
		"- v1 vs base (beyond ±5.00 pp): y -30.00 pp [-40.00, -20.00] (1 of 3 outcomes material)",
		"- v2 vs base (beyond ±1.00 pp): y -30.00 pp [-40.00, -20.00]; a +1.10 pp [+1.01, +1.20] (2 of 3 outcomes material)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q:\n%s", want, md)
		}
	}
	if plain.Material != nil {
		t.Error("the report changed the comparison it was given")
	}
	// One threshold for all: said once, in the heading.
	r.Comparisons = r.Comparisons[:1]
	b.Reset()
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	if md := b.String(); !strings.Contains(md, "(difference interval wholly beyond ±5.00 pp, as compare lists them)") ||
		!strings.Contains(md, "- v1 vs base: y -30.00 pp") {
		t.Errorf("one threshold:\n%s", md)
	}
}
