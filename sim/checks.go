package sim

import (
	"fmt"
)

// Checks are invariants of a trial's path (model.Check), judged at the
// horizon of every trial as outcomes are, with the same machinery: a truth
// table when the check reads only discrete keys, else its expression. A
// check that does not hold stops the run with a RuntimeError of kind
// errCheck; it costs no per-step work and allocates nothing while it holds.

// checks returns the error of the first check of p that the trial's path
// (in r.f, at the horizon) breaks, or nil.
func (r *runner) checks(trial int64) *RuntimeError {
	p := r.p
	for i, c := range p.Checks {
		if !r.hz.checkHolds(i, &r.f) {
			return &RuntimeError{
				Trial: trial, Step: p.Steps, Date: p.Points[p.Steps].Format("2006-01-02"),
				Kind: errCheck, Check: c,
			}
		}
	}
	return nil
}

// IsCheck reports whether e is a broken check rather than an invalid
// probability.
func (e *RuntimeError) IsCheck() bool { return e.Kind == errCheck }

func (e *RuntimeError) checkMessage() string {
	return fmt.Sprintf("trial %d, step %d (%s, the horizon, where checks are judged): check %s does not hold: %s",
		e.Trial, e.Step, e.Date, e.Check.Name, e.Check.Src)
}

// CheckResults says, for the trial r last ran, whether each check of the
// plan holds (in plan order).
func (r *runner) checkResults() []bool {
	out := make([]bool, len(r.p.Checks))
	for i := range r.p.Checks {
		out[i] = r.hz.checkHolds(i, &r.f)
	}
	return out
}
