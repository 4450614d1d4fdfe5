package scenarios

// Tests of the baseline's structure beyond the hypotheses' signatures: no
// state is absorbing unless the briefing implies it, and every hypothesis
// H1–H19 can be switched off and then changes something.

import (
	"context"
	"fmt"
	"testing"

	"scensim/model"
	"scensim/results"
	"scensim/runresult"
	"scensim/sim"
)

// TestStatesRecover: a ceasefire can break down, a US aid restriction can be
// lifted, collapsed talks can restart, and Europe can trade its ground-force
// plan for airspace control. For each, the share of trials that ever
// entered the state exceeds the share still in it at the horizon by more than
// 3 batch-means SEs of the difference (the same trials), and the outcomes
// that count the way out are not vacuous.
func TestStatesRecover(t *testing.T) {
	r := baseline(t)
	for _, c := range []struct{ ever, atHorizon string }{
		{"ceasefire_by_horizon", "ceasefire_holds_at_horizon"},
		{"us_aid_restricted", "aid_restricted_at_horizon"},
		{"talks_collapsed", "talks_collapsed_at_horizon"},
	} {
		d, se := estimate(func(v view) float64 { return r.P(t, v, c.ever) - r.P(t, v, c.atHorizon) })
		positive(t, c.ever+" − "+c.atHorizon, d, se)
	}
	nonVacuous(t, r, "ceasefire_broke_down")
	nonVacuous(t, r, "ground_force_traded")
	nonVacuous(t, r, "understanding_lapsed")
}

// TestEveryHypothesisSwitchable: each of H1–H19 is cited, has something to
// switch off (model.Options.Disable leaves notes), and switching it off alone
// changes at least one unconditional outcome of the baseline: a paired
// difference whose 95% interval excludes 0, on 10 000 trials with common
// random numbers.
func TestEveryHypothesisSwitchable(t *testing.T) {
	data, ok := Read(Default)
	if !ok {
		t.Fatal("no embedded baseline")
	}
	base, errs := model.Compile("baseline.yaml", data, nil)
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	plans := []*model.Plan{base}
	var ids []string
	for i := 1; i <= 19; i++ {
		id := fmt.Sprintf("H%d", i)
		p, errs := model.CompileWith("baseline.yaml", data, model.Options{Disable: []string{id}})
		if err := errs.Err(); err != nil {
			t.Fatalf("%s off: %v", id, err)
		}
		if len(p.DisabledNotes) == 0 {
			t.Errorf("%s off: nothing switched", id)
		}
		plans = append(plans, p)
		ids = append(ids, id)
	}
	l := runresult.NewCompareLayout(plans)
	pt, err := sim.RunPaired(context.Background(), plans, l.Probes, sim.Options{Trials: 10000, Seed: testSeed})
	if err != nil {
		t.Fatal(err)
	}
	c, err := l.Build(plans, nil, pt, testSeed, "test", results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	for j, id := range ids {
		changed, best, bestName := 0, 0.0, ""
		for _, row := range c.Rows {
			if row.Kind != "outcome" {
				continue
			}
			d := row.Diffs[j+1]
			if d == nil || !d.Paired || !d.Significant {
				continue
			}
			changed++
			if a := max(d.D, -d.D); a > best {
				best, bestName = a, row.Name
			}
		}
		t.Logf("%s off: %d outcomes changed, largest %s %.2f pp", id, changed, bestName, 100*best)
		if changed == 0 {
			t.Errorf("%s off changes no outcome", id)
		}
	}
}
