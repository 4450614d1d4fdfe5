package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"scensim/model"
	"scensim/outdir"
	"scensim/report"
	"scensim/results"
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
