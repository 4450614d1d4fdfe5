package sim_test

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"scensim/sim"
)

// withChecks is mixed with two checks that hold in every trial: one over
// discrete keys (tabled) and one over a var (evaluated).
const withChecks = mixed + `
checks:
  deal_or_not: reached(talks.deal) or not talks.deal
  events_bounded: {expr: "events <= 30", why: at most one event a step}
`

// Checks that hold change no count.
func TestChecksThatHoldChangeNothing(t *testing.T) {
	p, q := mustCompile(t, mixed), mustCompile(t, withChecks)
	if len(q.Checks) != 2 || q.Kernel.Check(0) == nil || q.Kernel.Check(1) != nil {
		t.Fatalf("want one tabled and one evaluated check, got %+v", q.Checks)
	}
	opts := sim.Options{Trials: 3000, Seed: 7, Workers: 2}
	a, err := sim.Run(context.Background(), p, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := sim.Run(context.Background(), q, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("a run with checks that hold counts differently")
	}
}

// A broken check stops the run with an error naming the trial, the step
// and date, the check and its expression; Replay of that trial shows it.
// (The horizon is step 31: summer splits a weekly step in two.)
func TestBrokenCheck(t *testing.T) {
	p := mustCompile(t, mixed+`
checks:
  never_broken: not reached(talks.broken)
`)
	for _, workers := range []int{1, 2} {
		_, err := sim.Run(context.Background(), p, sim.Options{Trials: 2000, Seed: 3, Workers: workers})
		var re *sim.RuntimeError
		if !errors.As(err, &re) || !re.IsCheck() {
			t.Fatalf("workers %d: got %v, want a broken check", workers, err)
		}
		msg := err.Error()
		for _, want := range []string{
			"trial " + itoa(re.Trial), "step 31 (2025-10-15", "check never_broken does not hold",
			"not reached(talks.broken)", "trial " + itoa(re.Trial),
		} {
			if !strings.Contains(msg, want) {
				t.Errorf("error %q lacks %q", msg, want)
			}
		}
		path, err := sim.Replay(p, 3, re.Trial)
		if err != nil {
			t.Fatalf("Replay of the trial that broke a check: %v", err)
		}
		if len(path.Checks) != 1 || path.Checks[0] || path.Final[0] != "broken" {
			t.Errorf("Replay: checks %v, final %v; want the check broken in state broken", path.Checks, path.Final)
		}
		if path.Tally.Trials != 1 {
			t.Errorf("Replay tally counts %d trials, want 1", path.Tally.Trials)
		}
	}
	// A trial that keeps the check shows it holding.
	for i := int64(0); i < 200; i++ {
		path, err := sim.Replay(p, 3, i)
		if err != nil {
			t.Fatal(err)
		}
		if path.Final[0] != "broken" {
			if !path.Checks[0] {
				t.Fatalf("trial %d: check shown broken in state %s", i, path.Final[0])
			}
			return
		}
	}
	t.Fatal("no trial of 200 kept the check")
}

// Checks allocate nothing per trial.
func TestChecksAllocateNothing(t *testing.T) {
	p := mustCompile(t, withChecks)
	tr := sim.NewTrialer(p, 1)
	i := int64(0)
	run := func() {
		if _, err := tr.Trial(i); err != nil {
			t.Fatal(err)
		}
		i++
	}
	for range 500 {
		run()
	}
	if a := testing.AllocsPerRun(500, run); a != 0 {
		t.Errorf("%v allocations per trial, want 0", a)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
