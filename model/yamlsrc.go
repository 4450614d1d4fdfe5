package model

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Limits on scenario files, checked before anything is allocated from them.
const (
	MaxFileBytes = 4 << 20 // a scenario file larger than this is refused
	MaxYAMLNodes = 200000  // nodes visited, counting alias expansions (alias bombs)
)

// text is a scalar taken from a scenario file, with its position.
type text struct {
	S    string
	Pos  Pos
	node *yaml.Node
	src  *source
}

// ok reports whether the scalar was present in the file.
func (t text) ok() bool { return t.node != nil }

// source is a scenario file being read, with its lines for snippets. A
// scenario that extends others (see overlay.go) is read from several files:
// file is the one compiled, and nodeFile names the file of every node that
// came from another one (a base), so that positions name the right file.
type source struct {
	file     string
	lines    []string
	errs     *ErrorList
	nodes    int
	others   map[string][]string   // lines of the other files read (bases)
	nodeFile map[*yaml.Node]string // nodes from other files → their file
}

func newSource(file string, data []byte, errs *ErrorList) *source {
	return &source{file: file, lines: strings.Split(string(data), "\n"), errs: errs}
}

// line returns line n of the compiled file.
func (s *source) line(n int) string { return s.lineIn(s.file, n) }

// lineIn returns line n of the named file (the compiled one or a base).
func (s *source) lineIn(file string, n int) string {
	lines := s.lines
	if file != s.file {
		lines = s.others[file]
	}
	if n < 1 || n > len(lines) {
		return ""
	}
	return strings.TrimRight(lines[n-1], "\r")
}

// lineOf returns the source line of a position, for snippets.
func (s *source) lineOf(p Pos) string { return s.lineIn(p.File, p.Line) }

// fileOf names the file a node was read from.
func (s *source) fileOf(n *yaml.Node) string {
	if f, ok := s.nodeFile[n]; ok {
		return f
	}
	return s.file
}

func (s *source) pos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{File: s.file}
	}
	return Pos{File: s.fileOf(n), Line: n.Line, Col: n.Column}
}

// errorf records an error at node n.
func (s *source) errorf(n *yaml.Node, format string, args ...any) {
	p := s.pos(n)
	s.errs.Add(p, s.lineOf(p), format, args...)
}

// errorAt records an error at a position.
func (s *source) errorAt(p Pos, format string, args ...any) {
	s.errs.Add(p, s.lineOf(p), format, args...)
}

// warnAt records a warning at a position.
func (s *source) warnAt(p Pos, format string, args ...any) {
	s.errs.Warn(p, s.lineOf(p), format, args...)
}

