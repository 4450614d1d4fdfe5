package kernel

import (
	"slices"
	"testing"
)

// TestLazySlotsPerGeneration checks that a lazy slot is computed once per
// generation, and again after NextTrial, and that Ensure computes a slot's
// needs before it.
func TestLazySlotsPerGeneration(t *testing.T) {
	calls := 0
	lazy := []func(*Frame) float64{
		func(f *Frame) float64 { calls++; return f.Slots[0] * 2 },
		func(f *Frame) float64 { return f.Slots[1] + 1 }, // reads slot 1 (lazy 0)
	}
	tb := NewTables(1, lazy, 0, 0, 0)
	f := tb.NewFrame(0, 0, 0)
	if len(f.Slots) != 3 || tb.Slots() != 3 {
		t.Fatalf("%d slots, want 3", len(f.Slots))
	}
	f.Slots[0] = 5
	f.NextTrial()
	gen := f.Gen()
	f.Ensure([]int32{0, 1})
	f.Ensure([]int32{0, 1})
	if f.Slots[1] != 10 || f.Slots[2] != 11 || calls != 1 {
		t.Fatalf("slots %v after %d calls, want [5 10 11] after 1", f.Slots, calls)
	}
	f.Slots[0] = 7
	f.Ensure([]int32{0})
	if f.Slots[1] != 10 {
		t.Errorf("slot recomputed within a generation: %v", f.Slots)
	}
	f.NextTrial()
	if f.Gen() == gen {
		t.Fatal("NextTrial did not advance the generation")
	}
	f.Ensure([]int32{0, 1})
	if f.Slots[1] != 14 || f.Slots[2] != 15 || calls != 2 {
		t.Errorf("next trial: slots %v after %d calls, want [7 14 15] after 2", f.Slots, calls)
	}
	eager := &Frame{Slots: []float64{3, 0, 0}}
	tb.FillSlots(eager)
	if !slices.Equal(eager.Slots, []float64{3, 6, 7}) {
		t.Errorf("FillSlots: %v, want [3 6 7]", eager.Slots)
	}
	eager.Ensure([]int32{0, 1}) // no lazy slots: nothing to do
	if !slices.Equal(eager.Slots, []float64{3, 6, 7}) {
		t.Errorf("Ensure changed a frame without lazy slots: %v", eager.Slots)
	}
}

// TestStateTableWake checks the wake-up steps and the combination of a
// table keyed by one track's state and one state's first entry.
func TestStateTableWake(t *testing.T) {
	keys := []Key{
		{Track: 0, First: 2, Size: 2, Reached: -1},
		{Track: -1, Size: 3, Reached: 5, Bounds: []int32{1}},
	}
	steps := 4
	cells := make([]Cell, Combos(keys)*steps)
	cells[0*steps+2].Kind = CellTable // combination 0: only step 2 can fire
	cells[5*steps+0].Kind = CellEval  // combination 5: step 0 only
	tbl := NewStateTable(StateSpec{Keys: keys, Steps: steps, Out: 1, Cells: cells, Tracks: []int{0, 1}})
	if tbl.Combos() != 6 {
		t.Fatalf("%d combinations, want 6", tbl.Combos())
	}
	for _, c := range []struct {
		combo, step int
		want        int32
	}{{0, 0, 2}, {0, 2, 2}, {0, 3, 4}, {5, 0, 0}, {5, 1, 4}, {3, 0, 4}} {
		if got := tbl.Wake(c.combo, c.step); got != c.want {
			t.Errorf("wake(%d, %d) = %d, want %d", c.combo, c.step, got, c.want)
		}
	}
	f := &Frame{State: make([]int32, 2), Entry: make([]int32, 6)}
	for c := range tbl.Combos() {
		SetCombo(f, keys, c)
		if got := tbl.Combo(f); got != c {
			t.Errorf("combination %d set, %d read", c, got)
		}
	}
	// The key of entry into state 5: never, by point 1, later.
	for e, want := range map[int32]int{-1: 0, 0: 1, 1: 1, 2: 2, 9: 2} {
		f.Entry[5] = e
		if got := keys[1].Value(f); got != want {
			t.Errorf("entry %d: value %d, want %d", e, got, want)
		}
	}
	test := NewTest(keys[:1], 0b10)
	f.State[0] = 3
	if !test.Holds(f) {
		t.Error("test false in the state its truth table sets")
	}
	f.State[0] = 2
	if test.Holds(f) {
		t.Error("test true in the state its truth table clears")
	}
}

