package model

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
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

// env is what names mean while compiling expressions of one scenario.
type env struct {
	params     map[string]int
	paramConst []float64 // value of unsampled params; NaN for sampled ones
	vars       map[string]int
	varTypes   []Type
	dates      map[string]float64 // days since start
	tracks     map[string]int
	states     []map[string]int // per track: state name → global index
	stateNames []string         // global index → "track.state"
	pointDay   []float64        // day offset of points 0..Steps
	steps      int
	// slots collects per-trial hoisted expressions; slot i+len(params) is
	// computed by slotFns[i] when an expression first needs it in a trial.
	slotFns   []func(*Frame) float64
	slotNeeds [][]int32 // per slot fn: the slots it needs (those it reads, and theirs), ascending, itself last
	nparams   int
	later     map[string]string // kind of each var, track and outcome name, known before they are built
	// Time tables: the table of step, shared by every use, and a count
	// of the entries of all other tables against MaxTableCells.
	stepTbl []float64
	cells   int
	work    int       // nodes evaluated to fill tables, against MaxTableWork
	zeros   []float64 // stands in for tables over the budget
	lets    map[string]*letDef
}

// letDef is a named expression from the let section, expanded where used.
type letDef struct {
	t      text
	tree   ast.Node
	active bool // being expanded: a reference now is a cycle
	cache  map[letKey]*node
}

// letKey is what a let's meaning depends on besides its text.
type letKey struct {
	track                             int
	allowState, allowTime, allowTrial bool
}

// MaxTableCells bounds the entries (steps+1 per table) of the tables of
// time-dependent expressions, so that a file of a few hundred kilobytes
// cannot make Compile allocate gigabytes.
const MaxTableCells = 1 << 24

// MaxTableWork bounds the node evaluations (steps+1 per node of a table's
// expression) spent filling time tables: about a second.
const MaxTableWork = 1 << 29

func (e *env) overBudget() bool { return e.cells > MaxTableCells || e.work > MaxTableWork }

// scope is the context of one expression.
type scope struct {
	what       string // e.g. "the probability of talks: a->b"
	track      int    // the track of a transition (for bare dwell), or -1
	allowState bool   // may read vars, states, dwell, entries
	allowTime  bool   // may read step, date
	allowTrial bool   // may read sampled params
	want       Type
}

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
	opDwell       // Step - Since[idx]
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
)

// compiler compiles the expressions of one scenario.
type compiler struct {
	env  *env
	errs *ErrorList
}

// compile parses and compiles one expression. It returns nil after
// recording errors.
func (c *compiler) compile(t text, sc scope) *Expr {
	if !t.ok() {
		return nil
	}
	src := t.S
	if strings.TrimSpace(src) == "" {
		c.errs.Add(t.Pos, t.lineAt(t.Pos), "%s is empty", sc.what)
		return nil
	}
	if off, ok := checkNesting(src); !ok {
		p := t.at(off)
		c.errs.Add(p, t.lineAt(p), "in %s: brackets nest more than %d deep", sc.what, maxNesting)
		return nil
	}
	tree, err := parser.Parse(src)
	if err != nil {
		off := 0
		msg := err.Error()
		if fe, ok := err.(*file.Error); ok {
			off = fe.From
			msg = fe.Message
		}
		p := t.at(off)
		c.errs.Add(p, t.lineAt(p), "in %s: syntax error: %s", sc.what, msg)
		return nil
	}
	n := c.asValue(c.lower(tree.Node, t, sc, nil), t, sc)
	if n == nil {
		return nil
	}
	if n.typ != sc.want {
		p := t.at(n.off)
		c.errs.Add(p, t.lineAt(p), "%s must be a %s, but this is a %s", sc.what, sc.want, n.typ)
		return nil
	}
	if expandedSize(n, maxExpanded, map[*node]int{}) > maxExpanded {
		c.errs.Add(t.Pos, t.lineAt(t.Pos), "in %s: the expression has more than %d operations once its let variables are expanded", sc.what, maxExpanded)
		return nil
	}
	return c.finish(n, t)
}

// maxExpanded bounds the size of an expression with its let variables
// expanded. A variable is one node shared by all its uses, but folding,
// code generation and evaluation walk it once per use, so that
// "let a = x + x; let b = a + a; ..." doubles the work with each let.
const maxExpanded = 10000

// expandedSize returns the number of nodes of n counted as a tree,
// or limit+1 if there are more than limit.
func expandedSize(n *node, limit int, memo map[*node]int) int {
	if s, ok := memo[n]; ok {
		return s
	}
	s := 1
	for _, k := range n.kids {
		if s += expandedSize(k, limit, memo); s > limit {
			s = limit + 1
			break
		}
	}
	memo[n] = s
	return s
}

// maxNesting bounds the nesting of brackets in an expression: the
// expression parser recurses once per level, and a few hundred thousand
// levels overflow the goroutine stack, which cannot be recovered.
const maxNesting = 100

// checkNesting reports whether src nests brackets at most maxNesting deep,
// and if not, the rune offset of the first bracket too deep. Brackets in
// string literals do not count.
func checkNesting(src string) (int, bool) {
	depth := 0
	var quote rune
	escaped := false
	off := 0
	for _, r := range src {
		switch {
		case quote != 0:
			switch {
			case escaped:
				escaped = false
			case r == '\\' && quote != '`':
				escaped = true
			case r == quote:
				quote = 0
			}
		case r == '"' || r == '\'' || r == '`':
			quote = r
		case r == '(' || r == '[' || r == '{':
			if depth++; depth > maxNesting {
				return off, false
			}
		case r == ')' || r == ']' || r == '}':
			depth--
		}
		off++
	}
	return 0, true
}

// finish hoists and generates code for a typed tree.
func (c *compiler) finish(n *node, t text) *Expr {
	n = c.regroup(fold(n))
	e := &Expr{Src: t.S, Pos: t.Pos, Type: n.typ, Dep: n.dep}
	before := c.env.overBudget()
	defer func() {
		if !before && c.env.overBudget() {
			c.errs.Add(t.Pos, t.lineAt(t.Pos), "time-dependent expressions up to here are too many or too large to precompute for %d steps: use fewer steps or fewer time-dependent terms", c.env.steps)
		}
	}()
	switch {
	case n.op == opConst:
		e.Mode, e.Const = ModeConst, n.val
	case n.dep == DepTime:
		e.Mode, e.Table = ModeTable, c.table(n)
	case n.op == opSlot:
		e.Mode, e.Slot = ModeSlot, n.idx
	case n.dep == DepTrial:
		e.Mode, e.Slot = ModeSlot, c.slot(n)
	default:
		h := c.hoist(n)
		switch h.op {
		case opStateTbl:
			e.Mode, e.Table, e.Track = ModeState, h.tbl, h.idx
		case opSlotStateTbl:
			e.Mode, e.Slot, e.Track = ModeState, h.idx2, h.idx
		default:
			e.Mode, e.Fn = ModeFunc, c.gen(h)
		}
		e.tree = h
		e.needs = c.needs(h, nil)
	}
	if e.Mode == ModeSlot && e.Slot >= c.env.nparams {
		e.needs = c.env.slotNeeds[e.Slot-c.env.nparams]
	}
	return e
}

