package model

import (
	"strings"

	"github.com/expr-lang/expr/parser"
)

func (b *builder) buildVars() {
	p, e := b.plan, b.env
	for _, rv := range b.raw.vars {
		if !b.declare(rv.name, "var") {
			continue
		}
		v := &Var{Name: rv.name.S, Why: rv.why.S, Source: texts(rv.source), Pos: rv.name.Pos}
		typ := TypeNum
		if s := strings.TrimSpace(rv.init.S); s == "true" || s == "false" {
			typ = TypeBool
		}
		v.Type = typ
		v.Init = b.c.compile(rv.init, scope{what: "the initial value of var " + v.Name, track: -1, allowTrial: true, want: typ})
		e.vars[v.Name] = len(p.Vars)
		e.varTypes = append(e.varTypes, typ)
		p.Vars = append(p.Vars, v)
	}
}

func (b *builder) buildTracks() {
	p, e := b.plan, b.env
	for _, rt := range b.raw.tracks {
		if !b.declare(rt.name, "track") {
			b.trackOf = append(b.trackOf, -1)
			continue
		}
		b.trackOf = append(b.trackOf, len(p.Tracks))
		tr := &Track{Name: rt.name.S, Why: rt.why.S, First: len(p.States), Key: nameKey("track", rt.name.S), Pos: rt.name.Pos}
		ti := len(p.Tracks)
		states := map[string]int{}
		for _, st := range rt.states {
			if !identRE.MatchString(st.name.S) {
				b.errorf(st.name, "state name %q is not a valid name", st.name.S)
				continue
			}
			if _, dup := states[st.name.S]; dup {
				b.errorf(st.name, "track %s has two states named %q", tr.Name, st.name.S)
				continue
			}
			if len(p.States) >= MaxStates {
				b.errorf(st.name, "too many states (at most %d)", MaxStates)
				return
			}
			states[st.name.S] = len(p.States)
			e.stateNames = append(e.stateNames, tr.Name+"."+st.name.S)
			p.States = append(p.States, &State{Track: ti, Name: st.name.S, Desc: st.value.S, Pos: st.name.Pos})
		}
		tr.NStates = len(p.States) - tr.First
		if tr.NStates == 0 {
			b.errorf(rt.name, "track %s has no states", tr.Name)
		}
		if g, ok := states[rt.initial.S]; ok {
			tr.Initial = g
		} else if rt.initial.ok() {
			b.errorf(rt.initial, "track %s: initial state %q is not one of its states", tr.Name, rt.initial.S)
		}
		e.tracks[tr.Name] = ti
		e.states = append(e.states, states)
		p.Tracks = append(p.Tracks, tr)
	}
	if len(p.Tracks) == 0 && len(b.errs.Errors()) == 0 {
		b.errs.Add(Pos{File: b.file, Line: b.raw.root.Line, Col: b.raw.root.Column}, "", "the scenario has no tracks")
	}
}

// buildLets parses the named expressions of the let section. They are
// expanded where used (so that dwell means the using transition's track);
// each is also checked once here, so an unused let with an error is reported.
func (b *builder) buildLets() {
	e := b.env
	e.lets = map[string]*letDef{}
	for _, rl := range b.raw.lets {
		if !b.declare(rl.name, "let") {
			continue
		}
		tree, err := parser.Parse(rl.value.S)
		if err != nil {
			// Report the syntax error through the compiler for its position.
			b.c.compile(rl.value, scope{what: "let " + rl.name.S, want: TypeNum})
			continue
		}
		e.lets[rl.name.S] = &letDef{t: rl.value, tree: tree.Node}
	}
	for _, rl := range b.raw.lets {
		l, ok := e.lets[rl.name.S]
		if !ok || len(b.errs.Errors()) > 0 {
			continue
		}
		sc := scope{what: "let " + rl.name.S, track: 0, allowState: true, allowTime: true, allowTrial: true}
		l.active = true
		b.c.asValue(b.c.lower(l.tree, l.t, sc, nil), l.t, sc)
		l.active = false
	}
}
