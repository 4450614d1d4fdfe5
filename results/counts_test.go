package results

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// smallLayout: 1 track with 2 states, 3 points, 1 conditional outcome, 1
// param with 2 bins.
func smallLayout() Layout {
	return Layout{
		Scenario: "small",
		Points:   []string{"2025-01-01", "2025-01-08", "2025-01-15"},
		Tracks:   []TrackLayout{{Name: "t", States: []string{"a", "b"}}},
		Outcomes: []OutcomeLayout{{Name: "o", Given: "reached(t.b)"}},
		Params:   []ParamLayout{{Name: "x", Lo: 0, Hi: 1, Bins: 2}},
	}
}

func TestNewCountsSizes(t *testing.T) {
	l := fixtureLayout()
	c := NewCounts(&l)
	// 6 states, 5 points, 3 outcomes, one param with 5 bins.
	if len(c.Hits) != 3 || len(c.Given) != 3 || len(c.Entry) != 6*6 || len(c.Occupancy) != 5*6 || len(c.ParamHist) != 7 || c.Trials != 0 {
		t.Fatalf("NewCounts sizes: %d %d %d %d %d", len(c.Hits), len(c.Given), len(c.Entry), len(c.Occupancy), len(c.ParamHist))
	}
	if err := l.CheckCounts(c); err != nil {
		t.Errorf("zero counts: %v", err)
	}
}

// Two hand-written tallies of disjoint trials, and the hand-written tally of
// their union.
func TestMergeByHand(t *testing.T) {
	l := smallLayout()
	// Run A: 3 trials. Two stay in a; one enters b at point 1. Outcome: given
	// for 1, hit for 1. Param draws 0.2, 0.7, 1.5.
	a := &Counts{
		Trials:    3,
		Hits:      []int64{1},
		Given:     []int64{1},
		Entry:     []int64{3, 0, 0, 0 /* a */, 0, 1, 0, 2 /* b */},
		Occupancy: []int64{3, 0 /* k=0 */, 2, 1 /* k=1 */, 2, 1 /* k=2 */},
		ParamHist: []int64{0, 1, 1, 1},
	}
	// Run B: 2 trials. One enters b at point 2, one at point 1 then returns to a
	// at point 2. Outcome: given 2, hit 0. Param draws -0.1, 0.4.
	b := &Counts{
		Trials:    2,
		Hits:      []int64{0},
		Given:     []int64{2},
		Entry:     []int64{2, 0, 0, 0, 0, 1, 1, 0},
		Occupancy: []int64{2, 0, 1, 1, 1, 1},
		ParamHist: []int64{1, 1, 0, 0},
	}
	union := &Counts{
		Trials:    5,
		Hits:      []int64{1},
		Given:     []int64{3},
		Entry:     []int64{5, 0, 0, 0, 0, 2, 1, 2},
		Occupancy: []int64{5, 0, 3, 2, 3, 2},
		ParamHist: []int64{1, 2, 1, 1},
	}
	for _, c := range []*Counts{a, b, union} {
		if err := l.CheckCounts(c); err != nil {
			t.Fatalf("hand-built counts inconsistent: %v", err)
		}
	}
	ab := a.Clone()
	ab.Merge(b)
	if !reflect.DeepEqual(ab, union) {
		t.Errorf("a+b = %+v\nwant %+v", ab, union)
	}
	ba := b.Clone()
	ba.Merge(a)
	if !reflect.DeepEqual(ba, union) {
		t.Errorf("b+a = %+v\nwant %+v", ba, union)
	}
	// a and b are not modified by being merged in.
	if a.Trials != 3 || b.Trials != 2 || a.Entry[5] != 1 || b.Entry[5] != 1 {
		t.Errorf("Merge modified its argument")
	}
}

