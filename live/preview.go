// Package live is the modeller's loop: quick previews of a scenario that
// are re-run when its files change (scensim watch) or when a param is moved
// on a local page (scensim serve), each compared with the one before (or
// with the file's own values) as a paired difference.
//
// A preview is a run like `scensim run --trials N --seed S` of the scenario
// compiled with overrides: nested by default (K param draws of m trials,
// m and K chosen by sim.PerDrawFor exactly as `run` chooses them), or with
// every param at its value. Every preview of a session uses the same seed,
// so two previews of two versions of a scenario share their random numbers
// wherever the versions share element names: a change shows its own
// effect, not new noise.
package live

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"sync/atomic"

	"scensim/internal/fsread"
	"scensim/model"
	"scensim/results"
	"scensim/runresult"
	"scensim/sim"
)

// DefaultTrials is the size of a preview unless told otherwise.
const DefaultTrials = 20000

// Settings say how a preview runs.
type Settings struct {
	Trials  int64  // trials per preview (DefaultTrials if 0)
	Seed    uint64 // the seed of every preview
	SeedSet bool   // false: the scenario's own run.seed
	Draws   int64  // nested runs: number of draws (0: as `run` chooses)
	Fixed   bool   // every param at its value (no draws)
	Workers int    // goroutines (0: GOMAXPROCS)
	Version string // the tool version recorded in results
	// PerDraw, if > 0, fixes the trials per draw of a nested preview
	// (the quick pass runs the first draws of the full preview's design).
	PerDraw int64
	// Done, if not nil, is advanced by the trials every run completes:
	// the work the previews cost.
	Done *atomic.Int64
}

// Source is a scenario file and how its bases are found.
type Source struct {
	Path    string         // the scenario file
	Resolve model.Resolver // finds the files it extends
}

// Dir is the folder of the scenario file: the only folder the live page
// reads or writes.
func (s Source) Dir() string { return filepath.Dir(s.Path) }

// Compile reads and compiles the scenario with the given param values set
// (as --set name=value does: a set param is fixed at that value). On
// failure the plan is nil and errs holds the positioned errors; a file
// that cannot be read gives one error positioned at the file.
func (s Source) Compile(set map[string]float64) (*model.Plan, model.ErrorList) {
	data, err := fsread.ReadFile(s.Path, model.MaxFileBytes, "scenario files")
	if err != nil {
		var errs model.ErrorList
		errs.Add(model.Pos{File: s.Path}, "", "%v", err)
		return nil, errs
	}
	var ovs []model.Override
	for _, name := range sortedKeys(set) {
		ovs = append(ovs, model.Override{Name: name, Value: FormatValue(set[name])})
	}
	return model.CompileWith(s.Path, data, model.Options{Overrides: ovs, Resolve: s.Resolve})
}

