package batch

// Comparisons: the jobs of a compare: item run with common random numbers.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"time"

	"scensim/model"
	"scensim/outdir"
	"scensim/report"
	"scensim/results"
	"scensim/results/comparechart"
	"scensim/runresult"
	"scensim/sim"
)

// runCompare runs one comparison: the jobs' plans with common random
// numbers, the reference job's seed and trial count.
func runCompare(ctx context.Context, out string, spec *Spec, c *Compare, idx *Index, workers int, opts Options, logf func(string, ...any)) JobStatus {
	st := JobStatus{Name: c.Name, Dir: c.Name, Jobs: c.Jobs, Status: StatusNotRun}
	if ctx.Err() != nil {
		return st
	}
	t0 := time.Now()
	var recs []*jobRecord
	var plans []*model.Plan
	var at []int
	for _, name := range c.Jobs {
		i := slices.IndexFunc(idx.keys, func(r *jobRecord) bool { return r.job.Name == name })
		at = append(at, i)
		recs = append(recs, idx.keys[i])
		plans = append(plans, idx.keys[i].plan)
	}
	ref := at[0]
	trials := recs[0].key.Trials
	if recs[0].key.Precision > 0 {
		// A precision-targeted reference: as many trials as its run took.
		if !idx.Jobs[ref].OK() {
			st.Status, st.Error = StatusFailed, fmt.Sprintf("the reference job %s has no result to take its trial count from", c.Jobs[0])
			logf("compare %s: FAILED: %s", c.Name, st.Error)
			return st
		}
		trials = idx.Jobs[ref].Trials
	}
	key := CompareKey{Jobs: c.Jobs, Seed: recs[0].key.Seed, Trials: trials, ToolVersion: opts.ToolVersion, MinDiff: c.MinDiff, MinDiffValue: c.MinDiffValue}
	params := comparisonParams(plans, trials, recs[0].job)
	key.PerDraw = params.PerDraw
	if params.Fixed {
		key.PerDraw = -1
	}
	for _, r := range recs {
		k := r.key // what the comparison runs of this job: its scenario and overrides
		k.Seed, k.Trials, k.Precision, k.MaxTrials = 0, 0, 0, 0
		k.Draws, k.PerDraw, k.FixedParams = 0, 0, false // the comparison's own, from its reference: key.PerDraw
		key.Keys = append(key.Keys, k)
	}
	st.Seed, st.Trials = key.Seed, key.Trials
	dir := filepath.Join(out, c.Name)
	if !opts.Force && compareUpToDate(dir, &key) {
		st.Status = StatusUpToDate
		logf("compare %s: up to date, skipped", c.Name)
		return st
	}
	layout := runresult.NewCompareLayout(plans)
	started := time.Now()
	pt, err := sim.RunPaired(ctx, plans, layout.Probes, sim.Options{Trials: trials, Seed: key.Seed, Workers: workers, Params: params})
	if err != nil {
		if errors.Is(err, sim.ErrInterrupted) {
			st.Status, st.Error = StatusInterrupted, err.Error()
			logf("compare %s: %v; no folder written", c.Name, err)
			return st
		}
		st.Status, st.Error = StatusFailed, err.Error()
		logf("compare %s: FAILED: %v", c.Name, err)
		return st
	}
	run := results.RunInfo{Workers: workers, ElapsedSeconds: time.Since(started).Seconds(), Started: started.UTC().Format(time.RFC3339)}
	cmp, err := layout.Build(plans, c.Jobs, pt, key.Seed, opts.ToolVersion, run)
	if err == nil {
		cmp.SetMaterial(c.MinDiff, c.MinDiffValue)
		err = writeCompare(out, spec, c, &key, cmp)
	}
	st.Elapsed = time.Since(t0).Seconds()
	if err != nil {
		st.Status, st.Error = StatusFailed, err.Error()
		logf("compare %s: FAILED: %v", c.Name, err)
		return st
	}
	st.Status = StatusRan
	logf("compare %s: %d paired trials in %.2fs; wrote %s", c.Name, trials, st.Elapsed, dir)
	return st
}

// comparisonParams says how a comparison draws its params: on shared
// nested draws (sim.PerDrawFor(trials, ref.Draws) trials each, the
// reference job's draws:) when a scenario has a param with a dist, per
// trial otherwise. A reference job with fixed_params: true makes the
// comparison fixed too (recorded as per_draw -1 in its key).
func comparisonParams(plans []*model.Plan, trials int64, ref *Job) sim.Params {
	if ref.FixedParams {
		return sim.Params{Fixed: true}
	}
	for _, p := range plans {
		if hasDrawnParam(p) {
			return sim.Params{PerDraw: sim.PerDrawFor(trials, ref.Draws)}
		}
	}
	return sim.Params{}
}

func writeCompare(out string, spec *Spec, c *Compare, key *CompareKey, cmp *results.Comparison) error {
	files := map[string][]byte{}
	for name, write := range map[string]func(io.Writer, *results.Comparison) error{
		report.CompareFileName: results.WriteCompareJSON, "compare.csv": results.WriteCompareCSV, "compare.md": results.WriteCompareMarkdown,
	} {
		var b bytes.Buffer
		if err := write(&b, cmp); err != nil {
			return err
		}
		files[name] = b.Bytes()
	}
	charts, err := comparechart.All(cmp, "png")
	if err != nil {
		return fmt.Errorf("charts: %w", err)
	}
	for name, data := range charts {
		files[name] = data
	}
	jf, err := results.IndentedJSON(JobFile{Format: JobFileFormat, Kind: "compare", Name: c.Name, Batch: spec.Name, CompareKey: key})
	if err != nil {
		return err
	}
	files[report.JobFileName] = jf
	all := make([]outdir.File, 0, len(files))
	for _, name := range slices.Sorted(maps.Keys(files)) {
		all = append(all, outdir.File{Name: name, Data: files[name]})
	}
	return install(out, c.Name, all)
}