// table evaluates a time-only tree at every step.
func (c *compiler) table(n *node) []float64 {
	if n.op == opTable {
		return n.tbl
	}
	c.env.cells += c.env.steps + 1
	c.env.work += (c.env.steps + 1) * expandedSize(n, MaxTableWork, map[*node]int{})
	if c.env.overBudget() {
		if c.env.zeros == nil {
			c.env.zeros = make([]float64, c.env.steps+1)
		}
		return c.env.zeros
	}
	fn := c.gen(n)
	t := make([]float64, c.env.steps+1)
	var f Frame
	for k := range t {
		f.Step = k
		t[k] = fn(&f)
	}
	return t
}

// slot registers a params-only tree as a per-trial value.
func (c *compiler) slot(n *node) int {
	needs := c.needs(n, nil)
	c.env.slotNeeds = append(c.env.slotNeeds, append(needs, int32(len(c.env.slotFns))))
	c.env.slotFns = append(c.env.slotFns, c.gen(n))
	return c.env.nparams + len(c.env.slotFns) - 1
}

// needs returns the slots after the params that n reads, with the slots
// those read in turn, ascending (so that computing them in order computes
// each after its own needs), added to to.
func (c *compiler) needs(n *node, to []int32) []int32 {
	np := c.env.nparams
	add := func(j int) {
		for _, d := range c.env.slotNeeds[j] {
			if i, found := slices.BinarySearch(to, d); !found {
				to = slices.Insert(to, i, d)
			}
		}
	}
	var walk func(x *node)
	walk = func(x *node) {
		switch x.op {
		case opSlot:
			if x.idx >= np {
				add(x.idx - np)
			}
		case opSlotStateTbl:
			for _, g := range c.env.states[x.idx] {
				add(x.idx2 + g - np)
			}
		}
		for _, k := range x.kids {
			walk(k)
		}
	}
	walk(n)
	return to
}

// hoist replaces maximal time-only subtrees by tables and params-only
// subtrees by slots, so that a closure only computes what changes per step.
func (c *compiler) hoist(n *node) *node {
	switch {
	case n.op == opConst || n.op == opSlot || n.op == opTable:
		return n
	case n.dep == DepTime:
		return &node{op: opTable, typ: n.typ, dep: DepTime, tbl: c.table(n), off: n.off}
	case n.dep == DepTrial:
		return &node{op: opSlot, typ: n.typ, dep: DepTrial, idx: c.slot(n), off: n.off}
	case n.op == opStateTbl || n.op == opSlotStateTbl:
		return n
	case n.dep&DepTime == 0:
		if k, ok := c.oneTrack(n); ok {
			return c.stateTable(n, k)
		}
	}
	for i, k := range n.kids {
		n.kids[i] = c.hoist(k)
	}
	return n
}

// oneTrack reports whether n reads the trial's state only through the
// current state of one track (no vars, dwell or entries), and which.
func (c *compiler) oneTrack(n *node) (int, bool) {
	track := -1
	ok := true
	var walk func(x *node)
	walk = func(x *node) {
		switch x.op {
		case opInState, opInStates:
			if track >= 0 && track != x.idx {
				ok = false
			}
			track = x.idx
		case opVar, opDwell, opReached, opEntry, opReachedBy:
			ok = false
		}
		for _, k := range x.kids {
			walk(k)
		}
	}
	walk(n)
	return track, ok && track >= 0
}

// stateTable turns an expression of one track's state (and params) into a
// table indexed by global state: made once if it does not depend on
// params, else filled in per-trial slots (computed when first needed).
func (c *compiler) stateTable(n *node, k int) *node {
	first, count := len(c.env.stateNames), 0
	for _, g := range c.env.states[k] {
		first = min(first, g)
		count++
	}
	fn := c.gen(n)
	eval := func(f *Frame, g int) float64 {
		save := f.State[k]
		f.State[k] = int32(g)
		v := fn(f)
		f.State[k] = save
		return v
	}
	if n.dep&DepTrial == 0 {
		tbl := make([]float64, first+count)
		f := &Frame{State: make([]int32, len(c.env.states))}
		for g := first; g < first+count; g++ {
			tbl[g] = eval(f, g)
		}
		return &node{op: opStateTbl, typ: n.typ, dep: DepState, idx: k, tbl: tbl, off: n.off}
	}
	base := c.env.nparams + len(c.env.slotFns)
	needs := c.needs(n, nil)
	for g := first; g < first+count; g++ {
		c.env.slotNeeds = append(c.env.slotNeeds, append(slices.Clone(needs), int32(len(c.env.slotFns))))
		c.env.slotFns = append(c.env.slotFns, func(f *Frame) float64 { return eval(f, g) })
	}
	return &node{op: opSlotStateTbl, typ: n.typ, dep: DepState | DepTrial, idx: k, idx2: base - first, off: n.off}
}

func (c *compiler) errAt(t text, off int, format string, args ...any) *node {
	p := t.at(off)
	c.errs.Add(p, t.lineAt(p), format, args...)
	return nil
}

func cnst(v float64, typ Type, off int) *node { return &node{op: opConst, typ: typ, val: v, off: off} }

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// functions of one number.
var funcs1 = map[string]func(float64) float64{
	"abs": math.Abs, "exp": math.Exp, "log": math.Log, "sqrt": math.Sqrt,
	"floor": math.Floor, "ceil": math.Ceil, "round": math.Round,
	"logistic": func(x float64) float64 { return 1 / (1 + math.Exp(-x)) },
	"logit":    func(p float64) float64 { return math.Log(p / (1 - p)) },
}

// valueFuncs are the functions of numbers other than funcs1.
var valueFuncs = map[string]bool{
	"min": true, "max": true, "clamp": true, "ramp": true, "until": true, "since": true,
	"days": true, "weeks": true, "months": true,
}

// reservedNames may not be used as names in a scenario.
var reservedNames = map[string]bool{
	"step": true, "date": true, "dt": true, "dwell": true, "true": true, "false": true,
	"min": true, "max": true, "clamp": true, "ramp": true, "until": true, "since": true,
	"reached": true, "reached_by": true, "entry": true, "weeks": true, "days": true, "months": true,
	"and": true, "or": true, "not": true, "in": true, "let": true, "if": true, "else": true, "nil": true,
}

func init() {
	for k := range funcs1 {
		reservedNames[k] = true
	}
}

