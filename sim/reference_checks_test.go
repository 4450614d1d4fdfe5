package sim

import (
	"testing"

	"scensim/model"
)

// refChecks maps the reference's structural outcomes (which must never
// hold) to the checks of baseline.yaml that state them as invariants: the
// engine stops a run in which a check breaks, so the reference must count
// zero hits for each.
var refChecks = map[string]string{
	"mobilisation_before_talks_failed": "no_mobilisation_while_talks_on_track",
	"major_without_mobilisation":       "no_major_offensive_without_mobilisation",
	"new_conflict_without_ceasefire":   "no_new_conflict_without_ceasefire",
}

// refCheckKept reports whether the plan has the check that stands for the
// reference's structural outcome name and the reference never saw it
// broken (hits == 0); it reports an error otherwise.
func refCheckKept(t *testing.T, p *model.Plan, name, check string, hits int64) bool {
	t.Helper()
	found := false
	for _, c := range p.Checks {
		found = found || c.Name == check
	}
	if !found {
		t.Errorf("the plan has no check %s (the reference's %s)", check, name)
	}
	if hits != 0 {
		t.Errorf("%s held in %d reference trials; check %s forbids it", name, hits, check)
	}
	return found && hits == 0
}
