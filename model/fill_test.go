package model

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// TestRowFillerMatchesFillCum checks that a state's row filler gives
// fillCum's row and validity bit for bit, for every state of the cells
// scenario and of the reference model, for every set of transitions on
// (up to 64 of them per state), at every step and at random states, with
// params drawn at random within their ranges and, a third of the time,
// anywhere (negative, huge, NaN, infinite: invalid rows must be invalid
// alike).
func TestRowFillerMatchesFillCum(t *testing.T) {
	ref, err := os.ReadFile("../sim/testdata/reference_model.yaml")
	if err != nil {
		t.Fatal(err)
	}
	wild := []float64{-1, -1e-300, 0, 1e308, math.Inf(1), math.Inf(-1), math.NaN(), 2, 1e6}
	rng := rand.New(rand.NewPCG(9, 9))
	compared, invalid := 0, 0
	for name, src := range map[string][]byte{"cells": []byte(cellsScenario), "reference": ref} {
		p, errs := Compile(name+".yaml", src, nil)
		if p == nil {
			t.Fatal(errs.Snippets())
		}
		for _, st := range p.States {
			n := len(st.Out)
			if n == 0 || n > 64 {
				continue
			}
			rf := newRowFiller(p, st)
			got, want := make([]float64, n), make([]float64, n)
			gotScratch, wantScratch := make([]float64, n), make([]float64, n)
			for range 40 {
				f := p.Kernel.NewFrame(len(p.Vars), len(p.Tracks), len(p.States))
				drawParamsInRange(p, &f, rng)
				if rng.IntN(3) == 0 {
					f.Slots[rng.IntN(len(p.Params))] = wild[rng.IntN(len(wild))]
				}
				f.NextTrial()
				for i := range f.Entry {
					f.Entry[i] = -1
				}
				for k, tr := range p.Tracks {
					f.State[k] = int32(tr.First + rng.IntN(tr.NStates))
				}
				step := rng.IntN(p.Steps)
				f.Step = step
				on := rng.Uint64()
				if n < 64 {
					on &= 1<<n - 1
				}
				gotOK := rf.fill(&f, step, on, got, gotScratch)
				wantOK := fillCum(p, st, &f, step, on, wantScratch, want)
				for i := range got {
					if math.Float64bits(got[i]) != math.Float64bits(want[i]) || gotOK != wantOK {
						t.Fatalf("%s: state %s, step %d, on %b: row %v (valid %v), fillCum %v (valid %v)",
							name, st.Name, step, on, got, gotOK, want, wantOK)
					}
				}
				compared++
				if !wantOK {
					invalid++
				}
			}
		}
	}
	if compared < 500 || invalid == 0 {
		t.Fatalf("%d rows compared, %d invalid: too few", compared, invalid)
	}
	t.Logf("%d rows compared, %d invalid", compared, invalid)
}