// lower type-checks an expr-lang AST node and turns it into a node.
func (c *compiler) lower(a ast.Node, t text, sc scope, locals map[string]*node) *node {
	off := a.Location().From
	switch a := a.(type) {
	case *ast.IntegerNode:
		return cnst(float64(a.Value), TypeNum, off)
	case *ast.FloatNode:
		return cnst(a.Value, TypeNum, off)
	case *ast.BoolNode:
		return cnst(b2f(a.Value), TypeBool, off)
	case *ast.StringNode:
		return &node{op: opStr, typ: typeStr, name: a.Value, off: off}
	case *ast.ArrayNode:
		n := &node{op: opList, typ: typeList, off: off}
		for _, it := range a.Nodes {
			s, ok := it.(*ast.StringNode)
			if !ok {
				return c.errAt(t, it.Location().From, "in %s: a list may only hold state names in quotes", sc.what)
			}
			n.kids = append(n.kids, &node{op: opStr, typ: typeStr, name: s.Value, off: s.Location().From})
		}
		return n
	case *ast.IdentifierNode:
		return c.ident(a.Value, off, t, sc, locals)
	case *ast.MemberNode:
		return c.member(a, t, sc, locals)
	case *ast.UnaryNode:
		x := c.asValue(c.lower(a.Node, t, sc, locals), t, sc)
		if x == nil {
			return nil
		}
		switch a.Operator {
		case "-", "+":
			if x.typ != TypeNum {
				return c.errAt(t, off, "in %s: %s needs a number, not a %s", sc.what, a.Operator, x.typ)
			}
			if a.Operator == "+" {
				return x
			}
			return &node{op: opNeg, typ: TypeNum, dep: x.dep, kids: []*node{x}, off: off}
		case "!", "not":
			if x.typ != TypeBool {
				return c.errAt(t, off, "in %s: %s needs a bool, not a %s", sc.what, a.Operator, x.typ)
			}
			return &node{op: opNot, typ: TypeBool, dep: x.dep, kids: []*node{x}, off: off}
		}
		return c.errAt(t, off, "in %s: operator %q is not supported", sc.what, a.Operator)
	case *ast.BinaryNode:
		return c.binary(a, t, sc, locals)
	case *ast.ConditionalNode:
		cond := c.asValue(c.lower(a.Cond, t, sc, locals), t, sc)
		x := c.asValue(c.lower(a.Exp1, t, sc, locals), t, sc)
		y := c.asValue(c.lower(a.Exp2, t, sc, locals), t, sc)
		if cond == nil || x == nil || y == nil {
			return nil
		}
		if cond.typ != TypeBool {
			return c.errAt(t, a.Cond.Location().From, "in %s: a condition must be a bool, not a %s", sc.what, cond.typ)
		}
		if x.typ != y.typ || (x.typ != TypeNum && x.typ != TypeBool) {
			return c.errAt(t, off, "in %s: both branches must be numbers or both bools (got %s and %s)", sc.what, x.typ, y.typ)
		}
		return &node{op: opCond, typ: x.typ, dep: cond.dep | x.dep | y.dep, kids: []*node{cond, x, y}, off: off}
	case *ast.VariableDeclaratorNode:
		v := c.asValue(c.lower(a.Value, t, sc, locals), t, sc)
		if v == nil {
			return nil
		}
		if v.typ != TypeNum && v.typ != TypeBool {
			return c.errAt(t, a.Value.Location().From, "in %s: let %s must be a number or a bool", sc.what, a.Name)
		}
		inner := map[string]*node{}
		for k, x := range locals {
			inner[k] = x
		}
		inner[a.Name] = v
		return c.lower(a.Expr, t, sc, inner)
	case *ast.CallNode:
		id, ok := a.Callee.(*ast.IdentifierNode)
		if !ok {
			return c.errAt(t, off, "in %s: only named functions can be called", sc.what)
		}
		return c.call(id.Value, a.Arguments, off, t, sc, locals)
	case *ast.BuiltinNode:
		return c.call(a.Name, a.Arguments, off, t, sc, locals)
	case *ast.ChainNode:
		return c.errAt(t, off, "in %s: optional chaining (?.) is not supported", sc.what)
	}
	return c.errAt(t, off, "in %s: this kind of expression is not supported", sc.what)
}

func (c *compiler) ident(name string, off int, t text, sc scope, locals map[string]*node) *node {
	if x, ok := locals[name]; ok {
		return x
	}
	e := c.env
	switch name {
	case "step", "date":
		if !sc.allowTime {
			return c.errAt(t, off, "in %s: %s cannot be used here (no time is running)", sc.what, name)
		}
		if name == "step" {
			if e.stepTbl == nil {
				e.stepTbl = make([]float64, e.steps+1)
				for k := range e.stepTbl {
					e.stepTbl[k] = float64(k)
				}
			}
			return &node{op: opTable, typ: TypeNum, dep: DepTime, tbl: e.stepTbl, off: off}
		}
		return &node{op: opTable, typ: TypeNum, dep: DepTime, tbl: e.pointDay, off: off}
	case "dwell":
		return c.dwell(-1, off, t, sc)
	}
	if l, ok := e.lets[name]; ok {
		if l.active {
			return c.errAt(t, off, "in %s: let %s refers to itself", sc.what, name)
		}
		// A let is lowered once per kind of place it is used in (what dwell
		// means and what may be read) and its node shared by every use, so
		// that lets built from lets cost their size, not their expansion.
		key := letKey{sc.track, sc.allowState, sc.allowTime, sc.allowTrial}
		if n, done := l.cache[key]; done {
			return n
		}
		l.active = true
		inner := sc
		inner.what = "let " + name + " (used in " + sc.what + ")"
		n := c.asValue(c.lower(l.tree, l.t, inner, nil), l.t, inner)
		l.active = false
		if l.cache == nil {
			l.cache = map[letKey]*node{}
		}
		l.cache[key] = n
		if n == nil {
			return nil
		}
		if n.typ != TypeNum && n.typ != TypeBool {
			return c.errAt(l.t, 0, "let %s must be a number or a bool, not a %s", name, n.typ)
		}
		return n
	}
	if i, ok := e.params[name]; ok {
		if v := e.paramConst[i]; !math.IsNaN(v) {
			return cnst(v, TypeNum, off)
		}
		if !sc.allowTrial {
			return c.errAt(t, off, "in %s: sampled param %s cannot be used here", sc.what, name)
		}
		return &node{op: opSlot, typ: TypeNum, dep: DepTrial, idx: i, off: off}
	}
	if i, ok := e.vars[name]; ok {
		if !sc.allowState {
			return c.errAt(t, off, "in %s: var %s cannot be used here", sc.what, name)
		}
		return &node{op: opVar, typ: e.varTypes[i], dep: DepState, idx: i, off: off}
	}
	if d, ok := e.dates[name]; ok {
		return cnst(d, TypeNum, off)
	}
	if i, ok := e.tracks[name]; ok {
		return &node{op: opTrackRef, typ: typeTrack, idx: i, off: off, name: name}
	}
	if _, isFunc := funcs1[name]; isFunc || valueFuncs[name] || name == "reached" || name == "reached_by" || name == "entry" {
		return c.errAt(t, off, "in %s: %s is a function: write %s(...)", sc.what, name, name)
	}
	if reservedNames[name] {
		return c.errAt(t, off, "in %s: %q is a reserved word", sc.what, name)
	}
	if kind, ok := e.later[name]; ok {
		return c.errAt(t, off, "in %s: %s %s cannot be used here", sc.what, kind, name)
	}
	return c.errAt(t, off, "in %s: unknown name %q%s", sc.what, name, c.suggest(name, "name"))
}

