package analysis

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"scensim/model"
)

// Calibration to a value outcome's mean recovers a param whose mean is
// known in closed form: with r = 0.05 fixed, the expected steps in a.x over
// the 10 steps of tiny is Σ_{k<10} (1 − p − r)^k, so the target that value
// takes at p = 0.1 must bring p back to 0.1 (within 4 of the calibration's
// own Monte Carlo SE), and the check run must meet the target.
func TestCalibrateValueMean(t *testing.T) {
	src, _ := tinyWithValue(t)
	src.Options.Overrides = []model.Override{{Name: "r", Value: "0.05"}}
	base, err := src.Compile()
	if err != nil {
		t.Fatal(err)
	}
	expected := func(p float64) float64 {
		s := 0.0
		for k := range 10 {
			s += math.Pow(1-p-0.05, float64(k))
		}
		return s
	}
	target := expected(0.1)
	cal, err := RunCalibrate(context.Background(), src, base, CalibrateOptions{
		Targets: []Target{{"steps_in_x", target}}, Vary: []Vary{{Param: "p", FromRange: true}}, CheckSeed: 9, CheckTrials: 100000},
		Run{Trials: 20000, Seed: 3, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	cp, ct := cal.Params[0], cal.Targets[0]
	if cal.Method != "bisection" || cal.Status != "converged" || !ct.Value || ct.Unit != "weeks" {
		t.Fatalf("method %s, status %s, target %+v", cal.Method, cal.Status, ct)
	}
	if !(cp.SE > 0 && cp.SE < 0.01) {
		t.Fatalf("SE of p = %g, want a small positive number", cp.SE)
	}
	if math.Abs(cp.Value-0.1) > 4*cp.SE {
		t.Errorf("p = %g ± %g, want 0.1 within 4 SE", cp.Value, cp.SE)
	}
	if math.Abs(ct.Fit.P-target) > 1e-3*target {
		t.Errorf("fit mean %g, target %g: bisection should meet the target in its own run", ct.Fit.P, target)
	}
	if !ct.Hit || !cal.Reached || math.Abs(ct.Check.P-target) > ct.Tolerance {
		t.Errorf("check mean %g ± tolerance %g, target %g", ct.Check.P, ct.Tolerance, target)
	}
	if !(ct.Scale > 1 && ct.Scale < 5) {
		t.Errorf("scale (SD at the start) %g", ct.Scale)
	}
	r, err := cal.Report("", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	txt := string(r.Text())
	if !strings.Contains(txt, "steps_in_x (mean, weeks)") {
		t.Errorf("targets table lacks the value target:\n%s", txt)
	}
	if js, err := r.JSONBytes(); err != nil || !json.Valid(js) {
		t.Errorf("calibrate.json: %v", err)
	}
}

// A value target and a probability target together: Nelder–Mead on two
// params moves both to where the targets are met in the check run.
func TestCalibrateValueAndProbability(t *testing.T) {
	src, base := tinyWithValue(t)
	expected := func(p, r float64) float64 {
		s := 0.0
		for k := range 10 {
			s += math.Pow(1-p-r, float64(k))
		}
		return s
	}
	// P(y by point 4) = p/(p+r)·(1 − (1−p−r)^4).
	yBy4 := func(p, r float64) float64 { return p / (p + r) * (1 - math.Pow(1-p-r, 4)) }
	cal, err := RunCalibrate(context.Background(), src, base, CalibrateOptions{
		Targets: []Target{{"steps_in_x", expected(0.12, 0.08)}, {"y_by_four", yBy4(0.12, 0.08)}},
		Vary:    []Vary{{Param: "p", FromRange: true}, {Param: "r", FromRange: true}}, CheckSeed: 4, CheckTrials: 100000},
		Run{Trials: 20000, Seed: 8, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{0.12, 0.08} {
		p := cal.Params[i]
		if !(p.SE > 0) || math.Abs(p.Value-want) > 4*p.SE+0.002 {
			t.Errorf("%s = %g ± %g, want %g", p.Name, p.Value, p.SE, want)
		}
	}
	if !cal.Reached {
		t.Errorf("targets not met: %+v", cal.Targets)
	}
}
