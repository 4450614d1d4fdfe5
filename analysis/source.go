package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"scensim/model"
	"scensim/sim"
)

// Source is the scenario an analysis starts from: its file and the options
// (overrides, hypotheses switched off, the resolver of extends:) it is compiled with. Every
// plan an analysis runs is this file compiled with further overrides.
type Source struct {
	File    string
	Data    []byte
	Options model.Options
}

// Compile compiles the scenario with extra overrides, applied after the
// source's own (so an extra override of a name wins).
func (s *Source) Compile(extra ...model.Override) (*model.Plan, error) {
	opts := s.Options
	opts.Overrides = append(slices.Clone(s.Options.Overrides), extra...)
	p, errs := model.CompileWith(s.File, s.Data, opts)
	if p == nil {
		return nil, &CompileError{Errs: errs, Extra: extra}
	}
	return p, nil
}

// compileFree compiles the scenario with the named params turned into
// uniform(lo, hi) draws, so that a sim.Design can set them per trial: the
// compiler folds a fixed param's value into the expressions that use it, and
// a design then cannot change it. It compiles a small overlay that extends
// the source.
func (s *Source) compileFree(base *model.Plan, names []string, lo, hi []float64) (*model.Plan, error) {
	if len(names) == 0 {
		return s.Compile()
	}
	const marker = "scensim-analysis-base"
	file := s.File + " (with " + strings.Join(names, ", ") + " drawn uniformly)"
	var b strings.Builder
	fmt.Fprintf(&b, "scensim: 1\nname: %s\nextends: %s\nparams:\n", base.Name, marker)
	for i, n := range names {
		fmt.Fprintf(&b, "  %s: {dist: \"uniform(%s, %s)\"}\n", n, num(lo[i]), num(hi[i]))
	}
	opts := s.Options
	opts.Resolve = func(name, from string) (string, []byte, error) {
		if name == marker && from == file {
			return s.File, s.Data, nil
		}
		if s.Options.Resolve == nil {
			return "", nil, fmt.Errorf("no resolver for %q", name)
		}
		return s.Options.Resolve(name, from)
	}
	p, errs := model.CompileWith(file, []byte(b.String()), opts)
	if p == nil {
		return nil, &CompileError{Errs: errs}
	}
	return p, nil
}

// num formats a float exactly and briefly.
func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// CompileError is a scenario that failed to compile with an analysis's
// overrides (for example a sweep value that makes a probability exceed 1).
type CompileError struct {
	Errs  model.ErrorList
	Extra []model.Override
}

func (e *CompileError) Error() string {
	var at []string
	for _, o := range e.Extra {
		at = append(at, o.Name+"="+o.Value)
	}
	msg := fmt.Sprintf("%d error(s)", len(e.Errs.Errors()))
	if len(at) > 0 {
		msg = "with " + strings.Join(at, ", ") + ": " + msg
	}
	return msg
}

// InputError is bad input to an analysis: an unknown param or outcome, an
// empty range, a target outside (0, 1), too many trials. Option names the
// option it concerns, as this package names it (the field of the options
// struct, or the value a Parse function reads: "Outer", "Targets",
// "Target", "Axis", "Overrides" for the source's overrides, ...), or is ""
// if none; Msg says what is wrong without saying how the option was given,
// so that a front end can name it its own way (a flag, a form field).
type InputError struct{ Option, Msg string }

// Error returns "Option: Msg", or Msg if no option is named.
func (e *InputError) Error() string {
	if e.Option == "" {
		return e.Msg
	}
	return e.Option + ": " + e.Msg
}

func inputErr(format string, args ...any) error {
	return &InputError{Msg: fmt.Sprintf(format, args...)}
}

// optionErr is an InputError about the named option.
func optionErr(option, format string, args ...any) error {
	return &InputError{Option: option, Msg: fmt.Sprintf(format, args...)}
}

// RunError is a run-time error of the engine (a probability out of [0,
// 1]) in one of the plans of an analysis, which At names ("prelim_rate=0.3").
type RunError struct {
	At  string
	Err error
}

