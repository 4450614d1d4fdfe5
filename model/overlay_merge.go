package model

// Merging an overlay into its base, section by section (the rules are
// listed in overlay.go).

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// merge merges the overlay root o into the (merged) base root b.
func (l *loader) merge(b, o *yaml.Node) *yaml.Node {
	s := l.s
	if o.Kind != yaml.MappingNode {
		return o // the reader reports it
	}
	out := l.clone(b)
	out.Line, out.Column = o.Line, o.Column
	if f := s.fileOf(o); f != s.file {
		s.nodeFile[out] = f
	} else {
		delete(s.nodeFile, out)
	}
	has := map[string]bool{}
	l.pairs(o, "the scenario", func(k, v *yaml.Node) {
		has[k.Value] = true
		bv := value(b, k.Value)
		switch k.Value {
		case "extends":
		case "disable":
			seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			l.like(seq, v)
			for _, part := range []*yaml.Node{bv, v} {
				switch {
				case part == nil || part.Kind == yaml.ScalarNode && part.Tag == "!!null":
				case part.Kind == yaml.SequenceNode:
					seq.Content = append(seq.Content, part.Content...)
				default:
					seq.Content = append(seq.Content, part) // a lone scalar, or an error for the reader
				}
			}
			set(out, k, seq)
		case "time", "run":
			set(out, k, l.mergeFields(bv, v, k.Value, nil))
		case "dates", "let":
			kind := map[string]string{"dates": "date", "let": "let"}[k.Value]
			set(out, k, l.mergeNamed(bv, v, kind))
		case "params", "vars", "tracks", "outcomes", "checks":
			set(out, k, l.mergeItems(bv, v, strings.TrimSuffix(k.Value, "s")))
		case "evidence":
			set(out, k, l.mergeEvidence(bv, v))
		default: // scensim, name, title, description, and unknown keys for the reader
			set(out, k, v)
		}
	})
	if !has["scensim"] {
		s.errorf(o, "the scenario needs the key %q", "scensim")
	}
	if !has["name"] {
		base := ""
		if n := value(b, "name"); n != nil {
			base = n.Value
		}
		s.errorf(o, "an overlay needs its own name (else it would take its base's, %q)", base)
	}
	return out
}

