package model

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The raw scenario: what the file says, with positions, before compilation.

type rawScenario struct {
	version     text
	name        text
	title       text
	description text
	asOf        text // as_of: the date of the information (see build_asof.go)
	time        rawTime
	dates       []rawNamed
	lets        []rawNamed
	params      []*rawParam
	vars        []*rawVar
	tracks      []*rawTrack
	outcomes    []*rawOutcome
	checks      []*rawCheck    // see checks.go
	evidence    []*rawEvidence // see build_evidence.go
	trials      text
	seed        text
	disable     []text // hypotheses switched off (disable:), over the extends chain
	root        *yaml.Node
}

type rawTime struct {
	start, step, horizon, steps, rateUnit text
	node                                  *yaml.Node
}

type rawNamed struct {
	name     text
	value    text
	internal text // a date's internal: (see checks.go)
}

type rawParam struct {
	name   text
	value  text
	dist   text
	rng    []text
	rngPos *yaml.Node
	why    text
	source []text
	off    text       // off: V, the neutral value for every hypothesis in source
	offFor []rawNamed // off: {H8: V, ...}, per hypothesis
	atOff  bool       // fixed at its off value by a disabled hypothesis
}

type rawVar struct {
	name   text
	init   text
	why    text
	source []text
}

type rawTrack struct {
	name        text
	why         text
	initial     text
	states      []rawNamed
	transitions []*rawTransition
	node        *yaml.Node
}

type rawTransition struct {
	name   text
	from   []text
	to     text
	p      text
	rate   text
	per    text
	when   text
	set    []rawNamed
	why    text
	source []text
	off    text // off: keep
	node   *yaml.Node
}

type rawOutcome struct {
	name     text
	when     text
	given    text
	why      text
	source   []text
	group    text // how the outcome is presented (see checks.go)
	headline text
	question text
	value    valueFields // a value outcome's fields (see build_values.go)
	hasWhen  bool        // the outcome has a when: key (perhaps unreadable)
}

// parseRaw reads the YAML of a scenario file into a rawScenario, recording
// every structural problem in errs.
func parseRaw(file string, data []byte, errs *ErrorList) *rawScenario {
	s := newSource(file, data, errs)
	root := parseDoc(s, data)
	if root == nil {
		return nil
	}
	return readRaw(s, root)
}

// parseDoc decodes the one YAML document of s's file and returns its root
// node, or nil after recording why it cannot.
func parseDoc(s *source, data []byte) *yaml.Node {
	return parseDocOf(s, data, "scenario", MaxFileBytes)
}

// parseDocOf is parseDoc for a kind of file ("scenario", "batch") with its
// size limit.
func parseDocOf(s *source, data []byte, kind string, maxBytes int) *yaml.Node {
	file, errs := s.file, s.errs
	if len(data) > maxBytes {
		errs.Add(Pos{File: file}, "", "file is %d bytes; %s files are limited to %d", len(data), kind, maxBytes)
		return nil
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF { // nothing but blanks and comments
			errs.Add(Pos{File: file, Line: 1, Col: 1}, s.line(1), "the file is empty")
			return nil
		}
		addYAMLError(s, err)
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		s.errorf(&extra, "a %s file holds one YAML document; found a second one", kind)
	}
	if len(doc.Content) == 0 {
		errs.Add(Pos{File: file, Line: 1, Col: 1}, s.line(1), "the file is empty")
		return nil
	}
	return doc.Content[0]
}