// FormatValue writes a param value so that it reads back as the same
// float64 (the shortest such decimal).
func FormatValue(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Files lists the files a compiled scenario reads: the file itself and the
// files of its extends: chain (embedded bases, which cannot change, are
// left out).
func Files(p *model.Plan) []string {
	files := []string{p.File}
	for _, b := range p.Bases {
		if !isEmbeddedName(b.File) {
			files = append(files, b.File)
		}
	}
	return files
}

// Preview is one run of a version of the scenario.
type Preview struct {
	Plan  *model.Plan
	Tally *sim.Tally
	// Result is the result document of the run as `scensim run` makes it,
	// but without each outcome's top drivers (and the draws' param values
	// they are derived from), which no preview shows.
	Result *results.Result
	Seed   uint64
	// Params is how the preview drew its params (nested draws, fixed, or
	// per trial for a plan without a dist).
	Params sim.Params
}

// Run runs a preview of p. Its counts are those of `scensim run` of the
// same plan with the same seed, trials and draws.
func Run(ctx context.Context, p *model.Plan, st Settings) (*Preview, error) {
	r, err := runCounts(ctx, p, st)
	if err != nil {
		return nil, err
	}
	return r.finish(p, st)
}

// counts is a run's counts before its result document is built.
type counts struct {
	tally  *sim.Tally
	seed   uint64
	params sim.Params
}

// runCounts runs the trials of a preview of p under st (see Run).
func runCounts(ctx context.Context, p *model.Plan, st Settings) (counts, error) {
	n := st.Trials
	if n <= 0 {
		n = DefaultTrials
	}
	seed := p.Seed
	if st.SeedSet {
		seed = st.Seed
	}
	ps := ParamsFor(p, n, st)
	t, err := sim.Run(ctx, p, sim.Options{Trials: n, Seed: seed, Workers: st.Workers, Params: ps, Done: st.Done})
	if err != nil {
		return counts{}, err
	}
	return counts{tally: t, seed: seed, params: ps}, nil
}

func (r counts) finish(p *model.Plan, st Settings) (*Preview, error) {
	return finish(p, r.tally, r.seed, r.params, st)
}

// Extend returns the preview of q.Plan under st, the full preview of which
// q is the quick pass (QuickSettings): it runs only the trials q did not
// and merges their counts with q's. Counts are integers and every trial
// is keyed by (seed, trial, name), with trial i in draw ⌊i/m⌋ whichever
// run holds it, so the result is that of Run(ctx, q.Plan, st), count for
// count, even where q ends inside a draw. A q that is not a first part of
// that preview (another seed or param design, or not fewer trials) is not
// used: the preview is then run whole.
func Extend(ctx context.Context, q *Preview, st Settings) (*Preview, error) {
	r, err := extendCounts(ctx, q.Plan, counts{tally: q.Tally, seed: q.Seed, params: q.Params}, st)
	if err != nil {
		return nil, err
	}
	return r.finish(q.Plan, st)
}

// extendCounts is Extend before the result document is built: the counts
// of the full preview of p under st continued from the counts q of its
// quick pass, which it only reads.
func extendCounts(ctx context.Context, p *model.Plan, q counts, st Settings) (counts, error) {
	n := st.Trials
	if n <= 0 {
		n = DefaultTrials
	}
	seed := p.Seed
	if st.SeedSet {
		seed = st.Seed
	}
	ps := ParamsFor(p, n, st)
	done := q.tally.Ran()
	if q.seed != seed || q.params != ps || done >= n || done <= 0 || (ps.PerDraw > 0 && q.tally.PerDraw != ps.PerDraw) {
		return runCounts(ctx, p, st)
	}
	t, err := sim.Run(ctx, p, sim.Options{First: done, Trials: n - done, Seed: seed, Workers: st.Workers, Params: ps, Done: st.Done})
	if err != nil {
		return counts{}, err
	}
	// t is sized for every draw up to trial n−1, as a whole run's counts
	// are, so merging the quick pass's into it changes no slice length.
	t.Merge(q.tally)
	return counts{tally: t, seed: seed, params: ps}, nil
}

// finish builds the preview of counts t of a run of p.
func finish(p *model.Plan, t *sim.Tally, seed uint64, ps sim.Params, st Settings) (*Preview, error) {
	// runresult.FromRun without SetDrawParams: the drivers cost as much
	// again as the rest of the result and are not shown.
	res, err := results.NewResult(runresult.LayoutOf(p), *t, runresult.ManifestOf(p, seed, t.Ran(), st.Version), results.RunInfo{Workers: st.Workers})
	if err != nil {
		return nil, err
	}
	if ps.Fixed { // as run records --fixed-params, without changing the plan
		res.Manifest.Overrides = append(slices.Clone(res.Manifest.Overrides), "params=fixed")
		res.Manifest.ParamsFixed, res.Manifest.ParamsFixedAll = len(p.Params), true
	}
	return &Preview{Plan: p, Tally: t, Result: res, Seed: seed, Params: ps}, nil
}

// ParamsFor says how a preview of n trials of p draws its params: fixed
// with st.Fixed; per trial when no param has a dist; otherwise nested with
// sim.PerDrawFor(n, st.Draws) trials per draw (for the default 2·10⁴
// trials: 40 draws of 500 trials, as `run --trials 2e4` chooses).
func ParamsFor(p *model.Plan, n int64, st Settings) sim.Params {
	if st.Fixed {
		return sim.Params{Fixed: true}
	}
	for _, par := range p.Params {
		if par.Dist != nil {
			if st.PerDraw > 0 {
				return sim.Params{PerDraw: st.PerDraw}
			}
			return sim.Params{PerDraw: sim.PerDrawFor(n, st.Draws)}
		}
	}
	return sim.Params{}
}

// QuickSettings returns the settings of the quick pass of a preview of
// p under st: the first quarter of its draws (at least 10) with the full
// preview's trials per draw, or, for a flat preview, the first quarter of
// its trials (at least 1000). ok is false when the quick pass would not
// be smaller than the preview itself. The quick pass's trials are the
// preview's first trials, with the same keys, so it is the full preview
// cut short, not another sample.
func QuickSettings(p *model.Plan, st Settings) (Settings, bool) {
	n := st.Trials
	if n <= 0 {
		n = DefaultTrials
	}
	ps := ParamsFor(p, n, st)
	q := st
	if ps.PerDraw > 0 {
		k := sim.DrawsOf(n, ps.PerDraw)
		qk := max((k+3)/4, sim.MinDrawsDefault)
		if qk >= k {
			return st, false
		}
		q.Trials, q.PerDraw = qk*ps.PerDraw, ps.PerDraw
		return q, true
	}
	if n/4 < 1000 {
		return st, false
	}
	q.Trials = n / 4
	return q, true
}

// CheckSettings refuses settings no preview can run with.
func CheckSettings(st Settings) error {
	if st.Trials < 0 || st.Trials > model.MaxTrials {
		return fmt.Errorf("trials must be from 1 to %d", int64(model.MaxTrials))
	}
	n := st.Trials
	if n == 0 {
		n = DefaultTrials
	}
	if st.Draws < 0 || st.Draws > min(n, sim.MaxDraws) {
		return fmt.Errorf("draws must be from 1 to %d (the number of trials, at most %d)", min(n, sim.MaxDraws), sim.MaxDraws)
	}
	if st.Draws > 0 && st.Fixed {
		return fmt.Errorf("draws and fixed params do not go together: fixed params are not drawn")
	}
	return nil
}
