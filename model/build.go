package model

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"scensim/model/kernel"
	"strings"
	"time"
)

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// compileRaw compiles a read scenario (see CompileWith).
func compileRaw(file string, data []byte, raw *rawScenario, list *ErrorList, opts Options, bases []BaseFile) (*Plan, ErrorList) {
	// Structural errors so far (unknown keys, wrong shapes) do not stop the
	// checks of what could be read: every error of the file is reported.
	sum := sha256.Sum256(data)
	b := &builder{raw: raw, errs: list, file: file, plan: &Plan{
		File: file, SHA256: hex.EncodeToString(sum[:]), Source: data, Bases: bases,
	}}
	b.plan.TableUse.Budget = opts.TableBudget
	if b.plan.TableUse.Budget <= 0 {
		b.plan.TableUse.Budget = DefaultTableBudget
	}
	b.plan.Disabled, b.plan.DisabledNotes = applyDisable(raw, opts.Disable, list)
	b.build(opts.Overrides)
	checkFileNames(raw, list)
	if tableWorkHook != nil && b.env != nil {
		tableWorkHook(b.env.filled)
	}
	errs := list.dedupe()
	errs.Sort()
	if len(errs.Errors()) > 0 {
		return nil, errs.truncate()
	}
	b.plan.Warnings = errs.Warnings()
	return b.plan, errs
}

// tableWorkHook, when set (by tests, which compile one file at a time),
// receives the node evaluations each compilation spent filling time
// tables: the work MaxTableWork bounds.
var tableWorkHook func(work int)

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
	regular []time.Time          // the regular grid's points (see makeGrid)
	horizon time.Time            // the last point
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
	b.buildAsOf()

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
		tracks: map[string]int{}, pointDay: p.PointDay, steps: p.Steps, use: &p.TableUse,
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
	for _, c := range b.raw.checks {
		b.env.later[c.name.S] = "check"
	}
	b.buildDates(ov)
	b.splitGrid()
	b.markInternalDates()
	b.buildParams(ov)
	for _, o := range overrides { // only dates and params are declared so far
		if _, declared := b.names[o.Name]; !declared {
			b.errs.Add(Pos{File: o.label()}, "", "the scenario has no param or date %q", o.Name)
		}
	}
	b.buildVars()
	b.buildTracks()
	b.buildLets()
	// Go on after errors so far, to report every error of the file at
	// once; what failed to declare is skipped, not guessed at.
	b.buildTransitions()
	b.buildOutcomes()
	b.buildChecks()
	b.buildEvidence()
	b.buildRun()
	p.Kernel = kernel.NewTables(len(p.Params), b.env.slotFns, len(p.States), len(p.Outcomes), len(p.Checks))
	p.slotTrees = b.env.slotTrees
	p.Kernel.SetStepMemos(b.env.memos, p.Steps+1)
	p.Kernel.SetNeedSets(b.env.needSets)
	p.Kernel.SetVarMemos(b.env.varMemos)
	if len(b.errs.Errors()) == 0 {
		b.checkStatic()
		b.buildCells()
		b.buildTests()
		b.buildCheckTests()
		b.warnGraph()
	}
}

func texts(ts []text) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.S)
	}
	return out
}
