package model

// Evidence: observed facts about the simulated period, each a condition on
// a trial's history up to a date. A run with evidence keeps only the trials
// whose history agrees with every item (exact rejection, see package sim
// and docs/evidence.md).
//
// The evidence: section maps item names to conditions:
//
//	evidence:
//	  no_deal_by_feb:
//	    not_reached: talks.ceasefire
//	    by: 2025-02-01            # a named date or YYYY-MM-DD
//	    source: "wire report, 1 Feb 2025"
//	  talks_open:
//	    in: talks.negotiating     # also not_in:
//	    at: feb1
//	    source: "..."
//	  custom:
//	    when: "entry(talks.open) < feb1"   # any outcome condition
//	    source: "..."
//
// An item is a hidden yes/no outcome: it is evaluated at the end of the
// trial, which is exact because it reads the history only up to its date.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// EvidenceKind says what an evidence item observes.
type EvidenceKind int

// The kinds of evidence items.
const (
	EvidenceReached    EvidenceKind = iota // State was entered at a point ≤ Point
	EvidenceNotReached                     // State was not entered at any point ≤ Point
	EvidenceIn                             // the track was in State at Point
	EvidenceNotIn                          // the track was not in State at Point
	EvidenceWhen                           // When holds at the horizon
	EvidenceValue                          // value outcome Value as of Point lies in [Lo, Hi]
)

// Evidence is one observed fact: a condition every kept trial satisfies.
type Evidence struct {
	Name   string
	Kind   EvidenceKind
	State  int       // global state index (all kinds but EvidenceWhen)
	Date   time.Time // the date the fact speaks of (zero for EvidenceWhen)
	Point  int       // the last point dated on or before Date
	When   *Expr     // EvidenceWhen only
	Value  int       // EvidenceValue only: index into Plan.Values
	Lo, Hi float64   // EvidenceValue only: the closed range
	Text   string    // the condition as written, for listings
	Source []string  // where the fact comes from
	Why    string
	Pos    Pos
}

// EvidenceFile is a file given apart from the scenario (--evidence) that
// holds only an evidence: section.
type EvidenceFile struct {
	Name string
	Data []byte
}

type rawEvidence struct {
	name                           text
	reached, notReached, in, notIn text
	by, at, when, why, value       text
	source                         []text
	rng                            []text // in: [lo, hi] of a value item
	rngSet                         bool
}

// readEvidence reads one entry of evidence:.
func readEvidence(s *source, name text, n *yaml.Node) *rawEvidence {
	e := &rawEvidence{name: name}
	what := "evidence " + name.S
	s.mapping(n, what, []field{
		{"reached", false, func(k, v *yaml.Node) { e.reached = s.scalar(v, what+".reached") }},
		{"not_reached", false, func(k, v *yaml.Node) { e.notReached = s.scalar(v, what+".not_reached") }},
		{"in", false, func(k, v *yaml.Node) {
			if v.Kind == yaml.SequenceNode { // a range, for value:
				e.rng, e.rngSet = s.scalars(v, what+".in"), true
				return
			}
			e.in = s.scalar(v, what+".in")
		}},
		{"value", false, func(k, v *yaml.Node) { e.value = s.scalar(v, what+".value") }},
		{"not_in", false, func(k, v *yaml.Node) { e.notIn = s.scalar(v, what+".not_in") }},
		{"by", false, func(k, v *yaml.Node) { e.by = s.scalar(v, what+".by") }},
		{"at", false, func(k, v *yaml.Node) { e.at = s.scalar(v, what+".at") }},
		{"when", false, func(k, v *yaml.Node) { e.when = s.scalar(v, what+".when") }},
		{"source", true, func(k, v *yaml.Node) { e.source = s.scalars(v, what+".source") }},
		{"why", false, func(k, v *yaml.Node) { e.why = s.scalar(v, what+".why") }},
	})
	return e
}

// readEvidenceFile reads a file holding only an evidence: section into
// raw, recording positioned errors in errs.
func readEvidenceFile(f EvidenceFile, raw *rawScenario, errs *ErrorList) {
	s := newSource(f.Name, f.Data, errs)
	root := parseDocOf(s, f.Data, "evidence", MaxFileBytes)
	if root == nil {
		return
	}
	s.mapping(root, "the evidence file", []field{
		{"evidence", true, func(k, v *yaml.Node) {
			s.pairs(v, "evidence", func(name text, val *yaml.Node) {
				raw.evidence = append(raw.evidence, readEvidence(s, name, val))
			})
		}},
	})
}

