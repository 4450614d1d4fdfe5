package sim

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"scensim/model"
)

// wideScenario returns a plan of n tracks of three states whose
// transitions read the states of tracks i+64, i+1 and i+3 (mod n), so
// that tracks 64 apart, which share a bit of trackCache.reads, read each
// other; with per-trial params in tables by state, rates that compete,
// and effects that read vars.
func wideScenario(n int) string {
	var b strings.Builder
	b.WriteString("scensim: 1\nname: wide\ntime: {start: 2025-01-01, step: week, steps: 40}\n")
	b.WriteString("params:\n  k: 0.2\n  s:\n    value: 0.3\n    dist: beta(2, 5)\n")
	b.WriteString("vars:\n  mood: 0.5\n  cnt: 0\ntracks:\n")
	for i := range n {
		far, next, third := (i+64)%n, (i+1)%n, (i+3)%n
		fmt.Fprintf(&b, "  t%d:\n    initial: a\n    states: [a, b, c]\n    transitions:\n", i)
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "      - {from: a, to: b, p: \"t%d.b ? s : 0.05\"}\n", far)
			fmt.Fprintf(&b, "      - {from: b, to: c, p: \"t%d.c ? 0.2 : 0.02\", set: {mood: \"mood * 0.9\"}}\n", next)
			fmt.Fprintf(&b, "      - {from: c, to: a, p: 0.1, when: \"reached(t%d.c)\"}\n", third)
		case 1:
			fmt.Fprintf(&b, "      - {from: a, to: b, rate: \"t%d.a ? s : 0.03\"}\n", far)
			fmt.Fprintf(&b, "      - {from: a, to: c, rate: \"t%d.b ? 0.04 : k * s\"}\n", next)
			b.WriteString("      - {from: b, to: a, p: 0.1, set: {mood: \"mood + 0.1 * (1 - mood)\"}}\n")
			b.WriteString("      - {from: c, to: c, p: 0.2, set: {cnt: \"cnt + 1\"}}\n")
		case 2:
			fmt.Fprintf(&b, "      - {from: a, to: b, p: \"t%d.c and t%d.b ? 0.3 : 0.04\"}\n", far, third)
			b.WriteString("      - {from: b, to: c, p: \"mood > 0.45 ? 0.1 : 0.2\"}\n")
		default:
			fmt.Fprintf(&b, "      - {from: a, to: b, p: 0.08, when: \"t%d.b or t%d.c\"}\n", far, next)
			fmt.Fprintf(&b, "      - {from: b, to: a, p: \"t%d.a ? s : 0.1\", set: {mood: 0.7}}\n", far)
		}
	}
	fmt.Fprintf(&b, "outcomes:\n  o1: reached(t%d.c)\n  o2: t0.c\n  o3: reached(t%d.b)\n", n-1, n/2)
	return b.String()
}

// TestWideReadersAtEveryBudget runs plans of more than 64 tracks that
// read each other (tracks 64 apart among them) with params drawn per
// trial and fixed, with every built entry, none and a few: the tallies
// must be those of the plan without shortcuts (kernel.Tables.Evaluated).
func TestWideReadersAtEveryBudget(t *testing.T) {
	defer func(b int) { maxBuiltCaches = b }(maxBuiltCaches)
	for _, n := range []int{70, 130} {
		p, errs := model.Compile("wide.yaml", []byte(wideScenario(n)), nil)
		if p == nil {
			t.Fatalf("%v", errs.Snippets())
		}
		q := *p
		q.Kernel = p.Kernel.Evaluated()
		for _, fixed := range []bool{false, true} {
			opts := Options{Trials: 600, Seed: 9, Workers: 2, Params: Params{Fixed: fixed, PerDraw: 50}}
			want, err := Run(context.Background(), &q, opts)
			if err != nil {
				t.Fatal(err)
			}
			if want.Hits[0] == 0 || want.Hits[0] == want.Trials {
				t.Fatalf("%d tracks: hits %v of %d trials: the plan should move", n, want.Hits, want.Trials)
			}
			for _, budget := range []int{1 << 14, 0, 5, 100} {
				maxBuiltCaches = budget
				got, err := Run(context.Background(), p, opts)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%d tracks, fixed params %v, %d built entries: the tallies differ from those without shortcuts", n, fixed, budget)
				}
			}
		}
	}
}

// soloScenario is a plan of a single track whose tables read when its own
// states were first entered, with rates that compete and effects, and
// transitions without effects from states with a table into states whose
// table reads entries (no own cache: soloRun refreshes the track there).
func soloScenario() string {
	var b strings.Builder
	b.WriteString("scensim: 1\nname: solo\ntime: {start: 2025-01-01, step: week, steps: 60}\n")
	b.WriteString("params:\n  k: 0.2\n  s:\n    value: 0.3\n    dist: beta(2, 5)\n")
	b.WriteString("vars:\n  mood: 0.5\ntracks:\n  t:\n    initial: s0\n    states: [s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11]\n    transitions:\n")
	for i := range 11 {
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, "      - {from: s%d, to: s%d, p: 0.1}\n", i, i+1)
			fmt.Fprintf(&b, "      - {from: s%d, to: s%d, p: 0.05, when: \"reached(t.s%d)\"}\n", i, (i+5)%12, (i+3)%12)
		case 1:
			fmt.Fprintf(&b, "      - {from: s%d, to: s%d, p: 0.15, set: {mood: \"mood * 0.9\"}}\n", i, i+1)
			fmt.Fprintf(&b, "      - {from: s%d, to: s%d, p: 0.05}\n", i, (i+2)%12) // into a state whose table reads entries
		default:
			fmt.Fprintf(&b, "      - {from: s%d, to: s%d, rate: \"s\"}\n", i, i+1)
			fmt.Fprintf(&b, "      - {from: s%d, to: s0, rate: \"mood > 0.4 ? 0.02 : k\"}\n", i)
		}
	}
	b.WriteString("outcomes:\n  o1: reached(t.s11)\n  o2: t.s5\n")
	return b.String()
}

// TestSoloAtEveryBudget runs a plan of a single track (see soloRun) with
// every built entry, none and a few: the tallies must be those of the
// plan without shortcuts.
func TestSoloAtEveryBudget(t *testing.T) {
	defer func(b int) { maxBuiltCaches = b }(maxBuiltCaches)
	p, errs := model.Compile("solo.yaml", []byte(soloScenario()), nil)
	if p == nil {
		t.Fatalf("%v", errs.Snippets())
	}
	q := *p
	q.Kernel = p.Kernel.Evaluated()
	for _, fixed := range []bool{false, true} {
		opts := Options{Trials: 4000, Seed: 4, Workers: 2, Params: Params{Fixed: fixed, PerDraw: 100}}
		want, err := Run(context.Background(), &q, opts)
		if err != nil {
			t.Fatal(err)
		}
		if want.Hits[0] == 0 || want.Hits[0] == want.Trials {
			t.Fatalf("hits %v of %d trials: the track should move", want.Hits, want.Trials)
		}
		for _, budget := range []int{1 << 14, 0, 1, 3, 6} {
			maxBuiltCaches = budget
			got, err := Run(context.Background(), p, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("fixed params %v, %d built entries: the tallies differ from those without shortcuts", fixed, budget)
			}
		}
	}
}
