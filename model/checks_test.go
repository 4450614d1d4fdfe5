package model

import (
	"strings"
	"testing"
)

const checksBase = `scensim: 1
name: base
time: {start: 2025-01-01, step: week, steps: 10}
dates:
  cut: {value: 2025-02-01, internal: true}
  shown: 2025-02-15
tracks:
  t:
    initial: a
    states: [a, b, c]
    transitions:
      - {name: ab, from: a, to: b, p: 0.2, source: [H1]}
      - {name: bc, from: b, to: c, p: 0.2, source: [H2]}
outcomes:
  got_b:
    when: reached(t.b)
    group: early
    headline: true
    question: Does the track reach b?
  got_c:
    when: reached(t.c)
    group: late
  got_b_by_cut: reached_by(t.b, cut)
checks:
  c_after_b:
    expr: not reached(t.c) or entry(t.b) < entry(t.c)
    why: c is only reached through b.
    source: [H2]
  b_before_c: reached(t.b) or not reached(t.c)
`

func TestChecksCompile(t *testing.T) {
	f := files{"base.yaml": checksBase}
	p := mustCompile(t, f, "base.yaml")
	if len(p.Checks) != 2 {
		t.Fatalf("got %d checks, want 2", len(p.Checks))
	}
	c := p.Checks[0]
	if c.Name != "c_after_b" || c.Src != "not reached(t.c) or entry(t.b) < entry(t.c)" || c.Why == "" || strings.Join(c.Source, ",") != "H2" {
		t.Errorf("check 0 = %+v", c)
	}
	if p.Checks[1].Src != "reached(t.b) or not reached(t.c)" || p.Kernel.Check(1) == nil {
		t.Errorf("check 1: shorthand not read or not tabled: %+v", p.Checks[1])
	}
	if len(p.Outcomes) != 3 {
		t.Fatalf("checks must not be outcomes: got %d outcomes", len(p.Outcomes))
	}
	o := p.Outcomes[0]
	if o.Group != "early" || !o.Headline || o.Question != "Does the track reach b?" {
		t.Errorf("outcome got_b = group %q headline %v question %q", o.Group, o.Headline, o.Question)
	}
	if p.Outcomes[1].Headline || p.Outcomes[2].Group != "" || !p.HasHeadline() {
		t.Errorf("defaults wrong: %+v %+v", p.Outcomes[1], p.Outcomes[2])
	}
	if !p.InternalDate("cut") || p.InternalDate("shown") || p.InternalDate("nope") {
		t.Errorf("internal dates: cut %v shown %v", p.InternalDate("cut"), p.InternalDate("shown"))
	}
}

func TestChecksOverlay(t *testing.T) {
	f := files{"base.yaml": checksBase, "o.yaml": `scensim: 1
name: o
extends: base
dates:
  shown: {value: 2025-03-01, internal: true}
  extra: {value: cut + 1w, internal: true, new: true}
outcomes:
  got_c: {headline: true, question: "Does it reach c?"}
checks:
  c_after_b: {remove: true}
  b_before_c: reached(t.b) or t.a
  new_one: {expr: "not t.a or not reached(t.c)", new: true}
`}
	p := mustCompile(t, f, "o.yaml")
	var names []string
	for _, c := range p.Checks {
		names = append(names, c.Name+"="+c.Src)
	}
	if got, want := strings.Join(names, "; "), "b_before_c=reached(t.b) or t.a; new_one=not t.a or not reached(t.c)"; got != want {
		t.Errorf("checks = %s, want %s", got, want)
	}
	if !p.InternalDate("shown") || !p.InternalDate("extra") || !p.InternalDate("cut") {
		t.Errorf("internal dates after overlay wrong")
	}
	if o := p.Outcomes[1]; !o.Headline || o.Group != "late" || o.Question != "Does it reach c?" {
		t.Errorf("merged outcome got_c = %+v", o)
	}

	bad := files{"base.yaml": checksBase, "o.yaml": `scensim: 1
name: o
extends: base
checks:
  c_afterb: {expr: "true"}
  gone: {remove: true}
`}
	_, errs := bad.compile(t, "o.yaml")
	msg := errs.Snippets()
	for _, want := range []string{`the base has no check "c_afterb" (did you mean "c_after_b"?)`, `the base has no check "gone" to remove`} {
		if !strings.Contains(msg, want) {
			t.Errorf("overlay errors lack %q:\n%s", want, msg)
		}
	}
}

func TestChecksDisable(t *testing.T) {
	f := files{"base.yaml": checksBase}
	p := mustCompile(t, f, "base.yaml", "H2")
	if len(p.Checks) != 1 || p.Checks[0].Name != "b_before_c" {
		t.Fatalf("disabling H2 should drop c_after_b: %d checks", len(p.Checks))
	}
	if !strings.Contains(strings.Join(p.DisabledNotes, "\n"), "check c_after_b dropped") {
		t.Errorf("notes lack the dropped check: %q", p.DisabledNotes)
	}
	// A hypothesis cited by a check alone can be switched off.
	only := strings.Replace(checksBase, "source: [H2]\n  b_before_c", "source: [H9]\n  b_before_c", 1)
	p = mustCompile(t, files{"base.yaml": only}, "base.yaml", "H9")
	if len(p.Checks) != 1 {
		t.Errorf("disabling H9 should drop one check, left %d", len(p.Checks))
	}
}