// suggest proposes a known name close to an unknown one, of the kind
// wanted: "track", "function" or any name that has a value. Ties go to the
// alphabetically first name, so that messages do not depend on map order.
func (c *compiler) suggest(name, kind string) string {
	best, bestD := "", 3
	try := func(k string) {
		if d := editDistance(name, k); d > 0 && (d < bestD || d == bestD && k < best) {
			best, bestD = k, d
		}
	}
	switch kind {
	case "track":
		for k := range c.env.tracks {
			try(k)
		}
	case "function":
		for k := range funcs1 {
			try(k)
		}
		for k := range valueFuncs {
			try(k)
		}
		for _, k := range []string{"dwell", "reached", "reached_by", "entry"} {
			try(k)
		}
	default:
		for _, m := range []map[string]int{c.env.params, c.env.vars, c.env.tracks} {
			for k := range m {
				try(k)
			}
		}
		for k := range c.env.dates {
			try(k)
		}
		for _, k := range []string{"step", "date", "dwell"} {
			try(k)
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// EditDistance is the optimal string alignment distance between a and b
// (used for did-you-mean suggestions).
func EditDistance(a, b string) int { return editDistance(a, b) }

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of two adjacent runes cost 1.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	pprev := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], pprev[j-2]+1)
			}
		}
		pprev, prev, cur = prev, cur, pprev
	}
	return prev[len(rb)]
}

func (c *compiler) dwell(track int, off int, t text, sc scope) *node {
	if !sc.allowState {
		return c.errAt(t, off, "in %s: dwell cannot be used here", sc.what)
	}
	if track < 0 {
		track = sc.track
		if track < 0 {
			return c.errAt(t, off, "in %s: dwell without a track only works in a transition; write dwell(track)", sc.what)
		}
	}
	return &node{op: opDwell, typ: TypeNum, dep: DepState, idx: track, off: off}
}

// stateRef resolves track.state to a global state index.
func (c *compiler) stateRef(track int, state string, off int, t text, sc scope) (int, bool) {
	g, ok := c.env.states[track][state]
	if !ok {
		var known []string
		for _, n := range c.env.stateNames {
			if tn, sn, _ := strings.Cut(n, "."); c.env.tracks[tn] == track {
				known = append(known, sn)
			}
		}
		c.errAt(t, off, "in %s: track %s has no state %q (states: %s)", sc.what, c.trackName(track), state, strings.Join(known, ", "))
		return 0, false
	}
	return g, true
}

func (c *compiler) trackName(i int) string {
	for k, v := range c.env.tracks {
		if v == i {
			return k
		}
	}
	return "?"
}

func (c *compiler) member(a *ast.MemberNode, t text, sc scope, locals map[string]*node) *node {
	off := a.Location().From
	id, ok := a.Node.(*ast.IdentifierNode)
	prop, ok2 := a.Property.(*ast.StringNode)
	if !ok || !ok2 || a.Method {
		return c.errAt(t, off, "in %s: only track.state can be written with a dot", sc.what)
	}
	ti, ok := c.env.tracks[id.Value]
	if !ok {
		_, isLocal := locals[id.Value]
		_, isParam := c.env.params[id.Value]
		_, isVar := c.env.vars[id.Value]
		if isLocal || isParam || isVar {
			return c.errAt(t, off, "in %s: %s is not a track", sc.what, id.Value)
		}
		if c.env.later[id.Value] == "track" {
			return c.errAt(t, off, "in %s: track %s cannot be used here", sc.what, id.Value)
		}
		return c.errAt(t, off, "in %s: unknown track %q%s", sc.what, id.Value, c.suggest(id.Value, "track"))
	}
	g, ok := c.stateRef(ti, prop.Value, prop.Location().From, t, sc)
	if !ok {
		return nil
	}
	return &node{op: opStateRef, typ: typeState, idx: ti, idx2: g, off: off, name: id.Value + "." + prop.Value}
}

// asBool turns a track.state reference used as a value into "track is in state".
func (c *compiler) asValue(n *node, t text, sc scope) *node {
	if n == nil || n.op != opStateRef {
		return n
	}
	if !sc.allowState {
		return c.errAt(t, n.off, "in %s: track states cannot be used here", sc.what)
	}
	return &node{op: opInState, typ: TypeBool, dep: DepState, idx: n.idx, idx2: n.idx2, off: n.off}
}

func (c *compiler) binary(a *ast.BinaryNode, t text, sc scope, locals map[string]*node) *node {
	off := a.Location().From
	l := c.lower(a.Left, t, sc, locals)
	r := c.lower(a.Right, t, sc, locals)
	if l == nil || r == nil {
		return nil
	}
	// track == "state", track != "state", track in ["a", "b"]
	if l.typ == typeTrack || r.typ == typeTrack {
		return c.trackCompare(a.Operator, l, r, off, t, sc)
	}
	l, r = c.asValue(l, t, sc), c.asValue(r, t, sc)
	if l == nil || r == nil {
		return nil
	}
	dep := l.dep | r.dep
	arith := map[string]op{"+": opAdd, "-": opSub, "*": opMul, "/": opDiv, "%": opMod, "**": opPow, "^": opPow}
	cmp := map[string]op{"<": opLt, "<=": opLe, ">": opGt, ">=": opGe}
	if o, ok := arith[a.Operator]; ok {
		if l.typ != TypeNum || r.typ != TypeNum {
			return c.errAt(t, off, "in %s: %s needs numbers, not %s and %s", sc.what, a.Operator, l.typ, r.typ)
		}
		return &node{op: o, typ: TypeNum, dep: dep, kids: []*node{l, r}, off: off}
	}
	if o, ok := cmp[a.Operator]; ok {
		if l.typ != TypeNum || r.typ != TypeNum {
			return c.errAt(t, off, "in %s: %s compares numbers, not %s and %s", sc.what, a.Operator, l.typ, r.typ)
		}
		return &node{op: o, typ: TypeBool, dep: dep, kids: []*node{l, r}, off: off}
	}
	switch a.Operator {
	case "==", "!=":
		if l.typ != r.typ || (l.typ != TypeNum && l.typ != TypeBool) {
			return c.errAt(t, off, "in %s: %s compares two numbers or two bools, not %s and %s", sc.what, a.Operator, l.typ, r.typ)
		}
		o := opEq
		if a.Operator == "!=" {
			o = opNe
		}
		return &node{op: o, typ: TypeBool, dep: dep, kids: []*node{l, r}, off: off}
	case "&&", "and", "||", "or":
		if l.typ != TypeBool || r.typ != TypeBool {
			return c.errAt(t, off, "in %s: %s needs bools, not %s and %s", sc.what, a.Operator, l.typ, r.typ)
		}
		o := opAnd
		if a.Operator == "||" || a.Operator == "or" {
			o = opOr
		}
		return &node{op: o, typ: TypeBool, dep: dep, kids: []*node{l, r}, off: off}
	}
	return c.errAt(t, off, "in %s: operator %q is not supported", sc.what, a.Operator)
}

