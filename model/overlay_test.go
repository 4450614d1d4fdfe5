package model

import (
	"fmt"
	"strings"
	"testing"
)

// overlayBase is the base scenario of the overlay tests.
const overlayBase = `scensim: 1
name: base
time: {start: 2025-01-01, step: week, steps: 10}
dates:
  d0: 2025-01-15
  d1: d0 + 2w
params:
  k: {value: 0.1, off: 0, source: [H1]}
  s: {value: 0.5, dist: "uniform(0.2, 0.8)", source: [H2, H3], off: {H2: 0.3}}
  half: k * 2
  r: {value: 0.05, source: [H4]}
vars:
  mood: {init: 0, source: [H5]}
tracks:
  t:
    initial: a
    states: [a, b, c]
    transitions:
      - name: ab
        from: a
        to: b
        p: k
        source: [H1]
      - from: a
        to: c
        rate: r
        set: {mood: mood + 1}
        source: [H4]
      - name: back
        from: b
        to: a
        p: s
        source: [H2]
      - name: bc
        from: b
        to: c
        p: 0.01
        source: [H4]
        off: keep
outcomes:
  got_b: reached(t.b)
  got_c:
    when: reached(t.c)
    source: [H4]
`

// files is an in-memory resolver: extends NAME finds NAME.yaml.
type files map[string]string

func (f files) resolve(name, from string) (string, []byte, error) {
	file := name + ".yaml"
	data, ok := f[file]
	if !ok {
		return "", nil, fmt.Errorf("no scenario file %s", file)
	}
	return file, []byte(data), nil
}

func (f files) compile(t *testing.T, file string, disable ...string) (*Plan, ErrorList) {
	t.Helper()
	return CompileWith(file, []byte(f[file]), Options{Resolve: f.resolve, Disable: disable})
}

func mustCompile(t *testing.T, f files, file string, disable ...string) *Plan {
	t.Helper()
	p, errs := f.compile(t, file, disable...)
	if p == nil {
		t.Fatalf("%s:\n%s", file, errs.Snippets())
	}
	return p
}

func param(p *Plan, name string) *Param {
	for _, par := range p.Params {
		if par.Name == name {
			return par
		}
	}
	return nil
}

func transition(p *Plan, name string) *Transition {
	for _, x := range p.Transitions {
		if x.Name == name {
			return x
		}
	}
	return nil
}

func TestOverlayNestedExtends(t *testing.T) {
	f := files{
		"base.yaml": overlayBase,
		"mid.yaml": `scensim: 1
name: mid
extends: base
params:
  k: 0.2                          # a value alone
  s: {dist: "uniform(0.4, 0.6)"}  # a dist alone: the value becomes its mean
dates:
  d0: 2025-01-22
tracks:
  t:
    transitions:
      - name: ab
        p: k / 2
`,
		"top.yaml": `scensim: 1
name: top
title: The top of the chain
extends: mid
params:
  k: {value: 0.3}
time: {steps: 12}
tracks:
  t:
    states: {d: A new state.}
    transitions:
      - name: a->c
        p: 0.02                   # p instead of the base's rate
      - name: ad
        new: true
        from: a
        to: d
        p: 0.01
outcomes:
  got_d: {when: reached(t.d), new: true}
`,
	}
	p := mustCompile(t, f, "top.yaml")
	if p.Name != "top" || p.Title != "The top of the chain" || p.Steps != 12 {
		t.Errorf("name %q title %q steps %d", p.Name, p.Title, p.Steps)
	}
	if len(p.Bases) != 2 || p.Bases[0].File != "mid.yaml" || p.Bases[1].File != "base.yaml" || len(p.Bases[1].SHA256) != 64 {
		t.Errorf("bases %+v, want mid.yaml then base.yaml", p.Bases)
	}
	if k := param(p, "k"); k.Value != 0.3 || k.Dist != nil {
		t.Errorf("k = %v (dist %v), want fixed 0.3", k.Value, k.Dist)
	}
	if s := param(p, "s"); s.Dist == nil || s.Dist.Src != "uniform(0.4, 0.6)" || s.Value != 0.5 {
		t.Errorf("s: dist %v value %v", s.Dist, s.Value)
	}
	if h := param(p, "half"); h.Value != 0.6 {
		t.Errorf("half = %v, want 0.6 (k * 2 with k from the top)", h.Value)
	}
	if d := p.Dates[1]; d.Date.Format("2006-01-02") != "2025-02-05" {
		t.Errorf("d1 = %v, want d0 (from mid) + 2w", d.Date)
	}
	ab := transition(p, "ab")
	if ab == nil || ab.Prob.Src != "k / 2" || ab.Prob.Const != 0.15 {
		t.Errorf("ab: %+v", ab.Prob)
	}
	ac := transition(p, "a->c")
	if ac == nil || ac.Rate != nil || ac.Prob.Src != "0.02" || len(ac.Effects) != 1 {
		t.Errorf("a->c: rate %v p %v effects %d; want p 0.02 and the base's effect", ac.Rate, ac.Prob, len(ac.Effects))
	}
	// File order is kept; the new transition comes last in its track.
	var order []string
	for _, x := range p.Transitions {
		order = append(order, x.Name)
	}
	if got := strings.Join(order, " "); got != "ab a->c back bc ad" {
		t.Errorf("transitions %s", got)
	}
	if len(p.States) != 4 || p.States[3].Name != "d" || p.States[3].Desc != "A new state." {
		t.Errorf("states %d", len(p.States))
	}
	if o := p.Outcomes[len(p.Outcomes)-1]; o.Name != "got_d" {
		t.Errorf("last outcome %s", o.Name)
	}
	// Positions: the base's nodes name the base, the overlay's the overlay.
	if pos := transition(p, "back").Pos; pos.File != "base.yaml" || pos.Line != 29 {
		t.Errorf("back at %v, want base.yaml:29", pos)
	}
	if pos := param(p, "k").Pos; pos.File != "base.yaml" {
		t.Errorf("k declared at %v, want the base", pos)
	}
	if pos := ab.Prob.Pos; pos.File != "mid.yaml" || pos.Line != 13 {
		t.Errorf("ab's p at %v, want mid.yaml:13", pos)
	}
}

