package model

// Switching hypotheses off (disable: [H8], or Options.Disable).
//
// A scenario says what "Hn off" means through its own annotations:
//
//  1. A param that cites Hn (source:) and declares a neutral value for it
//     (off: V for every hypothesis it cites, or off: {Hn: V}) is fixed at
//     V: its dist, if any, is dropped. Params derived from it follow.
//  2. A transition every one of whose cited hypotheses is off is removed,
//     unless it says off: keep, or its probability, rate or guard uses a
//     param changed by rule 1 (directly, or through another param or a
//     let): then that param is the switch and the transition stays.
//  3. Everything else that cites Hn is left as it is: params without an
//     off value for it, transitions that also carry a hypothesis that stays
//     on, vars, outcomes. DisabledNotes lists each of them, so that `show`
//     says exactly what was switched off and what was not.
//  4. A check that cites Hn is dropped: it states what its hypotheses
//     imply, and need not hold without one of them (see checks.go).
//
// Two disabled hypotheses that give one param different off values are an
// error. --set applies after disable, so it can still set such a param.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// applyDisable switches off the hypotheses of raw.disable and then extra,
// changing raw in place. It returns the hypotheses switched off, in order,
// and one note per element they touch.
func applyDisable(raw *rawScenario, extra []string, errs *ErrorList) (ids []string, notes []string) {
	var asked []text
	asked = append(asked, raw.disable...)
	for _, h := range extra {
		h = strings.TrimSpace(h)
		asked = append(asked, text{S: h, Pos: Pos{File: "disable " + h}})
	}
	if len(asked) == 0 {
		return nil, nil
	}
	cited := map[string]bool{}
	cite := func(src []text) {
		for _, t := range src {
			cited[t.S] = true
		}
	}
	for _, p := range raw.params {
		cite(p.source)
	}
	for _, v := range raw.vars {
		cite(v.source)
	}
	for _, t := range raw.tracks {
		for _, x := range t.transitions {
			cite(x.source)
		}
	}
	for _, o := range raw.outcomes {
		cite(o.source)
	}
	for _, c := range raw.checks {
		cite(c.source)
	}
	off := map[string]bool{}
	for _, t := range asked {
		if off[t.S] {
			continue
		}
		if !cited[t.S] {
			var all []string
			for h := range cited {
				all = append(all, h)
			}
			slices.Sort(all)
			errs.Add(t.Pos, t.lineAt(t.Pos), "disable: nothing in the scenario cites %q%s", t.S, suggestAmong(t.S, all))
			continue
		}
		off[t.S] = true
		ids = append(ids, t.S)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	// which lists the disabled hypotheses among src, in disable order.
	which := func(src []text) (on, offs []string) {
		for _, t := range src {
			if off[t.S] {
				offs = append(offs, t.S)
			} else if !slices.Contains(on, t.S) {
				on = append(on, t.S)
			}
		}
		slices.SortStableFunc(offs, func(a, b string) int { return slices.Index(ids, a) - slices.Index(ids, b) })
		return on, slices.Compact(offs)
	}
	label := func(hs []string) string { return strings.Join(hs, ", ") + " off: " }

	// Rule 1: params with an off value.
	changed := map[string]bool{}
	for _, p := range raw.params {
		_, hs := which(p.source)
		if len(hs) == 0 {
			continue
		}
		var val text
		var from string
		for _, h := range hs {
			t := p.off
			for _, o := range p.offFor {
				if o.name.S == h {
					t = o.value
				}
			}
			if !t.ok() {
				continue
			}
			if val.ok() && strings.TrimSpace(t.S) != strings.TrimSpace(val.S) {
				errs.Add(t.Pos, t.lineAt(t.Pos), "param %s: %s and %s are both off and give it different off values (%s and %s)", p.name.S, from, h, val.S, t.S)
				continue
			}
			val, from = t, h
		}
		if !val.ok() {
			notes = append(notes, fmt.Sprintf("%sparam %s left as is (it has no off value for %s)", label(hs), p.name.S, strings.Join(hs, ", ")))
			continue
		}
		was := p.value.S
		if p.dist.ok() {
			was = "~ " + p.dist.S
		}
		notes = append(notes, fmt.Sprintf("%sparam %s = %s (its off value; was %s)", label([]string{from}), p.name.S, strings.TrimSpace(val.S), strings.TrimSpace(was)))
		p.value, p.dist, p.atOff = val, text{}, true
		changed[p.name.S] = true
	}
	// Params and lets computed from changed params change too.
	uses := map[string][]string{}
	for _, p := range raw.params {
		uses[p.name.S] = identifiers(p.value.S)
	}
	for _, l := range raw.lets {
		uses[l.name.S] = identifiers(l.value.S)
	}
	for grew := true; grew; {
		grew = false
		for name, ids := range uses {
			if changed[name] {
				continue
			}
			for _, id := range ids {
				if changed[id] {
					changed[name], grew = true, true
					break
				}
			}
		}
	}

	// Rule 2: transitions that carry only disabled hypotheses.
	for _, rt := range raw.tracks {
		kept := rt.transitions[:0:0]
		for _, x := range rt.transitions {
			on, hs := which(x.source)
			if len(hs) == 0 {
				kept = append(kept, x)
				continue
			}
			name := rt.name.S + ": " + rawTransitionName(x)
			var via []string
			for _, e := range []text{x.p, x.rate, x.when} {
				for _, id := range identifiers(e.S) {
					if changed[id] && !slices.Contains(via, id) {
						via = append(via, id)
					}
				}
			}
			switch {
			case len(on) > 0 && len(via) > 0:
				notes = append(notes, fmt.Sprintf("%stransition %s kept: switched through %s (it also carries %s)", label(hs), name, strings.Join(via, ", "), strings.Join(on, ", ")))
			case len(on) > 0:
				notes = append(notes, fmt.Sprintf("%stransition %s kept as is: it also carries %s", label(hs), name, strings.Join(on, ", ")))
			case x.off.S == "keep":
				notes = append(notes, fmt.Sprintf("%stransition %s kept (off: keep)", label(hs), name))
			case len(via) > 0:
				notes = append(notes, fmt.Sprintf("%stransition %s kept: switched through %s", label(hs), name, strings.Join(via, ", ")))
			default:
				notes = append(notes, fmt.Sprintf("%stransition %s removed (it carries only hypotheses that are off)", label(hs), name))
				continue
			}
			kept = append(kept, x)
		}
		rt.transitions = kept
	}
	notes = append(notes, disableChecks(raw, off, label)...)
	// Rule 3: vars are left as they are.
	for _, v := range raw.vars {
		if _, hs := which(v.source); len(hs) > 0 {
			notes = append(notes, fmt.Sprintf("%svar %s left as is (vars change through transitions)", label(hs), v.name.S))
		}
	}
	return ids, notes
}

// rawTransitionName is a transition's name: its name:, or "from->to".
func rawTransitionName(x *rawTransition) string {
	if x.name.ok() {
		return x.name.S
	}
	return strings.Join(texts(x.from), ",") + "->" + x.to.S
}

// identifiers lists the names an expression refers to (nil if it does not
// parse; the compiler reports that).
func identifiers(src string) []string {
	if strings.TrimSpace(src) == "" {
		return nil
	}
	if _, ok := checkNesting(src); !ok {
		return nil
	}
	tree, err := parser.Parse(src)
	if err != nil {
		return nil
	}
	v := &identVisitor{}
	ast.Walk(&tree.Node, v)
	return v.names
}

type identVisitor struct{ names []string }

func (v *identVisitor) Visit(n *ast.Node) {
	if id, ok := (*n).(*ast.IdentifierNode); ok && !slices.Contains(v.names, id.Value) {
		v.names = append(v.names, id.Value)
	}
}

// offValues checks a param's off: values and returns them per hypothesis.
func (b *builder) offValues(rp *rawParam) map[string]float64 {
	if !rp.off.ok() && len(rp.offFor) == 0 {
		return nil
	}
	out := map[string]float64{}
	val := func(t text) (float64, bool) {
		x := b.c.compile(t, scope{what: "the off value of param " + rp.name.S, want: TypeNum})
		if x == nil {
			return 0, false
		}
		v, isConst := x.IsConst()
		if !isConst || v != v || v > 1e308 || v < -1e308 {
			b.errorf(t, "param %s: its off value must be a finite number", rp.name.S)
			return 0, false
		}
		return v, true
	}
	src := texts(rp.source)
	if rp.off.ok() {
		if len(src) == 0 {
			b.errorf(rp.off, "param %s: off applies to the hypotheses in its source, and it has none", rp.name.S)
		} else if v, ok := val(rp.off); ok {
			for _, h := range src {
				out[h] = v
			}
		}
	}
	for _, o := range rp.offFor {
		if !slices.Contains(src, o.name.S) {
			b.errorf(o.name, "param %s: off names %s, which is not in its source", rp.name.S, o.name.S)
			continue
		}
		if v, ok := val(o.value); ok {
			out[o.name.S] = v
		}
	}
	return out
}

// offKeep checks a transition's off: (only "keep" is allowed).
func (b *builder) offKeep(rx *rawTransition) bool {
	if !rx.off.ok() {
		return false
	}
	if rx.off.S != "keep" {
		b.errorf(rx.off, "a transition's off can only be keep (keep it when every hypothesis it cites is off), not %q", rx.off.S)
		return false
	}
	return true
}