// buildEvidence compiles the evidence items into Plan.Evidence.
func (b *builder) buildEvidence() {
	p := b.plan
	seen := map[string]text{}
	for _, re := range b.raw.evidence {
		if !identRE.MatchString(re.name.S) {
			b.errorf(re.name, "evidence name %q is not a valid name (letters, digits and _, not starting with a digit)", re.name.S)
			continue
		}
		if prev, ok := seen[re.name.S]; ok {
			b.errorf(re.name, "evidence %q is already given (%s line %d)", re.name.S, prev.Pos.File, prev.Pos.Line)
			continue
		}
		seen[re.name.S] = re.name
		e := &Evidence{Name: re.name.S, Source: texts(re.source), Why: re.why.S, Pos: re.name.Pos}
		var cond text
		n := 0
		for _, c := range []struct {
			t    text
			kind EvidenceKind
		}{{re.reached, EvidenceReached}, {re.notReached, EvidenceNotReached}, {re.in, EvidenceIn}, {re.notIn, EvidenceNotIn}, {re.when, EvidenceWhen}, {re.value, EvidenceValue}} {
			if c.t.ok() {
				n++
				cond, e.Kind = c.t, c.kind
			}
		}
		if n != 1 {
			b.errorf(re.name, "evidence %s needs exactly one of reached:, not_reached:, in:, not_in:, when: or value: (it has %d)", re.name.S, n)
			continue
		}
		if re.rngSet && e.Kind != EvidenceValue {
			b.errorf(re.name, "evidence %s: in: [lo, hi] is the range of a value: item; in: of a state takes track.state", re.name.S)
			continue
		}
		if len(re.source) > 0 && strings.TrimSpace(strings.Join(e.Source, "")) == "" { // a missing source: is reported by the reader
			b.errorf(re.source[0], "evidence %s: source: is empty; say where the fact comes from", re.name.S)
		}
		switch e.Kind {
		case EvidenceValue:
			if !b.buildValueEvidence(e, re) {
				continue
			}
		case EvidenceWhen:
			if re.by.ok() || re.at.ok() {
				b.errorf(re.name, "evidence %s: when: takes no by: or at: (write the date into the condition)", re.name.S)
				continue
			}
			sc := scope{track: -1, allowState: true, allowTime: true, allowTrial: true, want: TypeBool, what: "evidence " + e.Name}
			e.When, e.Text = b.c.compile(cond, sc), cond.S
			if e.When == nil {
				continue
			}
		default:
			dateKey, other := re.by, re.at
			word, wrong := "by", "at"
			if e.Kind == EvidenceIn || e.Kind == EvidenceNotIn {
				dateKey, other, word, wrong = re.at, re.by, "at", "by"
			}
			if other.ok() {
				key := map[EvidenceKind]string{EvidenceReached: "reached", EvidenceNotReached: "not_reached", EvidenceIn: "in", EvidenceNotIn: "not_in"}[e.Kind]
				b.errorf(other, "evidence %s: %s: takes %s:, not %s:", re.name.S, key, word, wrong)
				continue
			}
			if !dateKey.ok() {
				b.errorf(re.name, "evidence %s needs %s: (a named date or YYYY-MM-DD)", re.name.S, word)
				continue
			}
			g, ok := b.stateNamed(cond, "evidence "+re.name.S)
			d, okDate := b.evidenceDate(dateKey, re.name.S)
			if !ok || !okDate {
				continue
			}
			e.State, e.Date, e.Point = g, d, lastPointOn(p, d)
			e.Text = map[EvidenceKind]string{EvidenceReached: "reached ", EvidenceNotReached: "not reached ", EvidenceIn: "in ", EvidenceNotIn: "not in "}[e.Kind] +
				p.FullName(g) + " " + word + " " + d.Format("2006-01-02")
		}
		p.Evidence = append(p.Evidence, e)
	}
}

