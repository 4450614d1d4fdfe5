package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"

	"scensim/results"
	"scensim/runresult"
	"scensim/scenarios"
)

// embeddedResolver finds a base beside the file, else among the shipped
// scenarios.
func embeddedResolver(name, from string) (string, []byte, error) {
	if data, ok := scenarios.Read(name); ok {
		return scenarios.SourceName(name), data, nil
	}
	return dirResolver(name, from)
}

// sameRun fails t unless a and b have the same counts, field for field,
// and the same result document.
func sameRun(t *testing.T, what string, a, b *Preview) {
	t.Helper()
	if !reflect.DeepEqual(a.Tally, b.Tally) {
		t.Errorf("%s: the counts differ:\n%+v\n%+v", what, *a.Tally, *b.Tally)
		return
	}
	ja, err := json.Marshal(a.Result)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b.Result)
	if err != nil {
		t.Fatal(err)
	}
	if string(ja) != string(jb) {
		t.Errorf("%s: the result documents differ", what)
	}
}

// A full preview continued from its quick pass (or from any first part of
// its trials, even one that ends inside a draw) has the counts and the
// result document of the preview run whole: nested, flat, with every
// param fixed, and with evidence and value outcomes.
func TestExtendIsWholeRun(t *testing.T) {
	ctx := context.Background()
	toy := writeToy(t)
	evidence := Source{Path: filepath.Join("..", "scenarios", "examples", "evidence_example.yaml"), Resolve: embeddedResolver}
	cases := []struct {
		name  string
		src   Source
		set   map[string]float64
		st    Settings
		first int64 // trials of the first part; 0: the quick pass
	}{
		{"nested, quick pass", toy, nil, Settings{Trials: 8000}, 0},
		{"nested, split inside a draw", toy, nil, Settings{Trials: 8000}, 1234},
		{"nested, one param set", toy, map[string]float64{"rate": 0.2}, Settings{Trials: 8000}, 0},
		{"flat (no param drawn)", toy, map[string]float64{"rate": 0.2, "p_c": 0.1}, Settings{Trials: 8000}, 0},
		{"params fixed", toy, nil, Settings{Trials: 8000, Fixed: true}, 777},
		{"other seed and draws", toy, nil, Settings{Trials: 9000, Seed: 3, SeedSet: true, Draws: 30}, 0},
		{"evidence and values", evidence, nil, Settings{Trials: 6000}, 0},
	}
	for _, c := range cases {
		p, errs := c.src.Compile(c.set)
		if p == nil {
			t.Fatalf("%s: %v", c.name, errs.Err())
		}
		whole, err := Run(ctx, p, c.st)
		if err != nil {
			t.Fatal(err)
		}
		qs, ok := QuickSettings(p, c.st)
		if c.first > 0 {
			qs, ok = c.st, true
			qs.Trials = c.first
			qs.PerDraw = ParamsFor(p, c.st.Trials, c.st).PerDraw
		}
		if !ok {
			t.Fatalf("%s: no quick pass", c.name)
		}
		q, err := Run(ctx, p, qs)
		if err != nil {
			t.Fatal(err)
		}
		if q.Tally.Ran() >= whole.Tally.Ran() || q.Params != whole.Params {
			t.Fatalf("%s: the first part ran %d of %d trials with %+v, want fewer with %+v", c.name, q.Tally.Ran(), whole.Tally.Ran(), q.Params, whole.Params)
		}
		if c.src.Path == evidence.Path && (!q.Tally.Conditioned || q.Tally.Rejected == 0 || len(q.Tally.Values) == 0) {
			t.Fatalf("%s: the scenario no longer rejects trials or has no value outcome; the case tests nothing", c.name)
		}
		var done atomic.Int64
		st := c.st
		st.Done = &done
		ext, err := Extend(ctx, q, st)
		if err != nil {
			t.Fatal(err)
		}
		sameRun(t, c.name, whole, ext)
		if got, want := done.Load(), whole.Tally.Ran()-q.Tally.Ran(); got != want {
			t.Errorf("%s: Extend ran %d trials, want only the %d the first part lacks", c.name, got, want)
		}
	}
}

