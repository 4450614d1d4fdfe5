package sim

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"scensim/model"
)

// eventsScenario has two tracks whose states have only events with inline
// effects (cellEvents), both setting the var x, often at the same step
// (the later track's set must win), a third track whose chance reads x,
// and a state with events and a move (not cellEvents).
const eventsScenario = `
scensim: 1
name: events
time: {start: 2025-01-01, step: week, steps: 80}
params:
  erosion: 0.3
vars:
  x: 0.5
tracks:
  a:
    initial: on
    states: [on]
    transitions:
      - {from: on, to: on, p: 0.3, set: {x: x * (1 - erosion)}}
      - {from: on, to: on, p: 0.25, set: {x: x + erosion * (1 - x)}}
  b:
    initial: on
    states: [on]
    transitions:
      - {from: on, to: on, p: 0.4, set: {x: x * 0.5}}
      - {from: on, to: on, p: 0.1, set: {x: 1}}
  c:
    initial: low
    states: [low, high, done]
    transitions:
      - {from: low, to: high, p: "0.2 * x"}
      - {from: high, to: high, p: 0.3, set: {x: x * 0.9}}
      - {from: high, to: done, p: 0.05}
outcomes:
  x_low: x < 0.2
  x_high: x > 0.8
  done: reached(c.done)
`

// TestEventsStep: the tracks of eventsScenario whose states have only
// events with inline effects are resolved as cellEvents cells, and the
// run counts exactly what the plan without shortcuts counts (which
// evaluates every transition and effect as written), per trial, nested
// and fixed; traced replays tell the same stories.
func TestEventsStep(t *testing.T) {
	p, errs := model.Compile("events.yaml", []byte(eventsScenario), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	r := newRunner(p, 1)
	if err := r.trial(0, newTallyFor(p, Params{}, 0, 1), nil); err != nil {
		t.Fatal(err)
	}
	events := 0
	for k := range p.Tracks {
		if r.initNow[k].Kind == cellEvents {
			events++
		}
	}
	if events != 2 {
		t.Fatalf("%d tracks start at cellEvents cells, want 2 (a and b)", events)
	}
	if got := maxSets(p); got != 3 {
		t.Fatalf("maxSets %d, want 3 (one effect per track)", got)
	}
	q := *p
	q.Kernel = p.Kernel.Evaluated()
	for _, ps := range []Params{{}, {PerDraw: 50}, {Fixed: true}} {
		opts := Options{Trials: 5000, Seed: 3, Params: ps, Workers: 2}
		got, err := Run(context.Background(), p, opts)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Run(context.Background(), &q, opts)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("params %+v: tallies differ with and without the plan's shortcuts", ps)
		}
		if got.Hits[0] == 0 || got.Hits[0] == got.Trials || got.Hits[1] == 0 {
			t.Errorf("params %+v: outcome counts %v of %d do not exercise the var", ps, got.Hits, got.Trials)
		}
	}
	sets := 0
	for trial := range int64(30) {
		a, errA := Replay(p, 3, trial)
		b, errB := Replay(&q, 3, trial)
		if errA != nil || errB != nil {
			t.Fatal(errA, errB)
		}
		if len(a.Events) != len(b.Events) {
			t.Fatalf("trial %d: %d events, %d without shortcuts", trial, len(a.Events), len(b.Events))
		}
		for i, e := range a.Events {
			f := b.Events[i]
			if e.Step != f.Step || e.Transition != f.Transition || e.U != f.U || fmt.Sprint(e.Sets) != fmt.Sprint(f.Sets) {
				t.Fatalf("trial %d event %d: %+v, %+v without shortcuts", trial, i, e, f)
			}
			sets += len(e.Sets)
		}
	}
	if sets == 0 {
		t.Fatal("no var set in the replayed trials")
	}
}
