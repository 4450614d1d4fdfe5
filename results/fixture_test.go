package results

import "testing"

// group is a set of identical trials: mult trials that follow path, where
// path[t][k] is the state index (within track t) at point k.
type group struct {
	mult int64
	path [][]int
}

// tally counts groups into fresh counts following the definitions in the
// Counts doc comment (entry = first point in the state; occupancy = state at
// each point). Outcome hits/given and param histograms are set by the caller.
func countGroups(l *Layout, groups []group) *Counts {
	c := NewCounts(l)
	p, s := len(l.Points), l.NumStates()
	for _, gr := range groups {
		c.Trials += gr.mult
		base := 0
		for t, tr := range l.Tracks {
			for st := range tr.States {
				g := base + st
				first := p
				for k := p - 1; k >= 0; k-- {
					if gr.path[t][k] == st {
						first = k
						c.Occupancy[k*s+g] += gr.mult
					}
				}
				c.Entry[g*(p+1)+first] += gr.mult
			}
			base += len(tr.States)
		}
	}
	return c
}

func fixtureLayout() Layout {
	return Layout{
		Scenario: "fixture",
		Title:    "Hand-built fixture for golden tests",
		Points:   []string{"2025-03-19", "2025-03-26", "2025-04-02", "2025-04-09", "2025-04-16"},
		NamedDates: []NamedDate{
			{Name: "end_of_march", Date: "2025-03-31", Point: 1},
			{Name: "summer", Date: "2025-06-01", Point: 4}, // after the last point
		},
		Tracks: []TrackLayout{
			{Name: "talks", States: []string{"negotiating", "preliminary", "ceasefire"}},
			{Name: "europe", States: []string{"aligned", "divided", "challenge"}},
		},
		Outcomes: []OutcomeLayout{
			{Name: "ceasefire", Why: "A comprehensive ceasefire by the horizon.", Source: []string{"H12"}},
			{Name: "europe_divided", Why: "Europe ends divided.", Source: []string{"H4", "H5"}},
			{Name: "divided_given_deal", Why: "Division once any deal | ceasefire exists.", Source: []string{},
				Given: "reached(talks.ceasefire) || reached(talks.preliminary)"},
		},
		Params: []ParamLayout{{Name: "p_prelim", Dist: "beta(5, 15)", Lo: 0, Hi: 0.5, Bins: 5}},
	}
}

// Talks: n=negotiating p=preliminary c=ceasefire; europe: a=aligned d=divided.
var fixtureGroups = []group{
	{412, [][]int{{0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}}}, // A: nothing happens
	{237, [][]int{{0, 1, 1, 1, 1}, {0, 0, 1, 1, 1}}}, // B: prelim at 1, divided at 2
	{198, [][]int{{0, 0, 1, 2, 2}, {0, 0, 0, 1, 1}}}, // C: prelim at 2, ceasefire at 3, divided at 3
	{101, [][]int{{0, 0, 0, 1, 2}, {0, 0, 0, 0, 0}}}, // D: prelim at 3, ceasefire at 4
	{52, [][]int{{0, 2, 2, 2, 2}, {0, 1, 1, 1, 1}}},  // E: ceasefire at 1, divided at 1
}

func fixtureCounts(l *Layout) *Counts {
	c := countGroups(l, fixtureGroups)
	// ceasefire reached: C+D+E; divided at horizon: B+C+E;
	// given (any deal): B+C+D+E = 588, of which divided: B+C+E = 487.
	c.Hits = []int64{198 + 101 + 52, 237 + 198 + 52, 487}
	c.Given = []int64{1000, 1000, 588}
	c.ParamHist = []int64{0, 80, 300, 350, 200, 60, 10}
	return c
}

func fixtureManifest() Manifest {
	return Manifest{
		Scenario: "fixture", Title: "Hand-built fixture for golden tests",
		File: "scenarios/fixture.yaml", FileSHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		Seed: 20250319, Trials: 1000, Step: "week", Start: "2025-03-19", End: "2025-04-16", Steps: 4,
		Overrides: []string{"run.trials=1000"}, ToolVersion: "scensim 0.1.0-test",
	}
}

func fixtureResult(t *testing.T) *Result {
	t.Helper()
	l := fixtureLayout()
	c := fixtureCounts(&l)
	r, err := NewResult(l, *c, fixtureManifest(), RunInfo{Workers: 4, ElapsedSeconds: 1.25, Started: "2025-03-19T12:00:00Z"})
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return r
}
