package model

import (
	"github.com/expr-lang/expr/ast"
)

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
	case "reached", "entry", "reached_by", "entries":
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
		case "entries":
			return &node{op: opEntries, typ: TypeNum, dep: DepState, idx: x.idx2, off: off}
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
