package model

import (
	"hash/fnv"
	"math"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"

	"scensim/dist"
)

func nameKey(kind, name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(name))
	return h.Sum64()
}

func (b *builder) buildParams(ov map[string]Override) {
	p, e := b.plan, b.env
	constScope := scope{want: TypeNum}
	for _, rp := range b.raw.params {
		if !b.declare(rp.name, "param") {
			continue
		}
		par := &Param{Name: rp.name.S, Why: rp.why.S, Source: texts(rp.source), Key: nameKey("param", rp.name.S), Pos: rp.name.Pos}
		ok := true
		if rp.dist.ok() {
			par.Dist = b.parseDist(rp.dist)
			ok = par.Dist != nil
		}
		if rp.value.ok() {
			constScope.what = "param " + par.Name
			if x := b.c.compile(rp.value, constScope); x == nil {
				ok = false
			} else if v, isConst := x.IsConst(); !isConst || math.IsNaN(v) || math.IsInf(v, 0) {
				b.errorf(rp.value, "param %s must be a finite number", par.Name)
				ok = false
			} else {
				par.Value = v
			}
		} else if rp.dist.ok() {
			if par.Dist != nil {
				par.Value = par.Dist.Mean()
			}
		} else {
			b.errorf(rp.name, "param %s needs a value or a dist", par.Name)
			ok = false
		}
		if len(rp.rng) > 0 || rp.rngPos != nil {
			if len(rp.rng) != 2 {
				src := b.raw.params[0].name.src
				pos := src.pos(rp.rngPos)
				b.errs.Add(pos, src.lineOf(pos), "param %s: range must be [low, high]", par.Name)
			} else {
				lo, err1 := strconv.ParseFloat(rp.rng[0].S, 64)
				hi, err2 := strconv.ParseFloat(rp.rng[1].S, 64)
				switch {
				case err1 != nil:
					b.errorf(rp.rng[0], "param %s: range low %q is not a number", par.Name, rp.rng[0].S)
				case err2 != nil:
					b.errorf(rp.rng[1], "param %s: range high %q is not a number", par.Name, rp.rng[1].S)
				case !(lo < hi):
					b.errorf(rp.rng[0], "param %s: range low %g must be below high %g", par.Name, lo, hi)
				default:
					par.Lo, par.Hi, par.HasRange = lo, hi, true
					if !rp.dist.ok() && !rp.atOff {
						b.warnf(rp.name, "param %s declares a range but no dist: every parameter draw runs it at its value, so the range over assumptions leaves out its uncertainty (give it a dist, e.g. uniform(%s, %s))",
							par.Name, strings.TrimSpace(rp.rng[0].S), strings.TrimSpace(rp.rng[1].S))
					}
				}
			}
		}
		par.Off = b.offValues(rp)
		if o, isSet := ov[par.Name]; isSet {
			v, err := strconv.ParseFloat(o.Value, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				b.errs.Add(Pos{File: o.label()}, "", "a param's value must be a finite number")
				ok = false
			} else {
				par.Value, par.Dist = v, nil
			}
		}
		if !ok {
			par.Dist = nil // keep compiling; errors are already recorded
		}
		e.params[par.Name] = len(p.Params)
		e.paramConst = append(e.paramConst, par.Value)
		e.paramSampled = append(e.paramSampled, par.Dist != nil)
		p.Params = append(p.Params, par)
	}
	e.nparams = len(p.Params)
}

// parseDist parses "beta(2, 8)" and the like; arguments are constant expressions.
func (b *builder) parseDist(t text) *Dist {
	if _, ok := checkNesting(t.S); !ok {
		b.errorf(t, "dist: brackets nest more than %d deep", maxNesting)
		return nil
	}
	tree, err := parser.Parse(t.S)
	if err != nil {
		b.errorf(t, "dist %q: syntax error", t.S)
		return nil
	}
	var name string
	var args []ast.Node
	switch n := tree.Node.(type) {
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok {
			name, args = id.Value, n.Arguments
		}
	case *ast.BuiltinNode:
		name, args = n.Name, n.Arguments
	}
	fam, ok := dist.Lookup(name)
	if !ok {
		b.errorf(t, "dist %q: want one of %s", t.S, dist.Signatures())
		return nil
	}
	if want := fam.Args; len(args) != len(want) {
		b.errorf(t, "dist %s takes %d arguments (%s), not %d", name, len(want), strings.Join(want, ", "), len(args))
		return nil
	}
	vals := make([]float64, len(args))
	for i, a := range args {
		n := b.c.lower(a, t, scope{what: "dist " + name, want: TypeNum}, nil)
		if n == nil {
			return nil
		}
		n = fold(n)
		if n.op != opConst || n.typ != TypeNum {
			return b.c.distErr(t, a, name)
		}
		vals[i] = n.val
	}
	d, err := dist.New(name, vals)
	if err != nil {
		b.errorf(t, "dist %q: %v", t.S, err)
		return nil
	}
	return &Dist{Src: t.S, Dist: *d}
}

func (c *compiler) distErr(t text, a ast.Node, name string) *Dist {
	c.errAt(t, a.Location().From, "dist %s: arguments must be constant numbers", name)
	return nil
}
