package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scensim/model/kernel"
)

// TestConstSlotsAreConstant checks every slot the compiler records as a
// constant of a per-trial state table (env.slotConst) against the slot's
// own code: computed in frames with params drawn at random, within their
// ranges and (a third of the time) one param anywhere, NaN and infinities
// included, the slot must hold the recorded value bit for bit. Plans: the
// shipped scenarios that extend none, the reference model, the cells scenario and
// expressions of another track's state written for the purpose (chains
// of + and * in either nesting, conditions on params that must not count
// as constant).
func TestConstSlotsAreConstant(t *testing.T) {
	sources := map[string][]byte{"cells": []byte(cellsScenario)}
	files, _ := filepath.Glob("../scenarios/*.yaml")
	files = append(files, "../sim/testdata/reference_model.yaml")
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(src), "\nextends:") { // overlays need a resolver
			sources[name] = src
		}
	}
	for _, e := range []string{
		"war.cold ? s : 0.1", "war.hot ? k * s : 0.3 * 0.7 * 1.1",
		"min(1, (war.cold ? s : 0.2) * 1.5)", "war.hot ? 0.1 + (0.2 + 0.3 * 0.5) : s / 2",
		"(war.cold ? 0.1 : 0.2) * (war.hot ? s : 0.3) * 0.9", "war.cold and s > 0.2 ? 0.3 : 0.1",
		`war in ["cold"] ? 0.01 * 3 + k : s`, "war.hot ? 0.1 * (0.7 * (1.3 * 0.9)) : s * s",
		"war.cold ? s : min(0.3, max(0.1, k * 0.7 + 0.013))", "war.cold ? s : (war.hot ? 1e-17 + 0.1 + 0.2 : 0.5)",
	} {
		sources[e] = []byte(fmt.Sprintf(fuzzExprScenario, fmt.Sprintf("%q", e)))
	}
	var consts map[int]float64
	slotConstHook = func(_ *Plan, c map[int]float64) { consts = c }
	defer func() { slotConstHook = nil }()
	wild := []float64{-1, 0, 1e308, math.Inf(1), math.Inf(-1), math.NaN(), 2}
	rng := rand.New(rand.NewPCG(5, 5))
	checked, refConsts := 0, 0
	for name, src := range sources {
		consts = nil
		p, errs := Compile(filepath.Base(name), src, nil)
		if p == nil {
			t.Fatalf("%s: %s", name, errs.Snippets())
		}
		if filepath.Base(name) == "reference_model.yaml" {
			refConsts = len(consts)
		}
		if len(consts) == 0 {
			continue
		}
		lazy := make([]int32, p.Kernel.Slots()-len(p.Params))
		for j := range lazy {
			lazy[j] = int32(j) // ascending: a slot's needs come before it
		}
		for range 30 {
			f := p.Kernel.NewFrame(len(p.Vars), len(p.Tracks), len(p.States))
			drawParamsInRange(p, &f, rng)
			if rng.IntN(3) == 0 {
				f.Slots[rng.IntN(len(p.Params))] = wild[rng.IntN(len(wild))]
			}
			f.NextTrial()
			f.Ensure(lazy)
			for j, v := range consts {
				if got := f.Slots[len(p.Params)+j]; math.Float64bits(got) != math.Float64bits(v) {
					t.Fatalf("%s: slot %d recorded as %v, computed %v with params %v", name, j, v, got, f.Slots[:len(p.Params)])
				}
				checked++
			}
		}
	}
	if refConsts == 0 || checked < 300 {
		t.Fatalf("%d constant slots checked, %d in the reference model: too few", checked, refConsts)
	}
	t.Logf("%d constant slots checked, %d in the reference model", checked, refConsts)
}

// TestTabledRowsHoldInEveryTrial checks that every row tabled before the
// run (CellTable cells) is the row the transitions give, evaluated as
// written with their guards, in frames with params drawn at random, bit
// for bit, and that a cell with nothing to draw (CellNone) has no chance
// of leaving: in the reference model, whose per-trial state tables have
// constant slots that table rows, and in plans written for the purpose.
func TestTabledRowsHoldInEveryTrial(t *testing.T) {
	ref, err := os.ReadFile("../sim/testdata/reference_model.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string][]byte{"reference": ref, "cells": []byte(cellsScenario)}
	for _, e := range []string{"war.cold ? s : 0.1", "war.hot ? k * s : 0.3 * 0.7 * 1.1", "war.cold ? s : 0"} {
		sources[e] = []byte(fmt.Sprintf(fuzzExprScenario, fmt.Sprintf("%q", e)))
	}
	rng := rand.New(rand.NewPCG(6, 6))
	tabled := 0
	for name, src := range sources {
		p, errs := Compile(name+".yaml", src, nil)
		if p == nil {
			t.Fatalf("%s: %s", name, errs.Snippets())
		}
		for g, st := range p.States {
			tbl := p.Kernel.State(g)
			if tbl == nil {
				continue
			}
			n := len(st.Out)
			want, scratch := make([]float64, n), make([]float64, n)
			for c := range tbl.Combos() {
				for step, cell := range tbl.Cells(c) {
					if cell.Kind != kernel.CellTable && cell.Kind != kernel.CellNone {
						continue
					}
					f := frameAtCombo(p, tbl, c, step, rng)
					ok := fillCum(p, st, &f, step, guardsOn(p, st, &f), scratch, want)
					if cell.Kind == kernel.CellNone {
						if !ok || want[n-1] != 0 {
							t.Fatalf("%s: %s at combination %d, step %d: nothing to draw, but the row is %v (valid %v)", name, p.FullName(g), c, step, want, ok)
						}
						continue
					}
					got := tbl.Row(&cell)
					for i := range got {
						if !ok || math.Float64bits(got[i]) != math.Float64bits(want[i]) {
							t.Fatalf("%s: %s at combination %d, step %d: tabled %v, evaluated %v (valid %v)", name, p.FullName(g), c, step, got, want, ok)
						}
					}
					tabled++
				}
			}
		}
	}
	if tabled < 100 {
		t.Fatalf("only %d tabled cells compared", tabled)
	}
	t.Logf("%d tabled cells compared", tabled)
}
