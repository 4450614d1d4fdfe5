package model

import (
	"fmt"
	"scensim/model/kernel"
	"strings"
	"time"
)

// Limits that keep absurd scenarios from allocating before they are refused.
const (
	MaxSteps  = 20000         // points per trial
	MaxTrials = 2_000_000_000 // trials per run
	MaxStates = 10000         // states over all tracks
	MaxNames  = 10000         // params, vars, dates, outcomes, transitions each
)

// Plan is a compiled scenario: immutable once built, safe for concurrent use
// by any number of trials.
type Plan struct {
	Name, Title, Description string
	File                     string // as given to Compile
	SHA256                   string // of the file's bytes
	Source                   []byte // the file's bytes
	AsOf                     string // as_of: the date of the information, YYYY-MM-DD, or ""

	Start    time.Time
	StepDays []float64   // length of step k in days
	StepUnit string      // day, week, month, quarter or year
	Steps    int         // number of steps; points are 0..Steps
	Points   []time.Time // date of each point
	PointDay []float64   // days since Start of each point
	RateUnit string
	// The grid is calendar-exact: every named date between Start and the
	// horizon, and the horizon, is a point. A regular step (start + k·step)
	// that straddles a named date is split there, and the last step ends
	// at the horizon. StepFrac is each step's length as a share of the
	// regular step it lies in (1 unless split); StepPos is each point's
	// position counted in regular steps (k on a regular grid), what `step`
	// and `dwell` read; Irregular lists the steps shorter than their
	// regular step.
	StepFrac  []float64
	StepPos   []float64
	Irregular []IrregularStep

	Dates       []*Date // in date order (file order for equal dates)
	Params      []*Param
	Vars        []*Var
	Tracks      []*Track
	States      []*State // all states, track by track: the global state index
	Transitions []*Transition
	Outcomes    []*Outcome
	Checks      []*Check // invariants every trial must satisfy (see checks.go)
	// Values are the outcomes that are a number per trial (see build_values.go).
	Values []*ValueOutcome
	// Evidence lists the observed facts a run conditions on (see
	// build_evidence.go); empty for an unconditioned run.
	Evidence []*Evidence

	// Kernel holds what the compiler precomputed for the engine: the
	// tables that resolve states and conditions without evaluating them,
	// and the per-trial values computed on demand (see package kernel).
	Kernel *kernel.Tables
	// TableUse is how much of its budget the precomputed tables (time
	// tables in expressions, and Kernel's) took, and which did not fit.
	TableUse TableUse
	// slotTrees are what the per-trial slots after the params compute,
	// for spans (see bounds.go).
	slotTrees []slotTree

	Trials    int64  // from run.trials (default 10000)
	Seed      uint64 // from run.seed (default 1)
	Overrides []string
	Warnings  ErrorList

	// Bases are the files the scenario extends (extends:), nearest first;
	// empty for a scenario that extends none. See overlay.go.
	Bases []BaseFile
	// EvidenceFiles are the files of Options.Evidence, in order.
	EvidenceFiles []BaseFile
	// Disabled lists the hypotheses switched off (disable: over the extends
	// chain, then Options.Disable), and DisabledNotes says, one line per
	// element, what switching them off did. See disable.go.
	Disabled      []string
	DisabledNotes []string
}

// BaseFile is a scenario file that another extends.
type BaseFile struct {
	File   string // as the resolver named it
	SHA256 string // of its bytes
}

// Date is a named date.
type Date struct {
	Name  string
	Date  time.Time
	Day   float64 // days since Start
	Point int     // the last point dated on or before Date (the date itself between Start and the horizon); -1 if before Start
	// Internal marks a date used only by checks and conditional outcomes:
	// charts do not draw it.
	Internal bool
	Pos      Pos
}

