package model

import (
	"strings"
	"testing"
)

const evidenceBase = `scensim: 1
name: ev
time:
  start: 2025-01-01
  step: week
  steps: 10
dates:
  week4: 2025-01-29
tracks:
  x:
    initial: out
    states: [out, in]
    transitions:
      - {from: out, to: in, p: 0.1}
outcomes:
  entered: reached(x.in)
`

// Every kind of item compiles to its state, date and point; a literal
// date between points takes the last point on or before it.
func TestEvidenceCompiles(t *testing.T) {
	src := evidenceBase + `evidence:
  a: {not_reached: x.in, by: week4, source: note}
  b: {reached: x.in, by: 2025-02-01, source: [one, two]}
  c: {in: x.out, at: 2025-01-08, source: note}
  d: {not_in: x.in, at: week4, source: note}
  e: {when: "entry(x.in) > week4", source: note}
`
	p, errs := Compile("ev.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs)
	}
	want := []struct {
		kind  EvidenceKind
		point int
		text  string
	}{
		{EvidenceNotReached, 4, "not reached x.in by 2025-01-29"},
		{EvidenceReached, 4, "reached x.in by 2025-02-01"},
		{EvidenceIn, 1, "in x.out at 2025-01-08"},
		{EvidenceNotIn, 4, "not in x.in at 2025-01-29"},
		{EvidenceWhen, 0, "entry(x.in) > week4"},
	}
	if len(p.Evidence) != len(want) {
		t.Fatalf("%d items, want %d", len(p.Evidence), len(want))
	}
	for i, w := range want {
		e := p.Evidence[i]
		if e.Kind != w.kind || e.Point != w.point || e.Text != w.text {
			t.Errorf("item %s: kind %d point %d %q, want %d %d %q", e.Name, e.Kind, e.Point, e.Text, w.kind, w.point, w.text)
		}
	}
	if got := p.Evidence[1].Source; len(got) != 2 || got[1] != "two" {
		t.Errorf("sources %q", got)
	}
	if p.Evidence[4].When == nil {
		t.Error("when: not compiled")
	}
}

// Bad items are positioned errors.
func TestEvidenceErrors(t *testing.T) {
	cases := []struct{ item, want string }{
		{"a: {not_reached: x.gone, by: week4, source: s}", `ev.yaml:18:20: in evidence a: unknown state "x.gone"`},
		{"a: {reached: x.in, by: 2026-01-01, source: s}", "ev.yaml:18:26: evidence a: 2026-01-01 is after the horizon 2025-03-12"},
		{"a: {reached: x.in, by: 2024-12-01, source: s}", "ev.yaml:18:26: evidence a: 2024-12-01 is before the start 2025-01-01"},
		{"a: {reached: x.in, by: soon, source: s}", `ev.yaml:18:26: evidence a: "soon" is not a named date or a date YYYY-MM-DD`},
		{"a: {reached: x.in, source: s}", "ev.yaml:18:3: evidence a needs by:"},
		{"a: {in: x.in, by: week4, source: s}", "ev.yaml:18:21: evidence a: in: takes at:, not by:"},
		{"a: {reached: x.in, in: x.in, by: week4, source: s}", "ev.yaml:18:3: evidence a needs exactly one of"},
		{"a: {reached: x.in, by: week4}", `ev.yaml:18:6: evidence a needs the key "source"`},
		{"a: {when: reached(x.nope), source: s}", `ev.yaml:18:23: in evidence a: track x has no state "nope"`},
		{"a: {reached: x.in, by: week4, source: s, colour: red}", `unknown key "colour" in evidence a`},
		{"a: {reached: x.in, by: week4, source: ''}", "ev.yaml:18:41: evidence a: source: is empty"},
	}
	for _, c := range cases {
		src := evidenceBase + "evidence:\n  " + c.item + "\n"
		p, errs := Compile("ev.yaml", []byte(src), nil)
		if p != nil {
			t.Errorf("%s: compiled", c.item)
			continue
		}
		if got := errs.Error(); !strings.Contains(got, c.want) {
			t.Errorf("%s:\n got %s\nwant %s", c.item, got, c.want)
		}
	}
}

// An evidence file adds its items; its errors name the file.
func TestEvidenceFile(t *testing.T) {
	good := EvidenceFile{Name: "news.yaml", Data: []byte("evidence:\n  not_yet: {not_reached: x.in, by: week4, source: wire}\n")}
	p, errs := CompileWith("ev.yaml", []byte(evidenceBase), Options{Evidence: []EvidenceFile{good}})
	if p == nil || len(p.Evidence) != 1 || p.Evidence[0].Name != "not_yet" {
		t.Fatalf("evidence file not read: %v", errs)
	}
	bad := EvidenceFile{Name: "news.yaml", Data: []byte("evidence:\n  not_yet: {not_reached: x.in, by: 2030-01-01, source: wire}\n")}
	if p, errs = CompileWith("ev.yaml", []byte(evidenceBase), Options{Evidence: []EvidenceFile{bad}}); p != nil || !strings.Contains(errs.Error(), "news.yaml:2:") {
		t.Fatalf("want an error positioned in news.yaml, got %v", errs)
	}
	wrong := EvidenceFile{Name: "news.yaml", Data: []byte("params: {}\n")}
	if p, errs = CompileWith("ev.yaml", []byte(evidenceBase), Options{Evidence: []EvidenceFile{wrong}}); p != nil || !strings.Contains(errs.Error(), `news.yaml:1:1: unknown key "params"`) {
		t.Fatalf("want an unknown-key error, got %v", errs)
	}
	twice := EvidenceFile{Name: "more.yaml", Data: good.Data}
	if p, errs = CompileWith("ev.yaml", []byte(evidenceBase), Options{Evidence: []EvidenceFile{good, twice}}); p != nil || !strings.Contains(errs.Error(), `evidence "not_yet" is already given (news.yaml line 2)`) {
		t.Fatalf("want a duplicate error, got %v", errs)
	}
}

// An overlay adds evidence to its base's, replaces an item of the same
// name and removes one with remove: true.
func TestEvidenceOverlay(t *testing.T) {
	base := evidenceBase + "evidence:\n  a: {reached: x.in, by: week4, source: s}\n  b: {in: x.out, at: week4, source: s}\n"
	over := "scensim: 1\nname: news\nextends: base.yaml\nevidence:\n  a: {not_reached: x.in, by: week4, source: t}\n  b: {remove: true}\n  c: {when: 'not reached(x.in)', source: u}\n"
	resolve := func(name, from string) (string, []byte, error) { return name, []byte(base), nil }
	p, errs := CompileWith("news.yaml", []byte(over), Options{Resolve: resolve})
	if p == nil {
		t.Fatal(errs)
	}
	var got []string
	for _, e := range p.Evidence {
		got = append(got, e.Name+":"+e.Text)
	}
	if want := "a:not reached x.in by 2025-01-29 c:not reached(x.in)"; strings.Join(got, " ") != want {
		t.Fatalf("overlay evidence %q, want %q", strings.Join(got, " "), want)
	}
}