// buildValueEvidence compiles a value: item (value outcome, in: [lo, hi],
// at: date) into e, reporting positioned errors; false if it has any.
func (b *builder) buildValueEvidence(e *Evidence, re *rawEvidence) bool {
	p := b.plan
	name := re.name.S
	if re.by.ok() {
		b.errorf(re.by, "evidence %s: value: takes at:, not by:", name)
		return false
	}
	ok := true
	e.Value = -1
	var names []string
	for i, v := range p.Values {
		if v.Name == re.value.S {
			e.Value = i
		}
		names = append(names, v.Name)
	}
	if e.Value < 0 {
		ok = false
		what := "no value outcome"
		for _, o := range p.Outcomes {
			if o.Name == re.value.S {
				what = "a yes/no outcome, not a value outcome (value: or accumulate:)"
			}
		}
		b.errorf(re.value, "evidence %s: %q is %s%s", name, re.value.S, what, suggestAmong(re.value.S, names))
	}
	switch {
	case !re.rngSet:
		b.errorf(re.name, "evidence %s: value: needs in: [lo, hi], the closed range the value lies in", name)
		ok = false
	case len(re.rng) != 2:
		pos := re.name
		if len(re.rng) > 0 {
			pos = re.rng[0]
		}
		b.errorf(pos, "evidence %s: in: must be [lo, hi], two numbers (it has %d)", name, len(re.rng))
		ok = false
	default:
		lo, err1 := strconv.ParseFloat(strings.TrimSpace(re.rng[0].S), 64)
		hi, err2 := strconv.ParseFloat(strings.TrimSpace(re.rng[1].S), 64)
		switch {
		case err1 != nil || math.IsNaN(lo):
			b.errorf(re.rng[0], "evidence %s: in: %q is not a number", name, re.rng[0].S)
			ok = false
		case err2 != nil || math.IsNaN(hi):
			b.errorf(re.rng[1], "evidence %s: in: %q is not a number", name, re.rng[1].S)
			ok = false
		case lo > hi:
			b.errorf(re.rng[0], "evidence %s: in: [%s, %s] is reversed (lo > hi): no value lies in it", name, re.rng[0].S, re.rng[1].S)
			ok = false
		}
		e.Lo, e.Hi = lo, hi
	}
	if !re.at.ok() {
		b.errorf(re.name, "evidence %s: value: needs at: (a named date or YYYY-MM-DD)", name)
		return false
	}
	d, okDate := b.evidenceDate(re.at, name)
	if !ok || !okDate {
		return false
	}
	e.Date, e.Point = d, lastPointOn(p, d)
	e.Text = fmt.Sprintf("%s in [%s, %s] at %s", re.value.S, strconv.FormatFloat(e.Lo, 'g', -1, 64),
		strconv.FormatFloat(e.Hi, 'g', -1, 64), d.Format("2006-01-02"))
	return true
}

// stateNamed resolves "track.state" to a global state index.
func (b *builder) stateNamed(t text, what string) (int, bool) {
	p := b.plan
	var names []string
	for g := range p.States {
		name := p.FullName(g)
		if name == t.S {
			return g, true
		}
		names = append(names, name)
	}
	b.errorf(t, "in %s: unknown state %q (want track.state)%s", what, t.S, suggestAmong(t.S, names))
	return 0, false
}

// evidenceDate resolves a named date or a literal YYYY-MM-DD, which must
// lie between the start and the horizon.
func (b *builder) evidenceDate(t text, item string) (time.Time, bool) {
	p := b.plan
	var d time.Time
	found := false
	for _, nd := range p.Dates {
		if nd.Name == t.S {
			d, found = nd.Date, true
		}
	}
	if !found {
		var err error
		if d, err = parseDate(t.S); err != nil {
			b.errorf(t, "evidence %s: %q is not a named date or a date YYYY-MM-DD", item, t.S)
			return d, false
		}
	}
	const day = "2006-01-02"
	start, horizon := p.Points[0], p.Points[len(p.Points)-1]
	switch {
	case d.Format(day) < start.Format(day):
		b.errorf(t, "evidence %s: %s is before the start %s", item, d.Format(day), start.Format(day))
		return d, false
	case d.Format(day) > horizon.Format(day):
		b.errorf(t, "evidence %s: %s is after the horizon %s; evidence speaks of the simulated period only", item, d.Format(day), horizon.Format(day))
		return d, false
	}
	return d, true
}

// lastPointOn returns the last point of p dated on or before d (by
// calendar day): the convention of reached-by columns.
func lastPointOn(p *Plan, d time.Time) int {
	const day = "2006-01-02"
	k := 0
	for i, t := range p.Points {
		if t.Format(day) <= d.Format(day) {
			k = i
		}
	}
	return k
}

// LastPointOn returns the last point of the plan's grid dated on or before
// d (by calendar day), 0 if d is before the start.
func (p *Plan) LastPointOn(d time.Time) int { return lastPointOn(p, d) }

// mergeEvidence merges an overlay's evidence: into its base's. Evidence
// accumulates: an overlay's item is added, or replaces the base's item of
// the same name whole; remove: true drops a base item.
func (l *loader) mergeEvidence(b, o *yaml.Node) *yaml.Node {
	if o.Kind == yaml.ScalarNode && o.Tag == "!!null" {
		return b
	}
	if b == nil || b.Kind == yaml.ScalarNode && b.Tag == "!!null" {
		b = l.emptyMap(o)
	}
	if b.Kind != yaml.MappingNode || o.Kind != yaml.MappingNode {
		return o // the reader reports it
	}
	out := l.clone(b)
	l.pairs(o, "evidence", func(k, v *yaml.Node) {
		v, remove := l.flag(v, "remove")
		i := lookup(out, k.Value)
		switch {
		case remove && i < 0:
			l.s.errorf(k, "the base has no evidence %q to remove%s", k.Value, suggestAmong(k.Value, names(b)))
		case remove:
			del(out, k.Value)
		case i >= 0:
			out.Content[i+1] = v
		default:
			out.Content = append(out.Content, k, v)
		}
	})
	return out
}
