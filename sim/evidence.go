package sim

import (
	"math"

	"scensim/model"
)

// Conditioning on evidence (model.Evidence): exact rejection.
//
// A trial runs exactly as it would without evidence (the same draws, the
// same random streams), so a conditioned run keeps a subset of the trials
// of the unconditioned run with the same seed: "before and after the
// news" is a paired comparison. At the end of the trial every evidence
// item is evaluated on its history; a trial where one fails is rejected:
// nothing of it is counted except Rejected (and, nested, DrawRejected of
// its draw). Acceptance is a pure function of (seed, trial), so the
// accepted trials do not depend on workers or shards.

// evidenceState is what a runner keeps of the current trial's history for
// the evidence: the moves of its tracks, to read the state at a point and
// to take back the occupancy of a rejected trial.
type evidenceState struct {
	on       bool
	rejected bool // the last trial was rejected
	log      []evidenceMove
	// walk: the plan has value items, read at their points, so the step
	// loop visits every step and calls valuesAt before it accumulates.
	walk  bool
	items []valueItem // the value items (model.EvidenceValue), plan order
}

// valueItem is a value item's per-trial record: its value as of its point,
// taken by valuesAt when the step loop reaches the point.
type valueItem struct {
	e *model.Evidence
	v *model.ValueOutcome
	x float64 // this trial's value as of e.Point (NaN: undefined)
}

// evidenceMove is one change of state of a track: at point Point the
// track left global state From for To.
type evidenceMove struct{ point, from, to int32 }

// logMove records a move of the current trial (called by the step loop
// when the plan has evidence).
func (r *runner) logMove(point, from, to int32) {
	r.ev.log = append(r.ev.log, evidenceMove{point, from, to})
}

// initValueItems sets up the value items of r's plan (once per runner).
func (r *runner) initValueItems() {
	for _, e := range r.p.Evidence {
		if e.Kind == model.EvidenceValue {
			r.ev.items = append(r.ev.items, valueItem{e: e, v: r.p.Values[e.Value]})
		}
	}
	r.ev.walk = len(r.ev.items) > 0
}

// valuesAt records the value as of point step of each value item dated at
// that point; the step loop calls it at every step before it accumulates
// the step's values. As of point P < Steps, an accumulated value is the sum
// of its terms at the points before P (the cycles that end by P); a
// horizon value (value:) is its expression evaluated on the trial as it is
// at P. At P = Steps both are the trial's value (see itemValue).
func (r *runner) valuesAt(step int) {
	for i := range r.ev.items {
		it := &r.ev.items[i]
		if it.e.Point != step {
			continue
		}
		switch {
		case it.v.At != nil:
			it.x = it.v.At.Eval(&r.f)
		case step == 0:
			it.x = 0
		default:
			it.x = r.values.sums[it.e.Value]
		}
	}
}

// itemValue returns the value of item it as of its point, at the end of a
// trial (before countValues reads and clears the sums).
func (r *runner) itemValue(it *valueItem) float64 {
	if it.e.Point < r.p.Steps {
		return it.x
	}
	if it.v.At != nil {
		return it.v.At.Eval(&r.f)
	}
	return r.values.sums[it.e.Value] + it.v.Weight[r.p.Steps]*it.v.PerStep.Eval(&r.f)
}

// Accepted reports whether the evidence kept the last trial (always true
// for a plan without evidence).
func (tr *Trialer) Accepted() bool { return !tr.r.ev.rejected }

// accepted reports whether every evidence item holds for the trial that
// just ended (the frame at the horizon, the move log).
func (r *runner) accepted() bool {
	for _, e := range r.p.Evidence {
		if !r.evidenceHolds(e) {
			return false
		}
	}
	return true
}

func (r *runner) evidenceHolds(e *model.Evidence) bool {
	switch e.Kind {
	case model.EvidenceReached, model.EvidenceNotReached:
		at := r.f.Entry[e.State]
		reached := at >= 0 && int(at) <= e.Point
		return reached == (e.Kind == model.EvidenceReached)
	case model.EvidenceIn, model.EvidenceNotIn:
		in := r.stateAt(r.p.States[e.State].Track, e.Point) == int32(e.State)
		return in == (e.Kind == model.EvidenceIn)
	case model.EvidenceValue:
		for i := range r.ev.items {
			if it := &r.ev.items[i]; it.e == e {
				x := r.itemValue(it)
				return x >= e.Lo && x <= e.Hi // false for NaN: an undefined value lies in no range
			}
		}
		return false
	}
	return e.When.Eval(&r.f) != 0
}

// stateAt returns the global state track k occupied at point k0 of the
// current trial.
func (r *runner) stateAt(k, point int) int32 {
	s := int32(r.p.Tracks[k].Initial)
	tr := r.p.Tracks[k]
	for _, m := range r.ev.log {
		if int(m.point) > point {
			break // the log is in point order
		}
		if int(m.from) >= tr.First && int(m.from) < tr.First+tr.NStates {
			s = m.to
		}
	}
	return s
}

// reject takes the trial that just ended out of t (its occupancy and its
// param histogram entries, which were counted as it ran) and counts it as
// rejected.
func (r *runner) reject(trial int64, t *Tally) {
	S := len(r.p.States)
	for _, tr := range r.p.Tracks {
		r.occ.moves[tr.Initial]--
	}
	for _, m := range r.ev.log {
		r.occ.moves[int(m.point)*S+int(m.from)]++
		r.occ.moves[int(m.point)*S+int(m.to)]--
	}
	for _, b := range r.bins { // the trial's counters (see countParam)
		t.ParamHist[b]--
		t.RejectedHist[b]++
	}
	clear(r.values.sums)
	r.hz.reject() // as if every outcome's given failed
	for i := range r.values.last {
		r.values.last[i] = math.NaN()
	}
	r.ev.rejected = true
	t.Rejected++
	if r.nest.params.nested() {
		t.DrawRejected[trial/r.nest.params.PerDraw]++
	}
}
