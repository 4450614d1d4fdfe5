package model

// node is the typed intermediate form of an expression.
type node struct {
	op   op
	typ  Type
	dep  Dep
	val  float64 // opConst
	idx  int     // slot, var, track, state index; function id
	idx2 int
	set  []int32 // opInStates: global state indices
	tbl  []float64
	fn1  func(float64) float64
	kids []*node
	off  int // rune offset in the source, for errors
	name string
}

type op uint8

const (
	opConst    op = iota
	opSlot        // Slots[idx]
	opVar         // Vars[idx]
	opTable       // tbl[Step]
	opInState     // State[idx] == idx2
	opInStates    // State[idx] in set
	opDwell       // Step - Since[idx]; tbl[Step] - tbl[Since[idx]] if tbl (StepPos of an irregular grid)
	opReached     // Entry[idx] >= 0
	opEntry       // day of Entry[idx], +Inf if never
	opReachedBy
	opNeg
	opNot
	opAdd
	opSub
	opMul
	opDiv
	opMod
	opPow
	opEq
	opNe
	opLt
	opLe
	opGt
	opGe
	opAnd
	opOr
	opCond
	opMin
	opMax
	opClamp
	opFunc1 // fn1(kids[0])
	// operands of other types, never compiled
	opTrackRef
	opStateRef
	opStr
	opList
	// hoisted forms of expressions of one track's state
	opStateTbl     // tbl[State[idx]], tbl indexed by global state
	opSlotStateTbl // Slots[idx2+State[idx]]
	opEntries      // Entries[idx]: entries into global state idx so far
	// a time-and-params subtree kids[0], kept per step for the frame's
	// generation in step memo idx (see Frame.StepMemo)
	opStepMemo
	// a vars-and-params subtree kids[0], kept in var memo idx until the
	// frame's vars or params change (see Frame.VarMemo)
	opVarMemo
)

func cnst(v float64, typ Type, off int) *node { return &node{op: opConst, typ: typ, val: v, off: off} }

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
