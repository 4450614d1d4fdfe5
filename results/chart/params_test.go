package chart_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"gonum.org/v1/plot/plotter"

	"scensim/dist"
	"scensim/results"
	"scensim/results/chart"
)

// withParam returns the fixture with its one sampled param replaced by
// kind(args...), keeping its 10 bins (so the counts still fit).
func withParam(t *testing.T, kind string, args []float64) *results.Result {
	t.Helper()
	r := fixture(t)
	pl := &r.Layout.Params[0]
	pl.Kind, pl.Args, pl.Dist = kind, args, kind+"(…)"
	if d, err := dist.New(kind, args); err == nil {
		pl.Lo, pl.Hi = d.Lo, d.Hi
	}
	return r
}

// Every registered distribution draws its density, the registry's, over the
// histogram of its param.
func TestParamDensityFromRegistry(t *testing.T) {
	for _, f := range dist.Families() {
		r := withParam(t, f.Name, f.Example)
		c, err := chart.ParamPanel(r, 0)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		fs := plottersOf[*plotter.Function](c)
		if len(fs) != 1 {
			t.Errorf("%s: %d density curves, want 1", f.Name, len(fs))
			continue
		}
		d, _ := dist.New(f.Name, f.Example)
		for k := range 11 {
			x := d.Lo + (d.Hi-d.Lo)*float64(k)/10
			if got, want := fs[0].F(x), d.Density(x); got != want && !(got != got && want != want) {
				t.Errorf("%s: curve at %v is %v, density %v", f.Name, x, got, want)
			}
		}
	}
}

// A result file written before distributions were recorded by kind reads,
// and its panel draws the histogram without a density curve, saying why.
func TestParamPanelOldFile(t *testing.T) {
	var buf bytes.Buffer
	if err := results.WriteJSON(&buf, fixture(t)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"kind": "beta"`) {
		t.Fatalf("the written file does not record the kind:\n%s", buf.String())
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range doc["layout"].(map[string]any)["params"].([]any) {
		delete(p.(map[string]any), "kind")
		delete(p.(map[string]any), "args")
	}
	old, _ := json.Marshal(doc)
	r, err := results.ReadJSON(bytes.NewReader(old))
	if err != nil {
		t.Fatalf("reading a file without kinds: %v", err)
	}
	c, err := chart.ParamPanel(r, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(plottersOf[*plotter.Function](c)); n != 0 {
		t.Errorf("%d density curves, want none", n)
	}
	if !strings.Contains(c.Plot.X.Label.Text, "no density") {
		t.Errorf("x label %q does not say why there is no density", c.Plot.X.Label.Text)
	}
}

// A layout whose kind and arguments do not make a distribution is refused
// with the reason.
func TestParamPanelBadKind(t *testing.T) {
	for _, c := range []struct {
		kind string
		args []float64
		want string
	}{
		{"weibull", []float64{1, 2}, `unknown distribution "weibull"`},
		{"beta", []float64{0, 1}, "needs a > 0"},
		{"beta", []float64{1}, "takes 2 arguments"},
		{"", []float64{1}, "arguments but no kind"},
	} {
		_, err := chart.ParamPanel(withParam(t, c.kind, c.args), 0)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s%v: error %v, want one containing %q", c.kind, c.args, err, c.want)
		}
	}
}
