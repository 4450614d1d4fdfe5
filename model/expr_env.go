package model

import (
	"github.com/expr-lang/expr/ast"
)

// env is what names mean while compiling expressions of one scenario.
type env struct {
	params       map[string]int
	paramConst   []float64 // value of unsampled params (folded where used)
	paramSampled []bool    // per param: drawn per trial (read from its slot)
	vars         map[string]int
	varTypes     []Type
	dates        map[string]float64 // days since start
	tracks       map[string]int
	states       []map[string]int // per track: state name → global index
	stateNames   []string         // global index → "track.state"
	pointDay     []float64        // day offset of points 0..Steps
	steps        int
	stepPos      []float64 // position of points 0..Steps in regular steps (Plan.StepPos)
	dwellPos     []float64 // stepPos on an irregular grid, nil on a regular one (dwell counts steps)
	// slots collects per-trial hoisted expressions; slot i+len(params) is
	// computed by slotFns[i] when an expression first needs it in a trial.
	slotFns   []func(*Frame) float64
	slotNeeds [][]int32       // per slot fn: the slots it needs (those it reads, and theirs), ascending, itself last
	slotConst map[int]float64 // slot fns of per-trial state tables that read no param: their values (see valueAtState)
	slotTrees []slotTree      // per slot fn: what it computes, for spans (see bounds.go)
	nparams   int
	later     map[string]string // kind of each var, track and outcome name, known before they are built
	// Time tables: the table of step, shared by every use; the bytes of
	// all precomputed tables are counted in use, against its budget.
	stepTbl []float64
	use     *TableUse
	work    int       // nodes evaluated to fill tables, against MaxTableWork
	filled  int       // nodes actually evaluated to fill tables (work that was within the budget)
	zeros   []float64 // stands in for tables over the budget
	memos   int       // step memos of time-and-params subtrees (see Frame.StepMemo)
	// varMemos counts the memos of vars-and-params subtrees (see
	// Frame.VarMemo).
	varMemos int
	// needSets counts the compiled expressions that read lazy slots: each
	// has an id for Frame.EnsureSet.
	needSets int
	lets     map[string]*letDef
}

// letDef is a named expression from the let section, expanded where used.
type letDef struct {
	t      text
	tree   ast.Node
	active bool // being expanded: a reference now is a cycle
	cache  map[letKey]*node
}

// letKey is what a let's meaning depends on besides its text.
type letKey struct {
	track                             int
	allowState, allowTime, allowTrial bool
}

// MaxTableWork bounds the node evaluations (steps+1 per node of a table's
// expression) spent filling time tables: about a second.
const MaxTableWork = 1 << 29

func (e *env) overBudget() bool { return e.work > MaxTableWork }

// scope is the context of one expression.
type scope struct {
	what       string // e.g. "the probability of talks: a->b"
	track      int    // the track of a transition (for bare dwell), or -1
	allowState bool   // may read vars, states, dwell, entries
	allowTime  bool   // may read step, date
	allowTrial bool   // may read sampled params
	finite     bool   // a rate or a probability: no infinite or NaN constant, no division by a constant zero
	want       Type
}

// compiler compiles the expressions of one scenario.
type compiler struct {
	env  *env
	errs *ErrorList
}
