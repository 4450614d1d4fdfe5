package model

// Overlays: a scenario file that extends another.
//
// A file with `extends: NAME` is an overlay: its base (found by the
// Resolver) is read first (itself perhaps an overlay), and the overlay's
// YAML nodes are merged into the base's before the scenario is read, so
// that the merged tree is checked and compiled like any single file. Every
// node keeps the file it came from (source.nodeFile), so an error in a node
// of the overlay is reported at overlay.yaml:line:col and an error in a
// node of a base at base.yaml:line:col.
//
// The merge rules, section by section (docs/scenario-format.md, "Variants"):
//
//   - scensim, name, title, description: the overlay's value replaces the
//     base's. An overlay must give scensim and its own name.
//   - time, run: merged key by key; giving horizon drops the base's steps
//     and the other way round.
//   - dates, let: an entry replaces the base's of the same name; a name the
//     base lacks is an error (a typo guard) unless written
//     `name: {value: ..., new: true}`.
//   - dates may also be written {value: ..., internal: true}; such an entry
//     replaces the base's date whole.
//   - params, vars, tracks, outcomes, checks: an entry is merged field by
//     field into the base's of the same name (scalar shorthands count as
//     their long form: a param's value, a var's init, an outcome's when, a
//     check's expr). A name the base lacks is an error unless the entry
//     says `new: true`; an outcome or a check can be dropped with
//     `remove: true`.
//   - params: a value without a dist fixes the param (the base's dist is
//     dropped); a dist without a value replaces the distribution and drops
//     the base's value (the nominal value becomes the new dist's mean);
//     `dist: none` drops the base's dist and keeps its value.
//   - a track's states: merged by name (a state the base lacks is added);
//     its transitions: matched by name (a transition without a name: is
//     named "from->to"), merged field by field in place (so file order,
//     and with it the order of competing transitions, is kept); giving p
//     drops the base's rate and per, giving rate drops its p. A transition
//     the base lacks needs `new: true` and is added after the track's
//     others; `remove: true` drops one.
//   - disable: the lists add up over the chain: an overlay cannot switch
//     back on what its base switched off.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Resolver finds the scenario that a file extends: name is the value of
// `extends:` and from is the file that says it (as given to CompileWith, or
// as an earlier call returned it). It returns the base's file name (used in
// positions, and to detect cycles: two equal names are one file) and bytes.
type Resolver func(name, from string) (file string, data []byte, err error)

// Options are the inputs of [CompileWith] beside the file.
type Options struct {
	// Overrides set params and dates (--set name=value), after disable.
	Overrides []Override
	// Disable switches hypotheses off as the file's disable: list does,
	// after it (--disable H8).
	Disable []string
	// Resolve finds base scenarios; a file that extends another fails to
	// compile without it.
	Resolve Resolver
	// TableBudget bounds the bytes of precomputed tables (see
	// DefaultTableBudget, which 0 means).
	TableBudget int64
	// Evidence files (--evidence) add their items to the scenario's
	// evidence: section.
	Evidence []EvidenceFile
}

// MaxExtends is the longest chain of bases a scenario may have.
const MaxExtends = 16

// CompileWith reads, checks and compiles a scenario file, as [Compile],
// resolving `extends:` with opts.Resolve and applying opts.Disable and
// opts.Overrides.
func CompileWith(file string, data []byte, opts Options) (*Plan, ErrorList) {
	var errs ErrorList
	s := newSource(file, data, &errs)
	root := parseDoc(s, data)
	l := &loader{s: s, resolve: opts.Resolve}
	if root != nil {
		root = l.load(file, root, []string{file})
	}
	var raw *rawScenario
	if root != nil {
		raw = readRaw(s, root)
	}
	if raw != nil {
		for _, f := range opts.Evidence {
			readEvidenceFile(f, raw, &errs)
		}
	}
	if raw == nil {
		errs.Sort()
		return nil, errs.truncate()
	}
	p, list := compileRaw(file, data, raw, &errs, opts, l.bases)
	if p != nil {
		for _, f := range opts.Evidence {
			sum := sha256.Sum256(f.Data)
			p.EvidenceFiles = append(p.EvidenceFiles, BaseFile{File: f.Name, SHA256: hex.EncodeToString(sum[:])})
		}
	}
	return p, list
}

// loader resolves extends chains and merges overlays into their bases.
type loader struct {
	s       *source
	resolve Resolver
	bases   []BaseFile
}

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

// shortName is a file name as cycle messages show it: "dir/a.yaml" → "a".
func shortName(file string) string {
	return strings.TrimSuffix(filepath.Base(strings.TrimPrefix(file, "embedded:")), ".yaml")
}

