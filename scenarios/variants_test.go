package scenarios

// Tests of the shipped variants: each extends the baseline, says why at
// its top, compiles, and moves the outcomes of its hypothesis test in the
// direction its rationale states, by a paired difference whose 95%
// interval excludes 0; and on every variant the paired intervals of the
// main outcomes are narrower than independent runs of the same size would
// give (the point of common random numbers).

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"scensim/model"
	"scensim/results"
	"scensim/runresult"
	"scensim/sim"
)

// embeddedResolver resolves extends: NAME to the embedded scenario NAME.
func embeddedResolver(name, from string) (string, []byte, error) {
	data, ok := Read(strings.TrimSuffix(name, ".yaml"))
	if !ok {
		return "", nil, fmt.Errorf("no embedded scenario %q", name)
	}
	return "embedded:" + strings.TrimSuffix(name, ".yaml"), data, nil
}

func compileEmbedded(t *testing.T, name string) *model.Plan {
	t.Helper()
	data, ok := Read(name)
	if !ok {
		t.Fatalf("no embedded %s", name)
	}
	p, errs := model.CompileWith("embedded:"+name, data, model.Options{Resolve: embeddedResolver})
	if p == nil {
		t.Fatalf("%s:\n%s", name, errs.Snippets())
	}
	return p
}

// variants lists the shipped scenarios other than the baseline.
func variants() []string {
	var out []string
	for _, n := range Names() {
		if n != Default {
			out = append(out, n)
		}
	}
	return out
}

func TestVariantsShipped(t *testing.T) {
	vs := variants()
	if len(vs) < 6 {
		t.Fatalf("%d variants shipped, want at least 6", len(vs))
	}
	for _, name := range vs {
		data, _ := Read(name)
		lines := strings.Split(string(data), "\n")
		comments := 0
		for _, l := range lines {
			if !strings.HasPrefix(l, "#") {
				break
			}
			comments++
		}
		if !strings.HasPrefix(lines[0], "# Variant: ") || comments < 5 || !strings.Contains(string(data), "# Rationale.") {
			t.Errorf("%s: no rationale block at its top (%d comment lines)", name, comments)
		}
		p := compileEmbedded(t, name)
		if p.Name != name || len(p.Bases) != 1 || p.Bases[0].File != "embedded:baseline" {
			t.Errorf("%s: name %q, bases %+v; want its own name, extending the baseline", name, p.Name, p.Bases)
		}
	}
}

// expect is a direction a variant's rationale states for an outcome, or for
// a state ever being reached (a name with a dot: track.state, reached by the
// horizon): +1 up, -1 down (significantly), 0 no significant change.
type expect struct {
	outcome string
	dir     int
}

var variantExpectations = map[string][]expect{
	"us_presses_moscow":    {{"us_pressed_moscow", +1}, {"us_pressed_kyiv", -1}, {"us_aid_restricted", -1}, {"terms.demilitarisation", -1}},
	"europe_united":        {{"ceasefire_by_horizon", +1}, {"demil_given_settlement", -1}, {"europe_fragmented", -1}},
	"aid_restricted_early": {{"us_aid_restricted", +1}, {"terms.demilitarisation", +1}, {"demil_given_settlement", +1}, {"ceasefire_by_horizon", +1}},
	"no_summer_deadline":   {{"ceasefire_by_summer", -1}, {"ceasefire_hazard_before_summer", -1}, {"mobilisation", -1}, {"talks_collapsed", -1}},
	"ground_force":         {{"ceasefire_by_horizon", -1}, {"ceasefire_by_summer", -1}, {"preliminary_deal", 0}},
	"no_linkage":           {{"ceasefire_by_horizon", -1}, {"linkage.sanctions_relief", -1}},
	"early_collapse":       {{"talks_collapsed", +1}, {"mobilisation", +1}, {"limited_offensive", +1}, {"ceasefire_by_horizon", -1}},
	// The experts' comments: a distant ceasefire (Aleksashenko), a Kremlin
	// that slows the process (Lough) and fights on when terms are
	// unacceptable (Pastukhov), more demilitarisation pushed through
	// Washington (Lough).
	"experts_sceptical": {{"ceasefire_by_horizon", -1}, {"ceasefire_by_summer", -1}, {"talks_collapsed", +1},
		{"talks_stalled_at_horizon", +1}, {"demil_given_settlement", +1}},
}

// mainOutcomes are the outcomes (and states reached by the horizon, written
// track.state) whose paired intervals must be narrower than independent ones
// on every variant.
var mainOutcomes = []string{"ceasefire_by_summer", "ceasefire_by_horizon", "talks_collapsed", "terms.demilitarisation", "europe.challenge", "us_pressed_kyiv"}

func TestVariantsPaired(t *testing.T) {
	names := append([]string{Default}, variants()...)
	var plans []*model.Plan
	for _, n := range names {
		plans = append(plans, compileEmbedded(t, n))
	}
	l := runresult.NewCompareLayout(plans)
	const trials = 20000
	pt, err := sim.RunPaired(context.Background(), plans, l.Probes, sim.Options{Trials: trials, Seed: testSeed})
	if err != nil {
		t.Fatal(err)
	}
	c, err := l.Build(plans, nil, pt, testSeed, "test", results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	diff := func(j int, outcome string) *results.Difference {
		kind, by := "outcome", ""
		if strings.Contains(outcome, ".") {
			kind, by = "reached", "horizon"
		}
		for _, r := range c.Rows {
			if r.Kind == kind && r.Name == outcome && r.By == by {
				if r.Diffs[j] == nil {
					t.Fatalf("%s: %s is absent from the variant or the baseline", names[j], outcome)
				}
				return r.Diffs[j]
			}
		}
		t.Fatalf("no outcome %s", outcome)
		return nil
	}
	for j := 1; j < len(names); j++ {
		name := names[j]
		exp, ok := variantExpectations[name]
		if !ok {
			t.Errorf("%s: no expectations in this test; add its intended directions", name)
		}
		for _, e := range exp {
			d := diff(j, e.outcome)
			got := 0
			if d.Significant {
				got = int(math.Copysign(1, d.D))
			}
			if got != e.dir {
				t.Errorf("%s: %s moved %+.2f pp [%+.2f, %+.2f]; want direction %+d", name, e.outcome, 100*d.D, 100*d.Lo, 100*d.Hi, e.dir)
			}
		}
		for _, o := range mainOutcomes {
			d := diff(j, o)
			if !d.Paired || !(d.WidthRatio < 0.95) {
				t.Errorf("%s: %s: paired interval %.4f wide, independent %.4f (ratio %.2f); want narrower", name, o, d.Hi-d.Lo, d.IndepHi-d.IndepLo, d.WidthRatio)
			}
		}
		m, n := c.CRNGain(j, "outcome")
		t.Logf("%-22s median paired/independent width ratio %.2f over %d outcomes", name, m, n)
	}
	// H19: pressing Moscow instead of Kyiv barely moves the ceasefire.
	for j, n := range names {
		if n == "us_presses_moscow" {
			if d := diff(j, "ceasefire_by_horizon"); math.Abs(d.D) > 0.05 {
				t.Errorf("us_presses_moscow moves ceasefire_by_horizon by %+.2f pp; H19 says barely", 100*d.D)
			}
		}
	}
}