// TestStepMemoPerGeneration checks that a step memo computes its value
// once per step and generation, again after NextTrial, and every time in
// a frame without memos, before the first generation or at a step outside
// the plan's points.
func TestStepMemoPerGeneration(t *testing.T) {
	calls := 0
	fn := func(f *Frame) float64 { calls++; return f.Slots[0] * float64(f.Step) }
	tb := NewTables(1, nil, 0, 0, 0)
	tb.SetStepMemos(2, 4)
	f := tb.NewFrame(0, 0, 0)
	f.Slots[0] = 2
	f.Step = 3
	if v := f.StepMemo(1, fn); v != 6 || calls != 1 {
		t.Fatalf("before the first generation: %v after %d calls, want 6 after 1", v, calls)
	}
	f.NextTrial()
	for range 3 {
		for step := range 4 {
			f.Step = step
			if v := f.StepMemo(1, fn); v != float64(2*step) {
				t.Fatalf("step %d: %v, want %v", step, v, 2*step)
			}
		}
	}
	if calls != 1+4 {
		t.Errorf("%d calls over 3 passes of 4 steps, want 4 (+1 before)", calls-1)
	}
	f.Slots[0] = 5
	f.NextTrial()
	f.Step = 2
	if v := f.StepMemo(1, fn); v != 10 || calls != 6 {
		t.Errorf("next generation: %v after %d calls, want 10 after 6", v, calls)
	}
	f.Step = 4 // outside the points
	f.StepMemo(1, fn)
	f.StepMemo(1, fn)
	if calls != 8 {
		t.Errorf("outside the points: %d calls, want 8", calls)
	}
	f.Step = 1
	f.StepMemo(2, fn) // no memo 2
	f.StepMemo(2, fn)
	plain := &Frame{Slots: []float64{1}, Step: 1}
	plain.NextTrial()
	plain.StepMemo(0, fn)
	plain.StepMemo(0, fn)
	if calls != 12 {
		t.Errorf("without the memo: %d calls, want 12", calls)
	}
	if e := tb.Evaluated().NewFrame(0, 0, 0); len(e.memoGen) != 0 {
		t.Errorf("Evaluated tables' frames have %d memo points, want none", len(e.memoGen))
	}
}

// TestKeepStepMemos checks that a frame not keeping its step memos
// computes every value, and keeps them again when told to.
func TestKeepStepMemos(t *testing.T) {
	calls := 0
	fn := func(f *Frame) float64 { calls++; return float64(f.Step) }
	tb := NewTables(0, nil, 0, 0, 0)
	tb.SetStepMemos(1, 3)
	f := tb.NewFrame(0, 0, 0)
	f.NextTrial()
	f.Step = 2
	f.KeepStepMemos(false)
	f.StepMemo(0, fn)
	f.StepMemo(0, fn)
	if calls != 2 {
		t.Errorf("not keeping: %d calls, want 2", calls)
	}
	f.KeepStepMemos(true)
	f.StepMemo(0, fn)
	if v := f.StepMemo(0, fn); v != 2 || calls != 3 {
		t.Errorf("keeping again: %v after %d calls, want 2 after 3", v, calls)
	}
}

