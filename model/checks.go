package model

// Structural checks and how outcomes are presented.
//
// A scenario's checks: section holds invariants over a trial's path, such
// as "no major offensive before mobilisation". A check is a boolean
// expression in the language of outcomes, evaluated at the horizon of
// every trial; it must hold in every trial, and a trial where it does not
// stops the run with an error. Checks are not forecasts: they are listed
// by validate and show, never in the outcome table.
//
// Outcomes may say how a reader sees them: group: (outcomes are shown
// grouped, groups in the order they first appear), headline: true (shown
// first and alone in the run's summary) and question: (the outcome in
// plain words). A date may be internal: true (used by checks and
// conditional outcomes only), so charts do not draw it.

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// Check is an invariant that every trial's path must satisfy at the
// horizon.
type Check struct {
	Name   string
	Expr   *Expr
	Src    string // the expression as written
	Why    string
	Source []string
	Pos    Pos
}

type rawCheck struct {
	name   text
	expr   text
	why    text
	source []text
}

// readCheck reads one entry of checks: a mapping, or an expression alone.
func readCheck(s *source, name text, n *yaml.Node) *rawCheck {
	c := &rawCheck{name: name}
	if n.Kind == yaml.ScalarNode {
		c.expr = s.text(n)
		return c
	}
	what := "check " + name.S
	s.mapping(n, what, []field{
		{"expr", true, func(k, v *yaml.Node) { c.expr = s.scalar(v, what+".expr") }},
		{"why", false, func(k, v *yaml.Node) { c.why = s.scalar(v, what+".why") }},
		{"source", false, func(k, v *yaml.Node) { c.source = s.scalars(v, what+".source") }},
	})
	return c
}

// readDate reads one entry of dates: a date alone, or a mapping
// {value: ..., internal: true}.
func readDate(s *source, name text, n *yaml.Node) rawNamed {
	d := rawNamed{name: name}
	if n.Kind != yaml.MappingNode {
		d.value = s.scalar(n, "date "+name.S)
		return d
	}
	what := "date " + name.S
	s.mapping(n, what, []field{
		{"value", true, func(k, v *yaml.Node) { d.value = s.scalar(v, what+".value") }},
		{"internal", false, func(k, v *yaml.Node) { d.internal = s.scalar(v, what+".internal") }},
	})
	return d
}

// boolField reads an optional true/false field; what names it in errors.
func (b *builder) boolField(t text, what string) bool {
	if !t.ok() {
		return false
	}
	switch strings.TrimSpace(t.S) {
	case "true":
		return true
	case "false":
		return false
	}
	b.errorf(t, "%s must be true or false, not %q", what, t.S)
	return false
}

// outcomeMeta fills the presentation fields of an outcome.
func (b *builder) outcomeMeta(o *Outcome, ro *rawOutcome) {
	o.Group = strings.TrimSpace(ro.group.S)
	if ro.group.ok() && o.Group == "" {
		b.errorf(ro.group, "outcome %s: group must not be empty", o.Name)
	}
	o.Headline = b.boolField(ro.headline, "outcome "+o.Name+": headline")
	o.Question = strings.TrimSpace(ro.question.S)
	if ro.question.ok() && o.Question == "" {
		b.errorf(ro.question, "outcome %s: question must not be empty", o.Name)
	}
}

// buildChecks compiles the checks: boolean expressions over the trial's
// path, as outcomes are.
func (b *builder) buildChecks() {
	p := b.plan
	sc := scope{track: -1, allowState: true, allowTime: true, allowTrial: true, want: TypeBool}
	for _, rc := range b.raw.checks {
		if !b.declare(rc.name, "check") {
			continue
		}
		c := &Check{Name: rc.name.S, Src: strings.TrimSpace(rc.expr.S), Why: rc.why.S, Source: texts(rc.source), Pos: rc.name.Pos}
		sc.what = "check " + c.Name
		if !rc.expr.ok() {
			continue // the reader reported the missing expr:
		}
		if c.Src == "" {
			b.errorf(rc.expr, "check %s needs an expression", c.Name)
			continue
		}
		c.Expr = b.c.compile(rc.expr, sc)
		p.Checks = append(p.Checks, c)
	}
}

// buildCheckTests tables the checks that read only discrete keys.
func (b *builder) buildCheckTests() {
	for i, c := range b.plan.Checks {
		b.plan.Kernel.SetCheck(i, b.test(c.Expr))
	}
}

// disableChecks drops the checks that cite a hypothesis switched off:
// a check states what its hypotheses imply, and need not hold without
// one of them. It returns one note per check dropped.
func disableChecks(raw *rawScenario, off map[string]bool, label func([]string) string) (notes []string) {
	kept := raw.checks[:0:0]
	for _, c := range raw.checks {
		var hs []string
		for _, t := range c.source {
			if off[t.S] {
				hs = append(hs, t.S)
			}
		}
		if len(hs) == 0 {
			kept = append(kept, c)
			continue
		}
		notes = append(notes, label(hs)+"check "+c.name.S+" dropped (it cites a hypothesis that is off)")
	}
	raw.checks = kept
	return notes
}

// InternalDate reports whether the named date is internal: true.
func (p *Plan) InternalDate(name string) bool {
	for _, d := range p.Dates {
		if d.Name == name {
			return d.Internal
		}
	}
	return false
}

// HasHeadline reports whether any outcome is a headline outcome.
func (p *Plan) HasHeadline() bool {
	for _, o := range p.Outcomes {
		if o.Headline {
			return true
		}
	}
	return false
}

// markInternalDates sets Date.Internal from each date's internal: field.
func (b *builder) markInternalDates() {
	for _, rd := range b.raw.dates {
		if !rd.internal.ok() {
			continue
		}
		on := b.boolField(rd.internal, "date "+rd.name.S+": internal")
		for _, d := range b.plan.Dates {
			if d.Name == rd.name.S {
				d.Internal = on
			}
		}
	}
}

// dateEntry reads an overlay's date written as a mapping ({value: ...,
// internal: true, new: true}): it strips new: and returns the entry (the
// value alone if nothing else is left) and whether it is new. The reader
// checks the remaining keys.
func (l *loader) dateEntry(v *yaml.Node) (*yaml.Node, bool) {
	v, isNew := l.flag(v, "new")
	if len(v.Content) == 2 && lookup(v, "value") >= 0 {
		return deref(v.Content[1]), isNew
	}
	return v, isNew
}
