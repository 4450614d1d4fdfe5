package model

import (
	"scensim/model/kernel"
	"strings"
)

// Frame is the state an expression reads during a trial (see
// [kernel.Frame]): the engine owns one per worker and fills it.
type Frame = kernel.Frame

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
	// spanTree is a copy of tree as Fn was generated from it (passes over
	// other expressions may rewrite shared subtrees of tree), for spans
	// (see bounds.go).
	spanTree *node
	needs    []int32 // the slots after the params it reads (see Frame.Ensure)
	// plain is Fn without its step memos, for frames that keep none (see
	// Frame.KeepStepMemos), or nil if Fn has none.
	plain func(*Frame) float64
	// points is steps+1 for a time-only expression whose table did not
	// fit in the table budget (ModeFunc), else 0.
	points int
	// call is what Eval runs: one closure that does all that evalSlow
	// does for this expression (see bindCall).
	call func(*Frame) float64
	// needSet is the id of needs for Frame.EnsureSet.
	needSet int
}

// stepValue returns e's value at step k and true if e depends on time at
// most (a constant, a table, or a time-only expression evaluated at each
// step for want of table budget); else false.
func (e *Expr) stepValue(k int) (float64, bool) {
	switch {
	case e.Mode == ModeConst:
		return e.Const, true
	case e.Mode == ModeTable:
		return e.Table[k], true
	case e.points > 0:
		return e.Fn(&Frame{Step: k}), true
	}
	return 0, false
}

// stepCount is the number of points stepValue covers (steps+1), or 0 if
// e is not a table or a time-only expression.
func (e *Expr) stepCount() int {
	if e.Mode == ModeTable {
		return len(e.Table)
	}
	return e.points
}

// Eval evaluates the expression in a frame. Bools are 0 or 1. The
// expression must come from the compiler (which binds its closure).
func (e *Expr) Eval(f *Frame) float64 { return e.call(f) }

// Call returns the closure Eval runs: calling it in a frame gives the
// expression's value there, bit for bit, without Eval's load of it. The
// expression must come from the compiler.
func (e *Expr) Call() func(*Frame) float64 { return e.call }

// evalSlow evaluates the expression by its mode.
func (e *Expr) evalSlow(f *Frame) float64 {
	if e.needs != nil {
		f.Ensure(e.needs)
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
	if e.plain != nil && !f.KeepsStepMemos() {
		return e.plain(f)
	}
	return e.Fn(f)
}

// bindCall sets e.call to a single closure equivalent to evalSlow, so
// that Eval (inlined at its callers) costs one indirect call: the
// closure of a ModeFunc expression itself when it needs no lazy slot and
// has no step memos.
func (e *Expr) bindCall() {
	switch e.Mode {
	case ModeConst:
		v := e.Const
		e.call = func(*Frame) float64 { return v }
		return
	case ModeTable:
		tbl := e.Table
		e.call = func(f *Frame) float64 { return tbl[f.Step] }
	case ModeSlot:
		i := e.Slot
		e.call = func(f *Frame) float64 { return f.Slots[i] }
	case ModeState:
		k := e.Track
		if tbl := e.Table; tbl != nil {
			e.call = func(f *Frame) float64 { return tbl[f.State[k]] }
		} else {
			base := e.Slot
			e.call = func(f *Frame) float64 { return f.Slots[base+int(f.State[k])] }
		}
	case ModeFunc:
		fn, plain := e.Fn, e.plain
		if plain != nil {
			e.call = func(f *Frame) float64 {
				if f.KeepsStepMemos() {
					return fn(f)
				}
				return plain(f)
			}
		} else {
			e.call = fn
		}
	default:
		e.call = e.evalSlow
		return
	}
	if needs, fn := e.needs, e.call; needs != nil {
		id := e.needSet
		e.call = func(f *Frame) float64 {
			f.EnsureSet(id, needs)
			return fn(f)
		}
	}
}

// IsConst reports whether the expression is a constant, and its value.
func (e *Expr) IsConst() (float64, bool) { return e.Const, e.Mode == ModeConst }
