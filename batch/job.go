package batch

// One job: how it draws its params, runs its trials and writes its folder.

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"scensim/model"
	"scensim/outdir"
	"scensim/report"
	"scensim/results"
	"scensim/results/chart"
	"scensim/runresult"
	"scensim/sim"
)

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
			run.PrecisionReached = runresult.WorstHalfWidth(tally) <= k.Precision
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
	jf, err := results.IndentedJSON(JobFile{Format: JobFileFormat, Kind: "job", Name: r.job.Name, Batch: spec.Name, File: r.plan.File, Key: &r.key, Scenario: &info})
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
