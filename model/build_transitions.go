package model

import (
	"math"
	"slices"
	"strings"

	"github.com/expr-lang/expr/parser"
)

func (b *builder) buildTransitions() {
	p, e := b.plan, b.env
	for ri, rt := range b.raw.tracks {
		ti := b.trackOf[ri]
		if ti < 0 || p.Tracks[ti].NStates == 0 {
			continue
		}
		tr := p.Tracks[ti]
		named := map[string]text{} // explicit transition names of this track
		for _, rx := range rt.transitions {
			src := b.raw.tracks[0].name.src
			pos := src.pos(rx.node)
			x := &Transition{Track: ti, Why: rx.why.S, Source: texts(rx.source), Pos: pos}
			at := text{S: "", Pos: pos, node: rx.node, src: src}
			ok := true
			for _, f := range rx.from {
				g, found := e.states[ti][f.S]
				if !found {
					b.errorf(f, "track %s has no state %q (from)", tr.Name, f.S)
					ok = false
					continue
				}
				if slices.Contains(x.From, g) {
					b.errorf(f, "track %s: state %q is listed twice in from", tr.Name, f.S)
					ok = false
					continue
				}
				x.From = append(x.From, g)
			}
			if g, found := e.states[ti][rx.to.S]; found {
				x.To = g
			} else if rx.to.ok() {
				b.errorf(rx.to, "track %s has no state %q (to)", tr.Name, rx.to.S)
				ok = false
			}
			if !ok {
				continue
			}
			x.OffKeep = b.offKeep(rx)
			x.Name = rx.name.S
			if x.Name != "" {
				if prev, dup := named[x.Name]; dup {
					b.errorf(rx.name, "track %s has two transitions named %q (the other at line %d); overlays and reports find transitions by name", tr.Name, x.Name, prev.Pos.Line)
				} else {
					named[x.Name] = rx.name
				}
			}
			if x.Name == "" {
				var from []string
				for _, g := range x.From {
					from = append(from, p.States[g].Name)
				}
				x.Name = strings.Join(from, ",") + "->" + p.States[x.To].Name
			}
			full := tr.Name + ": " + x.Name
			sc := scope{track: ti, allowState: true, allowTime: true, allowTrial: true, want: TypeNum}
			switch {
			case rx.p.ok() && rx.rate.ok():
				b.errorf(rx.rate, "transition %s has both p and rate; give one", full)
			case rx.p.ok():
				psc := sc
				psc.what, psc.finite = "the probability of "+full, true
				x.Prob = b.c.compile(rx.p, psc)
				if x.Prob != nil && len(p.Irregular) > 0 {
					x.Prob = b.shortStepProb(rx.p, psc)
				}
				if rx.per.ok() {
					b.errorf(rx.per, "transition %s: per goes with rate, not p", full)
				}
			case rx.rate.ok():
				sc.what = "the rate of " + full
				x.Per = p.RateUnit
				if rx.per.ok() {
					if _, known := unitDays[rx.per.S]; !known {
						b.errorf(rx.per, "per must be day, week, month or year, not %q", rx.per.S)
						break
					}
					x.Per = rx.per.S
				}
				x.PerDay = 1 / unitDays[x.Per]
				rsc := sc
				rsc.finite = true
				x.Rate = b.c.compile(rx.rate, rsc)
				if x.Rate != nil {
					x.Prob = b.rateToProb(rx.rate, x.Per, sc)
				}
			default:
				b.errorf(at, "transition %s needs p (a probability per step) or rate", full)
			}
			if rx.when.ok() {
				sc.what, sc.want = "the guard of "+full, TypeBool
				x.Guard = b.c.compile(rx.when, sc)
			}
			for _, s := range rx.set {
				vi, found := e.vars[s.name.S]
				if !found {
					b.errorf(s.name, "transition %s sets %q, which is not a var", full, s.name.S)
					continue
				}
				sc.what, sc.want = "the effect on "+s.name.S+" of "+full, p.Vars[vi].Type
				if v := b.c.compile(s.value, sc); v != nil {
					x.Effects = append(x.Effects, newEffect(vi, v))
				}
			}
			if len(p.Transitions) >= MaxNames {
				b.errorf(at, "too many transitions (at most %d)", MaxNames)
				return
			}
			id := len(p.Transitions)
			for _, g := range x.From {
				p.States[g].Out = append(p.States[g].Out, id)
				if x.Rate != nil {
					p.States[g].Rates++
				}
			}
			p.Transitions = append(p.Transitions, x)
		}
	}
}

