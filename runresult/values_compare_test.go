package runresult

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"scensim/model"
	"scensim/results"
	"scensim/sim"
)

const ratioSrc = `scensim: 1
name: care
time: {start: 2025-01-01, step: month, steps: 24}
tracks:
  h:
    initial: well
    states: [well, sick, dead]
    transitions:
      - {from: well, to: sick, p: 0.05}
      - {from: sick, to: dead, p: 0.1}
outcomes:
  cost:
    accumulate: "h.well ? 10 : h.sick ? 100 : 0"
    discount: 0.035
  qaly:
    accumulate: "(h.well ? 1 : h.sick ? 0.6 : 0) / 12"
    discount: 0.035
`

// The paired difference of means and the incremental ratio with its
// delta-method SE equal those computed directly from the trials' values.
func TestValueCompareMatchesTrials(t *testing.T) {
	p0, errs := model.Compile("care.yaml", []byte(ratioSrc), nil)
	if p0 == nil {
		t.Fatal(errs.Snippets())
	}
	p1, errs := model.Compile("treated.yaml", []byte(strings.NewReplacer("{from: sick, to: dead, p: 0.1}", "{from: sick, to: dead, p: 0.05}",
		"{from: well, to: sick, p: 0.05}", "{from: well, to: sick, p: 0.04}").Replace(ratioSrc)), nil)
	if p1 == nil {
		t.Fatal(errs.Snippets())
	}
	plans := []*model.Plan{p0, p1}
	const n = 4000
	l := NewCompareLayout(plans)
	pt, err := sim.RunPaired(context.Background(), plans, l.Probes, sim.Options{Trials: n, Seed: 2, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	c, err := l.Build(plans, nil, pt, 2, "test", results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	if err := AddRatios(c, plans, pt, []string{"cost/qaly"}); err != nil {
		t.Fatal(err)
	}
	t0, t1 := sim.NewTrialer(p0, 2), sim.NewTrialer(p1, 2)
	var dc, dq []float64
	for i := int64(0); i < n; i++ {
		if _, err := t0.Trial(i); err != nil {
			t.Fatal(err)
		}
		if _, err := t1.Trial(i); err != nil {
			t.Fatal(err)
		}
		dc = append(dc, t1.Values()[0]-t0.Values()[0])
		dq = append(dq, t1.Values()[1]-t0.Values()[1])
	}
	mean := func(xs []float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
	cov := func(xs, ys []float64) float64 {
		mx, my, s := mean(xs), mean(ys), 0.0
		for i := range xs {
			s += (xs[i] - mx) * (ys[i] - my)
		}
		return s / float64(len(xs)-1)
	}
	close := func(what string, got, want float64) {
		if math.Abs(got-want) > 1e-6*math.Abs(want)+1e-9 {
			t.Errorf("%s = %v, direct %v", what, got, want)
		}
	}
	d := c.Values[0].Diffs[1]
	close("cost difference", float64(d.D), mean(dc))
	close("cost difference SE", float64(d.SE), math.Sqrt(cov(dc, dc)/n))
	r := c.Ratios[0].Ratios[1]
	R := mean(dc) / mean(dq)
	close("ratio", float64(r.R), R)
	close("ratio SE", float64(r.SE), math.Sqrt((cov(dc, dc)-2*R*cov(dc, dq)+R*R*cov(dq, dq))/(n*mean(dq)*mean(dq))))
	if r.DenSpansZero || !(mean(dq) > 0) {
		t.Errorf("the treatment should gain QALYs clearly: ΔQ = %v", mean(dq))
	}
	var csv bytes.Buffer
	if err := results.WriteCompareValuesCSV(&csv, c); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csv.String(), "ratio,cost/qaly,") {
		t.Errorf("compare_values.csv lacks the ratio:\n%s", csv.String())
	}
	if err := AddRatios(c, plans, pt, []string{"cost/cost"}); err == nil {
		t.Error("no error for a ratio of an outcome to itself")
	}
}