// load returns the root of file (already parsed) with its extends chain
// merged in, or nil after an error.
func (l *loader) load(file string, root *yaml.Node, chain []string) *yaml.Node {
	s := l.s
	r := deref(root)
	i := lookup(r, "extends")
	if i < 0 {
		return root
	}
	ext := deref(r.Content[i+1])
	if ext.Kind != yaml.ScalarNode || ext.Tag == "!!null" || strings.TrimSpace(ext.Value) == "" {
		s.errorf(ext, "extends must name one base scenario (a file or an embedded name), not %s", kindName(ext))
		return nil
	}
	name := strings.TrimSpace(ext.Value)
	if l.resolve == nil {
		s.errorf(ext, "extends %q: base scenarios cannot be looked up here (compile with a resolver)", name)
		return nil
	}
	if len(chain) > MaxExtends {
		s.errorf(ext, "extends: the chain of bases is longer than %d", MaxExtends)
		return nil
	}
	bfile, bdata, err := l.resolve(name, file)
	if err != nil {
		s.errorf(ext, "extends %q: %v", name, err)
		return nil
	}
	for _, f := range chain {
		if filepath.Clean(f) == filepath.Clean(bfile) {
			var names []string
			for _, c := range append(slices.Clone(chain), bfile) {
				names = append(names, shortName(c))
			}
			s.errorf(ext, "extends cycle: %s", strings.Join(names, " → "))
			return nil
		}
	}
	// A file that is not a scenario is not parsed, so that no line of it
	// (say /etc/passwd) is quoted in an error.
	if !scenarioHeaderRE.Match(bytes.TrimPrefix(bdata, []byte("\xef\xbb\xbf"))) {
		s.errorf(ext, "extends %q: %s is not a scenario file (it has no scensim: line)", name, bfile)
		return nil
	}
	// The base's YAML errors are reported in the base's own file.
	sub := newSource(bfile, bdata, s.errs)
	broot := parseDoc(sub, bdata)
	if broot == nil {
		s.errorf(ext, "extends %q: the base %s cannot be read", name, bfile)
		return nil
	}
	s.adopt(bfile, sub.lines, broot)
	sum := sha256.Sum256(bdata)
	l.bases = append(l.bases, BaseFile{File: bfile, SHA256: hex.EncodeToString(sum[:])})
	base := l.load(bfile, broot, append(chain, bfile))
	if base == nil {
		return nil
	}
	if b := deref(base); b.Kind != yaml.MappingNode {
		s.errorf(ext, "extends %q: the base %s is not a scenario (its top level is %s, not a mapping)", name, bfile, kindName(b))
		return nil
	}
	return l.merge(deref(base), r)
}

// scenarioHeaderRE finds the top-level scensim: key every scenario file has.
var scenarioHeaderRE = regexp.MustCompile(`(?m)^(?:scensim|"scensim"|'scensim')[ \t]*:|^\{\s*scensim\s*:`)

// adopt records the lines of another file and the file of each of its nodes.
func (s *source) adopt(file string, lines []string, root *yaml.Node) {
	if s.others == nil {
		s.others, s.nodeFile = map[string][]string{}, map[*yaml.Node]string{}
	}
	s.others[file] = lines
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		if _, seen := s.nodeFile[n]; seen {
			return
		}
		s.nodeFile[n] = file
		if n.Kind == yaml.AliasNode {
			return // its target is walked where it is defined
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(root)
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

// asMapping returns a mapping for an item: the item itself, or for a
// scalar shorthand a mapping of key to it.
func (l *loader) asMapping(n *yaml.Node, key string) *yaml.Node {
	if key == "" || n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return n
	}
	k := l.like(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, n)
	return l.like(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{k, n}}, n)
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

// mergeNamed merges dates or lets: name → scalar.
func (l *loader) mergeNamed(b, o *yaml.Node, kind string) *yaml.Node {
	if o.Kind == yaml.ScalarNode && o.Tag == "!!null" {
		return b
	}
	if b == nil || b.Kind == yaml.ScalarNode && b.Tag == "!!null" {
		b = l.emptyMap(o)
	}
	if b.Kind != yaml.MappingNode || o.Kind != yaml.MappingNode {
		return o
	}
	out := l.clone(b)
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
	if o.Kind == yaml.ScalarNode && o.Tag == "!!null" {
		return b
	}
	if b == nil || b.Kind == yaml.ScalarNode && b.Tag == "!!null" {
		b = l.emptyMap(o)
	}
	if b.Kind != yaml.MappingNode || o.Kind != yaml.MappingNode {
		return o
	}
	out := l.clone(b)
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
