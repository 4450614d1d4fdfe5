package analysis

import (
	"bytes"
	"context"
	"image/png"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"scensim/model"
)

// column returns the cell of the table row whose first cell is key, in the
// named column, as a number.
func column(t *testing.T, tbl *Table, key, col string) float64 {
	t.Helper()
	j := slices.Index(tbl.Columns, col)
	for _, row := range tbl.Rows {
		if row[0] == key && j >= 0 {
			x, err := strconv.ParseFloat(row[j], 64)
			if err != nil {
				t.Fatalf("%s %s: %v", key, col, err)
			}
			return x
		}
	}
	t.Fatalf("table %s has no %s / %s", tbl.Name, key, col)
	return 0
}

// decodes reports whether every chart is a PNG that decodes.
func decodes(t *testing.T, charts map[string][]byte) {
	t.Helper()
	for name, b := range charts {
		if _, err := png.Decode(bytes.NewReader(b)); err != nil {
			t.Errorf("%s does not decode: %v", name, err)
		}
	}
}

// The PSA draws psa_value_NAME for each value outcome, from the numbers of
// psa_values.csv (2.5%, median, 97.5% and mean of E[value | θ], to its 6
// decimals) on an axis in the value's unit, next to psa for the yes/no
// outcomes; without value outcomes there is no value chart.
func TestPSAValueCharts(t *testing.T) {
	_, base := tinyWithOffSteps(t)
	opts := PSAOptions{Outer: 60, Inner: 40, Sampling: SamplingLHS, Bootstrap: 50}
	p, err := RunPSA(context.Background(), base, opts, Run{Trials: 1, Seed: 5, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	charts, err := p.Charts("png")
	if err != nil {
		t.Fatal(err)
	}
	if got := keysOf(charts); !slices.Equal(got, []string{"psa.png", "psa_value_steps_b_off.png"}) {
		t.Fatalf("charts %v", got)
	}
	decodes(t, charts)
	d, ok := p.psaValueData(p.Values[0])
	if !ok || !d.Plain || len(d.Rows) != 1 || !strings.Contains(d.XLabel, "(weeks)") {
		t.Fatalf("chart data %+v", d)
	}
	long := p.valueTables()[0]
	r := d.Rows[0]
	for _, c := range []struct {
		col   string
		drawn float64
	}{{"p2_5", r.Lo}, {"median", r.Mid}, {"p97_5", r.Hi}, {"mean", r.Point}} {
		if want := column(t, long, "steps_b_off", c.col); math.Abs(c.drawn-want) > 5e-7 {
			t.Errorf("%s drawn at %g, table %g", c.col, c.drawn, want)
		}
	}
	if !(r.Lo < r.Mid && r.Mid < r.Hi) || !(r.Lo > 1 && r.Hi < 10) {
		t.Errorf("spread of E[steps | u] drawn from %g to %g (median %g): want increasing, within (1, 10)", r.Lo, r.Hi, r.Mid)
	}
	_, plain := tiny(t)
	p, err = RunPSA(context.Background(), plain, opts, Run{Trials: 1, Seed: 5, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	charts, err = p.Charts("png")
	if err != nil {
		t.Fatal(err)
	}
	if got := keysOf(charts); !slices.Equal(got, []string{"psa.png"}) {
		t.Errorf("charts without value outcomes: %v", got)
	}
}

// sobol --outcome names value outcomes too: they are charted in the order
// named, as sobol_value_NAME with the indices of sobol_values.csv; a value
// outcome without indices gets no chart (its table says why); naming only
// value outcomes draws no yes/no bars; unknown names and names given twice
// are bad input.
func TestSobolValueCharts(t *testing.T) {
	src, base := sobolValuesTiny(t)
	run := func(names ...string) (*Sobol, error) {
		return RunSobol(context.Background(), src, base, SobolOptions{Params: []string{"u,w"}, Samples: 60, Inner: 10,
			Sampling: SamplingMC, Bootstrap: 40, Outcomes: names}, Run{Seed: 3, Workers: 2})
	}
	s, err := run("score", "b_on,y_day")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Charted, []string{"score", "b_on"}) {
		t.Fatalf("charted %v, want score, b_on (y_day has no indices)", s.Charted)
	}
	charts, err := s.Charts("png")
	if err != nil {
		t.Fatal(err)
	}
	if got := keysOf(charts); !slices.Equal(got, []string{"sobol.png", "sobol_b_on.png", "sobol_value_score.png"}) {
		t.Fatalf("charts %v", got)
	}
	decodes(t, charts)
	o, ok := s.sobolValue("score")
	if !ok || o.Skipped != "" {
		t.Fatalf("score: %+v", o)
	}
	d := s.sobolValueData(o)
	long := s.valueTables()[0]
	if len(d.Rows) != 2 || d.Of != "E[value | params]" || !strings.Contains(d.Title, "E[score | params]") {
		t.Fatalf("chart data %+v", d)
	}
	for k, r := range d.Rows {
		row := long.Rows[k]
		if row[0] != "score" || row[2] != r.Param {
			t.Fatalf("table row %v against param %s", row, r.Param)
		}
		for _, c := range []struct {
			col   int
			drawn float64
		}{{3, r.S1}, {5, r.S1Lo}, {6, r.S1Hi}, {7, r.ST}, {9, r.STLo}, {10, r.STHi}} {
			want, err := strconv.ParseFloat(row[c.col], 64)
			if err != nil || math.Abs(c.drawn-want) > 5e-7 {
				t.Errorf("%s %s drawn at %g, table %s", r.Param, long.Columns[c.col], c.drawn, row[c.col])
			}
		}
	}
	// The heatmap: every outcome with indices, yes/no and value, one row
	// each; the value outcome's row is E[score], its cells its total indices.
	hm, rows := s.heatmapData()
	want := 1
	for _, o := range s.Outcomes {
		if o.Skipped == "" {
			want++
		}
	}
	if rows != want || len(hm.YNames) != want {
		t.Fatalf("heatmap rows %d, names %v; want %d (the yes/no outcomes and E[score], not y_day)", rows, hm.YNames, want)
	}
	k := slices.IndexFunc(hm.YNames, func(n string) bool { return strings.TrimSuffix(n, " *") == "E[score]" })
	if k != 0 {
		t.Fatalf("E[score] at row %d of %v, want the bottom row (0)", k, hm.YNames)
	}
	for i, x := range o.Indices {
		if hm.XNames[i] != x.Param || hm.Z[i][k] != x.ST {
			t.Errorf("heatmap %s: %g, want ST %g of %s", hm.XNames[i], hm.Z[i][k], x.ST, x.Param)
		}
	}
	s, err = run("score")
	if err != nil {
		t.Fatal(err)
	}
	charts, err = s.Charts("png")
	if err != nil {
		t.Fatal(err)
	}
	if got := keysOf(charts); !slices.Equal(got, []string{"sobol.png", "sobol_value_score.png"}) {
		t.Errorf("only a value outcome named: charts %v", got)
	}
	for _, bad := range [][]string{{"score,score"}, {"scor"}, {"b_on", "b_on"}, {"y_given_b"}} {
		if _, err := run(bad...); err == nil {
			t.Errorf("outcomes %v: no error", bad)
		}
	}
}

// sobolValuesTiny is tiny with a value outcome linear in u and w (score)
// and one undefined in some trials (y_day).
func sobolValuesTiny(t *testing.T) (*Source, *model.Plan) {
	t.Helper()
	src, _ := tiny(t)
	add := "\n  score:\n    value: \"(c.on ? 9 : 0) + 10 * u\"\n  y_day:\n    value: entry(a.y)\n\nrun:"
	src.Data = []byte(strings.Replace(string(src.Data), "\nrun:", add, 1))
	base, err := src.Compile()
	if err != nil {
		t.Fatal(err)
	}
	return src, base
}

// A value target is drawn in the calibration chart on an axis in its unit
// with the target mean marked, from the check run's numbers.
func TestCalibrateValueChart(t *testing.T) {
	src, _ := tinyWithValue(t)
	src.Options.Overrides = []model.Override{{Name: "r", Value: "0.05"}}
	base, err := src.Compile()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := RunCalibrate(context.Background(), src, base, CalibrateOptions{
		Targets: []Target{{"steps_in_x", 5.5}, {"y_by_four", 0.3}}, Vary: []Vary{{Param: "p", FromRange: true}}, CheckSeed: 9, CheckTrials: 2000},
		Run{Trials: 2000, Seed: 3, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	charts, err := cal.Charts("png")
	if err != nil {
		t.Fatal(err)
	}
	if got := keysOf(charts); !slices.Equal(got, []string{"calibrate.png", "calibrate_trace.png"}) {
		t.Fatalf("charts %v", got)
	}
	decodes(t, charts)
	ct := cal.Targets[0]
	d := calChartTarget(ct)
	if !d.Value || d.Unit != "weeks" || d.Target != 5.5 || d.Check != ct.Check.P || d.CheckLo != ct.Check.Lo || d.CheckHi != ct.Check.Hi || d.Start != ct.Start.P {
		t.Errorf("value target drawn as %+v from %+v", d, ct)
	}
	if !(d.Check > 2 && d.Check < 10) {
		t.Errorf("check mean %g: want steps in x between 2 and 10", d.Check)
	}
	if d := calChartTarget(cal.Targets[1]); d.Value || d.Target != 0.3 {
		t.Errorf("probability target drawn as %+v", d)
	}
}