// rateToProb compiles 1 − exp(−rate·Δt), with Δt the step's length in the
// rate's unit, so that constant and time-only rates fold into constants and
// tables like any other expression.
func (b *builder) rateToProb(t text, per string, sc scope) *Expr {
	p := b.plan
	dt := b.dt[per] // one table per unit, shared by every rate
	if dt == nil {
		dt = make([]float64, p.Steps+1)
		for k := range dt {
			j := min(k, p.Steps-1)
			dt[k] = (p.PointDay[j+1] - p.PointDay[j]) / unitDays[per]
		}
		b.dt[per] = dt
	}
	var errs ErrorList
	c := &compiler{env: b.env, errs: &errs}
	tree, _ := parser.Parse(t.S)
	r := c.lower(tree.Node, t, sc, nil)
	if r == nil {
		return nil
	}
	constDt := true
	for _, v := range dt {
		constDt = constDt && v == dt[0]
	}
	var dtNode *node
	if constDt {
		dtNode = cnst(dt[0], TypeNum, 0)
	} else {
		dtNode = &node{op: opTable, typ: TypeNum, dep: DepTime, tbl: dt}
	}
	mul := &node{op: opMul, typ: TypeNum, dep: r.dep | dtNode.dep, kids: []*node{r, dtNode}}
	neg := &node{op: opNeg, typ: TypeNum, dep: mul.dep, kids: []*node{mul}}
	ex := &node{op: opFunc1, typ: TypeNum, dep: mul.dep, kids: []*node{neg}, fn1: math.Exp, name: "exp"}
	one := cnst(1, TypeNum, 0)
	prob := &node{op: opSub, typ: TypeNum, dep: mul.dep, kids: []*node{one, ex}}
	return observeLowered(prob).done(b.c.finish(prob, t))
}

// shortStepProb compiles a per-step probability p for an irregular grid:
// on a step shorter than its regular step (a fraction f of it) the chance
// is 1 − (1 − p)^f, the chance of at least one event in the shorter time
// at the same hazard; on a whole step it is p as written. A p outside
// [0, 1] is left as it is, for the engine to report.
func (b *builder) shortStepProb(t text, sc scope) *Expr {
	p := b.plan
	frac := make([]float64, p.Steps+1)
	whole := make([]float64, p.Steps+1)
	for k := range frac {
		frac[k] = p.StepFrac[min(k, p.Steps-1)]
		whole[k] = b2f(frac[k] == 1)
	}
	var errs ErrorList
	c := &compiler{env: b.env, errs: &errs}
	tree, _ := parser.Parse(t.S)
	r := c.lower(tree.Node, t, sc, nil)
	if r == nil {
		return nil
	}
	dep := r.dep | DepTime
	num := func(o op, kids ...*node) *node { return &node{op: o, typ: TypeNum, dep: dep, kids: kids} }
	isWhole := &node{op: opTable, typ: TypeBool, dep: DepTime, tbl: whole}
	f := &node{op: opTable, typ: TypeNum, dep: DepTime, tbl: frac}
	one := cnst(1, TypeNum, 0)
	short := num(opSub, one, num(opPow, num(opSub, one, r), f))
	valid := &node{op: opAnd, typ: TypeBool, dep: r.dep, kids: []*node{
		{op: opGe, typ: TypeBool, dep: r.dep, kids: []*node{r, cnst(0, TypeNum, 0)}},
		{op: opLe, typ: TypeBool, dep: r.dep, kids: []*node{r, one}},
	}}
	prob := num(opCond, isWhole, r, num(opCond, valid, short, r))
	return b.c.finish(prob, t)
}
