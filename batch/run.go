package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"scensim/internal/fsread"
	"scensim/model"
	"scensim/outdir"
	"scensim/report"
	"scensim/results"
	"scensim/results/chart"
	"scensim/results/comparechart"
	"scensim/runresult"
	"scensim/sim"
)

// Options tune [Run].
type Options struct {
	Out   string // output root; "" means the spec's out:
	Force bool   // redo jobs whose folder is up to date
	// Workers is the number of engine workers per job (0: the spec's
	// workers:, else all cores shared among the jobs run at once);
	// Parallel the number of jobs simulated at once (0: the spec's
	// parallel:, else 1).
	Workers, Parallel int
	ToolVersion       string
	// Compile compiles a job's scenario: source is Job.Source (a file path
	// or "embedded:NAME"), sets are "name=value" overrides. Scenario errors
	// should be a model.ErrorList.
	Compile func(source string, sets []string) (*model.Plan, error)
	// NextTotal decides the rounds of a precision-targeted job, as
	// a precision-targeted run does: given the tally so far, the total
	// number of trials wanted (the tally's own count to stop).
	// FirstRound is the size of the first round.
	NextTotal  func(t *sim.Tally, target float64, max int64) int64
	FirstRound int64
	// Charts draws a job's charts (file name → bytes); nil: every chart
	// as PNG ([chart.All] with default options).
	Charts func(*results.Result) (map[string][]byte, error)
	Log    io.Writer // one line per job; nil: none
	// SerialCharts draws and writes each job's charts before the next job
	// starts, instead of while it runs (for timing comparisons).
	SerialCharts bool
}

// Statuses of a job in the index.
const (
	StatusRan         = "ran"
	StatusUpToDate    = "up to date" // its folder held a complete result for the same key: skipped
	StatusFailed      = "failed"
	StatusInterrupted = "interrupted" // stopped by Ctrl-C: no folder written
	StatusNotRun      = "not run"     // after an interruption
)

// RootLockName is the lock file a batch holds in its output root while it
// runs: a second batch into the same root is refused.
const RootLockName = ".scensim-batch.lock"

// IndexFormat identifies an index.json file.
const IndexFormat = report.IndexFormat

// Index lists every job of a batch run and what became of it. It is
// written as index.json and index.md into the output root.
type Index struct {
	Format      string       `json:"format"`
	Batch       string       `json:"batch"` // the batch's name
	Title       string       `json:"title"`
	File        string       `json:"file"` // the batch file
	FileSHA256  string       `json:"file_sha256"`
	ToolVersion string       `json:"tool_version"`
	Interrupted bool         `json:"interrupted"`
	Jobs        []JobStatus  `json:"jobs"`
	Comparisons []JobStatus  `json:"comparisons"`
	Started     string       `json:"started"` // RFC 3339
	Elapsed     float64      `json:"elapsed_seconds"`
	Workers     int          `json:"workers"`
	Parallel    int          `json:"parallel"`
	keys        []*jobRecord // per job, for comparisons
}

// JobStatus is one job (or comparison) of an index.
type JobStatus struct {
	Name       string   `json:"name"`
	Dir        string   `json:"dir"` // its folder, relative to the output root
	Scenario   string   `json:"scenario,omitempty"`
	File       string   `json:"file,omitempty"`
	FileSHA256 string   `json:"file_sha256,omitempty"`
	Overrides  []string `json:"overrides,omitempty"`
	Jobs       []string `json:"jobs,omitempty"` // a comparison's jobs, the reference first
	Seed       uint64   `json:"seed"`
	Trials     int64    `json:"trials"` // trials of the result (0 if none)
	Precision  float64  `json:"precision,omitempty"`
	Status     string   `json:"status"`
	Error      string   `json:"error,omitempty"`
	Elapsed    float64  `json:"elapsed_seconds"`
}

// OK reports whether the job has a result: run now or up to date.
func (s *JobStatus) OK() bool { return s.Status == StatusRan || s.Status == StatusUpToDate }

// Failed counts the jobs and comparisons that failed.
func (x *Index) Failed() int {
	n := 0
	for _, s := range slices.Concat(x.Jobs, x.Comparisons) {
		if s.Status == StatusFailed {
			n++
		}
	}
	return n
}