// Param is a named number, fixed or sampled once per trial.
type Param struct {
	Name     string
	Value    float64 // the fixed value, or the mean of Dist
	Dist     *Dist   // nil for a fixed param
	Lo, Hi   float64 // the sensitivity range, if HasRange
	HasRange bool
	Why      string
	Source   []string
	// Off holds the param's neutral value per hypothesis of Source (off:),
	// the value it takes when that hypothesis is disabled.
	Off map[string]float64
	Key uint64 // names the param's random stream
	Pos Pos
}

// Var is a per-trial variable.
type Var struct {
	Name   string
	Type   Type
	Init   *Expr // of params only
	Why    string
	Source []string
	Pos    Pos
}

// Track is a state machine; its states are States[First : First+len(StateNames)].
type Track struct {
	Name    string
	Why     string
	Initial int // global state index
	First   int // global index of its first state
	NStates int
	Key     uint64 // names the track's random stream
	Pos     Pos
}

// State is one state of one track.
type State struct {
	Track int
	Name  string // within its track
	Desc  string
	Out   []int // transitions leaving this state, in file order
	// Rates counts the transitions in Out given by a rate; when there are
	// two or more, they compete (see Transition.Rate).
	Rates int
	Pos   Pos
}

// FullName returns "track.state".
func (p *Plan) FullName(g int) string {
	s := p.States[g]
	return p.Tracks[s.Track].Name + "." + s.Name
}

// Transition moves a track from one of From to To.
type Transition struct {
	Name  string
	Track int
	From  []int // global state indices
	To    int
	Prob  *Expr // per-step probability (rates are already converted)
	Rate  *Expr // the rate as written, or nil
	Per   string
	// PerDay converts Rate to a rate per day (1 / the unit's length in days).
	// Rates out of one state compete: with R the sum of their rates per
	// day and d the step's length in days, the chance of taking any of
	// them in a step is 1 − exp(−R·d), shared in proportion to the rates.
	// A lone rate gives Prob = 1 − exp(−r·Δt).
	PerDay  float64
	Guard   *Expr // nil if always on
	Effects []Effect
	Why     string
	Source  []string
	// OffKeep (off: keep) keeps the transition when every hypothesis it
	// cites is disabled; otherwise it would be removed (see disable.go).
	OffKeep bool
	Pos     Pos
}

// Effect sets a variable when its transition fires: Var to Value,
// computed (see Effect.Compute) from the state at the start of the step.
type Effect struct {
	Var   int
	Value *Expr
	// How Compute computes Value inline (see effects.go): the form (the
	// zero value evaluates it), the var it reads, its constant k or the
	// slot kslot (≥ 0) that holds k, and the constants of its arithmetic.
	form       effectForm
	src        int
	k          float64
	kslot      int
	d0         float64
	flip, keep uint64
}

// Outcome is a predicate on a trial's path, evaluated at the horizon.
type Outcome struct {
	Name   string
	When   *Expr
	Given  *Expr // nil for an unconditional outcome
	Why    string
	Source []string
	// Group, Headline and Question say how readers see the outcome: in
	// which group ("" for none), whether it is shown first and alone in a
	// summary, and what it asks in plain words (see checks.go).
	Group    string
	Headline bool
	Question string
	Pos      Pos
}

// Override sets a param or a date before compilation (name=value).
type Override struct {
	Name, Value string
}

// label names the override in error messages, in place of a file position.
func (o Override) label() string { return "override " + o.Name + "=" + o.Value }

// ParseOverride parses "name=value".
func ParseOverride(s string) (Override, error) {
	name, val, ok := strings.Cut(s, "=")
	name, val = strings.TrimSpace(name), strings.TrimSpace(val)
	if !ok || name == "" || val == "" {
		return Override{}, fmt.Errorf("override %q: want name=value", s)
	}
	return Override{name, val}, nil
}

// Compile reads, checks and compiles a scenario file. On failure it returns
// a nil plan and every error found, sorted by position; warnings are kept
// in Plan.Warnings (and in the list on failure). A file that extends
// another needs [CompileWith] and a resolver.
func Compile(file string, data []byte, overrides []Override) (*Plan, ErrorList) {
	return CompileWith(file, data, Options{Overrides: overrides})
}
