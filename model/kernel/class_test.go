package kernel

import (
	"math"
	"slices"
	"testing"
)

// TestClassesByPathContent checks that combinations share a class exactly
// when their paths (cells and wakes at every step) are equal, that the
// class is the smallest such combination, and that a NaN total never
// makes two paths equal.
func TestClassesByPathContent(t *testing.T) {
	const steps = 4
	tableCell := Cell{Kind: CellTable, Row: 0, Total: 0.5}
	evalCell := Cell{Kind: CellEval, Row: 0, Total: 0.25}
	nanCell := Cell{Kind: CellEval, Row: 0, Total: math.NaN()}
	none := Cell{}
	byCombo := [][]Cell{
		{tableCell, tableCell, tableCell, tableCell}, // 0: the same at every step
		{none, none, evalCell, evalCell},             // 1: varies by step
		{tableCell, tableCell, tableCell, tableCell}, // 2: as 0
		{none, none, evalCell, evalCell},             // 3: as 1
		{none, evalCell, evalCell, evalCell},         // 4: differs from 1 at step 1
		{none, none, none, none},                     // 5: nothing can fire
		{nanCell, nanCell, nanCell, nanCell},         // 6: not equal to itself
		{nanCell, nanCell, nanCell, nanCell},         // 7: nor to 6
		{none, none, none, none},                     // 8: as 5
	}
	var cells []Cell
	for _, cs := range byCombo {
		cells = append(cells, cs...)
	}
	keys := []Key{{Track: 0, First: 0, Size: len(byCombo), Reached: -1}}
	tbl := NewStateTable(StateSpec{Keys: keys, Steps: steps, Out: 1, Cells: cells, Rows: []float64{0.5}, Known: []Entry{{Kind: Evaluate}}, Tracks: []int{0}})
	var got []int32
	for c := range tbl.Combos() {
		got = append(got, tbl.Class(c))
	}
	want := []int32{0, 1, 0, 1, 4, 5, 6, 7, 5}
	if !slices.Equal(got, want) {
		t.Fatalf("classes %v, want %v", got, want)
	}
	for c := range tbl.Combos() {
		d := int(tbl.Class(c))
		if d == c {
			continue
		}
		cc, lc, mc := tbl.Path(c)
		cd, ld, md := tbl.Path(d)
		if mc != md || !slices.Equal(cc, cd) || !slices.Equal(lc, ld) {
			t.Errorf("combination %d: class %d has another path", c, d)
		}
	}
}