// readRaw reads a scenario's root node (of one file, or the merge of an
// overlay and its bases) into a rawScenario.
func readRaw(s *source, root *yaml.Node) *rawScenario {
	r := &rawScenario{root: root}
	s.mapping(root, "the scenario", []field{
		{"scensim", true, func(k, v *yaml.Node) { r.version = s.scalar(v, "scensim") }},
		{"name", true, func(k, v *yaml.Node) { r.name = s.scalar(v, "name") }},
		{"title", false, func(k, v *yaml.Node) { r.title = s.scalar(v, "title") }},
		{"description", false, func(k, v *yaml.Node) { r.description = s.scalar(v, "description") }},
		{"as_of", false, func(k, v *yaml.Node) { r.asOf = s.scalar(v, "as_of") }},
		{"time", true, func(k, v *yaml.Node) { r.time = readTime(s, v) }},
		{"dates", false, func(k, v *yaml.Node) {
			s.pairs(v, "dates", func(name text, val *yaml.Node) {
				if d := readDate(s, name, val); d.value.ok() { // else the reader reported it
					r.dates = append(r.dates, d)
				}
			})
		}},
		{"let", false, func(k, v *yaml.Node) {
			s.pairs(v, "let", func(name text, val *yaml.Node) {
				r.lets = append(r.lets, rawNamed{name: name, value: s.scalar(val, "let "+name.S)})
			})
		}},
		{"params", false, func(k, v *yaml.Node) {
			s.pairs(v, "params", func(name text, val *yaml.Node) { r.params = append(r.params, readParam(s, name, val)) })
		}},
		{"vars", false, func(k, v *yaml.Node) {
			s.pairs(v, "vars", func(name text, val *yaml.Node) { r.vars = append(r.vars, readVar(s, name, val)) })
		}},
		{"tracks", true, func(k, v *yaml.Node) {
			s.pairs(v, "tracks", func(name text, val *yaml.Node) { r.tracks = append(r.tracks, readTrack(s, name, val)) })
		}},
		{"outcomes", false, func(k, v *yaml.Node) {
			s.pairs(v, "outcomes", func(name text, val *yaml.Node) { r.outcomes = append(r.outcomes, readOutcome(s, name, val)) })
		}},
		{"checks", false, func(k, v *yaml.Node) {
			s.pairs(v, "checks", func(name text, val *yaml.Node) { r.checks = append(r.checks, readCheck(s, name, val)) })
		}},
		{"evidence", false, func(k, v *yaml.Node) {
			s.pairs(v, "evidence", func(name text, val *yaml.Node) { r.evidence = append(r.evidence, readEvidence(s, name, val)) })
		}},
		{"run", false, func(k, v *yaml.Node) {
			s.mapping(v, "run", []field{
				{"trials", false, func(k, v *yaml.Node) { r.trials = s.scalar(v, "trials") }},
				{"seed", false, func(k, v *yaml.Node) { r.seed = s.scalar(v, "seed") }},
			})
		}},
		// extends is resolved before the read (see overlay.go); disable
		// lists the hypotheses to switch off (see disable.go).
		{"extends", false, func(k, v *yaml.Node) {}},
		{"disable", false, func(k, v *yaml.Node) { r.disable = append(r.disable, s.scalars(v, "disable")...) }},
	})
	if s.nodes > MaxYAMLNodes {
		return nil // the document was not read whole: nothing more to check
	}
	return r
}

// yamlParserProblems are the problems yaml.v3 reports as parser (not
// scanner) errors; for those its "line N" is 0-based.
var yamlParserProblems = []string{
	"did not find expected <stream-start>", "did not find expected <document start>",
	"did not find expected node content", "did not find expected '-' indicator", "did not find expected key",
	"did not find expected ',' or ']'", "did not find expected ',' or '}'", "found undefined tag handle",
	"found duplicate %YAML directive", "found incompatible YAML document", "found duplicate %TAG directive",
}

// yamlHints explain the YAML errors that expressions commonly cause.
var yamlHints = map[string]string{
	"mapping values are not allowed in this context":        ` (a value that contains ": ", such as a c ? a : b expression, must be quoted)`,
	"did not find expected key":                             ` (in the mapping that starts here: check the indentation of its keys, and quote the whole of a value that starts with a quote, as in '"a" == b')`,
	"did not find expected alphabetic or numeric character": ` (a value that starts with * or & must be quoted)`,
	"found character that cannot start any token":           " (a value that starts with @, ` or % must be quoted)",
}

