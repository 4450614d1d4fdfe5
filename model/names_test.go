package model

import (
	"fmt"
	"strings"
	"testing"
)

// namesScenario is a scenario whose scenario, track, state and outcome
// names are given.
func namesScenario(name, track, state, outcome string) string {
	return fmt.Sprintf(`scensim: 1
name: %s
time: {start: 2025-01-01, steps: 4}
tracks:
  %s:
    initial: a
    states: [a, %s]
    transitions:
      - {from: a, to: %s, p: 0.5}
outcomes:
  %s: {when: reached(%s.%s)}
`, name, track, state, state, outcome, track, state)
}

// Names that become file names are limited to MaxFileNameBytes with what
// is added around them; one byte more is an error at the name's line.
func TestFileNameLengths(t *testing.T) {
	x := func(n int) string { return strings.Repeat("x", n) }
	// The longest name of each kind that fits, with the file it names:
	// NAME-shard-99999-of-100000/, first_entry_TRACK_a.png (states a and b),
	// first_entry_t_STATE.png, tornado_OUTCOME.png.
	cases := []struct {
		kind    string
		longest int
		line    int // of the first error
		msg     string
	}{
		{"scenario", MaxFileNameBytes - 22, 2, "the scenario name xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… is too long: the file or folder xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… would have 224 bytes (at most 223)"},
		{"track", MaxFileNameBytes - 18, 7, "state xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx….a: its chart first_entry_xxxxxxxxxxxxxxxxxxxxxxxxxxxx….png would have 224 bytes (at most 223): shorten the track or the state name"},
		{"state", MaxFileNameBytes - 18, 7, "state t.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…: its chart first_entry_t_xxxxxxxxxxxxxxxxxxxxxxxxxx….png would have 224 bytes (at most 223): shorten the track or the state name"},
		{"outcome", MaxFileNameBytes - 12, 11, "outcome name xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… is too long: the file or folder tornado_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… would have 224 bytes (at most 223)"},
	}
	for _, c := range cases {
		for _, extra := range []int{0, 1} {
			name, track, state, outcome := "s", "t", "b", "o"
			switch c.kind {
			case "scenario":
				name = x(c.longest + extra)
			case "track":
				track = x(c.longest + extra)
			case "state":
				state = x(c.longest + extra)
			case "outcome":
				outcome = x(c.longest + extra)
			}
			_, errs := Compile("names.yaml", []byte(namesScenario(name, track, state, outcome)), nil)
			es := errs.Errors()
			if extra == 0 {
				if len(es) > 0 {
					t.Errorf("%s name of %d bytes: %v", c.kind, c.longest, errs)
				}
				continue
			}
			if len(es) == 0 || es[0].Pos.Line != c.line || es[0].Msg != c.msg {
				t.Errorf("%s name of %d bytes: %v\nwant at line %d: %s", c.kind, c.longest+1, errs, c.line, c.msg)
			}
		}
	}
	// A 255-character scenario name.
	_, errs := Compile("names.yaml", []byte(namesScenario(x(255), "t", "b", "o")), nil)
	if es := errs.Errors(); len(es) != 1 || !strings.Contains(es[0].Msg, "would have 277 bytes (at most 223)") {
		t.Errorf("255-byte scenario name: %v", errs)
	}
}

// Two states whose first-entry charts would have the same file name are
// an error at the second.
func TestChartFileNamesCollide(t *testing.T) {
	src := `scensim: 1
name: s
time: {start: 2025-01-01, steps: 4}
tracks:
  a_b:
    initial: c
    states: [c, d]
  a:
    initial: b_c
    states: [b_c, e]
outcomes:
  o: {when: reached(a.e)}
`
	_, errs := Compile("names.yaml", []byte(src), nil)
	es := errs.Errors()
	if len(es) != 1 || es[0].Pos.Line != 10 || es[0].Msg != "state a_b.c and state a.b_c would both draw the chart first_entry_a_b_c.png: rename one" {
		t.Errorf("got %v", errs)
	}
}