func TestOverlayErrors(t *testing.T) {
	cases := []struct {
		name string
		f    files
		want string
	}{
		{"cycle", files{
			"a.yaml": "scensim: 1\nname: a\nextends: b\n",
			"b.yaml": "scensim: 1\nname: b\nextends: a\n",
		}, "b.yaml:3:10: extends cycle: a → b → a\n    extends: a\n             ^"},
		{"self", files{
			"a.yaml": "scensim: 1\nname: a\nextends: a\n",
		}, "a.yaml:3:10: extends cycle: a → a\n    extends: a\n             ^"},
		{"missing base", files{
			"a.yaml": "scensim: 1\nname: a\nextends: basline\n",
		}, `a.yaml:3:10: extends "basline": no scenario file basline.yaml` + "\n    extends: basline\n             ^"},
		{"unknown param", files{
			"base.yaml": overlayBase,
			"a.yaml":    "scensim: 1\nname: a\nextends: base\nparams:\n  kk: 0.3\n",
		}, `a.yaml:5:3: the base has no param "kk" (did you mean "k"?); to add a param, give it new: true` + "\n      kk: 0.3\n      ^"},
		{"unknown transition", files{
			"base.yaml": overlayBase,
			"a.yaml":    "scensim: 1\nname: a\nextends: base\ntracks:\n  t:\n    transitions:\n      - name: abb\n        p: 0.2\n",
		}, `a.yaml:7:15: track t of the base has no transition "abb" (did you mean "ab"?); to add a transition, give it new: true` + "\n          - name: abb\n                  ^"},
		{"unknown track", files{
			"base.yaml": overlayBase,
			"a.yaml":    "scensim: 1\nname: a\nextends: base\ntracks:\n  tt: {initial: a}\n",
		}, `a.yaml:5:3: the base has no track "tt" (did you mean "t"?); to add a track, give it new: true` + "\n      tt: {initial: a}\n      ^"},
		{"unknown date", files{
			"base.yaml": overlayBase,
			"a.yaml":    "scensim: 1\nname: a\nextends: base\ndates: {d2: 2025-02-01}\n",
		}, `a.yaml:4:9: the base has no date "d2" (did you mean "d0"?); to add one, write d2: {value: ..., new: true}` + "\n    dates: {d2: 2025-02-01}\n            ^"},
		{"no own name", files{
			"base.yaml": overlayBase,
			"a.yaml":    "scensim: 1\nextends: base\n",
		}, `a.yaml:1:1: an overlay needs its own name (else it would take its base's, "base")` + "\n    scensim: 1\n    ^"},
		{"remove a param", files{
			"base.yaml": overlayBase,
			"a.yaml":    "scensim: 1\nname: a\nextends: base\nparams:\n  k: {remove: true}\n",
		}, "a.yaml:5:3: a param cannot be removed (only transitions, outcomes and checks can)\n      k: {remove: true}\n      ^"},
		{"error in the overlay's expression", files{
			"base.yaml": overlayBase,
			"a.yaml":    "scensim: 1\nname: a\nextends: base\ntracks:\n  t:\n    transitions:\n      - {name: ab, p: kk * 2}\n",
		}, `a.yaml:7:23: in the probability of t: ab: unknown name "kk" (did you mean "k"?)` + "\n          - {name: ab, p: kk * 2}\n                          ^"},
		{"error in a base node caused by the overlay", files{
			"base.yaml": overlayBase,
			"a.yaml":    "scensim: 1\nname: a\nextends: base\nvars:\n  mood: {init: true}\n",
		}, "base.yaml:27:26: in the effect on mood of t: a->c: + needs numbers, not bool and number\n            set: {mood: mood + 1}\n                             ^"},
		{"yaml error in the base", files{
			"base.yaml": "scensim: 1\nname: [\n",
			"a.yaml":    "scensim: 1\nname: a\nextends: base\n",
		}, "a.yaml:3:10: extends \"base\": the base base.yaml cannot be read\n    extends: base\n             ^\nbase.yaml:3: YAML syntax: did not find expected node content"},
	}
	for _, c := range cases {
		file := "a.yaml"
		p, errs := c.f.compile(t, file)
		if p != nil {
			t.Errorf("%s: compiled; want an error", c.name)
			continue
		}
		if got := errs.Errors().Snippets(); got != c.want {
			t.Errorf("%s:\ngot  %s\nwant %s", c.name, got, c.want)
		}
	}
	// Without a resolver, extends is an error at its value.
	_, errs := Compile("a.yaml", []byte("scensim: 1\nname: a\nextends: base\n"), nil)
	if got := errs.Error(); got != `a.yaml:3:10: extends "base": base scenarios cannot be looked up here (compile with a resolver)` {
		t.Errorf("no resolver: %s", got)
	}
}

