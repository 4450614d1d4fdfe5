package results

import (
	"bytes"
	"strings"
	"testing"
)

// shardCounts gives Hits and Given for groups of the fixture's paths
// (A..E as in fixtureGroups), per the fixture's outcome definitions.
func shardCounts(l *Layout, groups []group) *Counts {
	c := countGroups(l, groups)
	c.Hits, c.Given = make([]int64, 3), make([]int64, 3)
	for _, g := range groups {
		europe := g.path[1][4]
		ceasefire := false
		anyDeal := false
		for _, s := range g.path[0] {
			ceasefire = ceasefire || s == 2
			anyDeal = anyDeal || s > 0
		}
		c.Given[0] += g.mult
		c.Given[1] += g.mult
		if ceasefire {
			c.Hits[0] += g.mult
		}
		if europe == 1 {
			c.Hits[1] += g.mult
		}
		if anyDeal {
			c.Given[2] += g.mult
			if europe == 1 {
				c.Hits[2] += g.mult
			}
		}
	}
	c.ParamHist = []int64{0, 0, c.Trials, 0, 0, 0, 0}
	return c
}

func shardResult(t *testing.T, k, n int, groups []group) *Result {
	t.Helper()
	l := fixtureLayout()
	c := shardCounts(&l, groups)
	m := fixtureManifest()
	first, trials := ShardRange(k, n, 1000)
	m.Trials = trials
	m.Shard = &Shard{K: k, N: n, First: first, Trials: trials, TotalTrials: 1000}
	r, err := NewResult(l, *c, m, RunInfo{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func withMult(g group, m int64) group { g.mult = m; return g }

func TestMergeEqualsUnsharded(t *testing.T) {
	A, B, C, D, E := fixtureGroups[0], fixtureGroups[1], fixtureGroups[2], fixtureGroups[3], fixtureGroups[4]
	shards := []*Result{
		shardResult(t, 2, 3, []group{withMult(C, 181), D, E}),
		shardResult(t, 0, 3, []group{withMult(A, 333)}),
		shardResult(t, 1, 3, []group{withMult(A, 79), B, withMult(C, 17)}),
	}
	merged, err := Merge(shards, []string{"s2", "s0", "s1"})
	if err != nil {
		t.Fatal(err)
	}
	l := fixtureLayout()
	whole, err := NewResult(l, *shardCounts(&l, fixtureGroups), fixtureManifest(), RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	for name, write := range map[string]func(*bytes.Buffer, *Result) error{
		"text":     func(b *bytes.Buffer, r *Result) error { return WriteText(b, r) },
		"markdown": func(b *bytes.Buffer, r *Result) error { return WriteMarkdown(b, r) },
		"csv":      func(b *bytes.Buffer, r *Result) error { return WriteOutcomesCSV(b, r) },
	} {
		var a, b bytes.Buffer
		if err := write(&a, merged); err != nil {
			t.Fatal(err)
		}
		write(&b, whole)
		if a.String() != b.String() {
			t.Errorf("%s of merged shards differs from the unsharded result", name)
		}
	}
}

func TestMergeRefusesBadSets(t *testing.T) {
	A, B, C, D, E := fixtureGroups[0], fixtureGroups[1], fixtureGroups[2], fixtureGroups[3], fixtureGroups[4]
	s0 := shardResult(t, 0, 3, []group{withMult(A, 333)})
	s1 := shardResult(t, 1, 3, []group{withMult(A, 79), B, withMult(C, 17)})
	s2 := shardResult(t, 2, 3, []group{withMult(C, 181), D, E})
	otherSeed := shardResult(t, 2, 3, []group{withMult(C, 181), D, E})
	otherSeed.Manifest.Seed++
	otherVersion := shardResult(t, 2, 3, []group{withMult(C, 181), D, E})
	otherVersion.Manifest.ToolVersion = "0.0.1"
	notShard := shardResult(t, 2, 3, []group{withMult(C, 181), D, E})
	notShard.Manifest.Shard = nil
	cases := []struct {
		shards []*Result
		want   string
	}{
		{[]*Result{s0, s2}, "missing shard(s) 1 of 3"},
		{[]*Result{s0, s1, s1, s2}, "shard 1/3 given twice"},
		{[]*Result{s0, s1, otherSeed}, "differ in seed"},
		{[]*Result{s0, s1, otherVersion}, "differ in tool version"},
		{[]*Result{s0, s1, notShard}, "is not a shard"},
		{nil, "no shards"},
	}
	for _, c := range cases {
		_, err := Merge(c.shards, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Merge: got %v, want an error saying %q", err, c.want)
		}
	}
}

func TestParseShard(t *testing.T) {
	for _, s := range []string{"0/1", "3/4"} {
		if _, _, err := ParseShard(s); err != nil {
			t.Errorf("ParseShard(%q): %v", s, err)
		}
	}
	for _, s := range []string{"4/4", "-1/3", "1/0", "a/b", "1/2/3", "1"} {
		if _, _, err := ParseShard(s); err == nil {
			t.Errorf("ParseShard(%q) accepted", s)
		}
	}
	var total int64
	for k := 0; k < 7; k++ {
		first, n := ShardRange(k, 7, 1000)
		if first != total {
			t.Errorf("shard %d/7 starts at %d, want %d", k, first, total)
		}
		total += n
	}
	if total != 1000 {
		t.Errorf("7 shards cover %d trials, want 1000", total)
	}
}
