package model

// YAML node helpers of the overlay merge: looking keys up, copying nodes
// (so that a node an alias shares is never changed), reading new: and
// remove: flags, and suggesting a name for a typo.

import (
	"fmt"
	"slices"

	"go.yaml.in/yaml/v3"
)

// deref follows aliases.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// lookup returns the index of key in mapping m (-1 if absent).
func lookup(m *yaml.Node, key string) int {
	if m == nil || m.Kind != yaml.MappingNode {
		return -1
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := deref(m.Content[i]); k != nil && k.Kind == yaml.ScalarNode && k.Value == key {
			return i
		}
	}
	return -1
}

// value returns the value of key in mapping m, or nil.
func value(m *yaml.Node, key string) *yaml.Node {
	if i := lookup(m, key); i >= 0 {
		return deref(m.Content[i+1])
	}
	return nil
}

// like registers a node made by the merge as coming from the file of n.
func (l *loader) like(made, n *yaml.Node) *yaml.Node {
	if f := l.s.fileOf(n); f != l.s.file {
		l.s.nodeFile[made] = f
	}
	made.Line, made.Column = n.Line, n.Column
	return made
}

// clone makes a shallow copy of a mapping or sequence node, so that the
// merge never changes a node that an alias might share.
func (l *loader) clone(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = slices.Clone(n.Content)
	c.Anchor = ""
	return l.like(&c, n)
}

// set sets key k (a key node) to v in mapping m, replacing its value if
// present (the base's key node is kept, as the place the entry is defined),
// or appending the pair.
func set(m *yaml.Node, k, v *yaml.Node) {
	if i := lookup(m, deref(k).Value); i >= 0 {
		m.Content[i+1] = v
		return
	}
	m.Content = append(m.Content, k, v)
}

// del removes key from mapping m.
func del(m *yaml.Node, key string) {
	if i := lookup(m, key); i >= 0 {
		m.Content = slices.Delete(m.Content, i, i+2)
	}
}

// pairs calls each for the pairs of an overlay mapping, reporting duplicate
// and non-scalar keys as the reader would.
func (l *loader) pairs(n *yaml.Node, what string, each func(k, v *yaml.Node)) {
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k == nil || v == nil {
			continue
		}
		if k.Kind != yaml.ScalarNode {
			l.s.errorf(k, "a name in %s must be a plain word", what)
			continue
		}
		if seen[k.Value] {
			l.s.errorf(k, "duplicate key %q in %s", k.Value, what)
			continue
		}
		seen[k.Value] = true
		each(k, v)
	}
}

// emptyMap is an empty mapping that stands for a section the base lacks.
func (l *loader) emptyMap(like *yaml.Node) *yaml.Node {
	return l.like(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, like)
}

// asMapping returns a mapping for an item: the item itself, or for a
// scalar shorthand a mapping of key to it.
func (l *loader) asMapping(n *yaml.Node, key string) *yaml.Node {
	if key == "" || n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return n
	}
	k := l.like(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, n)
	return l.like(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{k, n}}, n)
}

// flag reads and strips a `new: true` or `remove: true` key from an overlay
// item; it reports a value other than true or false.
func (l *loader) flag(item *yaml.Node, key string) (*yaml.Node, bool) {
	if item == nil || item.Kind != yaml.MappingNode {
		return item, false
	}
	i := lookup(item, key)
	if i < 0 {
		return item, false
	}
	v := deref(item.Content[i+1])
	on := false
	switch {
	case v.Kind == yaml.ScalarNode && v.Value == "true":
		on = true
	case v.Kind == yaml.ScalarNode && v.Value == "false":
	default:
		l.s.errorf(v, "%s must be true or false, not %s", key, kindName(v))
	}
	c := l.clone(item)
	del(c, key)
	return c, on
}

// names lists the keys of a mapping, for suggestions.
func names(m *yaml.Node) []string {
	var out []string
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := deref(m.Content[i]); k != nil {
			out = append(out, k.Value)
		}
	}
	return out
}

// suggestAmong proposes the candidate closest to name, if one is close.
func suggestAmong(name string, cands []string) string {
	best, bestD := "", 3
	for _, k := range cands {
		if d := editDistance(name, k); d > 0 && (d < bestD || d == bestD && k < best) {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}
