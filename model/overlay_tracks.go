package model

// Merging an overlay's tracks: states by name, transitions by name in
// place.

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// mergeTrack merges an overlay track into the base's.
func (l *loader) mergeTrack(b, o *yaml.Node, name string) *yaml.Node {
	if b == nil || b.Kind != yaml.MappingNode || o.Kind != yaml.MappingNode {
		return o
	}
	out := l.clone(b)
	what := "track " + name
	l.pairs(o, what, func(k, v *yaml.Node) {
		switch k.Value {
		case "states":
			set(out, k, l.mergeStates(value(b, "states"), v))
		case "transitions":
			set(out, k, l.mergeTransitions(value(b, "transitions"), v, name))
		default:
			set(out, k, v)
		}
	})
	return out
}

// statesMap returns a track's states as a mapping (a list becomes a
// mapping of names to no description).
func (l *loader) statesMap(n *yaml.Node) *yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return n
	}
	m := l.like(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, n)
	for _, it := range n.Content {
		it = deref(it)
		null := l.like(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}, it)
		m.Content = append(m.Content, it, null)
	}
	return m
}

// mergeStates merges state descriptions by name; new states are added.
func (l *loader) mergeStates(b, o *yaml.Node) *yaml.Node {
	b, o = l.statesMap(b), l.statesMap(o)
	if b == nil || b.Kind != yaml.MappingNode || o == nil || o.Kind != yaml.MappingNode {
		return o
	}
	out := l.clone(b)
	l.pairs(o, "states", func(k, v *yaml.Node) {
		if i := lookup(out, k.Value); i >= 0 && v.Tag == "!!null" {
			return // a state listed without a description keeps the base's
		}
		set(out, k, v)
	})
	return out
}

// transitionName is a transition's name: its name:, or "from->to".
func transitionName(n *yaml.Node) string {
	if v := value(n, "name"); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	var from []string
	if f := value(n, "from"); f != nil {
		if f.Kind == yaml.SequenceNode {
			for _, it := range f.Content {
				from = append(from, deref(it).Value)
			}
		} else {
			from = append(from, f.Value)
		}
	}
	to := ""
	if t := value(n, "to"); t != nil {
		to = t.Value
	}
	return strings.Join(from, ",") + "->" + to
}

// mergeTransitions merges a track's overlay transitions into the base's,
// matching them by name.
func (l *loader) mergeTransitions(b, o *yaml.Node, track string) *yaml.Node {
	s := l.s
	if b == nil || b.Kind == yaml.ScalarNode && b.Tag == "!!null" {
		b = l.like(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}, o)
	}
	if b.Kind != yaml.SequenceNode || o.Kind != yaml.SequenceNode {
		return o
	}
	out := l.clone(b)
	for i, it := range out.Content {
		out.Content[i] = deref(it)
	}
	index := func(name string) int {
		for i, it := range out.Content {
			if transitionName(it) == name {
				return i
			}
		}
		return -1
	}
	known := func() []string {
		var ns []string
		for _, it := range out.Content {
			ns = append(ns, transitionName(it))
		}
		return ns
	}
	for _, it := range o.Content {
		it = deref(it)
		if it.Kind != yaml.MappingNode {
			s.errorf(it, "a transition of track %s must be a mapping, not %s", track, kindName(it))
			continue
		}
		it, isNew := l.flag(it, "new")
		it, remove := l.flag(it, "remove")
		nameNode := value(it, "name")
		name := ""
		if nameNode != nil {
			name = nameNode.Value
		}
		switch {
		case remove && nameNode == nil:
			s.errorf(it, "remove: true needs the name: of the transition of track %s to remove", track)
		case remove:
			i := index(name)
			if i < 0 {
				s.errorf(nameNode, "track %s of the base has no transition %q to remove%s", track, name, suggestAmong(name, known()))
				continue
			}
			if len(it.Content) > 2 {
				s.errorf(nameNode, "transition %s: remove: true goes with name: alone", name)
			}
			out.Content = slices.Delete(out.Content, i, i+1)
		case isNew:
			if i := index(transitionName(it)); i >= 0 {
				at := nameNode
				if at == nil {
					at = it
				}
				s.errorf(at, "track %s of the base already has a transition %q; drop new: true to change it", track, transitionName(it))
				continue
			}
			out.Content = append(out.Content, it)
		case nameNode == nil:
			s.errorf(it, "a transition in an overlay needs the name: of the base's transition it changes (or new: true to add one)")
		default:
			i := index(name)
			if i < 0 {
				s.errorf(nameNode, "track %s of the base has no transition %q%s; to add a transition, give it new: true", track, name, suggestAmong(name, known()))
				continue
			}
			out.Content[i] = l.mergeFields(out.Content[i], it, "a transition of track "+track, func(m *yaml.Node, has map[string]bool) {
				switch {
				case has["p"] && !has["rate"]:
					del(m, "rate")
					del(m, "per")
				case has["rate"] && !has["p"]:
					del(m, "p")
				}
			})
		}
	}
	return out
}
