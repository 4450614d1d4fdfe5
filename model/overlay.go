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
