package model

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
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

	Start    time.Time
	StepDays []float64   // length of step k in days
	StepUnit string      // day, week or month
	Steps    int         // number of steps; points are 0..Steps
	Points   []time.Time // date of each point
	PointDay []float64   // days since Start of each point
	RateUnit string

	Dates       []*Date
	Params      []*Param
	Vars        []*Var
	Tracks      []*Track
	States      []*State // all states, track by track: the global state index
	Transitions []*Transition
	Outcomes    []*Outcome

	// Per-trial slots: Slots[i] = param i for i < len(Params), then
	// SlotFns[j] fills slot len(Params)+j when an expression first needs it
	// in a trial (see Frame).
	SlotFns []func(*Frame) float64

	Trials    int64  // from run.trials (default 10000)
	Seed      uint64 // from run.seed (default 1)
	Overrides []string
	Warnings  ErrorList

	// Bases are the files the scenario extends (extends:), nearest first;
	// empty for a scenario that extends none. See overlay.go.
	Bases []BaseFile
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
	Point int     // the last point dated on or before Date; -1 if before Start
	Pos   Pos
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
	// Keys are the discrete inputs (current states of tracks, whether
	// states were reached) that the guards and the tabled transitions out
	// of this state read, and Combos the number of their combinations,
	// counted with the first key varying slowest.
	Keys   []Key
	Combos int
	// Cells, when not nil, say how to resolve this state at each step k
	// and combination c of Keys: Cells[c*Steps+k]. Nil when a guard reads
	// more than Keys and time (then every guard is evaluated each step).
	Cells []Cell
	// Live[c*Steps+k] is the first step from k on whose cell (at key
	// combination c) is not CellNone, or Steps: the steps before it can be
	// skipped while the keys stay the same.
	Live []int32
	// Rows holds the rows of CellTable cells (cumulative: Rows[Row+i] =
	// P(one of Out[0..i] is taken)) and of CellEval cells (see CellEval).
	Rows []float64
	// TrialRows is the number of distinct rows CellTrial cells refer to.
	TrialRows int
	Pos       Pos
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

// Effect sets a variable when its transition fires.
type Effect struct {
	Var   int
	Value *Expr
}

// Outcome is a predicate on a trial's path, evaluated at the horizon.
type Outcome struct {
	Name  string
	When  *Expr
	Given *Expr // nil for an unconditional outcome
	// WhenTest and GivenTest, when not nil, give When and Given as truth
	// tables over the few discrete keys they read (see Test).
	WhenTest, GivenTest *Test
	Why                 string
	Source              []string
	Pos                 Pos
}

// Override sets a param or a date before compilation (--set name=value).
type Override struct {
	Name, Value string
}

