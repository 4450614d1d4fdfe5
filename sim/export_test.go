package sim

import "scensim/model"

// Work is what trials did: steps walked, moves of tracks, refreshes of
// track caches, per-trial rows filled, and resolutions a static chance
// bound decided.
type Work struct{ Steps, Moves, Refreshes, Fills, BoundSkips int64 }

// WorkOf runs trials 0..trials-1 of p on one runner and returns the work
// they did.
func WorkOf(p *model.Plan, seed uint64, trials int64) (Work, error) {
	return WorkWith(p, seed, trials, Params{})
}

// WorkDesigned is WorkOf with param values set by design d.
func WorkDesigned(p *model.Plan, seed uint64, trials int64, d Design) (Work, error) {
	r := newRunner(p, seed)
	r.setDesign(d)
	t := newTallyFor(p, Params{}, 0, trials)
	for i := range trials {
		if err := r.trial(i, t, nil); err != nil {
			return Work{}, err
		}
	}
	return Work{r.work.steps, r.work.moves, r.work.refreshes, r.work.fills, r.work.boundSkips}, nil
}

// WorkWith is WorkOf with params drawn as ps says.
func WorkWith(p *model.Plan, seed uint64, trials int64, ps Params) (Work, error) {
	r := newRunner(p, seed)
	r.nest.params = ps
	t := newTallyFor(p, ps, 0, trials)
	for i := range trials {
		if err := r.trial(i, t, nil); err != nil {
			return Work{}, err
		}
	}
	return Work{r.work.steps, r.work.moves, r.work.refreshes, r.work.fills, r.work.boundSkips}, nil
}

// StepClasses is stepClasses.
var StepClasses = stepClasses

// StepsWalked is WorkOf's steps.
func StepsWalked(p *model.Plan, seed uint64, trials int64) (int64, error) {
	w, err := WorkOf(p, seed, trials)
	return w.Steps, err
}

// CPUTime is cpuTime, for the benchmarks outside the package.
var CPUTime = cpuTime

// SpanValues returns the number of p's accumulated values that a runner
// adds span by span and the number it evaluates at every point.
func SpanValues(p *model.Plan) (spans, walked int) {
	var vs valueState
	vs.init(p)
	for _, as := range vs.byTrack {
		spans += len(as)
	}
	return spans, len(vs.walked)
}

// HeldTrials is the number of trials whose param values a runner of p
// holds before it counts them in the histograms.
func HeldTrials(p *model.Plan) int64 { return int64(heldTrials(len(sampledParams(p)))) }
