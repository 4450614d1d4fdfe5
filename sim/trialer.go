package sim

import (
	"scensim/model"
)

// Path is the record of one replayed trial.
type Path struct {
	Trial    int64
	Params   []float64 // every param's value in this trial
	Events   []Event
	Final    []string  // per track: state at the horizon
	Vars     []float64 // at the horizon
	Entry    []int32   // per global state: point of first entry, -1 if never
	Outcomes []int8    // per outcome: 1 hit, 0 miss, -1 given did not hold
	Checks   []bool    // per check: whether it holds
	Values   []float64 // per value outcome: its value, NaN if undefined
	Tally    *Tally    // the trial's counts, as a run would add them
}

// Replay runs one trial alone and records its story. It gives exactly the
// trial that Run runs under the same seed and index, with params drawn per
// trial (the zero Params). A check the trial breaks is no error here:
// Path.Checks shows it.
func Replay(p *model.Plan, seed uint64, trial int64) (*Path, error) {
	return ReplayParams(p, seed, trial, Params{})
}

// ReplayParams is Replay for a run whose params are drawn as ps says: in a
// nested run the trial takes the values of its draw ⌊trial/ps.PerDraw⌋,
// exactly as Run gives it.
func ReplayParams(p *model.Plan, seed uint64, trial int64, ps Params) (*Path, error) {
	r := newRunner(p, seed)
	r.nest.params = ps
	t := newTallyFor(p, ps, trial, 1)
	var events []Event
	if err := r.trial(trial, t, &events); err != nil && !err.IsCheck() {
		return nil, err // a broken check is shown in Path.Checks
	}
	r.flush(t)
	path := &Path{
		Trial: trial, Events: events, Tally: t,
		Params: append([]float64(nil), r.f.Slots[:len(p.Params)]...),
		Vars:   append([]float64(nil), r.f.Vars...),
		Entry:  append([]int32(nil), r.f.Entry...),
	}
	for k := range p.Tracks {
		path.Final = append(path.Final, p.States[r.f.State[k]].Name)
	}
	path.Outcomes = append(path.Outcomes, r.outcomes()...)
	path.Values = append(path.Values, r.values.last...)
	path.Checks = r.checkResults()
	return path, nil
}

// Trialer runs single trials of a plan, one after another, reusing its
// buffers: the building block of paired (common random numbers) designs,
// where trial i of several plans must be compared one by one. It is not
// safe for concurrent use; make one per goroutine.
type Trialer struct {
	r *runner
	t *Tally
}

// NewTrialer returns a Trialer for plan p and seed.
func NewTrialer(p *model.Plan, seed uint64) *Trialer {
	return &Trialer{r: newRunner(p, seed), t: NewTally(p)}
}

// Trial runs trial i, adds it to the Trialer's tally, and returns its
// outcomes in plan order: 1 hit, 0 miss, -1 when the outcome's given did
// not hold. The slice is reused by the next call.
func (tr *Trialer) Trial(i int64) ([]int8, error) {
	if err := tr.r.trial(i, tr.t, nil); err != nil {
		return nil, err
	}
	return tr.r.outcomes(), nil
}

// Tally returns the counts of all trials run so far.
func (tr *Trialer) Tally() *Tally {
	tr.r.flush(tr.t)
	return tr.t
}

// SetDesign makes the following trials take param values from d (nil: as
// the plan says).
func (tr *Trialer) SetDesign(d Design) { tr.r.setDesign(d) }

// Params returns the param values of the last trial (reused by the next call).
func (tr *Trialer) Params() []float64 { return tr.r.f.Slots[:len(tr.r.p.Params)] }

// Entry returns, for the last trial, the point of first entry into each
// global state (-1 if never). The slice is reused by the next call.
func (tr *Trialer) Entry() []int32 { return tr.r.f.Entry }