// ParseOverride parses "name=value".
func ParseOverride(s string) (Override, error) {
	name, val, ok := strings.Cut(s, "=")
	name, val = strings.TrimSpace(name), strings.TrimSpace(val)
	if !ok || name == "" || val == "" {
		return Override{}, fmt.Errorf("--set %q: want name=value", s)
	}
	return Override{name, val}, nil
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Compile reads, checks and compiles a scenario file. On failure it returns
// a nil plan and every error found, sorted by position; warnings are kept
// in Plan.Warnings (and in the list on failure). A file that extends
// another needs [CompileWith] and a resolver.
func Compile(file string, data []byte, overrides []Override) (*Plan, ErrorList) {
	return CompileWith(file, data, Options{Overrides: overrides})
}

// compileRaw compiles a read scenario (see CompileWith).
func compileRaw(file string, data []byte, raw *rawScenario, list *ErrorList, opts Options, bases []BaseFile) (*Plan, ErrorList) {
	// Structural errors so far (unknown keys, wrong shapes) do not stop the
	// checks of what could be read: every error of the file is reported.
	sum := sha256.Sum256(data)
	b := &builder{raw: raw, errs: list, file: file, plan: &Plan{
		File: file, SHA256: hex.EncodeToString(sum[:]), Source: data, Bases: bases,
	}}
	b.plan.Disabled, b.plan.DisabledNotes = applyDisable(raw, opts.Disable, list)
	b.build(opts.Overrides)
	checkFileNames(raw, list)
	errs := list.dedupe()
	errs.Sort()
	if len(errs.Errors()) > 0 {
		return nil, errs.truncate()
	}
	b.plan.Warnings = errs.Warnings()
	return b.plan, errs
}

type builder struct {
	trackOf []int // raw track index → plan track index, or -1
	raw     *rawScenario
	errs    *ErrorList
	file    string
	plan    *Plan
	env     *env
	c       *compiler
	names   map[string]text      // every top-level name, for clashes
	kinds   map[string]string    // what each name in names is: "param", "date", ...
	dt      map[string][]float64 // step lengths in each rate unit
	used    map[string]bool
}

func (b *builder) errorf(t text, format string, args ...any) {
	b.errs.Add(t.Pos, t.lineAt(t.Pos), format, args...)
}

func (b *builder) warnf(t text, format string, args ...any) {
	b.errs.Warn(t.Pos, t.lineAt(t.Pos), format, args...)
}

// declare checks a top-level name and records it.
func (b *builder) declare(t text, kind string) bool {
	switch {
	case !identRE.MatchString(t.S):
		b.errorf(t, "%s name %q is not a valid name (letters, digits and _, not starting with a digit)", kind, t.S)
		return false
	case reservedNames[t.S]:
		b.errorf(t, "%s name %q is reserved", kind, t.S)
		return false
	}
	if prev, ok := b.names[t.S]; ok {
		b.errorf(t, "%s name %q is already the name of a %s (line %d)", kind, t.S, b.kinds[t.S], prev.Pos.Line)
		return false
	}
	b.names[t.S], b.kinds[t.S] = t, kind
	return true
}

func (b *builder) build(overrides []Override) {
	r, p := b.raw, b.plan
	b.names, b.kinds, b.dt = map[string]text{}, map[string]string{}, map[string][]float64{}
	if r.version.ok() && r.version.S != "1" {
		b.errorf(r.version, "unsupported format version %q (this scensim reads version 1)", r.version.S)
	}
	if identRE.MatchString(r.name.S) {
		p.Name = r.name.S
	} else if r.name.ok() {
		b.errorf(r.name, "scenario name %q is not a valid name", r.name.S)
	}
	p.Title, p.Description = r.title.S, strings.TrimSpace(r.description.S)

	ov := map[string]Override{}
	for _, o := range overrides {
		ov[o.Name] = o
		p.Overrides = append(p.Overrides, o.Name+"="+o.Value)
	}
	if !b.buildTime() {
		return
	}
	b.env = &env{
		params: map[string]int{}, vars: map[string]int{}, dates: map[string]float64{},
		tracks: map[string]int{}, pointDay: p.PointDay, steps: p.Steps,
	}
	b.c = &compiler{env: b.env, errs: b.errs}
	b.env.later = map[string]string{} // names of things compiled after params, for messages
	for _, v := range b.raw.vars {
		b.env.later[v.name.S] = "var"
	}
	for _, t := range b.raw.tracks {
		b.env.later[t.name.S] = "track"
	}
	for _, o := range b.raw.outcomes {
		b.env.later[o.name.S] = "outcome"
	}
	b.buildDates(ov)
	b.buildParams(ov)
	for _, o := range overrides { // only dates and params are declared so far
		if _, declared := b.names[o.Name]; !declared {
			b.errs.Add(Pos{File: "--set " + o.Name + "=" + o.Value}, "", "the scenario has no param or date %q", o.Name)
		}
	}
	b.buildVars()
	b.buildTracks()
	b.buildLets()
	// Go on after errors so far, to report every error of the file at
	// once; what failed to declare is skipped, not guessed at.
	b.buildTransitions()
	b.buildOutcomes()
	b.buildRun()
	p.SlotFns = b.env.slotFns
	if len(b.errs.Errors()) == 0 {
		b.checkStatic()
		b.buildCells()
		b.buildTests()
		b.warnGraph()
	}
}

// unitDays is the length of a rate unit in days.
var unitDays = map[string]float64{"day": 1, "week": 7, "month": 365.25 / 12, "year": 365.25}

// daysBetween returns the whole days from a to b. Unlike b.Sub(a), it does
// not saturate at 292 years.
func daysBetween(a, b time.Time) float64 {
	return math.Round(float64(b.Unix()-a.Unix()) / 86400)
}

func parseDate(s string) (time.Time, error) {
	return time.Parse("2006-01-02", strings.TrimSpace(s))
}

func (b *builder) buildTime() bool {
	t, p := b.raw.time, b.plan
	if !t.start.ok() {
		return false // reported as a missing key
	}
	start, err := parseDate(t.start.S)
	if err != nil {
		b.errorf(t.start, "time.start %q is not a date (YYYY-MM-DD)", t.start.S)
		return false
	}
	p.Start = start
	p.StepUnit = "week"
	if t.step.ok() {
		p.StepUnit = t.step.S
	}
	if p.StepUnit != "day" && p.StepUnit != "week" && p.StepUnit != "month" {
		b.errorf(t.step, "time.step must be day, week or month, not %q", p.StepUnit)
		return false
	}
	p.RateUnit = "week"
	if t.rateUnit.ok() {
		if _, ok := unitDays[t.rateUnit.S]; !ok {
			b.errorf(t.rateUnit, "time.rate_unit must be day, week, month or year, not %q", t.rateUnit.S)
			return false
		}
		p.RateUnit = t.rateUnit.S
	}
	pointAt := func(k int) time.Time {
		switch p.StepUnit {
		case "day":
			return start.AddDate(0, 0, k)
		case "week":
			return start.AddDate(0, 0, 7*k)
		}
		return start.AddDate(0, k, 0)
	}
	switch {
	case t.horizon.ok() && t.steps.ok():
		b.errorf(t.steps, "time has both horizon and steps; give one")
		return false
	case !t.horizon.ok() && !t.steps.ok():
		b.errorf(t.start, "time needs horizon (a date) or steps (a number)")
		return false
	case t.steps.ok():
		n, err := strconv.ParseInt(t.steps.S, 10, 64)
		if err != nil || n < 1 || n > MaxSteps {
			b.errorf(t.steps, "time.steps must be a whole number from 1 to %d, not %q", MaxSteps, t.steps.S)
			return false
		}
		p.Steps = int(n)
	default:
		end, err := parseDate(t.horizon.S)
		if err != nil {
			b.errorf(t.horizon, "time.horizon %q is not a date (YYYY-MM-DD)", t.horizon.S)
			return false
		}
		if !end.After(start) {
			b.errorf(t.horizon, "time.horizon %s is not after time.start %s", t.horizon.S, t.start.S)
			return false
		}
		// Estimate first, so that a far horizon is refused before allocating.
		approx := daysBetween(start, end) / map[string]float64{"day": 1, "week": 7, "month": 28}[p.StepUnit]
		if approx > MaxSteps+1 {
			b.errorf(t.horizon, "time.horizon %s is about %.0f %ss away; at most %d steps are allowed", t.horizon.S, approx, p.StepUnit, MaxSteps)
			return false
		}
		n := 0
		for n <= MaxSteps && !pointAt(n+1).After(end) { // bounded: n > MaxSteps is refused below
			n++
		}
		if n < 1 {
			b.errorf(t.horizon, "time.horizon %s is less than one %s after time.start", t.horizon.S, p.StepUnit)
			return false
		}
		if n > MaxSteps {
			b.errorf(t.horizon, "time.horizon gives more than %d steps", MaxSteps)
			return false
		}
		p.Steps = n
	}
	p.Points = make([]time.Time, p.Steps+1)
	p.PointDay = make([]float64, p.Steps+1)
	for k := range p.Points {
		p.Points[k] = pointAt(k)
		p.PointDay[k] = daysBetween(start, p.Points[k])
	}
	p.StepDays = make([]float64, p.Steps)
	for k := range p.StepDays {
		p.StepDays[k] = p.PointDay[k+1] - p.PointDay[k]
	}
	return true
}

var dateOffsetRE = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:([+-])\s*(\d+)\s*([dwmy]))?\s*$`)

// buildDates resolves named dates, which may be offsets of other dates.
func (b *builder) buildDates(ov map[string]Override) {
	p := b.plan
	type pending struct {
		name, val text
		base      string
		sign      int
		n         int
		unit      string
		date      *time.Time
	}
	all := map[string]*pending{}
	broken := map[string]bool{} // dates with an error already reported
	var order []*pending
	for _, d := range b.raw.dates {
		if !b.declare(d.name, "date") {
			continue
		}
		val := d.value
		if o, ok := ov[d.name.S]; ok {
			val = text{S: o.Value, Pos: Pos{File: "--set " + o.Name + "=" + o.Value}}
		}
		pd := &pending{name: d.name, val: val}
		if t, err := parseDate(val.S); err == nil {
			pd.date = &t
		} else if m := dateOffsetRE.FindStringSubmatch(val.S); m != nil {
			pd.base = m[1]
			if m[2] != "" {
				var err error
				if pd.n, err = strconv.Atoi(m[3]); err != nil || pd.n > 1_000_000 {
					b.errorf(val, "date %s: offset %s%s is too large (at most 1000000)", d.name.S, m[3], m[4])
					broken[d.name.S] = true
					continue
				}
				if m[2] == "-" {
					pd.sign = -1
				} else {
					pd.sign = 1
				}
				pd.unit = m[4]
			}
		} else {
			b.errorf(val, "date %s: %q is not a date (YYYY-MM-DD) or another date ± N d|w|m|y", d.name.S, val.S)
			broken[d.name.S] = true
			continue
		}
		all[d.name.S] = pd
		order = append(order, pd)
	}
	// Resolve offsets depth-first, reporting cycles.
	state := map[string]int{} // 0 new, 1 in progress, 2 done
	var resolve func(pd *pending, chain []string) bool
	resolve = func(pd *pending, chain []string) bool {
		name := pd.name.S
		switch state[name] {
		case 1:
			b.errorf(pd.val, "dates form a cycle: %s", strings.Join(append(chain, name), " → "))
			return false
		case 2:
			return pd.date != nil
		}
		if pd.date != nil {
			state[name] = 2
			return true
		}
		state[name] = 1
		base, ok := all[pd.base]
		if !ok {
			if pd.base == "start" {
				t := p.Start
				base = &pending{date: &t}
			} else if broken[pd.base] {
				state[name] = 2
				return false
			} else {
				b.errorf(pd.val, "date %s refers to %q, which is not a named date", name, pd.base)
				state[name] = 2
				return false
			}
		} else if !resolve(base, append(chain, name)) {
			state[name] = 2
			return false
		}
		t := *base.date
		switch pd.unit {
		case "d":
			t = t.AddDate(0, 0, pd.sign*pd.n)
		case "w":
			t = t.AddDate(0, 0, 7*pd.sign*pd.n)
		case "m":
			t = t.AddDate(0, pd.sign*pd.n, 0)
		case "y":
			t = t.AddDate(pd.sign*pd.n, 0, 0)
		}
		pd.date = &t
		state[name] = 2
		return true
	}
	for _, pd := range order {
		if !resolve(pd, nil) {
			continue
		}
		day := daysBetween(p.Start, *pd.date)
		point := -1
		for k, d := range p.PointDay {
			if d <= day {
				point = k
			}
		}
		p.Dates = append(p.Dates, &Date{Name: pd.name.S, Date: *pd.date, Day: day, Point: point, Pos: pd.name.Pos})
		b.env.dates[pd.name.S] = day
	}
}

func nameKey(kind, name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(name))
	return h.Sum64()
}

func (b *builder) buildParams(ov map[string]Override) {
	p, e := b.plan, b.env
	constScope := scope{want: TypeNum}
	for _, rp := range b.raw.params {
		if !b.declare(rp.name, "param") {
			continue
		}
		par := &Param{Name: rp.name.S, Why: rp.why.S, Source: texts(rp.source), Key: nameKey("param", rp.name.S), Pos: rp.name.Pos}
		ok := true
		if rp.dist.ok() {
			par.Dist = b.parseDist(rp.dist)
			ok = par.Dist != nil
		}
		if rp.value.ok() {
			constScope.what = "param " + par.Name
			if x := b.c.compile(rp.value, constScope); x == nil {
				ok = false
			} else if v, isConst := x.IsConst(); !isConst || math.IsNaN(v) || math.IsInf(v, 0) {
				b.errorf(rp.value, "param %s must be a finite number", par.Name)
				ok = false
			} else {
				par.Value = v
			}
		} else if rp.dist.ok() {
			if par.Dist != nil {
				par.Value = par.Dist.Mean()
			}
		} else {
			b.errorf(rp.name, "param %s needs a value or a dist", par.Name)
			ok = false
		}
		if len(rp.rng) > 0 || rp.rngPos != nil {
			if len(rp.rng) != 2 {
				src := b.raw.params[0].name.src
				pos := src.pos(rp.rngPos)
				b.errs.Add(pos, src.lineOf(pos), "param %s: range must be [low, high]", par.Name)
			} else {
				lo, err1 := strconv.ParseFloat(rp.rng[0].S, 64)
				hi, err2 := strconv.ParseFloat(rp.rng[1].S, 64)
				switch {
				case err1 != nil:
					b.errorf(rp.rng[0], "param %s: range low %q is not a number", par.Name, rp.rng[0].S)
				case err2 != nil:
					b.errorf(rp.rng[1], "param %s: range high %q is not a number", par.Name, rp.rng[1].S)
				case !(lo < hi):
					b.errorf(rp.rng[0], "param %s: range low %g must be below high %g", par.Name, lo, hi)
				default:
					par.Lo, par.Hi, par.HasRange = lo, hi, true
				}
			}
		}
		par.Off = b.offValues(rp)
		if o, isSet := ov[par.Name]; isSet {
			v, err := strconv.ParseFloat(o.Value, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				b.errs.Add(Pos{File: "--set " + o.Name + "=" + o.Value}, "", "a param's value must be a finite number")
				ok = false
			} else {
				par.Value, par.Dist = v, nil
			}
		}
		if !ok {
			par.Dist = nil // keep compiling; errors are already recorded
		}
		e.params[par.Name] = len(p.Params)
		if par.Dist != nil {
			e.paramConst = append(e.paramConst, math.NaN())
		} else {
			e.paramConst = append(e.paramConst, par.Value)
		}
		p.Params = append(p.Params, par)
	}
	e.nparams = len(p.Params)
}

// parseDist parses "beta(2, 8)" and the like; arguments are constant expressions.
func (b *builder) parseDist(t text) *Dist {
	if _, ok := checkNesting(t.S); !ok {
		b.errorf(t, "dist: brackets nest more than %d deep", maxNesting)
		return nil
	}
	tree, err := parser.Parse(t.S)
	if err != nil {
		b.errorf(t, "dist %q: syntax error", t.S)
		return nil
	}
	var name string
	var args []ast.Node
	switch n := tree.Node.(type) {
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok {
			name, args = id.Value, n.Arguments
		}
	case *ast.BuiltinNode:
		name, args = n.Name, n.Arguments
	}
	want, ok := distArity[name]
	if !ok {
		b.errorf(t, "dist %q: want one of beta(a, b), uniform(lo, hi), triangular(lo, mode, hi), pert(lo, mode, hi), normal(mean, sd, lo, hi), lognormal(mu, sigma)", t.S)
		return nil
	}
	if len(args) != len(want) {
		b.errorf(t, "dist %s takes %d arguments (%s), not %d", name, len(want), strings.Join(want, ", "), len(args))
		return nil
	}
	vals := make([]float64, len(args))
	for i, a := range args {
		n := b.c.lower(a, t, scope{what: "dist " + name, want: TypeNum}, nil)
		if n == nil {
			return nil
		}
		n = fold(n)
		if n.op != opConst || n.typ != TypeNum {
			return b.c.distErr(t, a, name)
		}
		vals[i] = n.val
	}
	d, err := newDist(name, vals)
	if err != nil {
		b.errorf(t, "dist %q: %v", t.S, err)
		return nil
	}
	d.Src = t.S
	return d
}

func (c *compiler) distErr(t text, a ast.Node, name string) *Dist {
	c.errAt(t, a.Location().From, "dist %s: arguments must be constant numbers", name)
	return nil
}

func texts(ts []text) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.S)
	}
	return out
}

func (b *builder) buildVars() {
	p, e := b.plan, b.env
	for _, rv := range b.raw.vars {
		if !b.declare(rv.name, "var") {
			continue
		}
		v := &Var{Name: rv.name.S, Why: rv.why.S, Source: texts(rv.source), Pos: rv.name.Pos}
		typ := TypeNum
		if s := strings.TrimSpace(rv.init.S); s == "true" || s == "false" {
			typ = TypeBool
		}
		v.Type = typ
		v.Init = b.c.compile(rv.init, scope{what: "the initial value of var " + v.Name, track: -1, allowTrial: true, want: typ})
		e.vars[v.Name] = len(p.Vars)
		e.varTypes = append(e.varTypes, typ)
		p.Vars = append(p.Vars, v)
	}
}

func (b *builder) buildTracks() {
	p, e := b.plan, b.env
	for _, rt := range b.raw.tracks {
		if !b.declare(rt.name, "track") {
			b.trackOf = append(b.trackOf, -1)
			continue
		}
		b.trackOf = append(b.trackOf, len(p.Tracks))
		tr := &Track{Name: rt.name.S, Why: rt.why.S, First: len(p.States), Key: nameKey("track", rt.name.S), Pos: rt.name.Pos}
		ti := len(p.Tracks)
		states := map[string]int{}
		for _, st := range rt.states {
			if !identRE.MatchString(st.name.S) {
				b.errorf(st.name, "state name %q is not a valid name", st.name.S)
				continue
			}
			if _, dup := states[st.name.S]; dup {
				b.errorf(st.name, "track %s has two states named %q", tr.Name, st.name.S)
				continue
			}
			if len(p.States) >= MaxStates {
				b.errorf(st.name, "too many states (at most %d)", MaxStates)
				return
			}
			states[st.name.S] = len(p.States)
			e.stateNames = append(e.stateNames, tr.Name+"."+st.name.S)
			p.States = append(p.States, &State{Track: ti, Name: st.name.S, Desc: st.value.S, Pos: st.name.Pos})
		}
		tr.NStates = len(p.States) - tr.First
		if tr.NStates == 0 {
			b.errorf(rt.name, "track %s has no states", tr.Name)
		}
		if g, ok := states[rt.initial.S]; ok {
			tr.Initial = g
		} else if rt.initial.ok() {
			b.errorf(rt.initial, "track %s: initial state %q is not one of its states", tr.Name, rt.initial.S)
		}
		e.tracks[tr.Name] = ti
		e.states = append(e.states, states)
		p.Tracks = append(p.Tracks, tr)
	}
	if len(p.Tracks) == 0 && len(b.errs.Errors()) == 0 {
		b.errs.Add(Pos{File: b.file, Line: b.raw.root.Line, Col: b.raw.root.Column}, "", "the scenario has no tracks")
	}
}

// buildLets parses the named expressions of the let section. They are
// expanded where used (so that dwell means the using transition's track);
// each is also checked once here, so an unused let with an error is reported.
func (b *builder) buildLets() {
	e := b.env
	e.lets = map[string]*letDef{}
	for _, rl := range b.raw.lets {
		if !b.declare(rl.name, "let") {
			continue
		}
		tree, err := parser.Parse(rl.value.S)
		if err != nil {
			// Report the syntax error through the compiler for its position.
			b.c.compile(rl.value, scope{what: "let " + rl.name.S, want: TypeNum})
			continue
		}
		e.lets[rl.name.S] = &letDef{t: rl.value, tree: tree.Node}
	}
	for _, rl := range b.raw.lets {
		l, ok := e.lets[rl.name.S]
		if !ok || len(b.errs.Errors()) > 0 {
			continue
		}
		sc := scope{what: "let " + rl.name.S, track: 0, allowState: true, allowTime: true, allowTrial: true}
		l.active = true
		b.c.asValue(b.c.lower(l.tree, l.t, sc, nil), l.t, sc)
		l.active = false
	}
}

func (b *builder) buildTransitions() {
	p, e := b.plan, b.env
	for ri, rt := range b.raw.tracks {
		ti := b.trackOf[ri]
		if ti < 0 || p.Tracks[ti].NStates == 0 {
			continue
		}
		tr := p.Tracks[ti]
		named := map[string]text{} // explicit transition names of this track
		for _, rx := range rt.transitions {
			src := b.raw.tracks[0].name.src
			pos := src.pos(rx.node)
			x := &Transition{Track: ti, Why: rx.why.S, Source: texts(rx.source), Pos: pos}
			at := text{S: "", Pos: pos, node: rx.node, src: src}
			ok := true
			for _, f := range rx.from {
				g, found := e.states[ti][f.S]
				if !found {
					b.errorf(f, "track %s has no state %q (from)", tr.Name, f.S)
					ok = false
					continue
				}
				if slices.Contains(x.From, g) {
					b.errorf(f, "track %s: state %q is listed twice in from", tr.Name, f.S)
					ok = false
					continue
				}
				x.From = append(x.From, g)
			}
			if g, found := e.states[ti][rx.to.S]; found {
				x.To = g
			} else if rx.to.ok() {
				b.errorf(rx.to, "track %s has no state %q (to)", tr.Name, rx.to.S)
				ok = false
			}
			if !ok {
				continue
			}
			x.OffKeep = b.offKeep(rx)
			x.Name = rx.name.S
			if x.Name != "" {
				if prev, dup := named[x.Name]; dup {
					b.errorf(rx.name, "track %s has two transitions named %q (the other at line %d); overlays and reports find transitions by name", tr.Name, x.Name, prev.Pos.Line)
				} else {
					named[x.Name] = rx.name
				}
			}
			if x.Name == "" {
				var from []string
				for _, g := range x.From {
					from = append(from, p.States[g].Name)
				}
				x.Name = strings.Join(from, ",") + "->" + p.States[x.To].Name
			}
			full := tr.Name + ": " + x.Name
			sc := scope{track: ti, allowState: true, allowTime: true, allowTrial: true, want: TypeNum}
			switch {
			case rx.p.ok() && rx.rate.ok():
				b.errorf(rx.rate, "transition %s has both p and rate; give one", full)
			case rx.p.ok():
				sc.what = "the probability of " + full
				x.Prob = b.c.compile(rx.p, sc)
				if rx.per.ok() {
					b.errorf(rx.per, "transition %s: per goes with rate, not p", full)
				}
			case rx.rate.ok():
				sc.what = "the rate of " + full
				x.Per = p.RateUnit
				if rx.per.ok() {
					if _, known := unitDays[rx.per.S]; !known {
						b.errorf(rx.per, "per must be day, week, month or year, not %q", rx.per.S)
						break
					}
					x.Per = rx.per.S
				}
				x.PerDay = 1 / unitDays[x.Per]
				x.Rate = b.c.compile(rx.rate, sc)
				if x.Rate != nil {
					x.Prob = b.rateToProb(rx.rate, x.Per, sc)
				}
			default:
				b.errorf(at, "transition %s needs p (a probability per step) or rate", full)
			}
			if rx.when.ok() {
				sc.what, sc.want = "the guard of "+full, TypeBool
				x.Guard = b.c.compile(rx.when, sc)
			}
			for _, s := range rx.set {
				vi, found := e.vars[s.name.S]
				if !found {
					b.errorf(s.name, "transition %s sets %q, which is not a var", full, s.name.S)
					continue
				}
				sc.what, sc.want = "the effect on "+s.name.S+" of "+full, p.Vars[vi].Type
				if v := b.c.compile(s.value, sc); v != nil {
					x.Effects = append(x.Effects, Effect{Var: vi, Value: v})
				}
			}
			if len(p.Transitions) >= MaxNames {
				b.errorf(at, "too many transitions (at most %d)", MaxNames)
				return
			}
			id := len(p.Transitions)
			for _, g := range x.From {
				p.States[g].Out = append(p.States[g].Out, id)
				if x.Rate != nil {
					p.States[g].Rates++
				}
			}
			p.Transitions = append(p.Transitions, x)
		}
	}
}

// rateToProb compiles 1 − exp(−rate·Δt), with Δt the step's length in the
// rate's unit, so that constant and time-only rates fold into constants and
// tables like any other expression.
func (b *builder) rateToProb(t text, per string, sc scope) *Expr {
	p := b.plan
	dt := b.dt[per] // one table per unit, shared by every rate
	if dt == nil {
		dt = make([]float64, p.Steps+1)
		for k := range dt {
			j := min(k, p.Steps-1)
			dt[k] = (p.PointDay[j+1] - p.PointDay[j]) / unitDays[per]
		}
		b.dt[per] = dt
	}
	var errs ErrorList
	c := &compiler{env: b.env, errs: &errs}
	tree, _ := parser.Parse(t.S)
	r := c.lower(tree.Node, t, sc, nil)
	if r == nil {
		return nil
	}
	constDt := true
	for _, v := range dt {
		constDt = constDt && v == dt[0]
	}
	var dtNode *node
	if constDt {
		dtNode = cnst(dt[0], TypeNum, 0)
	} else {
		dtNode = &node{op: opTable, typ: TypeNum, dep: DepTime, tbl: dt}
	}
	mul := &node{op: opMul, typ: TypeNum, dep: r.dep | dtNode.dep, kids: []*node{r, dtNode}}
	neg := &node{op: opNeg, typ: TypeNum, dep: mul.dep, kids: []*node{mul}}
	ex := &node{op: opFunc1, typ: TypeNum, dep: mul.dep, kids: []*node{neg}, fn1: math.Exp, name: "exp"}
	one := cnst(1, TypeNum, 0)
	prob := &node{op: opSub, typ: TypeNum, dep: mul.dep, kids: []*node{one, ex}}
	return b.c.finish(prob, t)
}

func (b *builder) buildOutcomes() {
	p := b.plan
	sc := scope{track: -1, allowState: true, allowTime: true, allowTrial: true, want: TypeBool}
	for _, ro := range b.raw.outcomes {
		if !b.declare(ro.name, "outcome") {
			continue
		}
		o := &Outcome{Name: ro.name.S, Why: ro.why.S, Source: texts(ro.source), Pos: ro.name.Pos}
		sc.what = "outcome " + o.Name
		o.When = b.c.compile(ro.when, sc)
		if ro.given.ok() {
			sc.what = "the given of outcome " + o.Name
			o.Given = b.c.compile(ro.given, sc)
		}
		p.Outcomes = append(p.Outcomes, o)
	}
}

func (b *builder) buildRun() {
	p, r := b.plan, b.raw
	p.Trials, p.Seed = 10000, 1
	if r.trials.ok() {
		n, err := parseCount(r.trials.S)
		if err != nil || n < 1 || n > MaxTrials {
			b.errorf(r.trials, "run.trials must be a whole number from 1 to %d, not %q", int64(MaxTrials), r.trials.S)
		} else {
			p.Trials = n
		}
	}
	if r.seed.ok() {
		s, err := strconv.ParseUint(r.seed.S, 10, 64)
		if err != nil {
			b.errorf(r.seed, "run.seed must be a whole number from 0 to 2^64-1, not %q", r.seed.S)
		} else {
			p.Seed = s
		}
	}
}

// parseCount parses a trial count: 100000, 1e5 or 100_000 (see ParseWhole).
func parseCount(s string) (int64, error) {
	n, err := ParseWhole(s, 0, math.MaxInt64)
	return int64(n), err
}

// ParseTrials parses and checks a trial count given on the command line.
func ParseTrials(s string) (int64, error) {
	n, err := parseCount(s)
	if err != nil || n < 1 || n > MaxTrials {
		return 0, fmt.Errorf("trials must be a whole number from 1 to %d, not %q", int64(MaxTrials), s)
	}
	return n, nil
}

// checkStatic checks probabilities that do not depend on the trial: each
// constant or time-only probability must lie in [0, 1] at every step, and
// the sum out of a state must not exceed 1 where all its transitions are
// known before the run.
func (b *builder) checkStatic() {
	p := b.plan
	valueAt := func(e *Expr, k int) (float64, bool) {
		switch e.Mode {
		case ModeConst:
			return e.Const, true
		case ModeTable:
			return e.Table[k], true
		}
		return 0, false
	}
	for _, x := range p.Transitions {
		if x.Prob == nil {
			continue
		}
		for k := 0; k < p.Steps; k++ {
			v, known := valueAt(x.Prob, k)
			if !known {
				break
			}
			if !(v >= 0 && v <= 1) {
				pos := x.Prob.Pos // the p: or rate: value
				what := "probability"
				if x.Rate != nil {
					what = "rate gives a probability"
				}
				b.errs.Add(pos, b.raw.tracks[0].name.src.lineOf(pos), "transition %s: %s %g outside [0, 1] at step %d (%s)",
					p.Tracks[x.Track].Name+": "+x.Name, what, v, k, p.Points[k].Format("2006-01-02"))
				break
			}
			if x.Prob.Mode == ModeConst {
				break
			}
		}
	}
	for g, st := range p.States {
		if len(st.Out) < 2 {
			continue
		}
		for k := 0; k < p.Steps; k++ {
			sum, rate, allKnown := 0.0, 0.0, true
			var names []string
			for _, id := range st.Out {
				x := p.Transitions[id]
				if x.Prob == nil {
					allKnown = false
					break
				}
				if x.Guard != nil {
					gv, known := valueAt(x.Guard, k)
					if !known {
						allKnown = false
						break
					}
					if gv == 0 {
						continue
					}
				}
				names = append(names, x.Name)
				if x.Rate != nil && st.Rates >= 2 {
					r, known := valueAt(x.Rate, k)
					if !known {
						allKnown = false
						break
					}
					rate += r * x.PerDay
					continue
				}
				v, known := valueAt(x.Prob, k)
				if !known {
					allKnown = false
					break
				}
				sum += v
			}
			if !allKnown {
				break
			}
			if rate > 0 {
				sum += -math.Expm1(-rate * p.StepDays[k])
			}
			if sum > 1+1e-12 {
				pos := p.Transitions[st.Out[0]].Pos
				b.errs.Add(pos, b.raw.tracks[0].name.src.lineOf(pos), "transitions out of %s (%s) have probabilities summing to %g > 1 at step %d (%s)",
					p.FullName(g), strings.Join(names, ", "), sum, k, p.Points[k].Format("2006-01-02"))
				break
			}
		}
	}
}

// warnGraph warns, from the plan's [Graph], about states that no path of
// transitions that can fire reaches from the initial state, states that can
// never be left although they have transitions out (all of which can never
// fire), and transitions that can never fire.
func (b *builder) warnGraph() {
	p := b.plan
	src := b.raw.tracks[0].name.src
	g := NewGraph(p)
	for _, tr := range p.Tracks {
		for i := tr.First; i < tr.First+tr.NStates; i++ {
			pos := p.States[i].Pos
			switch {
			case !g.Reachable[i]:
				b.errs.Warn(pos, src.lineOf(pos), "state %s is unreachable from the initial state %s", p.FullName(i), p.FullName(tr.Initial))
			case g.Stuck(i):
				var names []string
				for _, id := range p.States[i].Out {
					if x := p.Transitions[id]; x.To != i {
						names = append(names, x.Name)
					}
				}
				b.errs.Warn(pos, src.lineOf(pos), "state %s can never be left: no transition out of it (%s) can ever fire", p.FullName(i), strings.Join(names, ", "))
			}
		}
	}
	for _, x := range p.Transitions {
		if dead(x) {
			b.errs.Warn(x.Pos, src.lineOf(x.Pos), "transition %s: %s can never fire (its probability or guard is always 0)", p.Tracks[x.Track].Name, x.Name)
		}
	}
}

// dead reports whether a transition can never fire whatever the trial.
func dead(x *Transition) bool {
	allZero := func(e *Expr) bool {
		switch e.Mode {
		case ModeConst:
			return e.Const == 0
		case ModeTable:
			for _, v := range e.Table[:len(e.Table)-1] {
				if v != 0 {
					return false
				}
			}
			return true
		}
		return false
	}
	return x.Prob == nil || allZero(x.Prob) || (x.Guard != nil && allZero(x.Guard))
}