// mergeFields merges overlay mapping o into base mapping b key by key.
// fix, if not nil, adjusts the result given the overlay's keys.
func (l *loader) mergeFields(b, o *yaml.Node, what string, fix func(out *yaml.Node, has map[string]bool)) *yaml.Node {
	if b == nil || b.Kind != yaml.MappingNode || o.Kind != yaml.MappingNode {
		return o // nothing to merge into, or a shape error for the reader
	}
	out := l.clone(b)
	has := map[string]bool{}
	l.pairs(o, what, func(k, v *yaml.Node) { has[k.Value] = true })
	if fix != nil {
		fix(out, has)
	}
	if what == "time" {
		switch {
		case has["horizon"] && !has["steps"]:
			del(out, "steps")
		case has["steps"] && !has["horizon"]:
			del(out, "horizon")
		}
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(o.Content); i += 2 {
		k := deref(o.Content[i])
		if k == nil || k.Kind != yaml.ScalarNode || seen[k.Value] {
			continue // reported by pairs
		}
		seen[k.Value] = true
		set(out, o.Content[i], o.Content[i+1])
	}
	return out
}

// startMerge begins a merge of o onto b, both name → item maps: a null o
// keeps b and any other o that is not a mapping (or a b that is not)
// replaces it (done); otherwise it returns a clone of b, or an empty map
// for a missing or null b, to merge o's pairs into.
func (l *loader) startMerge(b, o *yaml.Node) (out *yaml.Node, done bool) {
	if o.Kind == yaml.ScalarNode && o.Tag == "!!null" {
		return b, true
	}
	if b == nil || b.Kind == yaml.ScalarNode && b.Tag == "!!null" {
		b = l.emptyMap(o)
	}
	if b.Kind != yaml.MappingNode || o.Kind != yaml.MappingNode {
		return o, true
	}
	return l.clone(b), false
}

// mergeNamed merges dates or lets: name → scalar.
func (l *loader) mergeNamed(b, o *yaml.Node, kind string) *yaml.Node {
	out, done := l.startMerge(b, o)
	if done {
		return out
	}
	l.pairs(o, kind+"s", func(k, v *yaml.Node) {
		isNew := false
		if kind == "date" && v.Kind == yaml.MappingNode {
			v, isNew = l.dateEntry(v)
		} else if v.Kind == yaml.MappingNode {
			var on bool
			v, on = l.flag(v, "new")
			if !on || len(v.Content) != 2 || lookup(v, "value") < 0 {
				l.s.errorf(v, "%s %s: in an overlay a %s is a value, or {value: ..., new: true} for a new one", kind, k.Value, kind)
				return
			}
			isNew, v = true, deref(v.Content[1])
		}
		exists := lookup(out, k.Value) >= 0
		switch {
		case exists && isNew:
			l.s.errorf(k, "the base already has a %s %q; drop new: true to change it", kind, k.Value)
		case !exists && !isNew:
			l.s.errorf(k, "the base has no %s %q%s; to add one, write %s: {value: ..., new: true}", kind, k.Value, suggestAmong(k.Value, names(b)), k.Value)
		default:
			set(out, k, v)
		}
	})
	return out
}

// shorthand is the key a scalar item of each kind stands for.
var shorthand = map[string]string{"param": "value", "var": "init", "outcome": "when", "check": "expr"}

// mergeItems merges params, vars, tracks or outcomes: name → mapping.
func (l *loader) mergeItems(b, o *yaml.Node, kind string) *yaml.Node {
	out, done := l.startMerge(b, o)
	if done {
		return out
	}
	l.pairs(o, kind+"s", func(k, v *yaml.Node) {
		v = l.asMapping(v, shorthand[kind])
		v, isNew := l.flag(v, "new")
		v, remove := l.flag(v, "remove")
		i := lookup(out, k.Value)
		switch {
		case remove && kind != "outcome" && kind != "check":
			l.s.errorf(k, "a %s cannot be removed (only transitions, outcomes and checks can)", kind)
		case remove && i < 0:
			l.s.errorf(k, "the base has no %s %q to remove%s", kind, k.Value, suggestAmong(k.Value, names(b)))
		case remove:
			if v.Kind == yaml.MappingNode && len(v.Content) > 0 {
				l.s.errorf(k, "%s %s: remove: true goes alone", kind, k.Value)
			}
			del(out, k.Value)
		case isNew && i >= 0:
			l.s.errorf(k, "the base already has a %s %q; drop new: true to change it", kind, k.Value)
		case isNew:
			out.Content = append(out.Content, k, v)
		case i < 0:
			l.s.errorf(k, "the base has no %s %q%s; to add a %s, give it new: true", kind, k.Value, suggestAmong(k.Value, names(b)), kind)
		default:
			bv := l.asMapping(deref(out.Content[i+1]), shorthand[kind])
			var merged *yaml.Node
			switch kind {
			case "param":
				// dist: none drops the base's dist and keeps its value.
				none := false
				if d := value(v, "dist"); d != nil && d.Kind == yaml.ScalarNode && strings.TrimSpace(d.Value) == "none" {
					v, none = l.clone(v), true
					del(v, "dist")
				}
				merged = l.mergeFields(bv, v, "param "+k.Value, fixParam)
				if none && merged.Kind == yaml.MappingNode {
					del(merged, "dist")
				}
			case "track":
				merged = l.mergeTrack(bv, v, k.Value)
			default:
				merged = l.mergeFields(bv, v, kind+" "+k.Value, nil)
			}
			out.Content[i+1] = merged
		}
	})
	return out
}

// fixParam applies the value/dist rule of a param's overlay: a value alone
// fixes the param, a dist alone drops the base's value, dist: none drops
// the base's dist.
func fixParam(out *yaml.Node, has map[string]bool) {
	switch {
	case has["value"] && !has["dist"]:
		del(out, "dist")
	case has["dist"] && !has["value"]:
		del(out, "value")
	}
}
