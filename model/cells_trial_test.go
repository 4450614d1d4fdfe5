package model

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"scensim/model/kernel"
)

// guardsOn evaluates the guards of st's transitions in f: bit i says that
// Out[i]'s guard holds.
func guardsOn(p *Plan, st *State, f *Frame) uint64 {
	var on uint64
	for i, id := range st.Out {
		if x := p.Transitions[id]; x.Guard == nil || x.Guard.Eval(f) != 0 {
			on |= 1 << i
		}
	}
	return on
}

// TestTrialRowsKnowTheirGuards checks that a per-trial row, filled with
// the transitions its cells know to be on, is the row filled with every
// guard evaluated, bit for bit, at every CellTrial cell of the cells
// scenario and of the reference model, for params drawn at random.
func TestTrialRowsKnowTheirGuards(t *testing.T) {
	ref, err := os.ReadFile("../sim/testdata/reference_model.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(4, 4))
	compared := 0
	for name, src := range map[string][]byte{"cells": []byte(cellsScenario), "reference": ref} {
		p, errs := Compile(name+".yaml", src, nil)
		if p == nil {
			t.Fatal(errs.Snippets())
		}
		for g, st := range p.States {
			tbl := p.Kernel.State(g)
			if tbl == nil || tbl.TrialRows() == 0 {
				continue
			}
			n := len(st.Out)
			got, want, scratch := make([]float64, n), make([]float64, n), make([]float64, n)
			for c := range tbl.Combos() {
				for step, cell := range tbl.Cells(c) {
					if cell.Kind != kernel.CellTrial {
						continue
					}
					f := frameAtCombo(p, tbl, c, step, rng)
					gotOK := tbl.Fill(&f, step, cell.Row, got, scratch)
					wantOK := fillCum(p, st, &f, step, guardsOn(p, st, &f), scratch, want)
					for i := range got {
						if math.Float64bits(got[i]) != math.Float64bits(want[i]) || gotOK != wantOK {
							t.Fatalf("%s: %s at combination %d, step %d: row %v (valid %v), with its guards %v (valid %v)",
								name, p.FullName(g), c, step, got, gotOK, want, wantOK)
						}
					}
					compared++
				}
			}
		}
	}
	if compared < 50 {
		t.Fatalf("only %d per-trial cells compared", compared)
	}
	t.Logf("%d per-trial cells compared", compared)
}
