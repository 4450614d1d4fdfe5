package model

import (
	"strings"
)

// Frame is the state an expression reads during a trial. The engine owns
// one Frame per worker and fills it; expressions only read it.
type Frame struct {
	Step  int       // current step (point index at the start of the step)
	Slots []float64 // per-trial values: the params first, then hoisted subexpressions
	Vars  []float64 // variables at the start of the step (bools as 0/1)
	State []int32   // per track: the global index of its current state
	Since []int32   // per track: the step at which it entered its current state (dwell = Step − Since)
	Entry []int32   // per global state: point of first entry, or -1 if never
	// Lazy slots: when SlotFns is set, Slots[NParams+j] is computed by
	// SlotFns[j] the first time an expression needs it while Gen has its
	// value (SlotGen[j] == Gen); the engine advances Gen at each trial.
	// Otherwise the caller fills every slot itself.
	SlotFns []func(*Frame) float64
	SlotGen []uint64
	Gen     uint64
	NParams int
}

// ensure computes the slots in needs (ascending, each after the slots it
// reads) that the current Gen has not computed yet.
func (f *Frame) ensure(needs []int32) {
	if f.SlotFns == nil {
		return
	}
	for _, j := range needs {
		if f.SlotGen[j] != f.Gen {
			f.Slots[f.NParams+int(j)] = f.SlotFns[j](f)
			f.SlotGen[j] = f.Gen
		}
	}
}

// Dep says what an expression depends on; it decides how early the
// expression can be computed.
type Dep uint8

const (
	DepTime  Dep = 1 << iota // the step or the date
	DepTrial                 // sampled params (fixed within a trial)
	DepState                 // vars, track states, dwell, entries (change each step)
)

// String names the dependencies, e.g. "time+trial"; "const" for none.
func (d Dep) String() string {
	if d == 0 {
		return "const"
	}
	var parts []string
	for _, p := range []struct {
		d Dep
		s string
	}{{DepTime, "time"}, {DepTrial, "trial"}, {DepState, "state"}} {
		if d&p.d != 0 {
			parts = append(parts, p.s)
		}
	}
	return strings.Join(parts, "+")
}

// Type is the type of an expression.
type Type uint8

const (
	TypeNum Type = iota
	TypeBool
	typeTrack // a track name, only valid in comparisons and dwell()
	typeState // a track.state reference, only valid as a function argument
	typeStr   // a string literal (a state name)
	typeList  // a list of string literals
)

func (t Type) String() string {
	return [...]string{"number", "bool", "track", "track.state", "string", "list"}[t]
}

// Mode is how a compiled expression is evaluated.
type Mode uint8

const (
	ModeConst Mode = iota // a constant, folded at compile time
	ModeTable             // depends on time only: a table indexed by step
	ModeSlot              // depends on params only: one value per trial, in Frame.Slots
	ModeFunc              // depends on state: a closure
	// ModeState depends on the state of one track only (and perhaps on
	// params): Table[State[Track]] for a constant table, or
	// Slots[Slot+State[Track]] for a table made per trial.
	ModeState
)

// Expr is a compiled expression. It is immutable and safe for concurrent use.
type Expr struct {
	Src   string
	Pos   Pos
	Type  Type
	Dep   Dep
	Mode  Mode
	Const float64              // ModeConst
	Table []float64            // ModeTable: value at step k (k = 0..Steps)
	Slot  int                  // ModeSlot
	Fn    func(*Frame) float64 // ModeFunc
	Track int                  // ModeState
	tree  *node                // ModeFunc, ModeState: what it reads, for analysis
	needs []int32              // the slots after the params it reads (see Frame.ensure)
}

// Eval evaluates the expression in a frame. Bools are 0 or 1.
func (e *Expr) Eval(f *Frame) float64 {
	if e.needs != nil {
		f.ensure(e.needs)
	}
	switch e.Mode {
	case ModeConst:
		return e.Const
	case ModeTable:
		return e.Table[f.Step]
	case ModeSlot:
		return f.Slots[e.Slot]
	case ModeState:
		if e.Table != nil {
			return e.Table[f.State[e.Track]]
		}
		return f.Slots[e.Slot+int(f.State[e.Track])]
	}
	return e.Fn(f)
}

// IsConst reports whether the expression is a constant, and its value.
func (e *Expr) IsConst() (float64, bool) { return e.Const, e.Mode == ModeConst }