func TestOverlayDistNone(t *testing.T) {
	f := files{"base.yaml": overlayBase, "a.yaml": "scensim: 1\nname: a\nextends: base\nparams:\n  s: {dist: none}\n  half: {why: Derived., new: false}\n"}
	p := mustCompile(t, f, "a.yaml")
	if s := param(p, "s"); s.Dist != nil || s.Value != 0.5 || len(s.Source) != 2 {
		t.Errorf("s: dist %v value %v source %v; want fixed at the base's 0.5", s.Dist, s.Value, s.Source)
	}
	if h := param(p, "half"); h.Why != "Derived." || h.Value != 0.2 {
		t.Errorf("half: %q %v (a scalar shorthand in the base, merged with a field)", h.Why, h.Value)
	}
	// The value/dist rules: a value alone fixes, a horizon replaces steps.
	f["b.yaml"] = "scensim: 1\nname: b\nextends: base\ntime: {horizon: 2025-02-26}\nparams:\n  s: 0.25\n"
	p = mustCompile(t, f, "b.yaml")
	if s := param(p, "s"); s.Dist != nil || s.Value != 0.25 || p.Steps != 8 {
		t.Errorf("s: dist %v value %v, steps %d", s.Dist, s.Value, p.Steps)
	}
}

func TestOverlayRemove(t *testing.T) {
	f := files{"base.yaml": overlayBase, "a.yaml": `scensim: 1
name: a
extends: base
tracks:
  t:
    transitions:
      - {name: back, remove: true}
outcomes:
  got_c: {remove: true}
`}
	p := mustCompile(t, f, "a.yaml")
	if transition(p, "back") != nil || len(p.Transitions) != 3 {
		t.Errorf("back not removed: %d transitions", len(p.Transitions))
	}
	if len(p.Outcomes) != 1 || p.Outcomes[0].Name != "got_b" {
		t.Errorf("outcomes %d", len(p.Outcomes))
	}
	// The states keep their out lists consistent.
	if out := p.States[1].Out; len(out) != 1 || p.Transitions[out[0]].Name != "bc" {
		t.Errorf("out of b: %v", out)
	}
}