// Key is what makes a job's result: a folder whose job.json holds the same
// key and whose result.json agrees with it is up to date.
type Key struct {
	Scenario    string   `json:"scenario"` // as written in the batch file
	FileSHA256  string   `json:"file_sha256"`
	Bases       []string `json:"bases"` // SHA-256 of each file it extends, nearest first
	Overrides   []string `json:"overrides"`
	Seed        uint64   `json:"seed"`
	Trials      int64    `json:"trials,omitempty"`
	Precision   float64  `json:"precision,omitempty"`
	MaxTrials   int64    `json:"max_trials,omitempty"`
	ToolVersion string   `json:"tool_version"`
	// Draws is the job's draws: (0: the default); PerDraw the trials per
	// parameter draw it resolves to (0: params drawn per trial, when the
	// scenario has no param with a dist, or fixed); FixedParams the job's
	// fixed_params:.
	Draws       int64 `json:"draws"`
	PerDraw     int64 `json:"per_draw"`
	FixedParams bool  `json:"fixed_params"`
	// AsOfForecast is the job's as_of_forecast: date, written into its
	// result (so a new date makes a new result).
	AsOfForecast string `json:"as_of_forecast,omitempty"`
}

// CompareKey is what makes a comparison's result: its jobs' scenarios and
// overrides (their keys without seed and trials), the reference's seed and
// the paired trial count.
type CompareKey struct {
	Jobs        []string `json:"jobs"`
	Keys        []Key    `json:"keys"`
	Seed        uint64   `json:"seed"`
	Trials      int64    `json:"trials"`
	ToolVersion string   `json:"tool_version"`
	// PerDraw is the trials per shared parameter draw (0: params drawn per
	// trial, when no scenario has a param with a dist; -1: every param at
	// its value, the reference job having fixed_params: true); MinDiff and
	// MinDiffValue are the materiality thresholds (shares).
	PerDraw      int64   `json:"per_draw"`
	MinDiff      float64 `json:"min_diff"`
	MinDiffValue float64 `json:"min_diff_value"`
}

// JobFileFormat identifies a job.json file.
const JobFileFormat = "scensim-batch-job/1"

// JobFile is the job.json a batch writes into each job's folder.
type JobFile struct {
	Format     string       `json:"format"`
	Kind       string       `json:"kind"` // "job" or "compare"
	Name       string       `json:"name"`
	Batch      string       `json:"batch"`
	File       string       `json:"file,omitempty"` // the scenario file as compiled
	Key        *Key         `json:"key,omitempty"`
	CompareKey *CompareKey  `json:"compare_key,omitempty"`
	Scenario   *report.Info `json:"scenario,omitempty"`
}

// jobRecord is a compiled job.
type jobRecord struct {
	job  *Job
	plan *model.Plan
	key  Key
}

// CompileError is a batch whose scenarios do not compile: nothing was run.
type CompileError struct{ Msgs []string }

func (e *CompileError) Error() string { return strings.Join(e.Msgs, "\n") }

