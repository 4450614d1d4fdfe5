package kernel

import "sync"

// Tables are the shortcuts of one compiled plan: per global state, how to
// resolve it at each step and combination of the discrete inputs its
// transitions read; per outcome, truth tables of its conditions; and the
// per check, the truth table of its condition; and the per-trial values
// computed on demand. Immutable once built, safe for concurrent use.
type Tables struct {
	states      []*StateTable
	when, given []*Test
	checks      []*Test
	lone        [][]float64 // see LoneBound
	lazy        []func(*Frame) float64
	nparams     int
	walk        bool // see WalkEveryStep
	memos       int  // step memos per frame (see SetStepMemos)
	needSets    int  // need sets per frame (see SetNeedSets)
	varMemos    int  // var memos per frame (see SetVarMemos)
	points      int  // points of each step memo

	horizonOnce sync.Once
	horizon     *Horizon // see Horizon
}

// SetStepMemos gives every frame NewFrame makes n step memos of points
// values each (see [Frame.StepMemo]).
func (t *Tables) SetStepMemos(n, points int) { t.memos, t.points = n, points }

// SetNeedSets gives every frame NewFrame makes room to remember, for n
// need sets (ids 0..n−1 of [Frame.EnsureSet]), the generation in which
// each was last computed.
func (t *Tables) SetNeedSets(n int) { t.needSets = n }

// SetVarMemos gives every frame NewFrame makes n var memos (see
// [Frame.VarMemo]).
func (t *Tables) SetVarMemos(n int) { t.varMemos = n }

// NewTables returns tables for a plan of nparams params, nstates global
// states, noutcomes outcomes and nchecks checks, whose per-trial slots
// after the params are computed by lazy (slot nparams+j by lazy[j], which
// may read the slots before it). The builder adds the state, outcome and
// check tables it can make with SetState, SetOutcome and SetCheck before
// the tables are used.
func NewTables(nparams int, lazy []func(*Frame) float64, nstates, noutcomes, nchecks int) *Tables {
	return &Tables{
		states: make([]*StateTable, nstates),
		when:   make([]*Test, noutcomes), given: make([]*Test, noutcomes),
		checks: make([]*Test, nchecks),
		lazy:   lazy, nparams: nparams,
	}
}

// SetLoneBound sets the per-step chance bounds of global state g (see
// LoneBound).
func (t *Tables) SetLoneBound(g int, bounds []float64) {
	if t.lone == nil {
		t.lone = make([][]float64, len(t.states))
	}
	t.lone[g] = bounds
}

// LoneBound returns, for a global state without a table whose one
// transition is an unguarded rate, an upper bound per step of that rate
// per day times the step's length (+Inf where none is known), valid in any
// trial whose sampled params lie in their dists' ranges (Dist.Lo to
// Dist.Hi, below Hi), where the rate is then also valid; nil if none.
func (t *Tables) LoneBound(g int) []float64 {
	if t.lone == nil {
		return nil
	}
	return t.lone[g]
}

// SetCheck sets the truth table of check i (nil: evaluate the expression).
func (t *Tables) SetCheck(i int, c *Test) { t.checks[i] = c }

// Check returns the truth table of check i, or nil if it must be
// evaluated.
func (t *Tables) Check(i int) *Test { return t.checks[i] }

// SetState sets the table of global state g (nil: none).
func (t *Tables) SetState(g int, st *StateTable) { t.states[g] = st }

// SetOutcome sets the truth tables of outcome i's when and given
// conditions (nil: evaluate the expression).
func (t *Tables) SetOutcome(i int, when, given *Test) { t.when[i], t.given[i] = when, given }

// State returns the table of global state g, or nil if the state's guards
// and transitions must be evaluated at every step.
func (t *Tables) State(g int) *StateTable { return t.states[g] }

// When and Given return the truth tables of outcome i's conditions, or nil
// if the condition must be evaluated.
func (t *Tables) When(i int) *Test  { return t.when[i] }
func (t *Tables) Given(i int) *Test { return t.given[i] }

