package chart_test

import (
	"bytes"
	"context"
	"image/png"
	"testing"

	"scensim/model"
	"scensim/results"
	"scensim/results/chart"
	"scensim/runresult"
	"scensim/sim"
)

const valueChartSrc = `scensim: 1
name: vals
time: {start: 2025-01-01, step: week, steps: 30}
tracks:
  t:
    initial: a
    states: [a, b]
    transitions:
      - {from: a, to: b, p: 0.08}
outcomes:
  weeks_to_b:
    value: entry(t.b) / weeks(1)
    unit: weeks
    bins: 31
    range: [-0.5, 30.5]
`

// Each value outcome gets a histogram chart, named after it, that renders;
// an index out of range is an error.
func TestValueChart(t *testing.T) {
	p, errs := model.Compile("vals.yaml", []byte(valueChartSrc), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	tl, err := sim.Run(context.Background(), p, sim.Options{Trials: 2000, Seed: 1, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	r, err := runresult.FromRun(p, tl, 1, "test", results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := chart.Value(r, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "value_weeks_to_b" {
		t.Errorf("chart name %q", c.Name)
	}
	b, err := chart.Render(c, "png", chart.Width, chart.Height)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	if _, err := chart.Value(r, 1); err == nil {
		t.Error("no error for a value outcome index out of range")
	}
	all, err := chart.All(r, chart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if all["value_weeks_to_b.png"] == nil {
		t.Error("chart.All draws no value chart")
	}
}