// Run runs every job of the batch, then its comparisons, and writes the
// index (index.json, index.md) into the output root. Every scenario is
// compiled first: an error there is a *CompileError and nothing runs.
//
// Jobs run one after another by default, each on all cores; the charts of
// a job are drawn and its folder written while the next job simulates. A
// job whose folder is up to date (see [Key]) is skipped unless
// opts.Force. A job that fails (a runtime probability error) is recorded
// and the others run. Each folder is replaced as a whole (see
// [outdir.ReplaceDir]): written into a hidden temporary folder beside it and
// swapped in atomically, with a manifest of its files' sizes and SHA-256
// that makes a job up to date only if every file is intact. An
// interruption (ctx cancelled) leaves finished jobs intact and no
// half-written folder: the job being simulated is dropped, the rest are
// marked not run, and the index of what finished is written. While it
// runs, Run holds the lock [RootLockName] in the output root, so a second
// batch into the same root is refused at once (an error wrapping
// [outdir.ErrBusy]), before anything is simulated. The returned error is
// for a batch that could not start (including an output root that cannot
// be written) or an index that could not be written; job failures are in
// the index.
func Run(ctx context.Context, spec *Spec, opts Options) (*Index, error) {
	started := time.Now()
	out := opts.Out
	if out == "" {
		out = spec.Out
	}
	parallel := max(opts.Parallel, 0)
	if parallel == 0 {
		parallel = max(spec.Parallel, 1)
	}
	parallel = min(parallel, max(len(spec.Jobs), 1))
	workers := opts.Workers
	if workers == 0 {
		workers = spec.Workers
	}
	if workers == 0 {
		workers = max(runtime.GOMAXPROCS(0)/parallel, 1)
	}
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	var logMu sync.Mutex
	logf := func(format string, args ...any) {
		logMu.Lock()
		defer logMu.Unlock()
		fmt.Fprintf(log, format+"\n", args...)
	}

	idx := &Index{Format: IndexFormat, Batch: spec.Name, Title: spec.Title, File: spec.File, FileSHA256: spec.SHA256,
		ToolVersion: opts.ToolVersion, Started: started.UTC().Format(time.RFC3339), Workers: workers, Parallel: parallel}

	// Compile everything first.
	var cerr CompileError
	for i := range spec.Jobs {
		j := &spec.Jobs[i]
		p, err := opts.Compile(j.Source, j.Sets)
		if err != nil {
			var el model.ErrorList
			msg := err.Error()
			if errors.As(err, &el) {
				msg = el.Errors().Snippets()
			}
			cerr.Msgs = append(cerr.Msgs, fmt.Sprintf("%s: job %s: the scenario does not compile:\n%s", j.Pos, j.Name, msg))
			continue
		}
		k := keyOf(j, p, opts.ToolVersion)
		if j.Draws > 0 && k.Trials > 0 && j.Draws > k.Trials {
			cerr.Msgs = append(cerr.Msgs, fmt.Sprintf("%s: job %s: %d draws of %d trials (the scenario's run.trials): at most one draw per trial", j.Pos, j.Name, j.Draws, k.Trials))
			continue
		}
		if msg := checkAsOfForecast(j, p); msg != "" {
			cerr.Msgs = append(cerr.Msgs, fmt.Sprintf("%s: job %s: %s", j.Pos, j.Name, msg))
			continue
		}
		idx.keys = append(idx.keys, &jobRecord{job: j, plan: p, key: k})
	}
	if len(cerr.Msgs) > 0 {
		return nil, &cerr
	}
	lock, err := outdir.LockIn(out, RootLockName)
	if err != nil {
		return nil, err
	}
	defer lock.Close()

	idx.Jobs = make([]JobStatus, len(spec.Jobs))
	for i, r := range idx.keys {
		idx.Jobs[i] = JobStatus{Name: r.job.Name, Dir: r.job.Name, Scenario: r.job.Scenario, File: r.plan.File,
			FileSHA256: r.plan.SHA256, Overrides: r.job.Sets, Seed: r.key.Seed,
			Trials: r.key.Trials, Precision: r.key.Precision, Status: StatusNotRun}
	}
	var (
		writers   sync.WaitGroup
		writeSlot = make(chan struct{}, max(runtime.GOMAXPROCS(0), 1))
		next      = make(chan int)
		sims      sync.WaitGroup
	)
	n := len(idx.keys)
	for range parallel {
		sims.Add(1)
		go func() {
			defer sims.Done()
			for i := range next {
				r, st := idx.keys[i], &idx.Jobs[i]
				if ctx.Err() != nil {
					continue
				}
				t0 := time.Now()
				dir := filepath.Join(out, r.job.Name)
				if !opts.Force {
					if res := upToDate(dir, &r.key); res != nil {
						st.Status, st.Trials = StatusUpToDate, res.Counts.Trials
						logf("[%d/%d] %s: up to date (%d trials), skipped", i+1, n, r.job.Name, res.Counts.Trials)
						continue
					}
				}
				res, err := simulate(ctx, r, workers, opts)
				if err != nil {
					if errors.Is(err, sim.ErrInterrupted) {
						st.Status, st.Error = StatusInterrupted, err.Error()
						logf("[%d/%d] %s: %v; no folder written", i+1, n, r.job.Name, err)
						continue
					}
					st.Status, st.Error, st.Elapsed = StatusFailed, err.Error(), time.Since(t0).Seconds()
					logf("[%d/%d] %s: FAILED: %v", i+1, n, r.job.Name, err)
					continue
				}
				st.Trials = res.Counts.Trials
				write := func() {
					err := writeJob(ctx, out, spec, r, res, opts)
					st.Elapsed = time.Since(t0).Seconds()
					if err != nil && ctx.Err() != nil {
						st.Status, st.Error = StatusInterrupted, err.Error()
						logf("[%d/%d] %s: interrupted while drawing; no folder written", i+1, n, r.job.Name)
						return
					}
					if err != nil {
						st.Status, st.Error = StatusFailed, err.Error()
						logf("[%d/%d] %s: FAILED: %v", i+1, n, r.job.Name, err)
						return
					}
					st.Status = StatusRan
					logf("[%d/%d] %s: %d trials in %.2fs; wrote %s", i+1, n, r.job.Name, res.Counts.Trials, st.Elapsed, dir)
				}
				if opts.SerialCharts {
					write()
					continue
				}
				writeSlot <- struct{}{}
				writers.Add(1)
				go func() {
					defer func() { <-writeSlot; writers.Done() }()
					write()
				}()
			}
		}()
	}
	for i := range idx.keys {
		next <- i
	}
	close(next)
	sims.Wait()
	writers.Wait()

	idx.Comparisons = make([]JobStatus, len(spec.Compare))
	for i := range spec.Compare {
		idx.Comparisons[i] = runCompare(ctx, out, spec, &spec.Compare[i], idx, workers*parallel, opts, logf)
	}
	idx.Interrupted = ctx.Err() != nil
	idx.Elapsed = time.Since(started).Seconds()
	if err := writeIndex(out, idx); err != nil {
		return idx, err
	}
	return idx, nil
}

