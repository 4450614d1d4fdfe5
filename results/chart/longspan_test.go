package chart_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"scensim/model"
	"scensim/results"
	"scensim/results/chart"
	"scensim/runresult"
	"scensim/sim"
)

// A date axis longer than the 292 years a time.Duration holds is labelled
// by year, with each label at the exact day offset of 1 January of its
// year (day offsets computed by Duration saturate there, and the tick walk
// never reached the end of the axis).
func TestDateTicksBeyond292Years(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2340, 1, 1, 0, 0, 0, 0, time.UTC)
	hi := float64(end.Unix()-start.Unix()) / 86400
	ticks := chart.DateTicks{Start: start}.Ticks(0, hi)
	labelled, lastYear := 0, 0
	for _, tk := range ticks {
		if tk.Label == "" {
			continue
		}
		labelled++
		year, err := strconv.Atoi(tk.Label)
		if err != nil {
			t.Fatalf("label %q is not a year", tk.Label)
		}
		lastYear = year
		jan1 := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
		if want := float64(jan1.Unix()-start.Unix()) / 86400; tk.Value != want {
			t.Errorf("tick %q at x=%g, want %g", tk.Label, tk.Value, want)
		}
	}
	// Labels every 50 years: the last one is the last multiple of 50.
	if labelled < 3 || labelled > 14 || lastYear != 2300 {
		t.Errorf("%d labelled ticks over 314 years, the last %d; want 3 to 14, the last 2300", labelled, lastYear)
	}
	// Spans far beyond any calendar, and non-finite ones, give no ticks.
	for _, r := range [][2]float64{{0, 1e12}, {-1e12, 0}, {0, 1e308}} {
		if got := (chart.DateTicks{Start: start}).Ticks(r[0], r[1]); got != nil {
			t.Errorf("Ticks(%g, %g) = %d ticks, want none", r[0], r[1], len(got))
		}
	}
}

// Every chart of a run spanning 314 years of weekly steps (16,000 points)
// is drawn, with its x axis ending at the last point's exact day.
func TestChartsOfLongSpanRender(t *testing.T) {
	src := `scensim: 1
name: long
time: {start: 2026-01-01, step: week, horizon: 2340-01-01}
tracks:
  t:
    initial: a
    states: [a, b]
    transitions:
      - {from: a, to: b, p: 0.01}
outcomes:
  got_b: {when: reached(t.b)}
`
	p, errs := model.Compile("long.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs)
	}
	tally, err := sim.Run(context.Background(), p, sim.Options{Trials: 50, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	r, err := runresult.FromRun(p, tally, 3, "test", results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	occ, err := chart.Occupancy(r, 0)
	if err != nil {
		t.Fatal(err)
	}
	last := p.Points[len(p.Points)-1]
	if want := float64(last.Unix()-p.Points[0].Unix()) / 86400; occ.Plot.X.Max != want {
		t.Errorf("x axis ends at %g, want %g (days to %s)", occ.Plot.X.Max, want, last.Format("2006-01-02"))
	}
	reached, err := chart.Reached(r, chart.KeyStates(r, chart.MaxKeyStates))
	if err != nil {
		t.Fatal(err)
	}
	first, err := chart.FirstEntry(r, 1)
	if err != nil {
		t.Fatal(err)
	}
	outcomes, err := chart.Outcomes(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*chart.Chart{occ, reached, first, outcomes} {
		b, err := chart.Render(c, "png", chart.Width, chart.Height)
		if err != nil || len(b) == 0 {
			t.Fatalf("%s: %v (%d bytes)", c.Name, err, len(b))
		}
	}
}
