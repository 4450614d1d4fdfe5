package score

import (
	"strings"
	"testing"
)

var knownOutcomes = []Outcome{
	{Name: "ceasefire"}, {Name: "summit"}, {Name: "truce_given_talks", Given: "reached(talks.open)"},
}

func TestParseResolutions(t *testing.T) {
	src := `resolutions:
  ceasefire: {value: yes, date: 2025-06-01, source: "a made-up note"}
  summit: {value: open}
  truce_given_talks: {value: no, given: yes, date: 2025-05-01}
base_rates:
  ceasefire: 0.25
`
	res, errs := ParseResolutions("r.yaml", []byte(src), knownOutcomes)
	if len(errs) > 0 {
		t.Fatal(errs.Snippets())
	}
	for _, c := range []struct {
		name string
		want Status
	}{{"ceasefire", Yes}, {"summit", Open}, {"truce_given_talks", No}, {"unlisted", Open}} {
		if got := res.Lookup(c.name).Status; got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if r := res.Lookup("ceasefire"); r.Date != "2025-06-01" || r.Source != "a made-up note" || r.Pos.Line != 2 {
		t.Errorf("ceasefire: %+v", r)
	}
	if res.BaseRates["ceasefire"] != 0.25 || len(res.BaseRates) != 1 {
		t.Errorf("base rates: %v", res.BaseRates)
	}

	// given: no marks the outcome as not scored, value or not.
	res, errs = ParseResolutions("r.yaml", []byte("resolutions:\n  truce_given_talks: {given: no, date: 2025-05-01}\n"), knownOutcomes)
	if len(errs) > 0 || res.Lookup("truce_given_talks").Status != ConditionFalse {
		t.Errorf("given: no: %v, %v", res, errs)
	}
}

// Each bad input gives one error at its position, with a message that names
// the problem.
func TestParseResolutionsErrors(t *testing.T) {
	for _, c := range []struct {
		src, want string
	}{
		{"resolutions:\n  ceasfire: {value: yes, date: 2025-01-01}\n", `r.yaml:2:3: unknown outcome "ceasfire" in resolutions (did you mean "ceasefire"?)`},
		{"resolutions:\n  ceasefire: {value: 2.5, date: 2025-01-01}\n", "r.yaml:2:22: value 2.5: ceasefire is a yes/no outcome"},
		{"resolutions:\n  ceasefire: {value: maybe, date: 2025-01-01}\n", `r.yaml:2:22: value "maybe": want yes, no or open`},
		{"resolutions:\n  ceasefire: {value: yes}\n", "r.yaml:2:3: the resolution of ceasefire needs the date it resolved"},
		{"resolutions:\n  ceasefire: {value: yes, date: 2025-02-30}\n", `r.yaml:2:33: date "2025-02-30": want a calendar date`},
		{"resolutions:\n  ceasefire: {date: 2025-02-01}\n", "r.yaml:2:3: the resolution of ceasefire needs a value"},
		{"resolutions:\n  ceasefire: {value: yes, given: yes, date: 2025-02-01}\n", "r.yaml:2:34: given: ceasefire has no condition"},
		{"resolutions:\n  truce_given_talks: {value: yes, date: 2025-02-01}\n", "r.yaml:2:3: truce_given_talks is conditional (given: reached(talks.open))"},
		{"resolutions:\n  truce_given_talks: {value: yes, given: maybe, date: 2025-02-01}\n", `r.yaml:2:42: given "maybe": want yes`},
		{"resolutions:\n  ceasefire: {value: yes, date: 2025-02-01}\n  ceasefire: {value: no, date: 2025-02-01}\n", `r.yaml:3:3: outcome "ceasefire" is listed twice`},
		{"resolutions:\n  ceasefire: {value: yes, date: 2025-02-01, by: me}\n", `r.yaml:2:45: unknown key "by"`},
		{"resolutions:\n  ceasefire: yes\n", "r.yaml:2:14: the resolution of ceasefire must be a mapping"},
		{"resolutions: [a, b]\n", "r.yaml:1:14: resolutions must be a mapping of outcome names"},
		{"resolutions: {}\nbase_rates:\n  summit: 1.2\n", `r.yaml:3:11: base rate of summit "1.2": want a probability from 0 to 1`},
		{"resolutions: {}\nbase_rates:\n  zzzzzzzzzzzz: 0.2\n", `unknown outcome "zzzzzzzzzzzz" in base_rates (the results have: ceasefire, summit, truce_given_talks)`},
		{"base_rates: {}\n", `needs the key "resolutions"`},
		{"resolutions: {}\nextra: 1\n", `unknown key "extra"`},
		{"resolutions: {ceasefire: {value: yes, date: 2025-01-01\n", "r.yaml:"},
	} {
		res, errs := ParseResolutions("r.yaml", []byte(c.src), knownOutcomes)
		if res != nil || len(errs) != 1 {
			t.Errorf("%q: %d errors (%v), want 1", c.src, len(errs), errs.Snippets())
			continue
		}
		if got := errs[0].Error(); !strings.Contains(got, c.want) {
			t.Errorf("%q: error %q, want it to contain %q", c.src, got, c.want)
		}
	}
}
