package sim

import (
	"math"

	"scensim/model"
	"scensim/model/kernel"
)

// compactPaths is a runner's copy of the cells that the step loop reads
// for combinations whose cell is the same at every step (mask 0 in
// [kernel.StateTable.Path]), with their wakes and CellTable rows, laid out
// side by side for all states, so that a large model's per-step lookups
// read a few dense arrays rather than one small table apiece. Entry
// base[g]+c is state g's combination c.
type compactPaths struct {
	base []int32       // per global state: its first entry, -1 without a table
	cell []kernel.Cell // per entry: the cell at every step
	live []int32       // per entry: the first step at which something can fire, or -1: the cells vary by step
	row  []int32       // per entry: the offset of a CellTable cell's row in rows, or -1
	rows []float64     // CellTable rows, cumulative, one after another
	out  []int32       // per global state: its number of transitions
}

// newCompactPaths copies the single cells of p's state tables.
func newCompactPaths(p *model.Plan) compactPaths {
	cp := compactPaths{base: make([]int32, len(p.States)), out: make([]int32, len(p.States))}
	entries, rows := 0, 0
	for g, st := range p.States {
		if tbl := p.Kernel.State(g); tbl != nil {
			entries += tbl.Combos()
			rows += tbl.Combos() * len(st.Out)
		}
	}
	cp.cell = make([]kernel.Cell, 0, entries)
	cp.live = make([]int32, 0, entries)
	cp.row = make([]int32, 0, entries)
	cp.rows = make([]float64, 0, rows)
	for g, st := range p.States {
		cp.out[g] = int32(len(st.Out))
		tbl := p.Kernel.State(g)
		if tbl == nil || tbl.Combos() > math.MaxInt32-len(cp.cell) {
			cp.base[g] = -1
			continue
		}
		cp.base[g] = int32(len(cp.cell))
		for c := range tbl.Combos() {
			cells, live, mask := tbl.Path(c)
			if mask != 0 || len(cp.rows) > math.MaxInt32-len(st.Out) {
				// Its cells vary by step (or the offsets would not fit):
				// the table's own are read.
				cp.cell = append(cp.cell, kernel.Cell{})
				cp.live = append(cp.live, -1)
				cp.row = append(cp.row, -1)
				continue
			}
			cell := cells[0]
			at := int32(-1)
			if cell.Kind == kernel.CellTable {
				at = int32(len(cp.rows))
				cp.rows = append(cp.rows, tbl.Row(&cell)...)
			}
			cp.cell = append(cp.cell, cell)
			cp.live = append(cp.live, live[0])
			cp.row = append(cp.row, at)
		}
	}
	return cp
}

// setPath sets tc's cells, wakes and row for combination c of state g's
// table tbl: from the compact copy when the combination's cell is the
// same at every step, else from the table.
func (cp *compactPaths) setPath(tc *trackCache, g int, tbl *kernel.StateTable, c int) {
	if b := cp.base[g]; b >= 0 {
		i := int(b) + c
		if cp.live[i] >= 0 {
			tc.cells, tc.live, tc.mask, tc.row = cp.cell[i:i+1:i+1], cp.live[i:i+1:i+1], 0, nil
			if at := cp.row[i]; at >= 0 {
				n := int(at) + int(cp.out[g])
				tc.row = cp.rows[at:n:n]
			}
			return
		}
	}
	tc.cells, tc.live, tc.mask = tbl.Path(c)
	tc.row = nil
}

// cellVaries, as the Kind of a track's entry in runner.now, says that its
// cell is to be looked up in its cache at each step (it varies by step, or
// there is none: evaluate), rather than read from runner.now, where the
// step loop finds the cells that are the same at every step in a dense
// array of all tracks.
const cellVaries kernel.CellKind = math.MaxUint8

// rowOf returns the cumulative row of a CellTable cell of tc's current
// combination.
func (tc *trackCache) rowOf(cell *kernel.Cell) []float64 {
	if tc.row != nil {
		return tc.row
	}
	return tc.tbl.Row(cell)
}
