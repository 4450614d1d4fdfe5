package sim_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"scensim/sim"
)

// TestBrokenCheckAmongOthers runs plans whose checks mix tabled and
// evaluated ones, with one of them broken in some trials: the run stops
// with the error of that check (not of one that holds), whichever kind it
// is and wherever it stands.
func TestBrokenCheckAmongOthers(t *testing.T) {
	for _, c := range []struct {
		checks, broken string
	}{
		{"  holds: reached(talks.deal) or not talks.deal\n  never_broken: not reached(talks.broken)\n  few: {expr: \"events <= 30\"}\n", "never_broken"},
		{"  holds: reached(talks.deal) or not talks.deal\n  few: {expr: \"events <= 30\"}\n  never_broken: not reached(talks.broken)\n", "never_broken"},
		{"  holds: reached(talks.deal) or not talks.deal\n  never_flagged: {expr: \"not flag\"}\n", "never_flagged"},
	} {
		p := mustCompile(t, mixed+"checks:\n"+c.checks)
		if p.Kernel.Check(0) == nil {
			t.Fatalf("%s: the first check has no truth table", c.broken)
		}
		_, err := sim.Run(context.Background(), p, sim.Options{Trials: 2000, Seed: 3, Workers: 1})
		var re *sim.RuntimeError
		if !errors.As(err, &re) || !re.IsCheck() {
			t.Fatalf("%s: got %v, want a broken check", c.broken, err)
		}
		if !strings.Contains(err.Error(), "check "+c.broken+" does not hold") {
			t.Errorf("error %q does not name check %s", err, c.broken)
		}
	}
}