// addYAMLError turns a yaml.v3 error ("yaml: line 3: ...") into a positioned error.
func addYAMLError(s *source, err error) {
	msg := err.Error()
	var line int
	var rest string
	if n, _ := fmt.Sscanf(msg, "yaml: line %d:", &line); n == 1 {
		if i := bytes.IndexByte([]byte(msg), ':'); i >= 0 {
			rest = msg[i+1:]
			if j := bytes.IndexByte([]byte(rest), ':'); j >= 0 {
				rest = rest[j+1:]
			}
		}
		rest = trimSpace(rest)
		if slices.Contains(yamlParserProblems, rest) {
			line++
		}
		col := 0
		if strings.Contains(rest, "tab character") {
			// yaml.v3 names the line where the enclosing scalar or block
			// starts; point at the first tab that indents a line instead.
			for l := max(line, 1); l <= len(s.lines); l++ {
				txt := s.line(l)
				indent := txt[:len(txt)-len(strings.TrimLeft(txt, " \t"))]
				if i := strings.IndexByte(indent, '\t'); i >= 0 {
					line, col, rest = l, i+1, "a tab character indents this line; YAML indents with spaces only"
					break
				}
			}
		}
		rest += yamlHints[rest]
		s.errs.Add(Pos{File: s.file, Line: line, Col: col}, s.line(line), "YAML syntax: %s", rest)
		return
	}
	if te, ok := err.(*yaml.TypeError); ok {
		for _, e := range te.Errors {
			s.errs.Add(Pos{File: s.file}, "", "YAML: %s", e)
		}
		return
	}
	s.errs.Add(Pos{File: s.file}, "", "YAML syntax: %s", trimPrefix(msg, "yaml: "))
}

func trimSpace(s string) string { return string(bytes.TrimSpace([]byte(s))) }

