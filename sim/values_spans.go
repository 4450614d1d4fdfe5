package sim

import "scensim/model"

// spanTrack reports whether an accumulated expression reads nothing but
// the state of one track (and perhaps params, fixed within a trial), and
// which track: its value is then the same at every point between two
// moves of that track, and it can be added span by span.
func spanTrack(e *model.Expr) (track int, ok bool) {
	if e.Mode != model.ModeState {
		return 0, false
	}
	return e.Track, true
}

// closeSpans adds, for each track that moves at step (r.fired, before
// the frame takes the moves), the points of the state it leaves to the
// values that read its state: points Since .. step, each in the state the
// frame still holds.
func (r *runner) closeSpans(step int) {
	for _, fd := range r.fired {
		for _, a := range r.values.byTrack[fd.track] {
			r.addSpan(a, int(r.f.Since[fd.track]), step+1)
		}
	}
}

// closeOpenSpans adds, at the horizon, the points Since .. Steps-1 of the
// state each track is in to the values that read its state; the point of
// the horizon itself is countValues' to add.
func (r *runner) closeOpenSpans() {
	for k, as := range r.values.byTrack {
		for _, a := range as {
			r.addSpan(a, int(r.f.Since[k]), r.p.Steps)
		}
	}
}

// addSpan adds a's weighted value at points from .. to-1, over which its
// track stays in the state the frame holds, to a's sum: the products
// weight·value in point order, each rounded before it is added, so that
// the sum is bit for bit what adding them at every point gives. A zero
// value adds nothing (the sum, which starts at +0, stays as it is).
func (r *runner) addSpan(a accumulated, from, to int) {
	x := a.expr.Eval(&r.f)
	if x == 0 {
		return
	}
	s := r.values.sums[a.i]
	for _, w := range a.weight[from:to] {
		if w != 0 {
			s += float64(w * x)
		}
	}
	r.values.sums[a.i] = s
}