// TestHoldsSingleKey checks that a test of a single key, which reads its
// key directly, gives what the general combination gives, for every value
// of each kind of key (a track's state, whether a state was reached, when
// it was reached by bounds) and every truth table of that key.
func TestHoldsSingleKey(t *testing.T) {
	keys := []Key{
		{Track: 1, First: 3, Size: 3},
		{Track: -1, Reached: 4, Size: 2},
		{Track: -1, Reached: 4, Size: 4, Bounds: []int32{1, 5}},
	}
	f := &Frame{State: make([]int32, 2), Entry: make([]int32, 6)}
	for _, key := range keys {
		for truth := uint64(0); truth < 1<<key.Size; truth++ {
			test := NewTest([]Key{key}, truth)
			for v := range key.Size {
				key.Set(f, v)
				want := truth>>Combo([]Key{key}, f)&1 != 0
				if c := Combo([]Key{key}, f); c != v {
					t.Fatalf("key %+v set to %d reads %d", key, v, c)
				}
				if got := test.Holds(f); got != want {
					t.Errorf("key %+v = %d, truth %b: holds %v, want %v", key, v, truth, got, want)
				}
			}
		}
	}
}

// TestVarMemoUntilVarsChange checks that a var memo is computed once until
// the vars or the params change (VarsChanged, NextTrial), and every time
// in a frame without var memos or whose vars were never set.
func TestVarMemoUntilVarsChange(t *testing.T) {
	calls := 0
	fn := func(f *Frame) float64 { calls++; return f.Vars[0] * 3 }
	tb := NewTables(0, nil, 0, 0, 0)
	tb.SetVarMemos(1)
	f := tb.NewFrame(1, 0, 0)
	f.Vars[0] = 1
	f.VarMemo(0, fn)
	f.VarMemo(0, fn)
	if calls != 2 {
		t.Fatalf("%d calls before the vars were ever set, want 2 (no memo)", calls)
	}
	f.NextTrial()
	f.VarsChanged()
	calls = 0
	for range 3 {
		if v := f.VarMemo(0, fn); v != 3 {
			t.Fatalf("memo %v, want 3", v)
		}
	}
	if calls != 1 {
		t.Fatalf("%d calls while the vars held, want 1", calls)
	}
	f.Vars[0] = 2
	f.VarsChanged()
	if v := f.VarMemo(0, fn); v != 6 || calls != 2 {
		t.Fatalf("memo %v after %d calls once the vars changed, want 6 after 2", v, calls)
	}
	f.NextTrial()
	f.VarMemo(0, fn)
	if calls != 3 {
		t.Fatalf("%d calls after a new generation, want 3", calls)
	}
	plain := tb.Evaluated().NewFrame(1, 0, 0)
	plain.NextTrial()
	plain.VarsChanged()
	calls = 0
	plain.VarMemo(0, fn)
	plain.VarMemo(0, fn)
	if calls != 2 {
		t.Errorf("%d calls in a frame without var memos, want 2", calls)
	}
}

// TestEnsureSetOncePerGeneration checks that EnsureSet computes a need
// set's slots once per generation, as Ensure does, and that a need set the
// frame has no room for is still computed.
func TestEnsureSetOncePerGeneration(t *testing.T) {
	calls := 0
	lazy := []func(*Frame) float64{func(f *Frame) float64 { calls++; return f.Slots[0] + 1 }}
	tb := NewTables(1, lazy, 0, 0, 0)
	tb.SetNeedSets(1)
	f := tb.NewFrame(0, 0, 0)
	f.Slots[0] = 1
	f.NextTrial()
	f.EnsureSet(0, []int32{0})
	f.EnsureSet(0, []int32{0})
	f.EnsureSet(7, []int32{0}) // no room: Ensure, which finds it computed
	if f.Slots[1] != 2 || calls != 1 {
		t.Fatalf("slot %v after %d calls, want 2 after 1", f.Slots[1], calls)
	}
	f.Slots[0] = 4
	f.NextTrial()
	f.EnsureSet(7, []int32{0})
	f.EnsureSet(0, []int32{0})
	if f.Slots[1] != 5 || calls != 2 {
		t.Fatalf("slot %v after %d calls in the next generation, want 5 after 2", f.Slots[1], calls)
	}
}