// keyOf is the key of a compiled job, with the batch's and the scenario's
// defaults resolved.
func keyOf(j *Job, p *model.Plan, version string) Key {
	k := Key{Scenario: j.Scenario, FileSHA256: p.SHA256, Overrides: slices.Clone(j.Sets),
		Seed: p.Seed, Trials: j.Trials, Precision: j.Precision, MaxTrials: j.MaxTrials, ToolVersion: version, AsOfForecast: j.AsOfForecast}
	for _, b := range p.Bases {
		k.Bases = append(k.Bases, b.SHA256)
	}
	if j.Seed != nil {
		k.Seed = *j.Seed
	}
	if k.Precision == 0 && k.Trials == 0 {
		k.Trials = p.Trials
	}
	k.Draws, k.FixedParams = j.Draws, j.FixedParams
	k.PerDraw = jobParams(j, p, k.Trials, k.Precision > 0).PerDraw
	return k
}

// jobParams says how a job of trials trials of p draws its params, as
// scensim run does: every param at its value with fixed_params; per trial
// when p has no param with a dist; otherwise nested, with
// sim.PerDrawFor(trials, draws) trials per draw, or sim.DefaultPerDraw for a
// precision-targeted job (rounds), whose final size is not known in advance.
func jobParams(j *Job, p *model.Plan, trials int64, rounds bool) sim.Params {
	if j.FixedParams {
		return sim.Params{Fixed: true}
	}
	if !hasDrawnParam(p) {
		return sim.Params{}
	}
	if rounds {
		return sim.Params{PerDraw: sim.DefaultPerDraw}
	}
	return sim.Params{PerDraw: sim.PerDrawFor(trials, j.Draws)}
}

// hasDrawnParam reports whether p has a param with a dist.
func hasDrawnParam(p *model.Plan) bool {
	for _, par := range p.Params {
		if par.Dist != nil {
			return true
		}
	}
	return false
}

// fixedOverride is what a job with fixed_params: true adds to its plan's
// overrides, as run --fixed-params does, so that its manifest says so.
const fixedOverride = "params=fixed"

