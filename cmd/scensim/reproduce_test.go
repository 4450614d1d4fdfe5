package main

import (
	"testing"

	"scensim/results"
)

// The report's command lines name an embedded scenario by its name, quote
// a path that needs it, and carry the seed, trial count and overrides.
func TestReproduceCommandLines(t *testing.T) {
	t.Parallel()
	r := &results.Result{Manifest: results.Manifest{File: "embedded:baseline", Seed: 5, Overrides: []string{"rate=0.05", "note=a b"}}}
	r.Counts.Trials = 2000
	if got, want := (commandLines{}).RunCommand(r), "scensim run baseline --seed 5 --trials 2000 --set rate=0.05 --set 'note=a b'"; got != want {
		t.Errorf("run:\n got %s\nwant %s", got, want)
	}
	c := &results.Comparison{Seed: 9, Trials: 300, Scenarios: []results.ComparedScenario{
		{File: "embedded:baseline", Overrides: []string{"x=1"}}, {File: "my dir/v.yaml", Overrides: []string{"x=1"}},
	}}
	if got, want := (commandLines{}).CompareCommand(c), "scensim compare baseline 'my dir/v.yaml' --seed 9 --trials 300 --set x=1"; got != want {
		t.Errorf("compare:\n got %s\nwant %s", got, want)
	}
	c.Scenarios[1].Overrides = nil
	if got := (commandLines{}).CompareCommand(c); got != "" {
		t.Errorf("scenarios with different overrides: %q, want none", got)
	}
}
