package scenarios

import (
	"context"
	"fmt"
	"testing"

	"scensim/sim"
)

// kept asserts that the plan of r has the check name. r's runs completed,
// and a run stops at the first trial that breaks a check, so every trial
// of r kept it.
func kept(t *testing.T, r *run, name string) {
	t.Helper()
	for _, c := range r.plan.Checks {
		if c.Name == name {
			t.Logf("check %s held in all %d trials", name, r.total.Trials)
			if r.total.Trials != runTrials {
				t.Errorf("check %s: the run counted %d trials, want %d", name, r.total.Trials, runTrials)
			}
			return
		}
	}
	t.Errorf("%s has no check %s", r.label, name)
}

// constantTrials is the size of the run in which no outcome may be
// constant.
const constantTrials = 10_000

// TestNoConstantOutcome runs every shipped scenario for 10⁴ trials (its
// own seed, params drawn as it says) and fails for each outcome that is
// constant: held in no trial or in every trial where its given held (0%
// or 100%), or whose given never held. Such a row says nothing about the
// scenario's uncertainty; a structural invariant belongs in checks:, and
// a variant that makes an inherited outcome impossible removes it.
func TestNoConstantOutcome(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			p := compileEmbedded(t, name)
			tally, err := sim.Run(context.Background(), p, sim.Options{Trials: constantTrials, Seed: p.Seed})
			if err != nil {
				t.Fatal(err)
			}
			for i, o := range p.Outcomes {
				hits, given := tally.Hits[i], tally.Given[i]
				why := ""
				switch {
				case given == 0:
					why = fmt.Sprintf("its given never held in %d trials", constantTrials)
				case hits == 0:
					why = fmt.Sprintf("0%% (0 of %d trials)", given)
				case hits == given:
					why = fmt.Sprintf("100%% (%d of %d trials)", hits, given)
				}
				if why != "" {
					t.Errorf("outcome %s is constant: %s", o.Name, why)
				}
			}
		})
	}
}