func (c *compiler) trackCompare(operator string, l, r *node, off int, t text, sc scope) *node {
	if l.typ != typeTrack {
		l, r = r, l
	}
	if !sc.allowState {
		return c.errAt(t, off, "in %s: track states cannot be used here", sc.what)
	}
	var names []*node
	switch {
	case (operator == "==" || operator == "!=") && r.typ == typeStr:
		names = []*node{r}
	case operator == "in" && r.typ == typeList:
		names = r.kids
	default:
		return c.errAt(t, off, `in %s: a track can only be compared with a state name: track == "state", track != "state" or track in ["a", "b"]`, sc.what)
	}
	n := &node{op: opInStates, typ: TypeBool, dep: DepState, idx: l.idx, off: off}
	for _, s := range names {
		g, ok := c.stateRef(l.idx, s.name, s.off, t, sc)
		if !ok {
			return nil
		}
		n.set = append(n.set, int32(g))
	}
	if len(n.set) == 1 {
		n.op, n.idx2, n.set = opInState, int(n.set[0]), nil
	}
	if operator == "!=" {
		return &node{op: opNot, typ: TypeBool, dep: DepState, kids: []*node{n}, off: off}
	}
	return n
}

func (c *compiler) call(name string, args []ast.Node, off int, t text, sc scope, locals map[string]*node) *node {
	// Functions whose argument is a reference, not a value.
	switch name {
	case "dwell":
		if len(args) != 1 {
			return c.errAt(t, off, "in %s: dwell(track) takes one track", sc.what)
		}
		x := c.lower(args[0], t, sc, locals)
		if x == nil {
			return nil
		}
		if x.typ != typeTrack {
			return c.errAt(t, args[0].Location().From, "in %s: dwell(track) takes a track name", sc.what)
		}
		return c.dwell(x.idx, off, t, sc)
	case "reached", "entry", "reached_by":
		want := 1
		if name == "reached_by" {
			want = 2
		}
		if len(args) != want {
			return c.errAt(t, off, "in %s: %s takes %d argument(s)", sc.what, name, want)
		}
		x := c.lower(args[0], t, sc, locals)
		if x == nil {
			return nil
		}
		if x.typ != typeState {
			return c.errAt(t, args[0].Location().From, "in %s: %s needs track.state as its first argument", sc.what, name)
		}
		if !sc.allowState {
			return c.errAt(t, off, "in %s: %s cannot be used here", sc.what, name)
		}
		switch name {
		case "reached":
			return &node{op: opReached, typ: TypeBool, dep: DepState, idx: x.idx2, off: off}
		case "entry":
			return &node{op: opEntry, typ: TypeNum, dep: DepState, idx: x.idx2, tbl: c.env.pointDay, off: off}
		}
		d := c.asValue(c.lower(args[1], t, sc, locals), t, sc)
		if d == nil {
			return nil
		}
		if d.typ != TypeNum {
			return c.errAt(t, args[1].Location().From, "in %s: reached_by needs a date as its second argument", sc.what)
		}
		return &node{op: opReachedBy, typ: TypeBool, dep: DepState | d.dep, idx: x.idx2, tbl: c.env.pointDay, kids: []*node{d}, off: off}
	}
	if _, ok := funcs1[name]; !ok && !valueFuncs[name] {
		return c.errAt(t, off, "in %s: unknown function %q%s", sc.what, name, c.suggest(name, "function"))
	}
	var xs []*node
	var dep Dep
	for _, a := range args {
		x := c.asValue(c.lower(a, t, sc, locals), t, sc)
		if x == nil {
			return nil
		}
		if x.typ != TypeNum {
			return c.errAt(t, a.Location().From, "in %s: %s takes numbers, not a %s", sc.what, name, x.typ)
		}
		xs = append(xs, x)
		dep |= x.dep
	}
	nargs := func(n int) bool {
		if len(xs) != n {
			c.errAt(t, off, "in %s: %s takes %d argument(s), not %d", sc.what, name, n, len(xs))
			return false
		}
		return true
	}
	dateFn := func(mk func(x *node) *node) *node {
		if !sc.allowTime {
			return c.errAt(t, off, "in %s: %s cannot be used here (no time is running)", sc.what, name)
		}
		return mk(&node{op: opTable, typ: TypeNum, dep: DepTime, tbl: c.env.pointDay, off: off})
	}
	num := func(o op, kids ...*node) *node {
		d := Dep(0)
		for _, k := range kids {
			d |= k.dep
		}
		return &node{op: o, typ: TypeNum, dep: d, kids: kids, off: off}
	}
	switch name {
	case "min", "max":
		if len(xs) < 1 {
			return c.errAt(t, off, "in %s: %s needs at least one argument", sc.what, name)
		}
		o := opMin
		if name == "max" {
			o = opMax
		}
		n := xs[0]
		for _, x := range xs[1:] {
			n = num(o, n, x)
		}
		return n
	case "clamp":
		if !nargs(3) {
			return nil
		}
		return num(opClamp, xs...)
	case "ramp":
		if !nargs(2) {
			return nil
		}
		// clamp((date - d0) / (d1 - d0), 0, 1)
		return dateFn(func(date *node) *node {
			return num(opClamp, num(opDiv, num(opSub, date, xs[0]), num(opSub, xs[1], xs[0])), cnst(0, TypeNum, off), cnst(1, TypeNum, off))
		})
	case "until":
		if !nargs(1) {
			return nil
		}
		return dateFn(func(date *node) *node { return num(opSub, xs[0], date) })
	case "since":
		if !nargs(1) {
			return nil
		}
		return dateFn(func(date *node) *node { return num(opSub, date, xs[0]) })
	case "days", "weeks", "months":
		if !nargs(1) {
			return nil
		}
		k := map[string]float64{"days": 1, "weeks": 7, "months": 365.25 / 12}[name]
		return num(opMul, xs[0], cnst(k, TypeNum, off))
	}
	if f, ok := funcs1[name]; ok {
		if !nargs(1) {
			return nil
		}
		n := num(opFunc1, xs[0])
		n.fn1, n.name = f, name
		return n
	}
	return c.errAt(t, off, "in %s: unknown function %q%s", sc.what, name, c.suggest(name, "function"))
}

// fold evaluates constant subtrees.
func fold(n *node) *node {
	for i, k := range n.kids {
		n.kids[i] = fold(k)
	}
	if n.dep != 0 || n.op == opConst || n.op == opTable || n.op == opSlot {
		return n
	}
	switch n.op {
	case opTrackRef, opStateRef, opStr, opList:
		return n
	}
	v := genNode(n)(&Frame{})
	return cnst(v, n.typ, n.off)
}

