package results

import "testing"

// TestReachedByInDateOrder checks that reached-by columns come in date
// order whatever order the layout lists the named dates in, each with its
// own count.
func TestReachedByInDateOrder(t *testing.T) {
	l := fixtureLayout()
	l.Params = nil
	l.NamedDates = []NamedDate{
		{Name: "summer", Date: "2025-06-01", Point: 4},
		{Name: "early_april", Date: "2025-04-02", Point: 2},
		{Name: "end_of_march", Date: "2025-03-31", Point: 1},
	}
	c := countGroups(&l, []group{
		{mult: 3, path: [][]int{{0, 1, 1, 1, 1}, {0, 0, 0, 0, 0}}},
		{mult: 5, path: [][]int{{0, 0, 1, 1, 1}, {0, 0, 0, 0, 0}}},
	})
	c.Given[0], c.Given[1] = c.Trials, c.Trials // unconditional outcomes
	r, err := NewResult(l, *c, Manifest{}, RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name string
		k    int64
	}{{"end_of_march", 3}, {"early_april", 8}, {"summer", 8}}
	row := r.Reached[1] // talks.preliminary
	for j, w := range want {
		if r.Layout.NamedDates[j].Name != w.name || row.By[j].Name != w.name || row.By[j].Reached.K != w.k {
			t.Errorf("column %d: %s (layout %s), %d trials; want %s, %d", j, row.By[j].Name, r.Layout.NamedDates[j].Name, row.By[j].Reached.K, w.name, w.k)
		}
	}
}
