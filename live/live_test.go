package live

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"scensim/model"
	"scensim/results"
	"scensim/sim"
	"scensim/tally"
)

// toyScenario (testdata/toy.yaml, shared with the watch and serve tests
// of cmd/scensim) has two drawn params with a range (sliders) and a
// conditional outcome.
var toyScenario = func() string {
	b, err := os.ReadFile(filepath.Join("testdata", "toy.yaml"))
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// dirResolver finds a base beside the file that extends it.
func dirResolver(name, from string) (string, []byte, error) {
	file := filepath.Join(filepath.Dir(from), name)
	data, err := os.ReadFile(file)
	return file, data, err
}

func writeToy(t *testing.T) Source {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "toy.yaml")
	if err := os.WriteFile(path, []byte(toyScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	return Source{Path: path, Resolve: dirResolver}
}

// Hand-computed reference for the paired interval: three draws of ten
// trials; draw hits 2, 4, 6 before and 3, 6, 6 after, so P0 = 0.4,
// P1 = 0.5 and the per-draw contributions are 0, 1/30 and −1/30:
// SE² = 3/2 · (2/900) = 1/300, and t(2 df, 97.5%) = 4.302652730.
func TestDiffPairedByDrawReference(t *testing.T) {
	mk := func(hits []int64) *Preview {
		var c tally.Counts
		c.Trials, c.PerDraw = 30, 10
		c.Hits, c.Given = []int64{hits[0] + hits[1] + hits[2]}, []int64{30}
		c.DrawTrials, c.DrawHits, c.DrawGiven = []int64{10, 10, 10}, hits, []int64{10, 10, 10}
		est := results.NewProportion(c.Hits[0], 30)
		return &Preview{Tally: &c, Seed: 1, Result: &results.Result{Outcomes: []results.OutcomeRow{{Name: "o", Estimate: est}}}}
	}
	prev, cur := mk([]int64{2, 4, 6}), mk([]int64{3, 6, 6})
	got := Diff(prev, cur, 0.01)[0]
	half := 4.302652729911275 * math.Sqrt(1.0/300)
	if !got.Paired || math.Abs(got.D-0.1) > 1e-12 || math.Abs(got.DLo-(0.1-half)) > 1e-9 || math.Abs(got.DHi-(0.1+half)) > 1e-9 {
		t.Fatalf("paired diff %+v, want D 0.1 in [%.9f, %.9f]", got, 0.1-half, 0.1+half)
	}
	if got.Material {
		t.Error("an interval that contains 0 is not material")
	}
	// A different seed breaks the pairing: independent errors.
	cur.Seed = 2
	if Diff(prev, cur, 0.01)[0].Paired {
		t.Error("previews with different seeds were paired")
	}
}

// Two previews of the same plan and seed are identical: every change is
// exactly 0 with a zero-width paired interval; moving a param changes
// got_b materially.
func TestPreviewSameSeedNoNoise(t *testing.T) {
	src := writeToy(t)
	ctx := context.Background()
	st := Settings{Trials: 4000}
	run := func(set map[string]float64) *Preview {
		p, errs := src.Compile(set)
		if p == nil {
			t.Fatal(errs.Err())
		}
		pv, err := Run(ctx, p, st)
		if err != nil {
			t.Fatal(err)
		}
		return pv
	}
	a, b := run(nil), run(nil)
	if a.Tally.Draws() != 10 || a.Tally.PerDraw != 400 {
		t.Fatalf("4000 trials: %d draws of %d, want 10 of 400 (as run chooses)", a.Tally.Draws(), a.Tally.PerDraw)
	}
	for _, c := range Diff(a, b, DefaultMinDiff) {
		if !c.Paired || c.D != 0 || c.DLo != 0 || c.DHi != 0 || c.Material {
			t.Errorf("%s: same plan, same seed: %+v, want a paired change of exactly 0", c.Name, c)
		}
	}
	moved := Diff(a, run(map[string]float64{"rate": 0.3}), DefaultMinDiff)
	if moved[0].Name != "got_b" || !(moved[0].D > 0.1) || !moved[0].Material || !moved[0].Paired {
		t.Errorf("rate 0.3: got_b %+v, want a material paired rise", moved[0])
	}
	if moved[1].Name != "c_given_b" || !moved[1].Paired {
		t.Errorf("c_given_b %+v, want paired by draw", moved[1])
	}
	var b2 strings.Builder
	if err := WriteTable(&b2, moved, DefaultMinDiff); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b2.String(), "paired "+MaterialMark) {
		t.Errorf("the table does not mark the material change:\n%s", b2.String())
	}
}

// The overlay that the page writes reproduces the page's counts exactly
// when run as `run` runs it (its own run.trials and run.seed, the draws
// run chooses).
func TestOverlayReproducesPreview(t *testing.T) {
	src := writeToy(t)
	s := &Server{Src: src, Settings: Settings{Trials: 3000}, MinDiff: DefaultMinDiff, Token: "x"}
	st, pv, set, err := s.Compute(context.Background(), []string{"rate=0.2"}, false)
	if err != nil || pv == nil {
		t.Fatal(err, st)
	}
	text := OverlayYAML(src, s.plan, pv, set, "toy_tuned", time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC))
	for _, want := range []string{"# Written by scensim serve on 2026-01-02 03:04 UTC from toy.yaml", "#   rate: 0.1 (drawn from uniform(0.05, 0.15)) -> 0.2", "extends: \"toy.yaml\"", "trials: 3000", "seed: 7", "  rate:\n    value: 0.2"} {
		if !strings.Contains(text, want) {
			t.Errorf("overlay lacks %q:\n%s", want, text)
		}
	}
	path := filepath.Join(src.Dir(), "toy_tuned.yaml")
	if err := writeAtomic(path, []byte(text)); err != nil {
		t.Fatal(err)
	}
	p, errs := Source{Path: path, Resolve: dirResolver}.Compile(nil)
	if p == nil {
		t.Fatal(errs.Err())
	}
	again, err := sim.Run(context.Background(), p, sim.Options{Trials: p.Trials, Seed: p.Seed, Params: sim.Params{PerDraw: sim.PerDrawFor(p.Trials, 0)}})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, pv.Tally) {
		t.Errorf("running the overlay gave other counts than the page:\n%+v\n%+v", *again, *pv.Tally)
	}
}