func trimPrefix(s, p string) string {
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

func readTime(s *source, n *yaml.Node) rawTime {
	t := rawTime{node: n}
	s.mapping(n, "time", []field{
		{"start", true, func(k, v *yaml.Node) { t.start = s.scalar(v, "time.start") }},
		{"step", false, func(k, v *yaml.Node) { t.step = s.scalar(v, "time.step") }},
		{"horizon", false, func(k, v *yaml.Node) { t.horizon = s.scalar(v, "time.horizon") }},
		{"steps", false, func(k, v *yaml.Node) { t.steps = s.scalar(v, "time.steps") }},
		{"rate_unit", false, func(k, v *yaml.Node) { t.rateUnit = s.scalar(v, "time.rate_unit") }},
	})
	return t
}

func readParam(s *source, name text, n *yaml.Node) *rawParam {
	p := &rawParam{name: name}
	if n.Kind == yaml.ScalarNode {
		p.value = s.text(n) // shorthand: name: 0.3
		return p
	}
	what := "param " + name.S
	s.mapping(n, what, []field{
		{"value", false, func(k, v *yaml.Node) { p.value = s.scalar(v, what+".value") }},
		{"dist", false, func(k, v *yaml.Node) { p.dist = s.scalar(v, what+".dist") }},
		{"range", false, func(k, v *yaml.Node) { p.rng, p.rngPos = s.scalars(v, what+".range"), v }},
		{"why", false, func(k, v *yaml.Node) { p.why = s.scalar(v, what+".why") }},
		{"source", false, func(k, v *yaml.Node) { p.source = s.scalars(v, what+".source") }},
		{"off", false, func(k, v *yaml.Node) {
			if v.Kind == yaml.MappingNode {
				s.pairs(v, what+".off", func(h text, val *yaml.Node) {
					p.offFor = append(p.offFor, rawNamed{name: h, value: s.scalar(val, what+".off."+h.S)})
				})
				return
			}
			p.off = s.scalar(v, what+".off")
		}},
	})
	return p
}

func readVar(s *source, name text, n *yaml.Node) *rawVar {
	v := &rawVar{name: name}
	if n.Kind == yaml.ScalarNode {
		v.init = s.text(n)
		return v
	}
	what := "var " + name.S
	s.mapping(n, what, []field{
		{"init", true, func(k, n *yaml.Node) { v.init = s.scalar(n, what+".init") }},
		{"why", false, func(k, n *yaml.Node) { v.why = s.scalar(n, what+".why") }},
		{"source", false, func(k, n *yaml.Node) { v.source = s.scalars(n, what+".source") }},
	})
	return v
}

func readTrack(s *source, name text, n *yaml.Node) *rawTrack {
	t := &rawTrack{name: name, node: n}
	what := "track " + name.S
	s.mapping(n, what, []field{
		{"why", false, func(k, v *yaml.Node) { t.why = s.scalar(v, what+".why") }},
		{"initial", true, func(k, v *yaml.Node) { t.initial = s.scalar(v, what+".initial") }},
		{"states", true, func(k, v *yaml.Node) {
			if v.Kind == yaml.SequenceNode {
				for _, st := range s.scalars(v, what+".states") {
					t.states = append(t.states, rawNamed{name: st})
				}
				return
			}
			s.pairs(v, what+".states", func(st text, desc *yaml.Node) {
				d := text{}
				if !(desc.Kind == yaml.ScalarNode && desc.Tag == "!!null") {
					d = s.scalar(desc, "the description of state "+st.S)
				}
				t.states = append(t.states, rawNamed{name: st, value: d})
			})
		}},
		{"transitions", false, func(k, v *yaml.Node) {
			s.list(v, what+".transitions", func(it *yaml.Node) { t.transitions = append(t.transitions, readTransition(s, what, it)) })
		}},
	})
	return t
}

func readTransition(s *source, track string, n *yaml.Node) *rawTransition {
	tr := &rawTransition{node: n}
	what := "a transition of " + track
	s.mapping(n, what, []field{
		{"name", false, func(k, v *yaml.Node) { tr.name = s.scalar(v, "name") }},
		{"from", true, func(k, v *yaml.Node) { tr.from = s.scalars(v, "from") }},
		{"to", true, func(k, v *yaml.Node) { tr.to = s.scalar(v, "to") }},
		{"p", false, func(k, v *yaml.Node) { tr.p = s.scalar(v, "p") }},
		{"rate", false, func(k, v *yaml.Node) { tr.rate = s.scalar(v, "rate") }},
		{"per", false, func(k, v *yaml.Node) { tr.per = s.scalar(v, "per") }},
		{"when", false, func(k, v *yaml.Node) { tr.when = s.scalar(v, "when") }},
		{"set", false, func(k, v *yaml.Node) {
			s.pairs(v, "set", func(name text, val *yaml.Node) {
				tr.set = append(tr.set, rawNamed{name: name, value: s.scalar(val, "the effect on "+name.S)})
			})
		}},
		{"why", false, func(k, v *yaml.Node) { tr.why = s.scalar(v, "why") }},
		{"source", false, func(k, v *yaml.Node) { tr.source = s.scalars(v, "source") }},
		{"off", false, func(k, v *yaml.Node) { tr.off = s.scalar(v, "off") }},
	})
	return tr
}

func readOutcome(s *source, name text, n *yaml.Node) *rawOutcome {
	o := &rawOutcome{name: name}
	if n.Kind == yaml.ScalarNode {
		o.when = s.text(n)
		return o
	}
	what := "outcome " + name.S
	s.mapping(n, what, append([]field{
		{"when", false, func(k, v *yaml.Node) { o.when, o.hasWhen = s.scalar(v, what+".when"), true }},
		{"given", false, func(k, v *yaml.Node) { o.given = s.scalar(v, what+".given") }},
		{"why", false, func(k, v *yaml.Node) { o.why = s.scalar(v, what+".why") }},
		{"source", false, func(k, v *yaml.Node) { o.source = s.scalars(v, what+".source") }},
		{"group", false, func(k, v *yaml.Node) { o.group = s.scalar(v, what+".group") }},
		{"headline", false, func(k, v *yaml.Node) { o.headline = s.scalar(v, what+".headline") }},
		{"question", false, func(k, v *yaml.Node) { o.question = s.scalar(v, what+".question") }},
	}, valueFieldList(s, what, &o.value)...))
	if !o.hasWhen && !o.value.declared() {
		s.errorf(n, "%s needs the key %q", what, "when")
	}
	return o
}