// Splitting the fixture's trials into two runs and merging gives the counts of
// the whole, and so the same result.
func TestMergeUnionOfGroups(t *testing.T) {
	l := fixtureLayout()
	whole := countGroups(&l, fixtureGroups)
	for split := range fixtureGroups {
		x := countGroups(&l, fixtureGroups[:split])
		y := countGroups(&l, fixtureGroups[split:])
		x.Merge(y)
		if !reflect.DeepEqual(x, whole) {
			t.Errorf("split at %d: merged %+v\nwant %+v", split, x, whole)
		}
	}
	// Splitting a group's multiplicity too.
	g := fixtureGroups[1]
	x := countGroups(&l, []group{{100, g.path}})
	x.Merge(countGroups(&l, []group{{g.mult - 100, g.path}}))
	if want := countGroups(&l, []group{g}); !reflect.DeepEqual(x, want) {
		t.Errorf("split multiplicity: %+v, want %+v", x, want)
	}
}

func TestMergeMismatchPanicsUnchanged(t *testing.T) {
	l := smallLayout()
	c := NewCounts(&l)
	c.Trials = 7
	o := NewCounts(&l)
	o.Trials = 1
	o.ParamHist = o.ParamHist[:3]
	defer func() {
		if recover() == nil {
			t.Errorf("Merge of mismatched counts did not panic")
		}
		if c.Trials != 7 {
			t.Errorf("failed Merge changed Trials to %d", c.Trials)
		}
	}()
	c.Merge(o)
}

func TestCheckErrors(t *testing.T) {
	l := fixtureLayout()
	for _, c := range []struct {
		name string
		edit func(c *Counts)
		want string
	}{
		{"short entry", func(c *Counts) { c.Entry = c.Entry[1:] }, "entry has 35 values, layout implies 36"},
		{"long hits", func(c *Counts) { c.Hits = append(c.Hits, 0) }, "hits has 4 values"},
		{"nil occupancy", func(c *Counts) { c.Occupancy = nil }, "occupancy has 0 values"},
		{"param hist", func(c *Counts) { c.ParamHist = c.ParamHist[:6] }, "param_hist has 6 values, layout implies 7"},
		{"negative", func(c *Counts) { c.Entry[3] = -1 }, "entry[3] = -1 is negative"},
		{"given unconditional", func(c *Counts) { c.Given[0]-- }, "outcome ceasefire is unconditional"},
		{"hits > given", func(c *Counts) { c.Hits[2] = 589 }, "hits = 589 > given = 588"},
		{"given > trials", func(c *Counts) { c.Given[2] = 1001 }, "given = 1001 > trials = 1000"},
		{"entry sum", func(c *Counts) { c.Entry[0]++ }, "entry of talks.negotiating sums to 1001"},
		{"occupancy sum", func(c *Counts) { c.Occupancy[2*6+4]++ }, "occupancy of track europe at point 2 sums to 1001"},
		{"param sum", func(c *Counts) { c.ParamHist[0]++ }, "histogram of param p_prelim sums to 1001"},
		{"trials", func(c *Counts) { c.Trials++ }, "given = 1000 != trials = 1001"},
	} {
		cnt := fixtureCounts(&l)
		if err := l.CheckCounts(cnt); err != nil {
			t.Fatalf("fixture: %v", err)
		}
		c.edit(cnt)
		err := l.CheckCounts(cnt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Check = %v, want error containing %q", c.name, err, c.want)
		}
	}
}

func TestLayoutValidate(t *testing.T) {
	ok := fixtureLayout()
	if err := ok.Validate(); err != nil {
		t.Fatalf("fixture layout: %v", err)
	}
	for _, c := range []struct {
		name string
		edit func(l *Layout)
		want string
	}{
		{"no points", func(l *Layout) { l.Points = nil }, "no points"},
		{"bad date", func(l *Layout) { l.Points[2] = "2025-4-02" }, "not an ISO date"},
		{"bad day", func(l *Layout) { l.Points[2] = "2025-02-30" }, "not an ISO date"},
		{"unordered", func(l *Layout) { l.Points[2] = l.Points[1] }, "is not after point 1"},
		{"named point", func(l *Layout) { l.NamedDates[0].Point = 2 }, "has point 2, want 1"},
		{"dup track", func(l *Layout) { l.Tracks[1].Name = "talks" }, "duplicate track"},
		{"dup state", func(l *Layout) { l.Tracks[1].States[2] = "aligned" }, "duplicate state of track europe"},
		{"no states", func(l *Layout) { l.Tracks[0].States = nil }, "track talks has no states"},
		{"dup outcome", func(l *Layout) { l.Outcomes[1].Name = "ceasefire" }, "duplicate outcome"},
		{"bins", func(l *Layout) { l.Params[0].Bins = 0 }, "has 0 bins"},
		{"range", func(l *Layout) { l.Params[0].Hi = 0 }, "want finite lo < hi"},
		{"nan range", func(l *Layout) { l.Params[0].Lo = math.NaN() }, "want finite lo < hi"},
	} {
		l := fixtureLayout()
		c.edit(&l)
		err := l.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Validate = %v, want error containing %q", c.name, err, c.want)
		}
	}
}