// regroup reorders chains of + and of * (which commute) so that factors of
// the same dependency stand together: constants fold into one, time-only
// factors into one table, param-only factors into one per-trial slot, and
// only the state-dependent rest is left for the step loop. For example
// rate·ramp(d0, d1)·(talks.open ? 2 : 1) becomes a table of rate·ramp
// times a closure of the state test.
func (c *compiler) regroup(n *node) *node {
	for i, k := range n.kids {
		n.kids[i] = c.regroup(k)
	}
	if (n.op != opAdd && n.op != opMul) || n.dep&DepState == 0 {
		return n
	}
	var terms []*node
	var flatten func(x *node)
	flatten = func(x *node) {
		if x.op == n.op {
			flatten(x.kids[0])
			flatten(x.kids[1])
			return
		}
		terms = append(terms, x)
	}
	flatten(n)
	// Order: const, time, trial, time+trial, then state-dependent terms in
	// their written order; each group is combined left to right.
	rank := func(x *node) int {
		switch {
		case x.dep == 0:
			return 0
		case x.dep == DepTime:
			return 1
		case x.dep == DepTrial:
			return 2
		case x.dep&DepState == 0:
			return 3
		}
		return 4
	}
	groups := make([][]*node, 5)
	for _, x := range terms {
		groups[rank(x)] = append(groups[rank(x)], x)
	}
	combine := func(a, b *node) *node {
		if a == nil {
			return b
		}
		return &node{op: n.op, typ: TypeNum, dep: a.dep | b.dep, kids: []*node{a, b}, off: n.off}
	}
	var out *node
	for i, g := range groups[:4] {
		var part *node
		for _, x := range g {
			part = combine(part, x)
		}
		if part == nil {
			continue
		}
		part = fold(part)
		if i == 0 && n.op == opMul && part.val == 1 {
			continue // x·1 = x exactly (state-dependent terms follow)
		}
		out = combine(out, part)
	}
	// State-dependent terms that read one and the same track combine first,
	// so that they hoist into a single table indexed by that track's state.
	var byTrack [][]*node
	var other []*node
	trackOf := map[int]int{}
	for _, x := range groups[4] {
		if k, ok := c.oneTrack(x); ok && x.dep&DepTime == 0 {
			if i, seen := trackOf[k]; seen {
				byTrack[i] = append(byTrack[i], x)
				continue
			}
			trackOf[k] = len(byTrack)
			byTrack = append(byTrack, []*node{x})
			continue
		}
		other = append(other, x)
	}
	for _, g := range byTrack {
		var part *node
		for _, x := range g {
			part = combine(part, x)
		}
		out = combine(out, part)
	}
	for _, x := range other {
		out = combine(out, x)
	}
	return out
}

// gen generates the closure of a node.
func (c *compiler) gen(n *node) func(*Frame) float64 { return genNode(n) }

func genNode(n *node) func(*Frame) float64 {
	switch n.op {
	case opConst:
		v := n.val
		return func(*Frame) float64 { return v }
	case opSlot:
		i := n.idx
		return func(f *Frame) float64 { return f.Slots[i] }
	case opVar:
		i := n.idx
		return func(f *Frame) float64 { return f.Vars[i] }
	case opTable:
		tbl := n.tbl
		return func(f *Frame) float64 { return tbl[f.Step] }
	case opInState:
		k, g := n.idx, int32(n.idx2)
		return func(f *Frame) float64 {
			if f.State[k] == g {
				return 1
			}
			return 0
		}
	case opInStates:
		k, set := n.idx, n.set
		return func(f *Frame) float64 {
			s := f.State[k]
			for _, g := range set {
				if s == g {
					return 1
				}
			}
			return 0
		}
	case opDwell:
		k := n.idx
		return func(f *Frame) float64 { return float64(int32(f.Step) - f.Since[k]) }
	case opReached:
		g := n.idx
		return func(f *Frame) float64 {
			if f.Entry[g] >= 0 {
				return 1
			}
			return 0
		}
	case opStateTbl:
		k, tbl := n.idx, n.tbl
		return func(f *Frame) float64 { return tbl[f.State[k]] }
	case opSlotStateTbl:
		k, base := n.idx, n.idx2
		return func(f *Frame) float64 { return f.Slots[base+int(f.State[k])] }
	case opMul, opAdd:
		if fn := genChain(n); fn != nil {
			return fn
		}
	case opEntry:
		g, days := n.idx, n.tbl
		return func(f *Frame) float64 {
			if e := f.Entry[g]; e >= 0 {
				return days[e]
			}
			return math.Inf(1)
		}
	case opReachedBy:
		g, days, d := n.idx, n.tbl, genNode(n.kids[0])
		return func(f *Frame) float64 {
			if e := f.Entry[g]; e >= 0 && days[e] <= d(f) {
				return 1
			}
			return 0
		}
	case opFunc1:
		x, fn := genNode(n.kids[0]), n.fn1
		return func(f *Frame) float64 { return fn(x(f)) }
	case opNeg:
		x := genNode(n.kids[0])
		return func(f *Frame) float64 { return -x(f) }
	case opNot:
		x := genNode(n.kids[0])
		return func(f *Frame) float64 { return 1 - x(f) }
	case opCond:
		cond, x, y := genNode(n.kids[0]), genNode(n.kids[1]), genNode(n.kids[2])
		return func(f *Frame) float64 {
			if cond(f) != 0 {
				return x(f)
			}
			return y(f)
		}
	case opAnd:
		x, y := genNode(n.kids[0]), genNode(n.kids[1])
		return func(f *Frame) float64 {
			if x(f) == 0 {
				return 0
			}
			return y(f)
		}
	case opOr:
		x, y := genNode(n.kids[0]), genNode(n.kids[1])
		return func(f *Frame) float64 {
			if x(f) != 0 {
				return 1
			}
			return y(f)
		}
	case opClamp:
		x, lo, hi := genNode(n.kids[0]), genNode(n.kids[1]), genNode(n.kids[2])
		return func(f *Frame) float64 { return math.Min(math.Max(x(f), lo(f)), hi(f)) }
	}
	if len(n.kids) == 2 {
		return genBinary(n)
	}
	panic(fmt.Sprintf("model: no code for op %d", n.op))
}