// resolve follows aliases, counting nodes so that an alias bomb is refused
// rather than expanded. It returns nil once the budget is spent.
func (s *source) resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	s.nodes++
	if s.nodes == MaxYAMLNodes+1 {
		s.errorf(n, "the document expands to more than %d YAML nodes (too many aliases?)", MaxYAMLNodes)
	}
	if s.nodes > MaxYAMLNodes {
		return nil
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

// field is one key of a mapping that a reader understands.
type field struct {
	name     string
	required bool
	read     func(key, val *yaml.Node)
}

// mapping reads a mapping node: each known key is passed to its reader,
// unknown and duplicate keys and missing required keys are errors.
func (s *source) mapping(n *yaml.Node, what string, fields []field) {
	n = s.resolve(n)
	if n == nil {
		return
	}
	if n.Kind != yaml.MappingNode {
		s.errorf(n, "%s must be a mapping, not %s", what, kindName(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			s.errorf(k, "duplicate key %q in %s", k.Value, what)
			continue
		}
		seen[k.Value] = true
		var f *field
		for j := range fields {
			if fields[j].name == k.Value {
				f = &fields[j]
				break
			}
		}
		if f == nil {
			s.errorf(k, "unknown key %q in %s (known: %s)", k.Value, what, fieldNames(fields))
			continue
		}
		if v = s.resolve(v); v == nil {
			return
		}
		f.read(k, v)
	}
	for _, f := range fields {
		if f.required && !seen[f.name] {
			s.errorf(n, "%s needs the key %q", what, f.name)
		}
	}
}

func fieldNames(fields []field) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return strings.Join(names, ", ")
}

// pairs reads a mapping of user-chosen names to values, in file order.
func (s *source) pairs(n *yaml.Node, what string, each func(name text, val *yaml.Node)) {
	n = s.resolve(n)
	if n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.MappingNode {
		s.errorf(n, "%s must be a mapping of names, not %s", what, kindName(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k = s.resolve(k); k == nil {
			return
		}
		if k.Kind != yaml.ScalarNode {
			s.errorf(k, "a name in %s must be a plain word", what)
			continue
		}
		if seen[k.Value] {
			s.errorf(k, "%q is defined twice in %s", k.Value, what)
			continue
		}
		seen[k.Value] = true
		if v = s.resolve(v); v == nil {
			return
		}
		each(s.text(k), v)
	}
}

// list reads a sequence node (a lone scalar counts as a list of one).
func (s *source) list(n *yaml.Node, what string, each func(item *yaml.Node)) {
	n = s.resolve(n)
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.SequenceNode:
		for _, it := range n.Content {
			if it = s.resolve(it); it == nil {
				return
			}
			each(it)
		}
	case yaml.ScalarNode:
		if n.Tag != "!!null" {
			each(n)
		}
	default:
		s.errorf(n, "%s must be a list, not %s", what, kindName(n))
	}
}

// scalar reads a scalar node as text; non-scalars are errors.
func (s *source) scalar(n *yaml.Node, what string) text {
	if n.Kind != yaml.ScalarNode {
		s.errorf(n, "%s must be a single value, not %s", what, kindName(n))
		return text{}
	}
	return s.text(n)
}

func (s *source) text(n *yaml.Node) text {
	if n.Style&yaml.TaggedStyle != 0 && !yamlTags[n.Tag] {
		// Most likely an expression starting with "!", such as !reached(x.y).
		s.errorf(n, "YAML reads %.40q as a tag, not as part of the value: quote the value (in an expression, not is the same as !)", n.Tag)
		return text{}
	}
	return text{S: n.Value, Pos: s.pos(n), node: n, src: s}
}

// yamlTags are the standard tags a scalar may carry.
var yamlTags = map[string]bool{"!!str": true, "!!int": true, "!!float": true, "!!bool": true, "!!null": true, "!!timestamp": true}

// scalars reads a list of scalars.
func (s *source) scalars(n *yaml.Node, what string) []text {
	var out []text
	s.list(n, what, func(it *yaml.Node) {
		if t := s.scalar(it, "an item of "+what); t.ok() {
			out = append(out, t)
		}
	})
	return out
}

// at returns the file position of rune offset off inside the scalar's value,
// for expressions: exact for plain and quoted one-line scalars and for
// literal blocks, approximate (the scalar's start) otherwise.
func (t text) at(off int) Pos {
	if t.node == nil {
		return t.Pos
	}
	n := t.node
	switch n.Style {
	case 0, yaml.TaggedStyle:
		if !strings.Contains(n.Value, "\n") {
			return Pos{File: t.Pos.File, Line: n.Line, Col: n.Column + off}
		}
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		if !strings.Contains(n.Value, "\n") {
			// Step over escapes (\" \\ \xNN ...) and doubled single quotes.
			src := []rune(t.src.lineIn(t.Pos.File, n.Line))
			i := n.Column // the rune index just after the opening quote
			for k := 0; k < off && i < len(src); k++ {
				switch {
				case n.Style == yaml.DoubleQuotedStyle && src[i] == '\\' && i+1 < len(src):
					switch src[i+1] {
					case 'x':
						i += 4
					case 'u':
						i += 6
					case 'U':
						i += 10
					default:
						i += 2
					}
				case n.Style == yaml.SingleQuotedStyle && src[i] == '\'' && i+1 < len(src) && src[i+1] == '\'':
					i += 2
				default:
					i++
				}
			}
			return Pos{File: t.Pos.File, Line: n.Line, Col: i + 1}
		}
	case yaml.LiteralStyle:
		// The block starts on the line after the indicator.
		lines := strings.Split(n.Value, "\n")
		line, col := 0, off
		for line < len(lines)-1 && col > utf8.RuneCountInString(lines[line]) {
			col -= utf8.RuneCountInString(lines[line]) + 1
			line++
		}
		indent := 0 // of the block's first non-blank line
		for l := n.Line + 1; l <= n.Line+len(lines); l++ {
			if s := t.src.lineIn(t.Pos.File, l); strings.TrimSpace(s) != "" {
				indent = len(s) - len(strings.TrimLeft(s, " "))
				break
			}
		}
		return Pos{File: t.Pos.File, Line: n.Line + 1 + line, Col: indent + col + 1}
	}
	return t.Pos
}

// lineAt returns the source line of p, for snippets.
func (t text) lineAt(p Pos) string {
	if t.src == nil {
		return ""
	}
	return t.src.lineOf(p)
}
