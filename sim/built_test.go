package sim

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"scensim/model"
	"scensim/model/kernel"
)

// builtTestPlans compiles the reference model, the synthetic models of
// testdata and the shipped scenarios: their tables read a track's state,
// when states were reached, and several keys.
func builtTestPlans(t *testing.T) map[string]*model.Plan {
	t.Helper()
	files, err := filepath.Glob("../scenarios/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob("testdata/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, more...)
	plans := map[string]*model.Plan{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "\nextends:") {
			continue // a variant of another scenario: its tables are the base's, mostly
		}
		p, errs := model.Compile(file, data, nil)
		if p == nil {
			t.Fatalf("%s: %v", file, errs.Snippets())
		}
		plans[file] = p
	}
	if len(plans) < 4 {
		t.Fatalf("%d plans found, want the scenarios and testdata", len(plans))
	}
	return plans
}

// randomFrame puts every track of r's frame in a random state of its
// track, with random first entries (never, or a random point), at a
// random step.
func randomFrame(r *runner, rng *rand.Rand) {
	p, f := r.p, &r.f
	for k, tr := range p.Tracks {
		f.State[k] = int32(tr.First + rng.IntN(tr.NStates))
	}
	for g := range f.Entry {
		f.Entry[g] = -1
		if rng.IntN(2) == 0 {
			f.Entry[g] = int32(rng.IntN(p.Steps + 1))
		}
	}
	f.Step = rng.IntN(p.Steps + 1)
}

// wantCache is the cache of track k, its wake at step and its runner.now
// entry, as cacheFor fills them from the frame.
func wantCache(r *runner, k, step int) (trackCache, int32, kernel.Cell) {
	var tc trackCache
	g := int(r.f.State[k])
	if len(r.p.States[g].Out) == 0 {
		return deadCache, math.MaxInt32, kernel.Cell{Kind: cellVaries}
	}
	r.cacheFor(&tc, g)
	w := int32(step)
	if tc.live != nil && step < r.p.Steps {
		w = max(w, tc.live[step&tc.mask])
	}
	return tc, w, nowCell(&tc)
}

// sameCache reports whether two caches give the step loop the same
// transitions, table, cells, wakes and row, and read the same tracks.
func sameCache(a, b *trackCache) bool {
	return slices.Equal(a.out, b.out) && a.tbl == b.tbl && slices.Equal(a.cells, b.cells) &&
		slices.Equal(a.live, b.live) && a.mask == b.mask && slices.Equal(a.row, b.row) && a.reads == b.reads
}

// TestBuiltCachesMatchFrame checks every refresh of a track in random
// frames against the cache filled from the frame (cacheFor): the built
// entry's combination (computed from the cache's single key, or by the
// table) is the table's Combo, its class that of Class, and the cache,
// wake and step loop cell are those cacheFor gives. Then, after random
// moves, a reader's check of its class from its cache agrees with
// Class(Combo) of the frame.
func TestBuiltCachesMatchFrame(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := map[int32]int{} // refreshes checked by key kind
	checks := 0              // reader checks after moves
	for name, p := range builtTestPlans(t) {
		r := newRunner(p, 1)
		r.init = r.cache // not nil: refreshes out of the built entries use the track's storage
		for range 300 {
			randomFrame(r, rng)
			classes := make([]int32, len(p.Tracks))
			for k := range p.Tracks {
				step := r.f.Step
				r.refresh(k, step)
				want, w, now := wantCache(r, k, step)
				got := r.cache[k]
				if !sameCache(got, &want) || r.wake[k] != w {
					t.Fatalf("%s: track %d in %s at step %d: refresh gives another cache or wake than the frame", name, k, p.States[r.f.State[k]].Name, step)
				}
				if r.now[k].Kind != now.Kind || now.Kind != cellVaries && r.now[k] != now {
					t.Fatalf("%s: track %d: step loop cell %v, want %v", name, k, r.now[k], now)
				}
				classes[k] = -1
				if got.base >= 0 && got.tbl != nil {
					c := got.tbl.Combo(&r.f)
					if combo(got.tbl, got.key, got.first, &r.f) != c || got.class != got.base+got.tbl.Class(c) {
						t.Fatalf("%s: track %d: built combination or class differs from the table's", name, k)
					}
					kinds[min(got.key, 0)]++ // 0: a single track's state
					classes[k] = got.tbl.Class(c)
				}
			}
			// Random moves; each reader's check against the table.
			for range 3 {
				j := rng.IntN(len(p.Tracks))
				tr := p.Tracks[j]
				r.f.State[j] = int32(tr.First + rng.IntN(tr.NStates))
				for g := range r.f.Entry {
					if p.States[g].Track == j && r.f.Entry[g] < 0 && rng.IntN(3) == 0 {
						r.f.Entry[g] = int32(rng.IntN(p.Steps + 1))
					}
				}
				for k := range p.Tracks {
					tc := r.cache[k]
					if k == j || tc.base < 0 || tc.tbl == nil {
						continue
					}
					got := r.built.class[int(tc.base)+combo(tc.tbl, tc.key, tc.first, &r.f)] == tc.class
					if want := tc.tbl.Class(tc.tbl.Combo(&r.f)) == classes[k]; got != want {
						t.Fatalf("%s: reader %d after a move of %d: same class %v, want %v", name, k, j, got, want)
					}
					checks++
				}
			}
		}
	}
	if kinds[0] == 0 || kinds[keyMany] == 0 || kinds[keyNone] == 0 || checks == 0 {
		t.Fatalf("refreshes by key kind %v, %d reader checks: want tables of a single track's state, of other keys and of none", kinds, checks)
	}
	t.Logf("refreshes by key kind %v, %d reader checks", kinds, checks)
}

// TestBuiltCachesBudget runs plans with no built entries, with a few and
// with all of them: the tallies are the same (the states beyond the
// budget fill their caches from the frame).
func TestBuiltCachesBudget(t *testing.T) {
	defer func(b int) { maxBuiltCaches = b }(maxBuiltCaches)
	plans := builtTestPlans(t)
	for _, name := range []string{"testdata/reference_model.yaml", "../scenarios/baseline.yaml", "testdata/tracks-50.yaml"} {
		p := plans[name]
		if p == nil {
			t.Fatalf("no plan %s", name)
		}
		opts := Options{Trials: 3000, Seed: 3, Workers: 1}
		var want *Tally
		for _, budget := range []int{maxBuiltCaches, 0, 7, 40} {
			maxBuiltCaches = budget
			got, err := Run(context.Background(), p, opts)
			if err != nil {
				t.Fatal(err)
			}
			if want == nil {
				want = got
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: tallies with %d built entries differ from those with all", name, budget)
			}
		}
	}
}