// genBinary specialises binary operators with a constant operand, the
// commonest shape after folding.
func genBinary(n *node) func(*Frame) float64 {
	l, r := n.kids[0], n.kids[1]
	if fn := genVarConst(n); fn != nil {
		return fn
	}
	if r.op == opConst {
		x, c := genNode(l), r.val
		switch n.op {
		case opAdd:
			return func(f *Frame) float64 { return x(f) + c }
		case opSub:
			return func(f *Frame) float64 { return x(f) - c }
		case opMul:
			return func(f *Frame) float64 { return x(f) * c }
		case opDiv:
			return func(f *Frame) float64 { return x(f) / c }
		case opLt:
			return func(f *Frame) float64 { return b2f(x(f) < c) }
		case opGt:
			return func(f *Frame) float64 { return b2f(x(f) > c) }
		}
	}
	if fn := genRateProb(n); fn != nil {
		return fn
	}
	if l.op == opConst {
		c, y := l.val, genNode(r)
		switch n.op {
		case opMul:
			return func(f *Frame) float64 { return c * y(f) }
		case opSub:
			return func(f *Frame) float64 { return c - y(f) }
		case opAdd:
			return func(f *Frame) float64 { return c + y(f) }
		}
	}
	if fn := genLeafBinary(n); fn != nil {
		return fn
	}
	x, y := genNode(l), genNode(r)
	switch n.op {
	case opAdd:
		return func(f *Frame) float64 { return x(f) + y(f) }
	case opSub:
		return func(f *Frame) float64 { return x(f) - y(f) }
	case opMul:
		return func(f *Frame) float64 { return x(f) * y(f) }
	case opDiv:
		return func(f *Frame) float64 { return x(f) / y(f) }
	case opMod:
		return func(f *Frame) float64 { return math.Mod(x(f), y(f)) }
	case opPow:
		return func(f *Frame) float64 { return math.Pow(x(f), y(f)) }
	case opEq:
		return func(f *Frame) float64 { return b2f(x(f) == y(f)) }
	case opNe:
		return func(f *Frame) float64 { return b2f(x(f) != y(f)) }
	case opLt:
		return func(f *Frame) float64 { return b2f(x(f) < y(f)) }
	case opLe:
		return func(f *Frame) float64 { return b2f(x(f) <= y(f)) }
	case opGt:
		return func(f *Frame) float64 { return b2f(x(f) > y(f)) }
	case opGe:
		return func(f *Frame) float64 { return b2f(x(f) >= y(f)) }
	case opMin:
		return func(f *Frame) float64 { return math.Min(x(f), y(f)) }
	case opMax:
		return func(f *Frame) float64 { return math.Max(x(f), y(f)) }
	}
	panic(fmt.Sprintf("model: no code for binary op %d", n.op))
}

// genVarConst generates +, −, * and / of a var or a slot with a constant
// (e.g. the effect cohesion · (1 − erosion)), read inline.
func genVarConst(n *node) func(*Frame) float64 {
	l, r := n.kids[0], n.kids[1]
	var leaf *node
	var c float64
	left := true
	switch {
	case (l.op == opVar || l.op == opSlot) && r.op == opConst:
		leaf, c = l, r.val
	case l.op == opConst && (r.op == opVar || r.op == opSlot):
		leaf, c, left = r, l.val, false
	default:
		return nil
	}
	i, isVar := leaf.idx, leaf.op == opVar
	switch {
	case n.op == opMul:
		return func(f *Frame) float64 { return f.leaf(isVar, i) * c }
	case n.op == opAdd:
		return func(f *Frame) float64 { return f.leaf(isVar, i) + c }
	case n.op == opSub && left:
		return func(f *Frame) float64 { return f.leaf(isVar, i) - c }
	case n.op == opSub:
		return func(f *Frame) float64 { return c - f.leaf(isVar, i) }
	case n.op == opDiv && left:
		return func(f *Frame) float64 { return f.leaf(isVar, i) / c }
	}
	return nil
}

// leaf reads var i, or slot i.
func (f *Frame) leaf(isVar bool, i int) float64 {
	if isVar {
		return f.Vars[i]
	}
	return f.Slots[i]
}

// genRateProb generates c − exp(−(x·d)) with d a constant or a table over
// time, the step probability of a lone rate x (see rateToProb), or
// c − exp(−x), as one closure; it computes exactly what the tree of
// closures would.
func genRateProb(n *node) func(*Frame) float64 {
	if n.op != opSub || n.kids[0].op != opConst {
		return nil
	}
	ex := n.kids[1]
	if ex.op != opFunc1 || ex.name != "exp" || ex.kids[0].op != opNeg {
		return nil
	}
	c, arg := n.kids[0].val, ex.kids[0].kids[0]
	if arg.op == opMul {
		x, d := genNode(arg.kids[0]), arg.kids[1]
		switch d.op {
		case opConst:
			dt := d.val
			return func(f *Frame) float64 { return c - math.Exp(-(x(f) * dt)) }
		case opTable:
			tbl := d.tbl
			return func(f *Frame) float64 { return c - math.Exp(-(x(f) * tbl[f.Step])) }
		}
	}
	x := genNode(arg)
	return func(f *Frame) float64 { return c - math.Exp(-x(f)) }
}

// operand reads a leaf (a table, a slot or a var) without a function call,
// or calls the closure of any other node.
type operand struct {
	kind  uint8 // 0 closure, 1 table, 2 slot, 3 var, 4 state table, 5 state slots, 6 const
	idx   int
	track int
	val   float64
	tbl   []float64
	fn    func(*Frame) float64
}

func newOperand(n *node) operand {
	switch n.op {
	case opTable:
		return operand{kind: 1, tbl: n.tbl}
	case opSlot:
		return operand{kind: 2, idx: n.idx}
	case opVar:
		return operand{kind: 3, idx: n.idx}
	case opStateTbl:
		return operand{kind: 4, track: n.idx, tbl: n.tbl}
	case opSlotStateTbl:
		return operand{kind: 5, track: n.idx, idx: n.idx2}
	case opConst:
		return operand{kind: 6, val: n.val}
	}
	return operand{fn: genNode(n)}
}

func (o *operand) get(f *Frame) float64 {
	switch o.kind {
	case 1:
		return o.tbl[f.Step]
	case 2:
		return f.Slots[o.idx]
	case 3:
		return f.Vars[o.idx]
	case 4:
		return o.tbl[f.State[o.track]]
	case 5:
		return f.Slots[o.idx+int(f.State[o.track])]
	case 6:
		return o.val
	}
	return o.fn(f)
}

// genChain generates a chain of three or more + or * as one loop over its
// operands, leaves read inline, instead of a tree of closures.
func genChain(n *node) func(*Frame) float64 {
	var terms []*node
	var flatten func(x *node)
	flatten = func(x *node) {
		if x.op == n.op {
			flatten(x.kids[0])
			flatten(x.kids[1])
			return
		}
		terms = append(terms, x)
	}
	flatten(n)
	if len(terms) < 3 {
		return nil
	}
	ops := make([]operand, len(terms))
	for i, t := range terms {
		ops[i] = newOperand(t)
	}
	// Leaves are read inline (a call to get costs more than the read).
	mul := n.op == opMul
	return func(f *Frame) float64 {
		v := 0.0
		for i := range ops {
			var x float64
			switch o := &ops[i]; o.kind {
			case 1:
				x = o.tbl[f.Step]
			case 2:
				x = f.Slots[o.idx]
			case 4:
				x = o.tbl[f.State[o.track]]
			default:
				x = o.get(f)
			}
			switch {
			case i == 0:
				v = x
			case mul:
				v *= x
			default:
				v += x
			}
		}
		return v
	}
}

