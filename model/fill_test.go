package model

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// TestRowFillerMatchesFillCum checks that a state's row filler gives
// fillCum's row and validity bit for bit, for every state with a table of
// the cells scenario and of the reference model, for any set of
// transitions on (up to 64 of them per state), at random steps and
// states, with params drawn at random within their ranges and, a third of
// the time, one param anywhere (negative, huge, NaN, infinite: invalid
// rows must be invalid alike). The two are run on separate frames with
// the same params, so that each computes the slots it needs itself.
func TestRowFillerMatchesFillCum(t *testing.T) {
	ref, err := os.ReadFile("../sim/testdata/reference_model.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fillers := map[*State]*rowFiller{}
	rowFillerHook = func(st *State, rf *rowFiller) { fillers[st] = rf }
	defer func() { rowFillerHook = nil }()
	wild := []float64{-1, -1e-300, 0, 1e308, math.Inf(1), math.Inf(-1), math.NaN(), 2, 1e6}
	rng := rand.New(rand.NewPCG(9, 9))
	compared, invalid, bySlot := 0, 0, 0
	for name, src := range map[string][]byte{"cells": []byte(cellsScenario), "reference": ref} {
		p, errs := Compile(name+".yaml", src, nil)
		if p == nil {
			t.Fatal(errs.Snippets())
		}
		for _, st := range p.States {
			rf := fillers[st]
			if rf == nil {
				continue
			}
			for _, x := range rf.terms {
				if x.rate.needs != nil || x.prob.needs != nil {
					bySlot++
				}
			}
			n := len(st.Out)
			got, want := make([]float64, n), make([]float64, n)
			gotScratch, wantScratch := make([]float64, n), make([]float64, n)
			for range 40 {
				fg := p.Kernel.NewFrame(len(p.Vars), len(p.Tracks), len(p.States))
				drawParamsInRange(p, &fg, rng)
				if rng.IntN(3) == 0 {
					fg.Slots[rng.IntN(len(p.Params))] = wild[rng.IntN(len(wild))]
				}
				for i := range fg.Entry {
					fg.Entry[i] = -1
				}
				for k, tr := range p.Tracks {
					fg.State[k] = int32(tr.First + rng.IntN(tr.NStates))
				}
				fg.Step = rng.IntN(p.Steps)
				fw := p.Kernel.NewFrame(len(p.Vars), len(p.Tracks), len(p.States))
				copy(fw.Slots[:len(p.Params)], fg.Slots)
				copy(fw.Entry, fg.Entry)
				copy(fw.State, fg.State)
				fw.Step = fg.Step
				fg.NextTrial()
				fw.NextTrial()
				on := rng.Uint64()
				if n < 64 {
					on &= 1<<n - 1
				}
				gotOK := rf.fill(&fg, fg.Step, on, got, gotScratch)
				wantOK := fillCum(p, st, &fw, fw.Step, on, wantScratch, want)
				for i := range got {
					if math.Float64bits(got[i]) != math.Float64bits(want[i]) || gotOK != wantOK {
						t.Fatalf("%s: state %s, step %d, on %b: row %v (valid %v), fillCum %v (valid %v)",
							name, st.Name, fg.Step, on, got, gotOK, want, wantOK)
					}
				}
				compared++
				if !wantOK {
					invalid++
				}
			}
		}
	}
	if compared < 200 || invalid == 0 || bySlot == 0 {
		t.Fatalf("%d rows compared, %d invalid, %d expressions read by their state's slot: too few", compared, invalid, bySlot)
	}
	t.Logf("%d rows compared, %d invalid; %d expressions read by their state's slot", compared, invalid, bySlot)
}
