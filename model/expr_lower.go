package model

import (
	"fmt"
	"math"
	"strings"

	"github.com/expr-lang/expr/ast"
)

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
				copy(e.stepTbl, e.stepPos)
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
		if !e.paramSampled[i] {
			return cnst(e.paramConst[i], TypeNum, off)
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
	return &node{op: opDwell, typ: TypeNum, dep: DepState, idx: track, tbl: c.env.dwellPos, off: off}
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
