package model

import (
	"fmt"
	"math"
	"strings"

	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
)

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
	lowered := observeLowered(n)
	if sc.finite {
		if n = fold(n); !c.checkFinite(n, t, sc) {
			return nil
		}
	}
	return lowered.done(c.finish(n, t))
}

// loweredHook, when set (by tests), receives each compiled expression with
// a copy of its tree as lowered, before folding, regrouping, hoisting and
// code generation: the input of the reference evaluator the compiled
// closures are checked against.
var loweredHook func(e *Expr, lowered *node)

// loweredCopy is a copy of a lowered tree for loweredHook, or nil.
type loweredCopy struct{ n *node }

// observeLowered copies n if loweredHook is set (the optimisations rewrite
// trees in place).
func observeLowered(n *node) loweredCopy {
	if loweredHook == nil {
		return loweredCopy{}
	}
	return loweredCopy{cloneTree(n)}
}

// done hands e and the copy to loweredHook, and returns e.
func (l loweredCopy) done(e *Expr) *Expr {
	if l.n != nil && e != nil && loweredHook != nil {
		loweredHook(e, l.n)
	}
	return e
}

// cloneTree returns a deep copy of n (shared subtrees copied once per use).
func cloneTree(n *node) *node {
	c := *n
	c.kids = make([]*node, len(n.kids))
	for i, k := range n.kids {
		c.kids[i] = cloneTree(k)
	}
	return &c
}

// checkFinite reports, in a rate or a probability (folded), a division by
// a constant zero or a constant that is infinite or NaN: such a value
// would run as a probability of 0 or 1, or fail every trial.
func (c *compiler) checkFinite(n *node, t text, sc scope) bool {
	var bad *node
	var why string
	var walk func(x *node)
	walk = func(x *node) {
		if bad != nil {
			return
		}
		switch {
		case (x.op == opDiv || x.op == opMod) && x.kids[1].op == opConst && x.kids[1].val == 0:
			bad, why = x, "a division by zero"
			return
		case x.op == opConst && (math.IsInf(x.val, 0) || math.IsNaN(x.val)):
			bad, why = x, fmt.Sprintf("%v once its constants are computed (a division by zero, or a number out of range?)", x.val)
			return
		}
		for _, k := range x.kids {
			walk(k)
		}
	}
	walk(n)
	if bad == nil {
		return true
	}
	c.errAt(t, bad.off, "in %s: %s; a rate or probability must be a finite number", sc.what, why)
	return false
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

func (c *compiler) errAt(t text, off int, format string, args ...any) *node {
	p := t.at(off)
	c.errs.Add(p, t.lineAt(p), format, args...)
	return nil
}