func (e *RunError) Error() string {
	if e.At == "" {
		return e.Err.Error()
	}
	return e.At + ": " + e.Err.Error()
}

func (e *RunError) Unwrap() error { return e.Err }

// Run holds what every analysis needs to run trials.
type Run struct {
	Trials  int64  // trials per run (grid point, tornado arm, evaluation)
	Seed    uint64 // the seed of every run
	Workers int    // 0: GOMAXPROCS
	// Done, if not nil, counts finished trials (over all plans) for
	// progress bars.
	Done        *atomic.Int64
	ToolVersion string // written into manifests
}

// MaxTotalTrials bounds the trials an analysis may run in all.
const MaxTotalTrials = model.MaxTrials

func checkTotal(what string, total float64) error {
	if total > MaxTotalTrials {
		return inputErr("%s would run %.3g trials in all; at most %.3g are allowed (use fewer points, params or trials)", what, total, float64(MaxTotalTrials))
	}
	return nil
}

// FindParam returns the index of the named param of p, or an error that
// suggests the nearest name.
func FindParam(p *model.Plan, name string) (int, error) {
	for i, par := range p.Params {
		if par.Name == name {
			return i, nil
		}
	}
	var names []string
	for _, par := range p.Params {
		names = append(names, par.Name)
	}
	for _, d := range p.Dates {
		if d.Name == name {
			return -1, inputErr("%q is a date, not a param; this analysis varies params", name)
		}
	}
	return -1, inputErr("unknown param %q%s", name, suggest(name, names))
}

// FindOutcome returns the index of the named outcome of p, or an error that
// suggests the nearest name.
func FindOutcome(p *model.Plan, name string) (int, error) {
	var names []string
	for i, o := range p.Outcomes {
		if o.Name == name {
			return i, nil
		}
		names = append(names, o.Name)
	}
	if len(names) == 0 {
		return -1, inputErr("unknown outcome %q: the scenario has no outcomes", name)
	}
	return -1, inputErr("unknown outcome %q%s", name, suggest(name, names))
}

// suggest returns "(did you mean "x"?)" for the nearest of names, or the
// list of names when none is near.
func suggest(name string, names []string) string {
	best, bestD := "", math.MaxInt
	for _, n := range names {
		if d := model.EditDistance(strings.ToLower(name), strings.ToLower(n)); d < bestD {
			best, bestD = n, d
		}
	}
	if best != "" && bestD <= max(2, len(name)/3) {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	if len(names) > 12 {
		return fmt.Sprintf(" (the scenario has %d: %s, ...)", len(names), strings.Join(names[:12], ", "))
	}
	return " (the scenario has: " + strings.Join(names, ", ") + ")"
}

// outcomeList parses outcome names (each may be a comma-separated list) into
// indices, refusing unknown names and duplicates.
func outcomeList(p *model.Plan, names []string) ([]int, error) {
	var out []int
	for _, s := range names {
		for _, n := range strings.Split(s, ",") {
			n = strings.TrimSpace(n)
			if n == "" {
				continue
			}
			i, err := FindOutcome(p, n)
			if err != nil {
				return nil, err
			}
			if slices.Contains(out, i) {
				return nil, inputErr("outcome %s is named twice", n)
			}
			out = append(out, i)
		}
	}
	return out, nil
}

// runPlan runs one plan, naming at in a run-time error.
func runPlan(ctx context.Context, p *model.Plan, r Run, at string) (*sim.Tally, error) {
	t, err := sim.Run(ctx, p, sim.Options{Trials: r.Trials, Seed: r.Seed, Workers: r.Workers, Done: r.Done})
	if err != nil {
		var intr *sim.Interrupted
		if errors.As(err, &intr) {
			return nil, err
		}
		return nil, &RunError{At: at, Err: err}
	}
	return t, nil
}

// overrideAt describes overrides as "a=1, b=2".
func overrideAt(ovs []model.Override) string {
	var s []string
	for _, o := range ovs {
		s = append(s, o.Name+"="+o.Value)
	}
	return strings.Join(s, ", ")
}