// manifestOverrides are the overrides a job's result.json records.
func (k *Key) manifestOverrides() []string {
	if k.FixedParams {
		return append(slices.Clone(k.Overrides), fixedOverride)
	}
	return k.Overrides
}

// simulate runs a job's trials and builds its result.
func simulate(ctx context.Context, r *jobRecord, workers int, opts Options) (*results.Result, error) {
	started := time.Now()
	k := &r.key
	params := jobParams(r.job, r.plan, k.Trials, k.Precision > 0)
	so := sim.Options{Trials: k.Trials, Seed: k.Seed, Workers: workers, Params: params}
	plan := r.plan
	if params.Fixed {
		cp := *r.plan // the plan is shared with comparisons: record the override on a copy
		cp.Overrides = append(slices.Clone(r.plan.Overrides), fixedOverride)
		plan = &cp
	}
	run := results.RunInfo{Workers: workers}
	var tally *sim.Tally
	var err error
	if k.Precision > 0 {
		first := opts.FirstRound
		if first <= 0 {
			first = 10000
		}
		so.Trials = min(first, k.MaxTrials)
		rounds := 0
		tally, err = sim.RunRounds(ctx, plan, so, func(t *sim.Tally) int64 {
			rounds++
			return opts.NextTotal(t, k.Precision, k.MaxTrials)
		})
		if err == nil {
			run.Precision, run.Rounds = k.Precision, rounds
			run.PrecisionReached = worstHalfWidth(tally) <= k.Precision
		}
	} else {
		tally, err = sim.Run(ctx, plan, so)
	}
	if err != nil {
		if errors.Is(err, sim.ErrInterrupted) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", r.plan.File, err)
	}
	run.ElapsedSeconds, run.Started = time.Since(started).Seconds(), started.UTC().Format(time.RFC3339)
	res, err := runresult.FromRun(plan, tally, k.Seed, k.ToolVersion, run)
	if err == nil && params.Fixed {
		res.Manifest.ParamsFixed, res.Manifest.ParamsFixedAll = len(plan.Params), true
	}
	if err == nil {
		res.Manifest.AsOfForecast = k.AsOfForecast
	}
	return res, err
}

// worstHalfWidth is the largest 95% half-width over the outcomes: of the
// Wilson interval, or in a nested run of the simulation-error interval from
// the variance between draws (results.ClusterProportion), as for run.
func worstHalfWidth(t *sim.Tally) float64 {
	worst := 0.0
	for i := range t.Hits {
		lo, hi := results.Wilson(t.Hits[i], t.Given[i], results.Z95)
		if t.Nested() {
			h, n := make([]int64, t.Draws()), make([]int64, t.Draws())
			for k := range h {
				h[k], n[k] = t.DrawHits[k*len(t.Hits)+i], t.DrawGiven[k*len(t.Hits)+i]
			}
			e := results.ClusterProportion(h, n)
			lo, hi = e.Lo, e.Hi
		}
		worst = math.Max(worst, (hi-lo)/2)
	}
	return worst
}

