package model

// reads is what an op reads of the frame itself, besides its operands.
// Every analysis of expressions (dependencies, hoisting, per-state tables,
// keys, folding) asks the op table below instead of listing kinds, so that
// an op it does not know is treated as reading everything.
type reads uint16

const (
	readsState   reads = 1 << iota // the current state of track idx
	readsVar                       // Vars[idx]
	readsDwell                     // Step − Since[idx]
	readsEntry                     // the point Entry[idx] as a number (a date), or the count Entries[idx]
	readsReached                   // whether Entry[idx] ≥ 0, or by when (reached_by): a discrete key
	readsSlot                      // a per-trial slot: Slots[idx], or Slots[idx2+State[idx]]
	readsTime                      // the step (a table indexed by it)
)

// readsAll is what an op without an entry in opInfos is taken to read.
const readsAll = readsState | readsVar | readsDwell | readsEntry | readsReached | readsSlot | readsTime

// opInfo describes an op.
type opInfo struct {
	name  string // for messages and tests; empty: no entry
	reads reads
	value bool // evaluates to a number (false: an operand only valid inside other ops)
}

// opInfos declares, for every op, what it reads. An op added to the enum
// without an entry here fails TestOpTable.
var opInfos = [...]opInfo{
	opConst:        {"const", 0, true},
	opSlot:         {"slot", readsSlot, true},
	opVar:          {"var", readsVar, true},
	opTable:        {"table", readsTime, true},
	opInState:      {"in state", readsState, true},
	opInStates:     {"in states", readsState, true},
	opDwell:        {"dwell", readsDwell, true},
	opReached:      {"reached", readsReached, true},
	opEntry:        {"entry", readsEntry, true},
	opReachedBy:    {"reached_by", readsReached, true},
	opNeg:          {"-x", 0, true},
	opNot:          {"not", 0, true},
	opAdd:          {"+", 0, true},
	opSub:          {"-", 0, true},
	opMul:          {"*", 0, true},
	opDiv:          {"/", 0, true},
	opMod:          {"%", 0, true},
	opPow:          {"**", 0, true},
	opEq:           {"==", 0, true},
	opNe:           {"!=", 0, true},
	opLt:           {"<", 0, true},
	opLe:           {"<=", 0, true},
	opGt:           {">", 0, true},
	opGe:           {">=", 0, true},
	opAnd:          {"and", 0, true},
	opOr:           {"or", 0, true},
	opCond:         {"?:", 0, true},
	opMin:          {"min", 0, true},
	opMax:          {"max", 0, true},
	opClamp:        {"clamp", 0, true},
	opFunc1:        {"function", 0, true},
	opTrackRef:     {"track", 0, false},
	opStateRef:     {"track.state", 0, false},
	opStr:          {"string", 0, false},
	opList:         {"list", 0, false},
	opStateTbl:     {"state table", readsState, true},
	opSlotStateTbl: {"state slots", readsState | readsSlot, true},
	opEntries:      {"entries", readsEntry, true},
	opStepMemo:     {"step memo", 0, true},
	opVarMemo:      {"var memo", 0, true},
}

// info returns what the table says of op; an op without an entry reads
// everything and is not a value, so that every pass leaves it alone.
func (o op) info() opInfo {
	if int(o) < len(opInfos) && opInfos[o].name != "" {
		return opInfos[o]
	}
	return opInfo{name: "", reads: readsAll}
}

// dep is the dependency an op's own reads give.
func (r reads) dep() Dep {
	var d Dep
	if r&(readsState|readsVar|readsDwell|readsEntry|readsReached) != 0 {
		d |= DepState
	}
	if r&readsSlot != 0 {
		d |= DepTrial
	}
	if r&readsTime != 0 {
		d |= DepTime
	}
	return d
}

// closeDeps makes every node's dependency include what its op reads (per
// opInfos) and what its operands depend on, so that no pass takes a node
// for more constant than it is. Lowering already sets them so; this keeps
// an op whose lowering forgets a dependency from being folded or hoisted.
func closeDeps(n *node, seen map[*node]bool) {
	if seen[n] {
		return
	}
	seen[n] = true
	d := n.op.info().reads.dep()
	for _, k := range n.kids {
		closeDeps(k, seen)
		d |= k.dep
	}
	n.dep |= d
}
