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

// constantByDesign lists the variants' outcomes (scenario/outcome) that
// the variant makes impossible on purpose, with the reason: a variant
// inherits every outcome of the baseline, and these are the ones its
// change removes. Each must stay constant (else the entry is stale and the
// test fails); the baseline has none.
var constantByDesign = map[string]string{
	"no_linkage/sanctions_relief":           "H8 off removes the linking step, and sanctions relief only comes with it",
	"ground_force/ceasefire_given_airspace": "Europe always proposes the ground force, so the airspace plan is never tabled",
}

// TestNoConstantOutcome runs every shipped scenario for 10⁴ trials (its
// own seed, params drawn as it says) and fails for each outcome that is
// constant: held in no trial or in every trial where its given held (0%
// or 100%), or whose given never held. Such a row says nothing about the
// scenario's uncertainty; a structural invariant belongs in checks:.
// Outcomes in constantByDesign must be constant instead.
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
				reason, byDesign := constantByDesign[name+"/"+o.Name]
				switch {
				case byDesign && why == "":
					t.Errorf("outcome %s is listed as constant by design (%s) but held in %d of %d trials", o.Name, reason, hits, given)
				case byDesign:
					t.Logf("outcome %s: %s, by design: %s", o.Name, why, reason)
				case why != "":
					t.Errorf("outcome %s is constant: %s", o.Name, why)
				}
			}
		})
	}
}