func TestDisable(t *testing.T) {
	f := files{"base.yaml": overlayBase, "a.yaml": "scensim: 1\nname: a\nextends: base\ndisable: [H1, H4]\n"}
	p := mustCompile(t, f, "a.yaml", "H2")
	if got := strings.Join(p.Disabled, " "); got != "H1 H4 H2" {
		t.Errorf("Disabled %s", got)
	}
	// H1: k has off 0; ab uses k, so it stays (as 0), and half follows.
	if k := param(p, "k"); k.Value != 0 || k.Off["H1"] != 0 {
		t.Errorf("k = %v", k.Value)
	}
	if h := param(p, "half"); h.Value != 0 {
		t.Errorf("half = %v, want 0", h.Value)
	}
	// H2: s has off {H2: 0.3}, fixed (no dist).
	if s := param(p, "s"); s.Value != 0.3 || s.Dist != nil {
		t.Errorf("s = %v dist %v", s.Value, s.Dist)
	}
	// H4: r has no off value; a->c carries only H4 and is removed; bc says
	// off: keep.
	if transition(p, "a->c") != nil || transition(p, "bc") == nil || transition(p, "ab") == nil || transition(p, "back") == nil {
		t.Errorf("transitions after disable: %d", len(p.Transitions))
	}
	want := []string{
		"H1 off: param k = 0 (its off value; was 0.1)",
		"H2 off: param s = 0.3 (its off value; was ~ uniform(0.2, 0.8))",
		"H4 off: param r left as is (it has no off value for H4)",
		"H1 off: transition t: ab kept: switched through k",
		"H4 off: transition t: a->c removed (it carries only hypotheses that are off)",
		"H2 off: transition t: back kept: switched through s",
		"H4 off: transition t: bc kept (off: keep)",
	}
	if got := strings.Join(p.DisabledNotes, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("notes:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}

	// Errors: an unknown hypothesis, conflicting off values, a bad off.
	bad := files{"base.yaml": strings.Replace(overlayBase, "  r: {value: 0.05, source: [H4]}\n",
		"  r: {value: 0.05, source: [H4]}\n  q: {value: 1, source: [H2, H3], off: {H2: 1, H3: 2}}\n  w: {value: 1, source: [H1], off: {H9: 0}}\n", 1)}
	_, errs := bad.compile(t, "base.yaml", "H2", "H3", "H77")
	got := errs.Errors().Error()
	for _, w := range []string{
		`disable H77: disable: nothing in the scenario cites "H77" (did you mean "H1"?)`,
		`base.yaml:12:52: param q: H2 and H3 are both off and give it different off values (1 and 2)`,
		`base.yaml:13:37: param w: off names H9, which is not in its source`,
	} {
		if !strings.Contains(got, w) {
			t.Errorf("errors lack %q:\n%s", w, got)
		}
	}
}

// Odd shapes in an overlay or a base give errors, never a panic.
func TestOverlayOddShapes(t *testing.T) {
	for i, over := range []string{
		"scensim: 1\nname: a\nextends: base\nparams: [1, 2]\n",
		"scensim: 1\nname: a\nextends: base\nparams: {k: [1]}\n",
		"scensim: 1\nname: a\nextends: base\ntracks: {t: 5}\n",
		"scensim: 1\nname: a\nextends: base\ntracks: {t: {transitions: {a: b}}}\n",
		"scensim: 1\nname: a\nextends: base\ntracks: {t: {transitions: [5, {new: maybe}, {remove: true}]}}\n",
		"scensim: 1\nname: a\nextends: base\ntracks: {t: {states: 5}}\n",
		"scensim: 1\nname: a\nextends: base\ndates: 5\nlet: {x: {value: 1, new: true, more: 2}}\n",
		"scensim: 1\nname: a\nextends: [base]\n",
		"scensim: 1\nname: a\nextends:\n",
		"- a\n- b\n",
		"scensim: 1\nname: a\nextends: base\nx: &x {k: 1}\nparams: *x\ndisable: H1\n",
		"scensim: 1\nname: a\nextends: base\nparams: {k: 1, k: 2}\n",
		"scensim: 1\nname: a\nextends: scalar\n",
		"scensim: 1\nname: a\nextends: base\noutcomes: {got_b: {remove: true, when: x}}\n",
	} {
		f := files{"base.yaml": overlayBase, "scalar.yaml": "just a scalar\n", "a.yaml": over}
		p, errs := f.compile(t, "a.yaml")
		if p != nil || len(errs.Errors()) == 0 {
			t.Errorf("case %d compiled:\n%s", i, over)
		}
	}
}