// A first part that is not one of the preview (another seed, another
// design, as many trials) is not used: the preview is run whole.
func TestExtendRefusesForeignFirstPart(t *testing.T) {
	ctx := context.Background()
	p, errs := writeToy(t).Compile(nil)
	if p == nil {
		t.Fatal(errs.Err())
	}
	st := Settings{Trials: 8000}
	whole, err := Run(ctx, p, st)
	if err != nil {
		t.Fatal(err)
	}
	for name, qs := range map[string]Settings{
		"other seed":     {Trials: 5000, PerDraw: 500, Seed: 99, SeedSet: true},
		"other per draw": {Trials: 5000, PerDraw: 250},
		"fixed params":   {Trials: 5000, Fixed: true},
		"all trials":     {Trials: 8000},
	} {
		q, err := Run(ctx, p, qs)
		if err != nil {
			t.Fatal(err)
		}
		var done atomic.Int64
		st := st
		st.Done = &done
		ext, err := Extend(ctx, q, st)
		if err != nil {
			t.Fatal(err)
		}
		sameRun(t, name, whole, ext)
		if done.Load() != 8000 {
			t.Errorf("%s: Extend ran %d trials, want the whole 8000", name, done.Load())
		}
	}
}

// The server runs each preview's trials once: the file's quick pass is
// the first part of its full preview, a change's full preview continues
// its quick pass, and asking again for a change already run runs nothing.
func TestServerRunsEachTrialOnce(t *testing.T) {
	var done atomic.Int64
	s := &Server{Src: writeToy(t), Settings: Settings{Trials: 8000, Done: &done}, MinDiff: DefaultMinDiff, Token: "x"}
	ctx := context.Background()
	if _, err := s.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got := done.Load(); got != 8000 || s.quick == nil || s.quick.Tally.Trials != 5000 {
		t.Fatalf("the file's previews ran %d trials (want 8000), quick pass %v", got, s.quick)
	}
	set := []string{"rate=0.2"}
	stq, q, _, err := s.Compute(ctx, set, true)
	if err != nil || q == nil || !stq.Quick {
		t.Fatalf("quick pass: %v %v", err, stq)
	}
	st, full, _, err := s.Compute(ctx, set, false)
	if err != nil || full == nil || st.Quick {
		t.Fatalf("full preview: %v %v", err, st)
	}
	if got := done.Load(); got != 16000 {
		t.Errorf("after a change's quick pass and full preview: %d trials run, want 16000", got)
	}
	again, _, _, err := s.Compute(ctx, set, false)
	if err != nil || done.Load() != 16000 || !reflect.DeepEqual(again.Rows, st.Rows) {
		t.Errorf("asking again: %v, %d trials run (want no more), same rows %v", err, done.Load(), reflect.DeepEqual(again.Rows, st.Rows))
	}
	// The numbers are those of the preview run whole.
	p, errs := s.Src.Compile(map[string]float64{"rate": 0.2})
	if p == nil {
		t.Fatal(errs.Err())
	}
	whole, err := Run(ctx, p, Settings{Trials: 8000})
	if err != nil {
		t.Fatal(err)
	}
	sameRun(t, "the change's full preview", whole, full)
}