// genLeafBinary generates + and * with a leaf operand read inline, the
// commonest shapes after regrouping (a table or slot times a state term).
func genLeafBinary(n *node) func(*Frame) float64 {
	l, r := n.kids[0], n.kids[1]
	isLeaf := func(x *node) bool {
		switch x.op {
		case opTable, opSlot, opVar, opStateTbl, opSlotStateTbl:
			return true
		}
		return false
	}
	if !isLeaf(l) && !isLeaf(r) {
		return nil
	}
	if fn := genLeafClosure(n, isLeaf); fn != nil {
		return fn
	}
	a, b := newOperand(l), newOperand(r)
	switch n.op {
	case opMul:
		return func(f *Frame) float64 { return a.get(f) * b.get(f) }
	case opAdd:
		return func(f *Frame) float64 { return a.get(f) + b.get(f) }
	case opSub:
		return func(f *Frame) float64 { return a.get(f) - b.get(f) }
	}
	return nil
}

// genLeafClosure generates +, − and * of a slot or a table with a closure
// (e.g. rate · (date − entry(s))), the leaf read inline.
func genLeafClosure(n *node, isLeaf func(*node) bool) func(*Frame) float64 {
	l, r := n.kids[0], n.kids[1]
	leaf, other, left := l, r, true
	if isLeaf(l) == isLeaf(r) || (n.op != opMul && n.op != opAdd && n.op != opSub) {
		return nil
	}
	if isLeaf(r) {
		leaf, other, left = r, l, false
	}
	y := genNode(other)
	switch leaf.op {
	case opSlot:
		i := leaf.idx
		switch {
		case n.op == opMul: // x·y = y·x exactly, as is x+y = y+x
			return func(f *Frame) float64 { return f.Slots[i] * y(f) }
		case n.op == opAdd:
			return func(f *Frame) float64 { return f.Slots[i] + y(f) }
		case left:
			return func(f *Frame) float64 { return f.Slots[i] - y(f) }
		default:
			return func(f *Frame) float64 { return y(f) - f.Slots[i] }
		}
	case opTable:
		tbl := leaf.tbl
		switch {
		case n.op == opMul:
			return func(f *Frame) float64 { return tbl[f.Step] * y(f) }
		case n.op == opAdd:
			return func(f *Frame) float64 { return tbl[f.Step] + y(f) }
		case left:
			return func(f *Frame) float64 { return tbl[f.Step] - y(f) }
		default:
			return func(f *Frame) float64 { return y(f) - tbl[f.Step] }
		}
	}
	return nil
}

// Key is a discrete input of an expression: the current state of a track,
// or when a state was first entered, as far as the expression can tell.
type Key struct {
	Track int // ≥ 0: the key is the local index of this track's state
	First int // the track's first global state
	Size  int // number of values: the track's states, or len(Bounds)+2
	// Reached ≥ 0 (when Track < 0): the key says when this global state
	// was first entered: 0 never; 1 at a point ≤ Bounds[0]; i at a point in
	// (Bounds[i-2], Bounds[i-1]]; len(Bounds)+1 after the last bound. With
	// no bounds it is whether the state was reached (reached), with bounds
	// also whether by given points (reached_by with a fixed date).
	Reached int
	Bounds  []int32 // ascending point indices, ≥ 0 and < the last point
}

// Value returns the key's value in f.
func (k *Key) Value(f *Frame) int {
	if k.Track >= 0 {
		return int(f.State[k.Track]) - k.First
	}
	e := f.Entry[k.Reached]
	if e < 0 {
		return 0
	}
	v := 1
	for _, b := range k.Bounds {
		if e <= b {
			break
		}
		v++
	}
	return v
}

// set sets f so that the key has value v.
func (k *Key) set(f *Frame, v int) {
	switch {
	case k.Track >= 0:
		f.State[k.Track] = int32(k.First + v)
	case v == 0:
		f.Entry[k.Reached] = -1
	case v == 1:
		f.Entry[k.Reached] = 0
	default:
		f.Entry[k.Reached] = k.Bounds[v-2] + 1
	}
}

// discreteKeys adds to keys the discrete inputs e reads and reports whether
// those are all it reads besides time and constants: no params drawn per
// trial, vars, dwell or entry dates.
func (e *Expr) discreteKeys(p *Plan, keys *[]Key) bool {
	ok, trial := e.keysAndTrial(p, keys)
	return ok && !trial
}

// keysAndTrial is discreteKeys that also allows params drawn per trial,
// reporting whether e reads any.
func (e *Expr) keysAndTrial(p *Plan, keys *[]Key) (ok, trial bool) {
	if e == nil || e.Mode == ModeConst || e.Mode == ModeTable {
		return true, false
	}
	if e.Mode == ModeSlot {
		return true, true
	}
	if e.tree == nil {
		return false, false
	}
	addTrack := func(k int) {
		for _, x := range *keys {
			if x.Track == k {
				return
			}
		}
		tr := p.Tracks[k]
		*keys = append(*keys, Key{Track: k, First: tr.First, Size: tr.NStates, Reached: -1})
	}
	addReached := func(g int, bound int32) {
		i := slices.IndexFunc(*keys, func(x Key) bool { return x.Track < 0 && x.Reached == g })
		if i < 0 {
			*keys = append(*keys, Key{Track: -1, Size: 2, Reached: g})
			i = len(*keys) - 1
		}
		k := &(*keys)[i]
		if bound < 0 || int(bound) >= p.Steps {
			return // reached_by before the start never holds; from the horizon on it is reached
		}
		if j, found := slices.BinarySearch(k.Bounds, bound); !found {
			k.Bounds = slices.Insert(slices.Clone(k.Bounds), j, bound)
			k.Size = len(k.Bounds) + 2
		}
	}
	ok = true
	var walk func(n *node)
	walk = func(n *node) {
		switch n.op {
		case opInState, opInStates, opStateTbl:
			addTrack(n.idx)
		case opSlotStateTbl:
			addTrack(n.idx)
			trial = true
		case opSlot:
			trial = true
		case opReached:
			addReached(n.idx, math.MaxInt32)
		case opReachedBy:
			if d := n.kids[0]; d.op == opConst {
				// The last point whose day is at most d: the key tells
				// whether the state was entered by then.
				addReached(n.idx, int32(sort.Search(len(n.tbl), func(i int) bool { return n.tbl[i] > d.val })-1))
			} else {
				ok = false
			}
		case opVar, opDwell, opEntry:
			ok = false
		}
		for _, k := range n.kids {
			walk(k)
		}
	}
	walk(e.tree)
	return ok, trial
}

// timeFree reports whether e does not depend on the step.
func (e *Expr) timeFree() bool { return e == nil || e.Dep&DepTime == 0 }