func TestInsideDir(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(outside, "secret.yaml"), []byte("x"), 0o644)
	os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(dir, "link.yaml"))
	os.Symlink(outside, filepath.Join(dir, "out"))
	for _, bad := range []string{"", "../x.yaml", "a/../../x.yaml", "/etc/passwd", filepath.Join(outside, "secret.yaml"), "link.yaml", "out/secret.yaml", "out/new.yaml", `..\x.yaml`} {
		if _, err := InsideDir(dir, bad); err == nil {
			t.Errorf("InsideDir(%q) was allowed", bad)
		}
	}
	for _, good := range []string{"a.yaml", "new.yaml", "./a.yaml"} {
		if _, err := InsideDir(dir, good); err != nil {
			t.Errorf("InsideDir(%q): %v", good, err)
		}
	}
	for _, bad := range []string{"x.txt", "../x.yaml", "a/b.yaml", ".hidden.yaml", ""} {
		if CheckOverlayName(bad) == nil {
			t.Errorf("overlay name %q was allowed", bad)
		}
	}
}

func TestParseSet(t *testing.T) {
	p, errs := model.Compile("toy.yaml", []byte(toyScenario), nil)
	if p == nil {
		t.Fatal(errs.Err())
	}
	for _, bad := range [][]string{{"nope=1"}, {"rate"}, {"rate=NaN"}, {"rate=1e999"}, {"rate=abc"}} {
		if _, err := ParseSet(p, bad); err == nil {
			t.Errorf("ParseSet(%q) was allowed", bad)
		}
	}
	if set, err := ParseSet(p, []string{"rate=0.25"}); err != nil || set["rate"] != 0.25 {
		t.Errorf("ParseSet(rate=0.25) = %v, %v", set, err)
	}
}

func TestOverlayScenarioName(t *testing.T) {
	for in, want := range map[string]string{"toy_tuned.yaml": "toy_tuned", "my-try.v2.yaml": "my_try_v2", "2nd.yaml": "s_2nd"} {
		if got := OverlayScenarioName(in); got != want {
			t.Errorf("OverlayScenarioName(%q) = %q, want %q", in, got, want)
		}
	}
}
