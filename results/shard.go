package results

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// ShardRange returns the trials of shard k of n in a run of total trials:
// the first index and the count. The shards are disjoint and cover
// 0 .. total-1 in order.
func ShardRange(k, n int, total int64) (first, trials int64) {
	lo := int64(k) * total / int64(n)
	hi := int64(k+1) * total / int64(n)
	return lo, hi - lo
}

// ParseShard parses a shard "k/n" (0 ≤ k < n ≤ 100000).
func ParseShard(s string) (k, n int, err error) {
	if _, err := fmt.Sscanf(s, "%d/%d", &k, &n); err != nil || fmt.Sprintf("%d/%d", k, n) != strings.TrimSpace(s) {
		return 0, 0, fmt.Errorf("%q: want k/n, e.g. 0/4 for the first of four shards", s)
	}
	if n < 1 || n > 100000 || k < 0 || k >= n {
		return 0, 0, fmt.Errorf("%q: want 0 ≤ k < n ≤ 100000 (shards are numbered from 0, like a Kubernetes completion index)", s)
	}
	return k, n, nil
}

// Merge combines the results of all n shards of one run into the result of
// the unsharded run: the same manifest (without Shard) and the exact sum of
// the counts, so every table is byte-identical to that of the unsharded run.
// It refuses shards of different scenarios, files, seeds, overrides, trial
// totals or tool versions, a missing or repeated shard, and a shard whose
// trial count does not match its range; the error names the shards.
func Merge(shards []*Result, names []string) (*Result, error) {
	if len(shards) == 0 {
		return nil, fmt.Errorf("merge: no shards given")
	}
	name := func(i int) string {
		if i < len(names) {
			return names[i]
		}
		return fmt.Sprintf("shard #%d", i+1)
	}
	ref := shards[0]
	if ref.Manifest.Shard == nil {
		return nil, fmt.Errorf("merge: %s is not a shard (it was not run as a shard)", name(0))
	}
	n := ref.Manifest.Shard.N
	byK := make([]int, n)
	for i := range byK {
		byK[i] = -1
	}
	base := func(m Manifest) Manifest {
		m.Shard, m.Trials, m.File = nil, 0, "" // the path may differ between machines; the hash may not
		return m
	}
	for i, r := range shards {
		sh := r.Manifest.Shard
		if sh == nil {
			return nil, fmt.Errorf("merge: %s is not a shard (it was not run as a shard)", name(i))
		}
		if diff := manifestDiff(base(ref.Manifest), base(r.Manifest)); diff != "" || sh.N != n || sh.TotalTrials != ref.Manifest.Shard.TotalTrials {
			if diff == "" {
				diff = fmt.Sprintf("shard count or total trials (%d/%d of %d vs %d/%d of %d)", ref.Manifest.Shard.K, n, ref.Manifest.Shard.TotalTrials, sh.K, sh.N, sh.TotalTrials)
			}
			return nil, fmt.Errorf("merge: %s and %s are not shards of the same run: they differ in %s", name(0), name(i), diff)
		}
		if !reflect.DeepEqual(ref.Layout, r.Layout) {
			return nil, fmt.Errorf("merge: %s and %s have different layouts", name(0), name(i))
		}
		if ref.Counts.PerDraw != r.Counts.PerDraw {
			return nil, fmt.Errorf("merge: %s and %s are not shards of the same run: they differ in trials per parameter draw (%d vs %d)", name(0), name(i), ref.Counts.PerDraw, r.Counts.PerDraw)
		}
		first, trials := ShardRange(sh.K, n, sh.TotalTrials)
		if sh.First != first || sh.Trials != trials || r.Counts.Ran() != trials {
			return nil, fmt.Errorf("merge: %s claims shard %d/%d but holds %d trials from %d (want %d from %d)", name(i), sh.K, n, r.Counts.Ran(), sh.First, trials, first)
		}
		if j := byK[sh.K]; j >= 0 {
			return nil, fmt.Errorf("merge: shard %d/%d given twice (%s and %s)", sh.K, n, name(j), name(i))
		}
		byK[sh.K] = i
	}
	var missing []string
	for k, i := range byK {
		if i < 0 {
			missing = append(missing, fmt.Sprint(k))
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("merge: missing shard(s) %s of %d; nothing merged", strings.Join(missing, ", "), n)
	}
	counts := NewCounts(&ref.Layout)
	var elapsed float64
	for _, i := range byK { // in shard order; integer sums do not depend on it
		counts.Merge(&shards[i].Counts)
		elapsed += shards[i].Run.ElapsedSeconds
	}
	m := ref.Manifest
	m.Trials, m.Shard = ref.Manifest.Shard.TotalTrials, nil
	run := RunInfo{Workers: ref.Run.Workers, ElapsedSeconds: elapsed, Started: ref.Run.Started}
	dp, err := mergeDrawParams(shards)
	if err != nil {
		return nil, err
	}
	r, err := NewResult(ref.Layout, *counts, m, run)
	if err != nil {
		return nil, err
	}
	if err := r.SetDrawParams(dp); err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	return r, nil
}

// manifestDiff names the first field in which two manifests differ.
func manifestDiff(a, b Manifest) string {
	switch {
	case a.Scenario != b.Scenario:
		return fmt.Sprintf("scenario (%s vs %s)", a.Scenario, b.Scenario)
	case a.FileSHA256 != b.FileSHA256:
		return fmt.Sprintf("scenario file (sha256 %.12s vs %.12s)", a.FileSHA256, b.FileSHA256)
	case a.Seed != b.Seed:
		return fmt.Sprintf("seed (%d vs %d)", a.Seed, b.Seed)
	case a.ToolVersion != b.ToolVersion:
		return fmt.Sprintf("tool version (%s vs %s)", a.ToolVersion, b.ToolVersion)
	case !reflect.DeepEqual(a.Overrides, b.Overrides):
		return fmt.Sprintf("overrides (%v vs %v)", a.Overrides, b.Overrides)
	case !reflect.DeepEqual(a, b):
		return "time grid or title"
	}
	return ""
}