func TestPointOf(t *testing.T) {
	l := fixtureLayout()
	for date, want := range map[string]int{
		"2025-03-18": -1, "2025-03-19": 0, "2025-03-25": 0, "2025-03-26": 1,
		"2025-04-15": 3, "2025-04-16": 4, "2030-01-01": 4,
	} {
		if got := l.PointOf(date); got != want {
			t.Errorf("PointOf(%s) = %d, want %d", date, got, want)
		}
	}
}

func TestIndexHelpers(t *testing.T) {
	l := fixtureLayout()
	if g := l.StateIndex("europe", "divided"); g != 4 {
		t.Errorf("StateIndex(europe, divided) = %d, want 4", g)
	}
	if g := l.StateIndex("europe", "nope"); g != -1 {
		t.Errorf("StateIndex of a missing state = %d", g)
	}
	if tr, st := l.State(5); tr != "europe" || st != "challenge" {
		t.Errorf("State(5) = %s.%s", tr, st)
	}
	if i := l.EntryIndex(2, 5); i != 2*6+5 {
		t.Errorf("EntryIndex(2, 5) = %d", i)
	}
	if i := l.OccupancyIndex(3, 4); i != 3*6+4 {
		t.Errorf("OccupancyIndex(3, 4) = %d", i)
	}
	l.Params = append(l.Params, ParamLayout{Name: "y", Lo: 0, Hi: 1, Bins: 3})
	if off := l.ParamOffset(1); off != 7 {
		t.Errorf("ParamOffset(1) = %d, want 7", off)
	}
}

func TestParamBin(t *testing.T) {
	p := ParamLayout{Lo: 0, Hi: 0.5, Bins: 5} // bins of width 0.1
	for x, want := range map[float64]int{
		-0.01: 0, 0: 1, 0.05: 1, 0.1: 2, 0.25: 3, 0.4999999: 5, math.Nextafter(0.5, 0): 5,
		0.5: 6, 7: 6, math.Inf(-1): 0, math.Inf(1): 6, math.NaN(): 6,
	} {
		if got := p.Bin(x); got != want {
			t.Errorf("Bin(%v) = %d, want %d", x, got, want)
		}
	}
}

func TestComputeFixture(t *testing.T) {
	r := fixtureResult(t)
	// Outcomes.
	want := []struct{ k, n int64 }{{351, 1000}, {487, 1000}, {487, 588}}
	for i, o := range r.Outcomes {
		if o.Estimate.K != want[i].k || o.Estimate.N != want[i].n {
			t.Errorf("outcome %s = %d/%d, want %d/%d", o.Name, o.Estimate.K, o.Estimate.N, want[i].k, want[i].n)
		}
		if o.Conditional != (i == 2) {
			t.Errorf("outcome %s conditional = %v", o.Name, o.Conditional)
		}
	}
	// talks.preliminary (g = 1): first entries B at 1 (237), C at 2 (198), D at 3 (101).
	row := r.Reached[1]
	if row.Track != "talks" || row.State != "preliminary" {
		t.Fatalf("Reached[1] is %s.%s", row.Track, row.State)
	}
	if row.By[0].Reached.K != 237 || row.By[0].Point != 1 || row.By[1].Reached.K != 536 || row.Horizon.Reached.K != 536 || row.Horizon.Date != "2025-04-16" {
		t.Errorf("reached talks.preliminary: %+v", row)
	}
	e := r.FirstEntry[1]
	// Entrants 536: p10 needs 53.6 (cum 237 at point 1), median 268 (cum 435
	// at point 2), p90 482.4 (cum 536 at point 3).
	if e.Ever.K != 536 || e.Never != 464 || e.P10 != "2025-03-26" || e.Median != "2025-04-02" || e.P90 != "2025-04-09" ||
		e.P10Point != 1 || e.MedianPoint != 2 || e.P90Point != 3 {
		t.Errorf("first entry talks.preliminary: %+v", e)
	}
	// europe.challenge (g = 5) is never entered.
	e = r.FirstEntry[5]
	if e.Ever.K != 0 || e.Never != 1000 || e.Median != "" || e.MedianPoint != -1 {
		t.Errorf("first entry europe.challenge: %+v", e)
	}
	// Initial state: everyone at point 0.
	if e := r.FirstEntry[3]; e.Ever.K != 1000 || e.P10 != "2025-03-19" || e.P90 != "2025-03-19" {
		t.Errorf("first entry europe.aligned: %+v", e)
	}
	// Occupancy: talks.ceasefire at point 4 = C+D+E = 351.
	if s := r.OccupancyShare(2, 4); s != 0.351 {
		t.Errorf("OccupancyShare(2, 4) = %v, want 0.351", s)
	}
}

