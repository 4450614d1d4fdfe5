package runresult

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"scensim/model"
	"scensim/results"
	"scensim/sim"
)

const valuesSrc = `scensim: 1
name: vals
time: {start: 2025-01-01, step: week, steps: 30}
tracks:
  t:
    initial: a
    states: [a, b, c]
    transitions:
      - {from: a, to: b, p: 0.08}
      - {from: b, to: c, p: 0.1}
outcomes:
  got_c: reached(t.c)
  weeks_to_c:
    value: entry(t.c) / weeks(1)
    unit: weeks
    bins: 31
    range: [-0.5, 30.5]
  weeks_in_b:
    accumulate: t.b
    bins: 10
    range: [0, 20]
`

func runValues(t *testing.T, p *model.Plan, first, n int64, shard *results.Shard) *results.Result {
	t.Helper()
	tl, err := sim.Run(context.Background(), p, sim.Options{Trials: n, First: first, Seed: 9, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	m := ManifestOf(p, 9, n, "test")
	m.Shard = shard
	res, err := results.NewResult(LayoutOf(p), *tl, m, results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// The summary of a value outcome matches the exact statistics of the
// per-trial values: mean and SD to rounding, quantiles within half a bin
// width (exactly, for whole weeks at the bins' centres), the undefined
// share exactly.
func TestValueRowsMatchTrialValues(t *testing.T) {
	p, errs := model.Compile("vals.yaml", []byte(valuesSrc), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	const n = 4000
	res := runValues(t, p, 0, n, nil)
	tr := sim.NewTrialer(p, 9)
	vals := make([][]float64, len(p.Values))
	for i := int64(0); i < n; i++ {
		if _, err := tr.Trial(i); err != nil {
			t.Fatal(err)
		}
		for j, v := range tr.Values() {
			if !math.IsNaN(v) {
				vals[j] = append(vals[j], v)
			}
		}
	}
	for j, row := range res.Values {
		xs := vals[j]
		slices.Sort(xs)
		if row.Defined != int64(len(xs)) || math.Abs(row.UndefinedShare-float64(n-len(xs))/n) > 1e-15 {
			t.Errorf("%s: %d defined, undefined share %v; trials give %d", row.Name, row.Defined, row.UndefinedShare, len(xs))
		}
		mean, ss := 0.0, 0.0
		for _, x := range xs {
			mean += x
		}
		mean /= float64(len(xs))
		for _, x := range xs {
			ss += (x - mean) * (x - mean)
		}
		sd := math.Sqrt(ss / float64(len(xs)-1))
		if math.Abs(float64(row.Mean)-mean) > 1e-9 || math.Abs(float64(row.SD)-sd) > 1e-6 {
			t.Errorf("%s: mean %v sd %v, exact %v %v", row.Name, row.Mean, row.SD, mean, sd)
		}
		if float64(row.Min) != xs[0] || float64(row.Max) != xs[len(xs)-1] {
			t.Errorf("%s: min %v max %v, exact %v %v", row.Name, row.Min, row.Max, xs[0], xs[len(xs)-1])
		}
		for _, q := range row.Quantiles {
			exact := xs[int(math.Ceil(q.P*float64(len(xs))))-1]
			tol := row.BinWidth / 2 // inside the range; outside it, the interval to the min or max bounds the error
			if q.Outside {
				tol = q.Hi - q.Lo
			}
			if exact < q.Lo || exact > q.Hi || math.Abs(q.Value-exact) > tol+1e-12 {
				t.Errorf("%s: p%g = %v in [%v, %v], exact %v", row.Name, 100*q.P, q.Value, q.Lo, q.Hi, exact)
			}
			if row.Name == "weeks_to_c" && q.Value != exact {
				t.Errorf("%s: p%g = %v, want the exact whole week %v", row.Name, 100*q.P, q.Value, exact)
			}
		}
	}
}

// Value outcomes survive a JSON round trip byte for byte, appear in the
// text and Markdown renderings and in values.csv, and shards merge into
// the unsharded result.
func TestValueResultRenderAndMerge(t *testing.T) {
	p, errs := model.Compile("vals.yaml", []byte(valuesSrc), nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	const n = 3000
	whole := runValues(t, p, 0, n, nil)
	var a bytes.Buffer
	if err := results.WriteJSON(&a, whole); err != nil {
		t.Fatal(err)
	}
	back, err := results.ReadJSON(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := results.WriteJSON(&b, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("JSON round trip changed the result")
	}
	var txt, md, csv bytes.Buffer
	if err := results.WriteText(&txt, whole); err != nil {
		t.Fatal(err)
	}
	if err := results.WriteMarkdown(&md, whole); err != nil {
		t.Fatal(err)
	}
	if err := results.WriteValuesCSV(&csv, whole); err != nil {
		t.Fatal(err)
	}
	for what, s := range map[string]string{"text": txt.String(), "markdown": md.String(), "csv": csv.String()} {
		if !strings.Contains(s, "weeks_to_c") || !strings.Contains(s, "weeks_in_b") {
			t.Errorf("%s rendering lacks the value outcomes:\n%s", what, s)
		}
	}
	var shards []*results.Result
	for k := range 3 {
		first, cnt := results.ShardRange(k, 3, n)
		shards = append(shards, runValues(t, p, first, cnt, &results.Shard{K: k, N: 3, First: first, Trials: cnt, TotalTrials: n}))
	}
	merged, err := results.Merge([]*results.Result{shards[2], shards[0], shards[1]}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var c bytes.Buffer
	if err := results.WriteJSON(&c, merged); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Error("merged shards differ from the unsharded result")
	}
}
