package sim_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"scensim/model"
	"scensim/sim"
)

func mustCompile(t testing.TB, src string) *model.Plan {
	t.Helper()
	p, errs := model.Compile("test.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	return p
}

const mixed = `
scensim: 1
name: mixed
time: {start: 2025-03-19, step: week, steps: 30}
dates: {summer: 2025-06-01}
params:
  base: {value: 0.1, dist: "beta(2, 18)"}
  lift: {value: 2, dist: "uniform(1, 3)"}
vars:
  events: 0
  flag: false
tracks:
  talks:
    initial: open
    states: [open, deal, broken]
    transitions:
      - {from: open, to: deal, p: "min(base * lift * (1 + ramp(0, summer)), 0.5)"}
      - {from: open, to: broken, p: "0.02 + 0.002 * dwell", set: {flag: "true"}}
  noise:
    initial: on
    states: [on]
    transitions:
      - {from: on, to: on, p: 0.3, set: {events: events + 1}}
outcomes:
  deal: reached(talks.deal)
  deal_by_summer: reached_by(talks.deal, summer)
  many_events: events >= 10
  flagged_given_broken: {when: flag, given: talks.broken}
`

// Results do not depend on the number of workers.
func TestDeterministicAcrossWorkers(t *testing.T) {
	p := mustCompile(t, mixed)
	var ref *sim.Tally
	for _, w := range []int{1, 2, 3, 8} {
		tl, err := sim.Run(context.Background(), p, sim.Options{Trials: 5000, Seed: 42, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if ref == nil {
			ref = tl
			continue
		}
		if !reflect.DeepEqual(ref, tl) {
			t.Fatalf("tally with %d workers differs from 1 worker", w)
		}
	}
	other, _ := sim.Run(context.Background(), p, sim.Options{Trials: 5000, Seed: 43, Workers: 2})
	if reflect.DeepEqual(ref.Hits, other.Hits) {
		t.Error("seed 43 gave the same outcome counts as seed 42")
	}
}

// A run's tally is the sum of its trials replayed one by one, and a range
// of trials run with First is the same as those trials inside a bigger run.
func TestReplayEqualsRun(t *testing.T) {
	p := mustCompile(t, mixed)
	run, err := sim.Run(context.Background(), p, sim.Options{Trials: 700, Seed: 9, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	sum := sim.NewTally(p)
	for i := int64(0); i < 700; i++ {
		path, err := sim.Replay(p, 9, i)
		if err != nil {
			t.Fatal(err)
		}
		sum.Merge(path.Tally)
	}
	if !reflect.DeepEqual(run, sum) {
		t.Fatal("replayed trials do not add up to the run")
	}
	a, _ := sim.Run(context.Background(), p, sim.Options{Trials: 300, Seed: 9})
	b, _ := sim.Run(context.Background(), p, sim.Options{Trials: 400, First: 300, Seed: 9})
	a.Merge(b)
	if !reflect.DeepEqual(run, a) {
		t.Fatal("trials 0..299 and 300..699 do not add up to trials 0..699")
	}
}

// The event counter of track noise is Binomial(30, 0.3) at the horizon; the
// deal outcome's hazard is a per-trial draw. Exact values: the binomial
// survival function from gonum's distuv.Binomial.
func TestEffectsAndEventCounts(t *testing.T) {
	p := mustCompile(t, mixed)
	const n = 100000
	tl, err := sim.Run(context.Background(), p, sim.Options{Trials: n, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := 1 - distuv.Binomial{N: 30, P: 0.3}.CDF(9) // P(X >= 10)
	got := float64(tl.Hits[2]) / n
	se := math.Sqrt(want * (1 - want) / n)
	if math.Abs(got-want) > 4.5*se {
		t.Errorf("P(events >= 10) = %.4f, exact %.4f (se %.4f)", got, want, se)
	}
	// Every trial that ended broken went through the transition that sets flag.
	if tl.Hits[3] != tl.Given[3] || tl.Given[3] == 0 {
		t.Errorf("flag set in %d of %d broken trials, want all", tl.Hits[3], tl.Given[3])
	}
}

// A sampled param enters a one-step chance as its mean: P(move) = E[beta(2, 8)] = 0.2.
func TestSampledParamMean(t *testing.T) {
	p := mustCompile(t, `
scensim: 1
name: sampled
time: {start: 2025-01-01, steps: 1}
params:
  q: {dist: "beta(2, 8)"}
tracks:
  t:
    initial: a
    states: [a, b]
    transitions: [{from: a, to: b, p: q}]
outcomes:
  moved: t.b
`)
	const n = 200000
	tl, err := sim.Run(context.Background(), p, sim.Options{Trials: n, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	got, want := float64(tl.Hits[0])/n, 0.2
	if se := math.Sqrt(want * (1 - want) / n); math.Abs(got-want) > 4.5*se {
		t.Errorf("P(moved) = %.4f, want %.4f ± %.4f", got, want, 4.5*se)
	}
	var hist int64
	for _, c := range tl.ParamHist {
		hist += c
	}
	if hist != n {
		t.Errorf("param histogram holds %d draws, want %d", hist, n)
	}
}

func TestRuntimeErrors(t *testing.T) {
	cases := []struct {
		name, p1, p2, want string
	}{
		{"sum", "0.6 + 0 * dwell", "0.5 + 0 * dwell", "probabilities of t: a->b, a->c sum to 1.1 > 1"},
		{"range", "1.1 + 0 * dwell", "0", "transition t: a->b has probability 1.1 outside [0, 1]"},
		{"nan", "log(-1 + 0 * dwell)", "0", "has probability NaN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := mustCompile(t, `
scensim: 1
name: bad
time: {start: 2025-01-01, steps: 20}
tracks:
  t:
    initial: a
    states: [a, b, c]
    transitions:
      - {from: a, to: b, p: "`+c.p1+`", when: "dwell < 50 && t.a"}
      - {from: a, to: c, p: "`+c.p2+`", when: "t.a"}
`)
			_, err := sim.Run(context.Background(), p, sim.Options{Trials: 10, Seed: 1})
			var re *sim.RuntimeError
			if !errors.As(err, &re) {
				t.Fatalf("got %v, want a RuntimeError", err)
			}
			if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "trial ") || !strings.Contains(err.Error(), "step ") {
				t.Errorf("error %q does not say %q with trial and step", err, c.want)
			}
		})
	}
}

func TestInterrupted(t *testing.T) {
	p := mustCompile(t, mixed)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := sim.Run(ctx, p, sim.Options{Trials: 1_000_000, Seed: 1})
	var intr *sim.Interrupted
	if !errors.As(err, &intr) || !errors.Is(err, sim.ErrInterrupted) {
		t.Fatalf("got %v, want Interrupted", err)
	}
	if intr.Completed >= intr.Trials {
		t.Errorf("completed %d of %d trials after cancel", intr.Completed, intr.Trials)
	}
}

// Rounds add up to one run of the final size.
func TestRunRoundsEqualsOneRun(t *testing.T) {
	p := mustCompile(t, mixed)
	var sizes []int64
	got, err := sim.RunRounds(context.Background(), p, sim.Options{Trials: 1000, Seed: 4}, func(tl *sim.Tally) int64 {
		sizes = append(sizes, tl.Trials)
		if tl.Trials < 3000 {
			return tl.Trials*2 + 123
		}
		return tl.Trials
	})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := sim.Run(context.Background(), p, sim.Options{Trials: got.Trials, Seed: 4})
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rounds %v do not add up to a run of %d trials", sizes, got.Trials)
	}
	if len(sizes) != 3 || got.Trials != 4369 {
		t.Errorf("rounds ran %v, total %d; want 1000, 2123, 4369", sizes, got.Trials)
	}
}

// A design fixes param values per trial: a fixed value replaces a sampled
// param's draw, and values left NaN keep the plan's behaviour.
func TestDesignSetsParams(t *testing.T) {
	p := mustCompile(t, mixed)
	design := func(trial int64, vals []float64) {
		vals[0] = 0.5 // base: sampled in the plan
		if trial%2 == 0 {
			vals[1] = 1 // lift: sampled in the plan; odd trials keep the draw
		}
	}
	tr := sim.NewTrialer(p, 5)
	tr.SetDesign(design)
	for i := int64(0); i < 6; i++ {
		if _, err := tr.Trial(i); err != nil {
			t.Fatal(err)
		}
		got := tr.Params()
		if got[0] != 0.5 || (i%2 == 0 && got[1] != 1) || (i%2 == 1 && got[1] == 1) {
			t.Errorf("trial %d: params %v", i, got)
		}
	}
	a, err := sim.Run(context.Background(), p, sim.Options{Trials: 3000, Seed: 5, Workers: 2, Design: design})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := sim.Run(context.Background(), p, sim.Options{Trials: 3000, Seed: 5, Workers: 1, Design: design})
	if !reflect.DeepEqual(a, b) {
		t.Error("a run with a design depends on the worker count")
	}
}
