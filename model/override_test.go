package model

import (
	"fmt"
	"testing"
)

func compileSet(t *testing.T, effect string, sets ...string) (*Plan, ErrorList) {
	t.Helper()
	var ovs []Override
	for _, s := range sets {
		o, err := ParseOverride(s)
		if err != nil {
			t.Fatal(err)
		}
		ovs = append(ovs, o)
	}
	return Compile("expr.yaml", []byte(fmt.Sprintf(exprScenario, "mood", yamlQuote(effect))), ovs)
}

func TestOverrideParam(t *testing.T) {
	// s is sampled (uniform(0, 1)); --set fixes it, and an expression of
	// it folds to a constant: 0.4·2 + 0.25 = 1.05.
	p, errs := compileSet(t, "s * 2 + k", "s=0.4")
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	s := p.Params[2]
	if s.Name != "s" || s.Dist != nil || s.Value != 0.4 {
		t.Errorf("s: dist %v, value %v; want fixed 0.4", s.Dist, s.Value)
	}
	x := p.Transitions[0].Effects[0].Value
	if v, ok := x.IsConst(); !ok || !near(v, 1.05) {
		t.Errorf("s * 2 + k: mode %d const %v; want ModeConst 1.05", x.Mode, x.Const)
	}
	if len(p.Overrides) != 1 || p.Overrides[0] != "s=0.4" {
		t.Errorf("Overrides = %q", p.Overrides)
	}

	// A fixed param can be set too, and params defined from it follow:
	// half = k·2 = 0.2.
	p, errs = compileSet(t, "half", "k=0.1")
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	if x := p.Transitions[0].Effects[0].Value; x.Const != 0.2 {
		t.Errorf("half after k=0.1: %v, want 0.2", x.Const)
	}
}

func TestOverrideDate(t *testing.T) {
	// d0 moves from day 10 to day 20; d2 = d0 + 2w follows to day 34
	// (2025-02-04), and so do expressions of them.
	p, errs := compileSet(t, "d2 - d0 + d1", "d0=2025-01-21")
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	days := map[string]float64{}
	for _, d := range p.Dates {
		days[d.Name] = d.Day
	}
	if days["d0"] != 20 || days["d1"] != 30 || days["d2"] != 34 {
		t.Errorf("days %v; want d0 20, d1 30, d2 34", days)
	}
	if p.Dates[2].Date.Format("2006-01-02") != "2025-02-04" {
		t.Errorf("d2 = %v, want 2025-02-04", p.Dates[2].Date)
	}
	if x := p.Transitions[0].Effects[0].Value; x.Const != 44 { // 34 − 20 + 30
		t.Errorf("d2 - d0 + d1 = %v, want 44", x.Const)
	}

	// A date can be set to an offset of another: d1 = d0 + 1w = day 17.
	p, errs = compileSet(t, "d1", "d1=d0 + 1w")
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	if x := p.Transitions[0].Effects[0].Value; x.Const != 17 {
		t.Errorf("d1 after d1=d0 + 1w: %v, want 17", x.Const)
	}
}

func TestOverrideErrors(t *testing.T) {
	cases := []struct {
		sets []string
		want string
	}{
		{[]string{"nosuch=1"}, `override nosuch=1: the scenario has no param or date "nosuch"`},
		{[]string{"mood=1"}, `override mood=1: the scenario has no param or date "mood"`},
		{[]string{"k=abc"}, `override k=abc: a param's value must be a finite number`},
		{[]string{"s=NaN"}, `override s=NaN: a param's value must be a finite number`},
		{[]string{"k=1e400"}, `override k=1e400: a param's value must be a finite number`},
		{[]string{"d0=2025-13-01"}, `override d0=2025-13-01: date d0: "2025-13-01" is not a date (YYYY-MM-DD) or another date ± N d|w|m|y`},
		{[]string{"d0=someday"}, `override d0=someday: date d0 refers to "someday", which is not a named date`},
		{[]string{"d0=d2 - 1d"}, `override d0=d2 - 1d: dates form a cycle: d0 → d2 → d0`},
		// Several unknown names come in the order given.
		{[]string{"zz=1", "aa=2"}, "override aa=2: the scenario has no param or date \"aa\"\noverride zz=1: the scenario has no param or date \"zz\""},
	}
	for _, c := range cases {
		p, errs := compileSet(t, "mood", c.sets...)
		if p != nil {
			t.Errorf("%q: compiled; want an error", c.sets)
			continue
		}
		if got := errs.Snippets(); got != c.want {
			t.Errorf("%q:\ngot  %s\nwant %s", c.sets, got, c.want)
		}
	}
}

func TestParseOverride(t *testing.T) {
	for _, c := range []struct {
		in, name, value string
		ok              bool
	}{
		{"a=1", "a", "1", true},
		{" a = 2025-01-01 ", "a", "2025-01-01", true},
		{"d=summer + 1w", "d", "summer + 1w", true},
		{"a=b=c", "a", "b=c", true},
		{"a", "", "", false},
		{"=1", "", "", false},
		{"a=", "", "", false},
	} {
		o, err := ParseOverride(c.in)
		if (err == nil) != c.ok || o.Name != c.name || o.Value != c.value {
			t.Errorf("ParseOverride(%q) = %+v, %v", c.in, o, err)
		}
	}
}