// The quantile is the smallest point whose cumulative count reaches q·n,
// exactly at equality.
func TestEntryQuantileBoundaries(t *testing.T) {
	l := Layout{Points: []string{"2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04"},
		NamedDates: []NamedDate{{Name: "early", Date: "2024-12-31", Point: -1}},
		Tracks:     []TrackLayout{{Name: "t", States: []string{"a", "b"}}}}
	c := NewCounts(&l)
	c.Trials = 20
	// b: 1 at point 0, 4 at 1, 5 at 2, 0 at 3, 10 never -> entrants 10,
	// cumulative 1, 5, 10, 10. p10: 1 >= 1 -> point 0; median: 5 >= 5 -> point
	// 1; p90: 10 >= 9 -> point 2.
	copy(c.Entry, []int64{20, 0, 0, 0, 0, 1, 4, 5, 0, 10})
	for k, occB := range []int64{1, 5, 10, 10} {
		c.Occupancy[k*2+0], c.Occupancy[k*2+1] = 20-occB, occB
	}
	r, err := NewResult(l, *c, Manifest{}, RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	e := r.FirstEntry[1]
	if e.P10Point != 0 || e.MedianPoint != 1 || e.P90Point != 2 || e.Ever.K != 10 {
		t.Errorf("quantiles: %+v", e)
	}
	if by := r.Reached[1].By[0]; by.Point != -1 || by.Reached.K != 0 || by.Reached.N != 20 {
		t.Errorf("reached before start: %+v", by)
	}
}

func TestComputeCopiesInput(t *testing.T) {
	l := fixtureLayout()
	c := fixtureCounts(&l)
	r := Compute(l, *c, fixtureManifest(), RunInfo{})
	c.Entry[0] = 12345
	l.Points[0] = "1999-01-01"
	l.Tracks[0].States[0] = "changed"
	if r.Counts.Entry[0] == 12345 || r.Layout.Points[0] == "1999-01-01" || r.Layout.Tracks[0].States[0] == "changed" {
		t.Errorf("Compute shares storage with its input")
	}
}

func TestComputePanicsOnInconsistentCounts(t *testing.T) {
	l := fixtureLayout()
	c := fixtureCounts(&l)
	c.Occupancy = c.Occupancy[1:]
	defer func() {
		if v := recover(); v == nil || !strings.Contains(v.(string), "occupancy has 29 values") {
			t.Errorf("Compute did not panic with the Check error: %v", v)
		}
	}()
	Compute(l, *c, Manifest{}, RunInfo{})
}

func TestOccupancyShareNoTrials(t *testing.T) {
	l := smallLayout()
	r := Compute(l, *NewCounts(&l), Manifest{}, RunInfo{})
	if s := r.OccupancyShare(0, 0); !math.IsNaN(s) {
		t.Errorf("share with no trials = %v, want NaN", s)
	}
	defer func() {
		if recover() == nil {
			t.Errorf("OccupancyShare out of range did not panic")
		}
	}()
	r.OccupancyShare(2, 0)
}
