package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"scensim/model"
)

// searchRow is the plain search pickIndex must agree with: the first
// entry above u.
func searchRow(row []float64, u float64) int {
	i := 0
	for u >= row[i] {
		i++
	}
	return i
}

// TestPickIndexAsSearch: over random cumulative rows of 1 to 12 entries,
// with repeated entries (transitions that cannot fire) and a u at every
// entry, just below it and at random, pickIndex finds the entry the plain
// search finds, for short rows (counted) and long ones (searched).
func TestPickIndexAsSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	checked := 0
	for round := range 5000 {
		n := 1 + round%12
		row := make([]float64, n)
		cum := 0.0
		for j := range row {
			if rng.IntN(4) != 0 { // else a zero-width entry
				cum += rng.Float64() / float64(n)
			}
			row[j] = cum
		}
		total := row[n-1]
		if total == 0 {
			continue // nothing fires: the engine never searches
		}
		us := []float64{0, rng.Float64() * total, math.Nextafter(total, 0)}
		for _, c := range row {
			us = append(us, c, math.Nextafter(c, 0))
		}
		for _, u := range us {
			if !(u >= 0 && u < total) {
				continue
			}
			if got, want := pickIndex(row, u), searchRow(row, u); got != want {
				t.Fatalf("row %v, u %v: pickIndex %d, search %d", row, u, got, want)
			}
			checked++
		}
	}
	if checked < 5000*3 {
		t.Fatalf("only %d rows and draws checked", checked)
	}
}

// picksScenario has a transition of each kind of pick.
const picksScenario = `scensim: 1
name: picks
time:
  start: 2025-01-01
  step: week
  steps: 10
params:
  k: 0.25
  s:
    value: 0.3
    dist: beta(2, 5)
vars:
  mood: 0.5
  angry: false
tracks:
  talks:
    initial: open
    states: [open, shut]
    transitions:
      - {name: plain, from: open, to: shut, p: 0.1}
      - {name: scale, from: open, to: open, p: 0.1, set: {mood: mood * (1 - k)}}
      - {name: toward, from: open, to: open, p: 0.1, set: {mood: mood + 0.2 * (1 - mood)}}
      - {name: per_trial, from: open, to: open, p: 0.1, set: {mood: mood * s}}
      - {name: two, from: shut, to: open, p: 0.1, set: {angry: true, mood: 0.75}}
      - {name: evaluated, from: shut, to: open, p: 0.1, set: {mood: mood * mood}}
outcomes:
  was_angry: angry
`

// TestNewPicks: a transition without effects is plain, one with a single
// effect that reads no per-trial value is taken inline (and computes what
// Effect.Compute computes), the others are left to fire; with effects
// evaluated as written, every transition with effects is left to fire.
func TestNewPicks(t *testing.T) {
	p, errs := model.Compile("picks.yaml", []byte(picksScenario), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	want := map[string]pickHow{
		"plain": pickPlain, "scale": pickInline, "toward": pickInline,
		"per_trial": pickFire, "two": pickFire, "evaluated": pickFire,
	}
	vars := []float64{0.6, 0}
	for asWritten, picks := range [2][]pick{newPicks(p, false), newPicks(p, true)} {
		for i, x := range p.Transitions {
			w := want[x.Name]
			if asWritten == 1 && w == pickInline {
				w = pickFire
			}
			pk := picks[i]
			if pk.how != w || pk.to != int32(x.To) {
				t.Errorf("asWritten %d, %s: pick how %d to %d, want %d to %d", asWritten, x.Name, pk.how, pk.to, w, x.To)
			}
			if pk.how != pickInline {
				continue
			}
			f := p.Kernel.NewFrame(len(p.Vars), len(p.Tracks), len(p.States))
			copy(f.Vars, vars)
			f.VarsChanged()
			e := &x.Effects[0]
			if got, want := pk.eff.Compute(vars), e.Compute(&f); math.Float64bits(got) != math.Float64bits(want) || int(pk.eff.Var) != e.Var {
				t.Errorf("%s: the pick sets var %d to %v, the effect %d to %v", x.Name, pk.eff.Var, got, e.Var, want)
			}
		}
	}
}

// TestStatePicks: each state's picks are the picks of its transitions in
// the order of its Out (the order of its tables' rows), each with its
// transition's id, and stays is set exactly for a transition back to the
// state; a state's picks are also what the caches of a track in it carry.
func TestStatePicks(t *testing.T) {
	p, errs := model.Compile("picks.yaml", []byte(picksScenario), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	picks := newPicks(p, false)
	per := statePicks(p, picks)
	if len(per) != len(p.States) {
		t.Fatalf("%d states' picks for %d states", len(per), len(p.States))
	}
	stays := 0
	for g, st := range p.States {
		if len(per[g]) != len(st.Out) {
			t.Fatalf("state %s: %d picks for %d transitions", st.Name, len(per[g]), len(st.Out))
		}
		for i, id := range st.Out {
			pk, want := per[g][i], picks[id]
			if pk.id != int32(id) || pk.to != want.to || pk.how != want.how || pk.eff != want.eff {
				t.Errorf("state %s, transition %d: pick %+v, want %+v", st.Name, id, pk, want)
			}
			if back := p.Transitions[id].To == g; pk.stays != back {
				t.Errorf("state %s, %s: stays %v, want %v", st.Name, p.Transitions[id].Name, pk.stays, back)
			}
			if pk.stays {
				stays++
			}
		}
	}
	if stays == 0 {
		t.Fatal("no event in the scenario: stays is not checked")
	}
	for _, pk := range picks {
		if pk.stays {
			t.Fatalf("runner.picks entry %+v has stays set", pk)
		}
	}
	r := newRunner(p, 1)
	for g := range p.States {
		if own := &r.own[g]; own.out != nil && (len(own.picks) != len(own.out) || len(own.picks) != 0 && &own.picks[0] != &r.statePicks[g][0]) {
			t.Errorf("state %s: its own cache does not carry its picks", p.States[g].Name)
		}
	}
}