// Horizon returns the compiled form of the truth tables of every
// outcome's and check's conditions (see [Horizon]), built when first
// asked for: outcome i's given condition is bit [Tables.GivenBit](i) of
// its verdicts, its when condition bit [Tables.WhenBit](i), check i's
// condition bit [Tables.CheckBit](i); a condition without a truth table
// has its bit 0 and must be evaluated. Each kind starts on a word of its
// own, so that the given and when bits of outcomes 64w..64w+63 are word w
// of each kind (see [Tables.OutcomeWords]).
func (t *Tables) Horizon() *Horizon {
	t.horizonOnce.Do(func() {
		conds := make([]*Test, t.CheckBit(len(t.checks)))
		for i := range t.when {
			conds[t.GivenBit(i)], conds[t.WhenBit(i)] = t.given[i], t.when[i]
		}
		for i, c := range t.checks {
			conds[t.CheckBit(i)] = c
		}
		t.horizon = NewHorizon(conds)
	})
	return t.horizon
}

// OutcomeWords is the number of words of a verdict that the given
// conditions of the outcomes take, and as many the when conditions.
func (t *Tables) OutcomeWords() int { return (len(t.when) + 63) / 64 }

// GivenBit, WhenBit and CheckBit are the bits of a verdict of
// [Tables.Horizon] that judge outcome i's given and when conditions and
// check i's condition.
func (t *Tables) GivenBit(i int) int { return i }
func (t *Tables) WhenBit(i int) int  { return 64*t.OutcomeWords() + i }
func (t *Tables) CheckBit(i int) int { return 128*t.OutcomeWords() + i }

// Slots is the number of per-trial slots: the params, then the lazy ones.
func (t *Tables) Slots() int { return t.nparams + len(t.lazy) }

// NewFrame returns a frame sized for the plan (its vars, tracks and global
// states) whose slots after the params are computed on demand; call
// [Frame.NextTrial] before each trial.
func (t *Tables) NewFrame(vars, tracks, states int) Frame {
	f := Frame{
		Slots:   make([]float64, t.Slots()),
		Vars:    make([]float64, vars),
		State:   make([]int32, tracks),
		Since:   make([]int32, tracks),
		Entry:   make([]int32, states),
		Entries: make([]int32, states),
	}
	if len(t.lazy) > 0 {
		f.lazy, f.slotGen, f.nparams = t.lazy, make([]uint64, len(t.lazy)), t.nparams
		f.ensured = make([]uint64, t.needSets)
	}
	if t.varMemos > 0 {
		f.varMemoVal, f.varMemoVer = make([]float64, t.varMemos), make([]uint64, t.varMemos)
	}
	if t.memos > 0 && t.points > 0 {
		f.memoVal, f.memoGen = make([]float64, t.memos*t.points), make([]uint64, t.memos*t.points)
		f.points, f.memoPoints = t.points, t.points
	}
	return f
}

// FillSlots computes every slot after the params of f, in order, from the
// params in f.Slots: for a frame whose owner fills every slot itself.
func (t *Tables) FillSlots(f *Frame) {
	for j, fn := range t.lazy {
		f.Slots[t.nparams+j] = fn(f)
	}
}

// Evaluated returns tables with the same per-trial slots but no state or
// outcome tables and no step or var memos: a plan carrying them evaluates every
// guard, transition and condition as written, which is what the shortcuts
// must reproduce.
// The engine walks every step of a trial under them (see
// [Tables.WalkEveryStep]).
func (t *Tables) Evaluated() *Tables {
	e := NewTables(t.nparams, t.lazy, len(t.states), len(t.when), len(t.checks))
	e.needSets = t.needSets
	e.walk = true // and no step or var memos: every value is computed when needed
	return e
}

// WalkEveryStep reports whether the engine must resolve every track at
// every step, even at steps where the tables say that nothing can fire:
// true only for [Tables.Evaluated], so that skipping steps is one of the
// shortcuts they check.
func (t *Tables) WalkEveryStep() bool { return t.walk }
