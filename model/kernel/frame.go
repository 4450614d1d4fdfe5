// Package kernel is the simulator's speed layer: the frame compiled
// expressions are evaluated in, and the tables a compiled plan carries so
// that a trial resolves most states and conditions without evaluating
// expressions. The model's compiler builds it (package model); the engine
// reads it (package sim) through the methods documented here. Everything
// in it is a shortcut: a trial must count exactly what evaluating every
// guard, probability, rate and condition as written would give, which
// [Tables.Evaluated] lets tests check.
package kernel

// Frame is the state an expression reads during a trial. The engine owns
// one Frame per worker and fills its exported fields; expressions read
// them, and compute the frame's lazy per-trial slots when they first need
// them (see [Frame.Ensure]). A lazy slot that tables an expression by a
// track's state sets that track's State while it computes, and restores
// it: a frame is not safe for concurrent use.
type Frame struct {
	Step  int       // current step (point index at the start of the step)
	Slots []float64 // per-trial values: the params first, then hoisted subexpressions
	Vars  []float64 // variables at the start of the step (bools as 0/1)
	State []int32   // per track: the global index of its current state
	Since []int32   // per track: the step at which it entered its current state (dwell = Step − Since)
	Entry []int32   // per global state: point of first entry, or -1 if never
	// Entries counts, per global state, the trial's entries into it so
	// far: 1 for the state a track starts in, and 1 for every move into it
	// from another state of its track.
	Entries []int32

	// Lazy slots (see Tables.NewFrame): Slots[nparams+j] is computed by
	// lazy[j] the first time an expression needs it in the current
	// generation (slotGen[j] == gen). A frame without them has every slot
	// filled by its owner.
	lazy    []func(*Frame) float64
	slotGen []uint64
	gen     uint64
	nparams int
	// Var memos (see Frame.VarMemo): memo j's value is varMemoVal[j],
	// valid if varMemoVer[j] == varVer, which every change of the vars
	// (VarsChanged) and of the params (NextTrial) advances.
	varVer     uint64
	varMemoVal []float64
	varMemoVer []uint64

	// ensured[id] is the generation in which every slot of need set id
	// was last computed (see EnsureSet).
	ensured []uint64

	// Step memos (see Frame.StepMemo): memo j's value at step k is
	// memoVal[j*points+k], valid if memoGen[j*points+k] == gen.
	memoVal    []float64
	memoGen    []uint64
	points     int // points of each memo while they are kept, else 0
	memoPoints int // points of each memo
}

// KeepStepMemos says whether the frame keeps its step memos (the default)
// or computes every memo's value each time it is needed: what an owner
// whose every trial has new param values (so that no value could be
// reused) does to save the memos' bookkeeping.
func (f *Frame) KeepStepMemos(keep bool) {
	f.points = 0
	if keep {
		f.points = f.memoPoints
	}
}

// KeepsStepMemos reports whether the frame keeps its step memos: it has
// some, and KeepStepMemos did not turn them off.
func (f *Frame) KeepsStepMemos() bool { return f.points != 0 }

// StepMemo returns memo j's value at the frame's step: fn's value, which
// must be a function of the step and the params alone, computed the first
// time the current generation needs it at that step and kept for the
// generation. A frame without memo j (or before its first generation, at
// a step outside the plan's points, or not keeping its memos: see
// KeepStepMemos) calls fn every time.
func (f *Frame) StepMemo(j int, fn func(*Frame) float64) float64 {
	i := j*f.points + f.Step
	if f.gen == 0 || uint(f.Step) >= uint(f.points) || uint(i) >= uint(len(f.memoGen)) {
		return fn(f)
	}
	if f.memoGen[i] != f.gen {
		f.memoVal[i] = fn(f)
		f.memoGen[i] = f.gen
	}
	return f.memoVal[i]
}

// Ensure computes the lazy slots in needs (indices after the params,
// ascending, each listed after the slots it reads) that the current
// generation has not computed yet. It does nothing in a frame without lazy
// slots.
func (f *Frame) Ensure(needs []int32) {
	if f.lazy == nil {
		return
	}
	for _, j := range needs {
		if f.slotGen[j] != f.gen {
			f.Slots[f.nparams+int(j)] = f.lazy[j](f)
			f.slotGen[j] = f.gen
		}
	}
}

// EnsureSet is Ensure for the need set id (see [Tables.SetNeedSets]) of
// an expression: once the set is computed in the current generation, it
// costs a single comparison. A frame without the set calls Ensure.
func (f *Frame) EnsureSet(id int, needs []int32) {
	if f.lazy == nil {
		return
	}
	if uint(id) >= uint(len(f.ensured)) {
		f.Ensure(needs)
		return
	}
	if f.ensured[id] != f.gen {
		f.Ensure(needs)
		f.ensured[id] = f.gen
	}
}

// NextTrial starts a new generation: the lazy slots are computed again
// when next needed. The engine calls it once per trial, after setting the
// params, and before evaluating anything.
func (f *Frame) NextTrial() {
	f.gen++
	f.varVer++
}

// VarsChanged records that the owner set Vars: the var memos are
// computed again when next needed. The owner calls it after every write
// to Vars (once for a batch of writes), before anything is evaluated.
func (f *Frame) VarsChanged() { f.varVer++ }

// VarMemo returns memo j's value: fn's value, which must be a function of
// the vars and the params alone, computed the first time it is needed
// since the vars or the params last changed (see VarsChanged, NextTrial).
// A frame without memo j, or whose vars were never set, calls fn every
// time.
func (f *Frame) VarMemo(j int, fn func(*Frame) float64) float64 {
	if f.varVer == 0 || uint(j) >= uint(len(f.varMemoVer)) {
		return fn(f)
	}
	if f.varMemoVer[j] != f.varVer {
		f.varMemoVal[j] = fn(f)
		f.varMemoVer[j] = f.varVer
	}
	return f.varMemoVal[j]
}

// Gen is the frame's generation, advanced by every [Frame.NextTrial]. Any
// cache of values that hold for one trial must be keyed on it (never on a
// trial index: a trial may be run again, under other param values).
func (f *Frame) Gen() uint64 { return f.gen }