// writeJob draws a job's charts and installs its folder, unless ctx is
// done first (between charts, or before the folder is installed): then it
// returns ctx's error and writes nothing.
func writeJob(ctx context.Context, out string, spec *Spec, r *jobRecord, res *results.Result, opts Options) error {
	draw := opts.Charts
	if draw == nil {
		draw = func(res *results.Result) (map[string][]byte, error) {
			return chart.AllContext(ctx, res, chart.Options{Format: "png"})
		}
	}
	files, err := draw(res)
	if err != nil {
		return fmt.Errorf("charts: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	info := report.InfoOf(r.plan)
	jf, err := marshal(JobFile{Format: JobFileFormat, Kind: "job", Name: r.job.Name, Batch: spec.Name, File: r.plan.File, Key: &r.key, Scenario: &info})
	if err != nil {
		return err
	}
	files[report.JobFileName] = jf
	all, err := results.Files(res, files)
	if err != nil {
		return err
	}
	return install(out, r.job.Name, all)
}

// install replaces the folder out/name as a whole with files (see
// [outdir.ReplaceDir]): at every moment it is absent, the old folder or the
// new one, never a mix, and its manifest lists every file with its size and
// SHA-256.
func install(out, name string, files []outdir.File) error {
	return outdir.ReplaceDir(filepath.Join(out, name), files)
}

func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// readJobFile reads a folder's job.json.
func readJobFile(dir string) (*JobFile, error) {
	data, err := fsread.ReadFile(filepath.Join(dir, report.JobFileName), results.MaxFileBytes, "job files")
	if err != nil {
		return nil, err
	}
	var jf JobFile
	if err := json.Unmarshal(data, &jf); err != nil {
		return nil, err
	}
	if jf.Format != JobFileFormat {
		return nil, fmt.Errorf("%s: format %q, want %q", report.JobFileName, jf.Format, JobFileFormat)
	}
	return &jf, nil
}

// filesIntact reports whether dir's manifest lists job.json and every one of
// names, and every file it lists (charts included) is there with the size
// and SHA-256 it records.
func filesIntact(dir string, names []string) bool {
	m, err := outdir.ReadManifestFile(dir)
	if err != nil || !m.Has(report.JobFileName) {
		return false
	}
	for _, name := range names {
		if !m.Has(name) {
			return false
		}
	}
	return m.Verify(dir) == nil
}

// upToDate returns the result in dir if the folder holds a complete result
// of key: job.json with the same key, a manifest of which every file
// (result files, charts, job.json) is intact (see [filesIntact]), and a result.json
// whose manifest agrees (scenario hash, seed, overrides, trials or
// precision target). Otherwise nil.
func upToDate(dir string, key *Key) *results.Result {
	jf, err := readJobFile(dir)
	if err != nil || jf.Key == nil {
		return nil
	}
	a, _ := json.Marshal(jf.Key)
	b, _ := json.Marshal(key)
	if !bytes.Equal(a, b) {
		return nil
	}
	if !filesIntact(dir, results.FileNames()) {
		return nil
	}
	res, err := results.ReadFile(filepath.Join(dir, "result.json"))
	if err != nil {
		return nil
	}
	m := res.Manifest
	if m.FileSHA256 != key.FileSHA256 || m.Seed != key.Seed || !slices.Equal(m.Overrides, key.manifestOverrides()) || m.Shard != nil {
		return nil
	}
	if key.Precision > 0 {
		if res.Run.Precision != key.Precision {
			return nil
		}
	} else if res.Counts.Ran() != key.Trials { // with evidence, Trials counts the kept trials only
		return nil
	}
	return res
}

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
	jf, err := marshal(JobFile{Format: JobFileFormat, Kind: "compare", Name: c.Name, Batch: spec.Name, CompareKey: key})
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

// compareUpToDate reports whether dir holds a comparison of key.
func compareUpToDate(dir string, key *CompareKey) bool {
	jf, err := readJobFile(dir)
	if err != nil || jf.CompareKey == nil {
		return false
	}
	a, _ := json.Marshal(jf.CompareKey)
	b, _ := json.Marshal(key)
	if !bytes.Equal(a, b) || !filesIntact(dir, []string{report.CompareFileName}) {
		return false
	}
	_, err = report.ReadComparison(filepath.Join(dir, report.CompareFileName))
	return err == nil
}

// checkAsOfForecast returns why job j's as_of_forecast: does not fit its
// compiled plan p ("" if it does, or if the job gives none): the forecast
// from a date on is shown for a scenario with evidence, from a date
// between its start and its horizon.
func checkAsOfForecast(j *Job, p *model.Plan) string {
	d := j.AsOfForecast
	if d == "" {
		return ""
	}
	if len(p.Evidence) == 0 {
		return fmt.Sprintf("as_of_forecast: %s: the scenario has no evidence (the forecast from a date on is shown for a run with evidence; add an evidence: section or use scensim run --as-of)", d)
	}
	start, horizon := p.Points[0].Format("2006-01-02"), p.Points[len(p.Points)-1].Format("2006-01-02")
	if d < start || d > horizon {
		return fmt.Sprintf("as_of_forecast: %s is outside the run, from %s to %s", d, start, horizon)
	}
	return ""
}