// A change whose runs are stopped (a newer change replaced it) answers
// ErrSuperseded, not a preview of part of its trials.
func TestStoppedChangeIsSuperseded(t *testing.T) {
	src := writeToy(t)
	file, errs := src.Compile(nil)
	if file == nil {
		t.Fatal(errs.Err())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := startChange(ctx, src, "k", map[string]float64{"rate": 0.2}, file, Settings{Trials: 8000})
	for _, quick := range []bool{true, false} {
		pv, err := c.wait(context.Background(), quick)
		if !errors.Is(err, ErrSuperseded) || pv != nil {
			t.Errorf("quick %v: %v, %v; want ErrSuperseded", quick, pv, err)
		}
	}
	// A change whose scenario does not compile reports its errors.
	os.WriteFile(src.Path, []byte("scensim: 1\nname: toy\nparams: [\n"), 0o644)
	c = startChange(context.Background(), src, "k2", nil, file, Settings{Trials: 8000})
	if pv, err := c.wait(context.Background(), false); pv != nil || err != nil || c.errs == "" {
		t.Errorf("a broken file: %v, %v, errors %q", pv, err, c.errs)
	}
}

// A preview's result document is the one `run` makes of the same counts,
// less the drivers.
func TestPreviewResultIsRunsLessDrivers(t *testing.T) {
	p, errs := writeToy(t).Compile(nil)
	if p == nil {
		t.Fatal(errs.Err())
	}
	pv, err := Run(context.Background(), p, Settings{Trials: 6000, Version: "v"})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := runresult.FromRun(p, pv.Tally, pv.Seed, "v", results.RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.Drivers) == 0 {
		t.Fatal("run's result has no drivers: the comparison tests nothing")
	}
	if err := ref.SetDrawParams(nil); err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(ref)
	got, _ := json.Marshal(pv.Result)
	if string(got) != string(want) {
		t.Errorf("the preview's result differs from run's without drivers:\n%s\n%s", got, want)
	}
}

// Moving a param back to a value it had shows that value's previews again
// without running them; a save forgets them.
func TestServerKeepsRecentChanges(t *testing.T) {
	var done atomic.Int64
	s := &Server{Src: writeToy(t), Settings: Settings{Trials: 8000, Done: &done}, MinDiff: DefaultMinDiff, Token: "x"}
	ctx := context.Background()
	full := func(set string) *State {
		t.Helper()
		st, pv, _, err := s.Compute(ctx, []string{set}, false)
		if err != nil || pv == nil {
			t.Fatalf("%s: %v %v", set, err, st)
		}
		return st
	}
	a := full("rate=0.2")
	full("rate=0.25")
	ran := done.Load()
	for _, quick := range []bool{true, false} {
		if _, _, _, err := s.Compute(ctx, []string{"rate=0.2"}, quick); err != nil {
			t.Fatal(err)
		}
	}
	if again := full("rate=0.2"); done.Load() != ran || !reflect.DeepEqual(again.Rows, a.Rows) {
		t.Errorf("back to rate=0.2: %d more trials run, want none; same rows %v", done.Load()-ran, reflect.DeepEqual(again.Rows, a.Rows))
	}
	if _, _, _, err := s.Compute(ctx, nil, false); err != nil { // back to the file's values
		t.Fatal(err)
	}
	if full("rate=0.2"); done.Load() != ran {
		t.Errorf("rate=0.2 after the file's values: %d more trials run, want none", done.Load()-ran)
	}
	for i := range recentChanges + 2 { // more values than are kept
		full(fmt.Sprintf("rate=0.%02d", 30+i))
	}
	ran = done.Load()
	full("rate=0.2")
	if done.Load() == ran {
		t.Error("a value older than the kept ones was not run again")
	}
	os.WriteFile(s.Src.Path, []byte(toyScenario+"\n# saved\n"), 0o644)
	ran = done.Load()
	full("rate=0.2")
	if got := done.Load() - ran; got != 2*8000 {
		t.Errorf("after a save: %d trials run, want 16000 (the file's previews and the change's)", got)
	}
}

// The kept changes are bounded in number and in the bytes of their plans'
// precomputed tables; a change stopped before it finished is not kept.
func TestRecentChangesBounded(t *testing.T) {
	finishedChange := func(key string, tables int64) *change {
		c := &change{key: key, tables: tables, cancel: func() {}, quickDone: make(chan struct{}), fullDone: make(chan struct{})}
		close(c.quickDone)
		close(c.fullDone)
		return c
	}
	s := &Server{}
	for i := range recentChanges + 3 {
		s.change = finishedChange(fmt.Sprint(i), 1)
		s.retireChange()
	}
	if len(s.recent) != recentChanges || s.recent[0].key != "3" || s.change != nil {
		t.Errorf("kept %d changes from %q, want the last %d", len(s.recent), s.recent[0].key, recentChanges)
	}
	for i := range 4 {
		s.change = finishedChange(fmt.Sprint("big", i), recentTables/3+1)
		s.retireChange()
	}
	if len(s.recent) != 2 || s.recent[0].key != "big2" {
		t.Errorf("with large tables kept %d changes from %q, want big2 and big3", len(s.recent), s.recent[0].key)
	}
	stopped := finishedChange("stopped", 1)
	stopped.fullErr = ErrSuperseded
	s.change = stopped
	s.retireChange()
	if s.recent[len(s.recent)-1].key == "stopped" {
		t.Error("a stopped change was kept")
	}
}
