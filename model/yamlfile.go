package model

import "go.yaml.in/yaml/v3"

// YAMLFile reads another kind of YAML file of the project (a batch file)
// the way scenario files are read: positions and caret snippets, every
// error at once, limits on size and on alias expansion.
type YAMLFile struct {
	s *source
}

// YAMLField is one key of a mapping that a reader understands.
type YAMLField struct {
	Name     string
	Required bool
	Read     func(key, val *yaml.Node)
}

// ReadYAML parses data as one YAML document of the given kind ("batch",
// used in messages), at most maxBytes long. It returns a reader and the
// root node, or a nil root after recording the errors in errs.
func ReadYAML(file string, data []byte, kind string, maxBytes int, errs *ErrorList) (*YAMLFile, *yaml.Node) {
	s := newSource(file, data, errs)
	return &YAMLFile{s: s}, parseDocOf(s, data, kind, maxBytes)
}

// KindName names what a node is, for messages: "a mapping", "a list",
// "nothing" or the quoted scalar.
func KindName(n *yaml.Node) string { return kindName(n) }

// Errorf records an error at node n.
func (y *YAMLFile) Errorf(n *yaml.Node, format string, args ...any) { y.s.errorf(n, format, args...) }

// Resolve follows aliases, counting nodes against MaxYAMLNodes; nil once
// the budget is spent (the error is recorded).
func (y *YAMLFile) Resolve(n *yaml.Node) *yaml.Node { return y.s.resolve(n) }

// Mapping reads a mapping node, passing each known key to its reader;
// unknown, duplicate and missing required keys are errors. It reports
// whether n was a mapping.
func (y *YAMLFile) Mapping(n *yaml.Node, what string, fields []YAMLField) bool {
	if n = y.s.resolve(n); n == nil {
		return false
	}
	if n.Kind != yaml.MappingNode {
		y.s.errorf(n, "%s must be a mapping, not %s", what, kindName(n))
		return false
	}
	fs := make([]field, len(fields))
	for i, f := range fields {
		fs[i] = field{f.Name, f.Required, f.Read}
	}
	y.s.mapping(n, what, fs)
	return true
}

// Scalar returns the value of a scalar node; anything else (a mapping, a
// list, nothing) is an error and gives false.
func (y *YAMLFile) Scalar(n *yaml.Node, what string) (string, bool) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		y.s.errorf(n, "%s must be a single value, not %s", what, kindName(n))
		return "", false
	}
	t := y.s.scalar(n, what)
	return t.S, t.ok()
}

// List calls each for every item of a list node; anything else is an
// error.
func (y *YAMLFile) List(n *yaml.Node, what string, each func(it *yaml.Node)) {
	if n = y.s.resolve(n); n == nil {
		return
	}
	if n.Kind != yaml.SequenceNode {
		y.s.errorf(n, "%s must be a list, not %s", what, kindName(n))
		return
	}
	y.s.list(n, what, each)
}
