package analysis

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"scensim/model"
	"scensim/results"
	"scensim/scenarios"
)

// Target is the probability a yes/no outcome should have, or the mean a
// value outcome should have (in the outcome's unit).
type Target struct {
	Outcome string
	P       float64
}

// ParseTarget reads a calibration target: "outcome=0.25" or "outcome=25%"
// (a probability), or "cost=12000" (the mean of a value outcome). Whether
// the number fits the outcome (a probability strictly between 0 and 1) is
// checked by RunCalibrate, which knows the outcome's kind.
func ParseTarget(s string) (Target, error) {
	name, val, ok := strings.Cut(s, "=")
	name, val = strings.TrimSpace(name), strings.TrimSpace(val)
	if !ok || name == "" || val == "" {
		return Target{}, optionErr("Target", "%q: want outcome=probability (e.g. ceasefire_by_summer=0.25) or value_outcome=mean", s)
	}
	scale := 1.0
	if v, isPct := strings.CutSuffix(val, "%"); isPct {
		val, scale = strings.TrimSpace(v), 0.01
	}
	p, err := strconv.ParseFloat(val, 64)
	if err != nil {
		return Target{}, optionErr("Target", "%q: %q is not a number", s, val)
	}
	p *= scale
	if !finite(p) {
		return Target{}, optionErr("Target", "%q: %q is not a finite number", s, val)
	}
	return Target{Outcome: name, P: p}, nil
}

// Vary is a param calibration may move, within [Lo, Hi] (its range: when
// FromRange).
type Vary struct {
	Param     string
	Lo, Hi    float64
	FromRange bool
}

// ParseVary reads the params to calibrate: "a,b" (each within its range:) or
// "a=lo:hi".
func ParseVary(s string) ([]Vary, error) {
	var out []Vary
	if name, spec, ok := strings.Cut(s, "="); ok {
		name = strings.TrimSpace(name)
		lo, hi, ok := strings.Cut(spec, ":")
		v := Vary{Param: name}
		var e1, e2 error
		v.Lo, e1 = strconv.ParseFloat(strings.TrimSpace(lo), 64)
		v.Hi, e2 = strconv.ParseFloat(strings.TrimSpace(hi), 64)
		if !ok || e1 != nil || e2 != nil || !finite(v.Lo) || !finite(v.Hi) || name == "" {
			return nil, optionErr("Vary", "%q: want name, name,name or name=lo:hi", s)
		}
		if !(v.Lo < v.Hi) {
			return nil, optionErr("Vary", "%s: empty range %s:%s (low must be below high)", name, g(v.Lo), g(v.Hi))
		}
		return []Vary{v}, nil
	}
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, Vary{Param: n, FromRange: true})
		}
	}
	if len(out) == 0 {
		return nil, optionErr("Vary", "%q names no param", s)
	}
	return out, nil
}

// CalibrateOptions configure a calibration.
type CalibrateOptions struct {
	Targets     []Target
	Vary        []Vary
	MaxEvals    int    // model runs the search may take (default 200)
	CheckTrials int64  // trials of the independent check run (default 5 × trials, at least 100000)
	CheckSeed   uint64 // seed of the check run
}

// Calibration is the result of a calibration.
type Calibration struct {
	Manifest    Manifest    `json:"manifest"`
	Run         RunInfo     `json:"run"`
	Method      string      `json:"method"`
	Status      string      `json:"status"`
	Reached     bool        `json:"reached"` // every target hit in the check, within its tolerance
	Evaluations int         `json:"evaluations"`
	Objective   float64     `json:"objective"` // Σ (logit p − logit target)² at the solution
	Params      []CalParam  `json:"params"`
	Targets     []CalTarget `json:"targets"`
	CheckSeed   uint64      `json:"check_seed"`
	CheckTrials int64       `json:"check_trials"`
	Trace       []CalEval   `json:"trace"`
	Notes       []string    `json:"notes"`
	// Scenario is the calibrated scenario (an overlay that extends the
	// calibrated one), and ScenarioName its name.
	Scenario     string `json:"-"`
	ScenarioName string `json:"scenario_name"`

	base *model.Plan
	src  *Source
}

// CalParam is a calibrated param.
type CalParam struct {
	Name    string  `json:"name"`
	Lo      float64 `json:"lo"`
	Hi      float64 `json:"hi"`
	Start   float64 `json:"start"` // the scenario's value (the dist's mean for a sampled param)
	Value   float64 `json:"value"` // calibrated
	SE      float64 `json:"se"`    // Monte Carlo standard error of Value (NaN if not identified)
	Dist    string  `json:"dist,omitempty"`
	AtBound bool    `json:"at_bound"`
}

// MarshalJSON writes NaN as null.
func (c CalParam) MarshalJSON() ([]byte, error) {
	type plain CalParam
	return json.Marshal(struct {
		plain
		SE *float64 `json:"se"`
	}{plain(c), nanNil(c.SE)})
}

// CalTarget is a target and what the model gives: at the start values, at
// the calibrated values in the search's own run, and in the check run.
type CalTarget struct {
	Outcome string             `json:"outcome"`
	Given   string             `json:"given,omitempty"`
	Target  float64            `json:"target"`
	Start   results.Proportion `json:"start"`
	Fit     results.Proportion `json:"fit"`
	Check   results.Proportion `json:"check"`
	// Tolerance is the 95% half-width within which the check should fall
	// around the target: 1.96·sqrt(t(1 − t)/n_fit + t(1 − t)/n_check), since
	// the search fits its own run's noise and the check has noise too.
	Tolerance float64 `json:"tolerance"`
	Hit       bool    `json:"hit"` // |check − target| ≤ tolerance
	// Value marks the target of a value outcome's mean: Target is in the
	// outcome's Unit, and Start, Fit and Check hold the mean in P (K = 0, N
	// the trials where the value is defined, SE its standard error, Lo–Hi
	// the normal 95% interval). Scale is the value's SD in the start run,
	// by which its residual is divided (see valueResidual).
	Value bool    `json:"value,omitempty"`
	Unit  string  `json:"unit,omitempty"`
	Scale float64 `json:"scale,omitempty"`
}

// CalEval is one evaluation of the objective.
type CalEval struct {
	X         []float64 `json:"x"`
	Objective float64   `json:"objective"`
	P         []float64 `json:"p"`
}

// MarshalJSON writes NaN as null.
func (e CalEval) MarshalJSON() ([]byte, error) {
	ps := make([]*float64, len(e.P))
	for i, p := range e.P {
		ps[i] = nanNil(p)
	}
	return json.Marshal(struct {
		X         []float64  `json:"x"`
		Objective *float64   `json:"objective"`
		P         []*float64 `json:"p"`
	}{e.X, nanNil(e.Objective), ps})
}

// logitClamp is logit(p) with p kept at least half a trial from 0 and 1.
func logitClamp(p float64, n int64) float64 {
	e := 0.5 / float64(max(n, 1))
	p = math.Min(math.Max(p, e), 1-e)
	return math.Log(p / (1 - p))
}

// RunCalibrate finds values of the varied params, within their ranges, that
// make the model's outcome probabilities hit the targets.
func RunCalibrate(ctx context.Context, src *Source, base *model.Plan, opts CalibrateOptions, run Run) (*Calibration, error) {
	started := time.Now()
	if len(opts.Targets) == 0 {
		return nil, optionErr("Targets", "give at least one target outcome=probability")
	}
	if len(opts.Vary) == 0 {
		return nil, optionErr("Vary", "give the params to calibrate: name[,name]")
	}
	c := &Calibration{Manifest: manifestOf("calibrate", base, run), base: base, src: src, Notes: []string{}}
	if opts.MaxEvals <= 0 {
		opts.MaxEvals = 200
	}
	if opts.CheckTrials <= 0 {
		opts.CheckTrials = max(5*run.Trials, 100000)
	}
	if opts.CheckTrials > model.MaxTrials {
		return nil, optionErr("CheckTrials", "%d: at most %d", opts.CheckTrials, int64(model.MaxTrials))
	}
	c.CheckSeed, c.CheckTrials = opts.CheckSeed, opts.CheckTrials
	set := map[string]bool{}
	for _, o := range src.Options.Overrides {
		set[o.Name] = true
	}
	var outs []int // per target: the yes/no outcome's index, or −1 − the value outcome's index
	for _, t := range opts.Targets {
		i, ct, err := calTargetOf(base, t)
		if err != nil {
			return nil, err
		}
		if containsInt(outs, i) {
			return nil, inputErr("outcome %s has two targets", t.Outcome)
		}
		outs = append(outs, i)
		c.Targets = append(c.Targets, ct)
	}
	for _, v := range opts.Vary {
		i, err := FindParam(base, v.Param)
		if err != nil {
			return nil, err
		}
		for _, p := range c.Params {
			if p.Name == v.Param {
				return nil, optionErr("Vary", "param %s is named twice", v.Param)
			}
		}
		if set[v.Param] {
			return nil, optionErr("Overrides", "param %s is fixed by an override; it cannot also be calibrated", v.Param)
		}
		par := base.Params[i]
		if v.FromRange {
			if !par.HasRange {
				return nil, optionErr("Vary", "param %s has no range: to calibrate within; give one: %s=lo:hi", v.Param, v.Param)
			}
			v.Lo, v.Hi = par.Lo, par.Hi
		}
		if !(v.Lo < v.Hi) {
			return nil, optionErr("Vary", "%s: empty range %s:%s", v.Param, g(v.Lo), g(v.Hi))
		}
		cp := CalParam{Name: v.Param, Lo: v.Lo, Hi: v.Hi, Start: par.Value, SE: math.NaN()}
		if par.Dist != nil {
			cp.Dist = par.Dist.Src
			c.Notes = append(c.Notes, fmt.Sprintf("%s has dist %s; calibration fixes it at one value", par.Name, par.Dist.Src))
		}
		c.Params = append(c.Params, cp)
	}
	k, m := len(c.Params), len(c.Targets)
	if k > m {
		c.Notes = append(c.Notes, fmt.Sprintf("%d params for %d targets: many values fit; this is one of them, found from the scenario's values", k, m))
	}
	if k < m {
		c.Notes = append(c.Notes, fmt.Sprintf("%d params for %d targets: the fit is a compromise in the least-squares sense (on the logit scale)", k, m))
	}
	if err := checkTotal("the calibration", float64(opts.MaxEvals+2*k+1)*float64(run.Trials)+float64(opts.CheckTrials)); err != nil {
		return nil, err
	}

	// eval runs the model at x and returns the estimates of the targets.
	type point struct {
		est []results.Proportion
		obj float64
	}
	cache := map[string]point{}
	var evalErr error
	eval := func(x []float64, r Run) (point, error) {
		ovs := make([]model.Override, k)
		for i, p := range c.Params {
			ovs[i] = model.Override{Name: p.Name, Value: num(x[i])}
		}
		keyS := fmt.Sprint(r.Seed, r.Trials, overrideAt(ovs))
		if pt, ok := cache[keyS]; ok {
			return pt, nil
		}
		plan, err := src.Compile(ovs...)
		if err != nil {
			return point{}, err
		}
		t, err := runPlan(ctx, plan, r, overrideAt(ovs))
		if err != nil {
			return point{}, err
		}
		pt := point{}
		for j, i := range outs {
			e := targetEstimate(t, i)
			pt.est = append(pt.est, e)
			c.Targets[j].setScale(e) // the first evaluation is at the start values
			if e.N == 0 {
				pt.obj += 1e3 // the given never held (the value never defined): far from any target
				continue
			}
			pt.obj += sq(c.Targets[j].residual(e))
		}
		cache[keyS] = pt
		if r.Seed == run.Seed && r.Trials == run.Trials {
			ce := CalEval{X: append([]float64(nil), x...), Objective: pt.obj}
			for _, e := range pt.est {
				ce.P = append(ce.P, e.P)
			}
			c.Trace = append(c.Trace, ce)
		}
		return pt, nil
	}
	start := make([]float64, k)
	for i, p := range c.Params {
		start[i] = math.Min(math.Max(p.Start, p.Lo), p.Hi)
	}
	st, err := eval(start, run)
	if err != nil {
		return nil, err
	}
	for j := range c.Targets {
		c.Targets[j].Start = st.est[j]
	}
	var x []float64
	if k == 1 && m == 1 {
		c.Method = "bisection"
		x, err = c.bisect(func(v float64) (float64, error) {
			pt, err := eval([]float64{v}, run)
			if err != nil {
				return 0, err
			}
			if pt.est[0].N == 0 {
				return math.NaN(), nil
			}
			return pt.est[0].P - c.Targets[0].Target, nil
		}, opts.MaxEvals)
	} else {
		c.Method = "Nelder-Mead"
		x, err = c.nelderMead(func(z []float64) float64 {
			if evalErr != nil {
				return math.Inf(1)
			}
			pt, err := eval(c.fromZ(z), run)
			if err != nil {
				evalErr = err
				return math.Inf(1)
			}
			return pt.obj
		}, start, opts.MaxEvals, &evalErr)
	}
	if err != nil {
		return nil, err
	}
	if evalErr != nil {
		return nil, evalErr
	}
	// Round to 6 significant digits, as the scenario file will say, and
	// report what those values give.
	for i := range x {
		x[i], _ = strconv.ParseFloat(strconv.FormatFloat(x[i], 'g', 6, 64), 64)
		x[i] = math.Min(math.Max(x[i], c.Params[i].Lo), c.Params[i].Hi)
		c.Params[i].Value = x[i]
		span := c.Params[i].Hi - c.Params[i].Lo
		c.Params[i].AtBound = x[i]-c.Params[i].Lo < 1e-3*span || c.Params[i].Hi-x[i] < 1e-3*span
	}
	fit, err := eval(x, run)
	if err != nil {
		return nil, err
	}
	c.Objective = fit.obj
	for j := range c.Targets {
		c.Targets[j].Fit = fit.est[j]
	}
	c.Evaluations = len(c.Trace)
	if err := c.standardErrors(x, fit.est, func(x []float64) ([]results.Proportion, error) {
		pt, err := eval(x, run)
		return pt.est, err
	}); err != nil {
		return nil, err
	}
	chk, err := eval(x, Run{Trials: opts.CheckTrials, Seed: opts.CheckSeed, Workers: run.Workers, Done: run.Done})
	if err != nil {
		return nil, err
	}
	c.Reached = true
	for j := range c.Targets {
		t := &c.Targets[j]
		t.Check = chk.est[j]
		if t.Value {
			t.Tolerance = results.Z95 * math.Sqrt(sq(nanTo0(t.Fit.SE))+sq(nanTo0(t.Check.SE)))
		} else {
			v := t.Target * (1 - t.Target)
			t.Tolerance = results.Z95 * math.Sqrt(v/float64(max(t.Fit.N, 1))+v/float64(max(t.Check.N, 1)))
		}
		t.Hit = math.Abs(t.Check.P-t.Target) <= t.Tolerance
		c.Reached = c.Reached && t.Hit
	}
	for _, p := range c.Params {
		if p.AtBound {
			c.Notes = append(c.Notes, fmt.Sprintf("%s ended at the edge of its range [%s, %s]: the targets may need a value beyond it", p.Name, g(p.Lo), g(p.Hi)))
		}
	}
	if !c.Reached {
		c.Notes = append(c.Notes, "not every target is met in the check run within its tolerance: see the table")
	}
	c.ScenarioName = base.Name + "_calibrated"
	c.Run = RunInfo{Workers: run.Workers, ElapsedSeconds: time.Since(started).Seconds(),
		TotalTrials: int64(len(cache)-1)*run.Trials + opts.CheckTrials}
	return c, nil
}

// fromZ maps the unconstrained search space to the params' boxes:
// x = lo + (hi − lo)·logistic(z).
func (c *Calibration) fromZ(z []float64) []float64 {
	x := make([]float64, len(z))
	for i, p := range c.Params {
		x[i] = p.Lo + (p.Hi-p.Lo)/(1+math.Exp(-z[i]))
	}
	return x
}

func (c *Calibration) toZ(x []float64) []float64 {
	z := make([]float64, len(x))
	for i, p := range c.Params {
		u := (x[i] - p.Lo) / (p.Hi - p.Lo)
		u = math.Min(math.Max(u, 0.02), 0.98)
		z[i] = math.Log(u / (1 - u))
	}
	return z
}

// bisect finds a root of f (p − target) over the param's range; f is a
// step function of x under common random numbers, so bisection converges
// to the step where it changes sign.
func (c *Calibration) bisect(f func(float64) (float64, error), maxEvals int) ([]float64, error) {
	p := c.Params[0]
	a, b := p.Lo, p.Hi
	fa, err := f(a)
	if err != nil {
		return nil, err
	}
	fb, err := f(b)
	if err != nil {
		return nil, err
	}
	switch {
	case math.IsNaN(fa) || math.IsNaN(fb):
		c.Status = "the outcome's given never held at an end of the range"
		return []float64{p.Start}, nil
	case fa == 0:
		c.Status = "converged"
		return []float64{a}, nil
	case fb == 0:
		c.Status = "converged"
		return []float64{b}, nil
	case (fa > 0) == (fb > 0):
		what := "the probability"
		if c.Targets[0].Value {
			what = "the mean"
		}
		c.Status = fmt.Sprintf("not bracketed: over [%s, %s] %s runs from %s to %s, which does not reach the target",
			g(a), g(b), what, c.Targets[0].format(fa+c.Targets[0].Target), c.Targets[0].format(fb+c.Targets[0].Target))
		if math.Abs(fa) < math.Abs(fb) {
			return []float64{a}, nil
		}
		return []float64{b}, nil
	}
	tol := 1e-5 * (b - a)
	for evals := 2; b-a > tol; evals++ {
		if evals >= maxEvals {
			c.Status = "evaluation limit"
			return []float64{(a + b) / 2}, nil
		}
		mid := (a + b) / 2
		fm, err := f(mid)
		if err != nil {
			return nil, err
		}
		if math.IsNaN(fm) || fm == 0 {
			c.Status = "converged"
			return []float64{mid}, nil
		}
		if (fm > 0) == (fa > 0) {
			a, fa = mid, fm
		} else {
			b = mid
		}
	}
	c.Status = "converged"
	return []float64{(a + b) / 2}, nil
}

// stopOnError ends the search when an evaluation failed.
type stopOnError struct {
	optimize.FunctionConverge
	err *error
}

func (s *stopOnError) Converged(loc *optimize.Location) optimize.Status {
	if *s.err != nil {
		return optimize.Failure
	}
	return s.FunctionConverge.Converged(loc)
}

func (c *Calibration) nelderMead(f func([]float64) float64, start []float64, maxEvals int, evalErr *error) ([]float64, error) {
	k := len(start)
	conv := &stopOnError{FunctionConverge: optimize.FunctionConverge{Absolute: 1e-4, Relative: 1e-3, Iterations: 10 + 5*k}, err: evalErr}
	settings := &optimize.Settings{FuncEvaluations: maxEvals - 1, Converger: conv}
	res, err := optimize.Minimize(optimize.Problem{Func: f}, c.toZ(start), settings, &optimize.NelderMead{SimplexSize: 1})
	if *evalErr != nil {
		return nil, *evalErr
	}
	if res == nil {
		return nil, fmt.Errorf("calibration: %v", err)
	}
	switch res.Status {
	case optimize.FunctionConvergence, optimize.MethodConverge, optimize.Success:
		c.Status = "converged"
	case optimize.FunctionEvaluationLimit:
		c.Status = "evaluation limit"
	default:
		c.Status = res.Status.String()
	}
	return c.fromZ(res.X), nil
}

// standardErrors fills each param's Monte Carlo standard error: the
// residuals r_t = logit p̂_t − logit target_t have variance ≈ 1/(n p (1 − p));
// with J = ∂r/∂x from central differences under common random numbers, the
// least-squares solution has covariance (JᵀJ)⁻¹ Jᵀ Σ J (JᵀJ)⁻¹.
func (c *Calibration) standardErrors(x []float64, est []results.Proportion, at func([]float64) ([]results.Proportion, error)) error {
	k, m := len(x), len(est)
	if k > m {
		return nil // not identified
	}
	J := mat.NewDense(m, k, nil)
	for i, p := range c.Params {
		h := 0.01 * (p.Hi - p.Lo)
		lo, hi := math.Max(x[i]-h, p.Lo), math.Min(x[i]+h, p.Hi)
		xl, xh := append([]float64(nil), x...), append([]float64(nil), x...)
		xl[i], xh[i] = lo, hi
		el, err := at(xl)
		if err != nil {
			return err
		}
		eh, err := at(xh)
		if err != nil {
			return err
		}
		for t := range m {
			J.Set(t, i, (c.Targets[t].residual(eh[t])-c.Targets[t].residual(el[t]))/(hi-lo))
		}
	}
	sigma := mat.NewDiagDense(m, nil)
	for t, e := range est {
		sigma.SetDiag(t, c.Targets[t].residualVar(e))
	}
	var jtj, inv mat.Dense
	jtj.Mul(J.T(), J)
	if err := inv.Inverse(&jtj); err != nil {
		return nil // flat in some direction: not identified
	}
	var a, b, cov mat.Dense
	a.Mul(&inv, J.T())
	b.Mul(&a, sigma)
	cov.Mul(&b, a.T())
	for i := range c.Params {
		if v := cov.At(i, i); v >= 0 && !math.IsInf(v, 0) {
			c.Params[i].SE = math.Sqrt(v)
		}
	}
	return nil
}

// ScenarioYAML returns the calibrated scenario as an overlay that extends
// the calibrated scenario, to be written into dir (the extends: path is
// relative to it): the calibrated values, and the overridden values and
// the hypotheses switched off that the calibration ran with.
func (c *Calibration) ScenarioYAML(dir string) string {
	p := c.base
	var b strings.Builder
	q := func(s string) string { j, _ := json.Marshal(s); return string(j) }
	fmt.Fprintf(&b, "# Written by scensim calibrate %s: %s with ", c.Manifest.ToolVersion, p.Name)
	var names []string
	for _, cp := range c.Params {
		names = append(names, cp.Name)
	}
	fmt.Fprintf(&b, "%s calibrated to\n", strings.Join(names, ", "))
	for _, t := range c.Targets {
		fmt.Fprintf(&b, "#   %s = %s (check: %s [%s, %s] in %s trials, seed %d)\n", t.Outcome, t.format(t.Target), t.format(t.Check.P), t.format(t.Check.Lo), t.format(t.Check.Hi), thousands(c.CheckTrials), c.CheckSeed)
	}
	fmt.Fprintf(&b, "# %s trials per evaluation, seed %d, %s, %d evaluations.\n", thousands(c.Manifest.Trials), c.Manifest.Seed, c.Method, c.Evaluations)
	fmt.Fprintf(&b, "scensim: 1\nname: %s\n", c.ScenarioName)
	title := p.Title
	if title == "" {
		title = p.Name
	}
	fmt.Fprintf(&b, "title: %s\n", q(title+" (calibrated)"))
	fmt.Fprintf(&b, "extends: %s\n", q(extendsRef(p, dir)))
	fmt.Fprintf(&b, "run:   # the check run, which scensim run on this file reproduces\n  trials: %d\n  seed: %d\n", c.CheckTrials, c.CheckSeed)
	dateSet := map[string]bool{}
	for _, d := range p.Dates {
		dateSet[d.Name] = true
	}
	var dates []model.Override
	paramSet := map[string]string{}
	var paramOrder []string
	for _, o := range c.src.Options.Overrides {
		if dateSet[o.Name] {
			dates = append(dates, o)
			continue
		}
		if _, seen := paramSet[o.Name]; !seen {
			paramOrder = append(paramOrder, o.Name)
		}
		paramSet[o.Name] = o.Value
	}
	if len(c.src.Options.Disable) > 0 {
		fmt.Fprintf(&b, "disable: [%s]\n", strings.Join(c.src.Options.Disable, ", "))
	}
	if len(dates) > 0 {
		b.WriteString("dates:\n")
		for _, d := range dates {
			fmt.Fprintf(&b, "  %s: %s   # override\n", d.Name, d.Value)
		}
	}
	b.WriteString("params:\n")
	for _, cp := range c.Params {
		was := "the scenario says " + g(cp.Start)
		if cp.Dist != "" {
			was += " (" + cp.Dist + ")"
		}
		fmt.Fprintf(&b, "  %s:\n    value: %s   # calibrated within [%s, %s]; %s\n", cp.Name, g(cp.Value), g(cp.Lo), g(cp.Hi), was)
	}
	for _, n := range paramOrder {
		fmt.Fprintf(&b, "  %s:\n    value: %s   # override\n", n, paramSet[n])
	}
	return b.String()
}

// extendsRef is how an overlay in dir names the scenario p: an embedded
// scenario by its name, a file by its path relative to dir.
func extendsRef(p *model.Plan, dir string) string {
	if name, ok := scenarios.FromSource(p.File); ok {
		return name
	}
	absDir, err1 := filepath.Abs(dir)
	absFile, err2 := filepath.Abs(p.File)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(absDir, absFile); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return p.File
}

// Report renders the calibration; the calibrated scenario is written as
// NAME_calibrated.yaml into dir.
func (c *Calibration) Report(chartFormat, dir string) (*Report, error) {
	r := &Report{Stem: "calibrate", Manifest: c.Manifest, JSON: c}
	c.Scenario = c.ScenarioYAML(dir)
	r.Extra = map[string][]byte{c.ScenarioName + ".yaml": []byte(c.Scenario)}
	r.Heading = append(r.Heading,
		fmt.Sprintf("search          %s, %d evaluations of %s trials each (seed %d, common random numbers): %s", c.Method, c.Evaluations, thousands(c.Manifest.Trials), c.Manifest.Seed, c.Status),
		fmt.Sprintf("check           an independent run of %s trials with seed %d", thousands(c.CheckTrials), c.CheckSeed),
		"objective       Σ (logit p − logit target)² + Σ ((mean − target)/sd)² = "+strconv.FormatFloat(c.Objective, 'g', 4, 64),
		"scenario        "+c.ScenarioName+".yaml (extends "+extendsRef(c.base, dir)+")")
	pt := &Table{Name: "calibrate_params", Title: "Calibrated params", Columns: []string{"param", "value", "± MC SE", "range", "start"}}
	pl := &Table{Name: "calibrate_params", NoText: true, Columns: []string{"param", "value", "se", "lo", "hi", "start", "dist", "at_bound"}}
	for _, p := range c.Params {
		se := "n/a"
		if !math.IsNaN(p.SE) {
			se = g(p.SE)
		}
		pt.add(p.Name, g(p.Value), se, "["+g(p.Lo)+", "+g(p.Hi)+"]", g(p.Start))
		pl.add(p.Name, num(p.Value), f6or(p.SE), num(p.Lo), num(p.Hi), num(p.Start), p.Dist, strconv.FormatBool(p.AtBound))
	}
	pt.NoCSV = true
	pt.Notes = append(pt.Notes, "± MC SE: the Monte Carlo error of the value from the search's finite trials (Gauss–Newton sandwich); n/a when not identified")
	tt := &Table{NoCSV: true, Title: "Targets", Columns: []string{"outcome", "target", "start", "fit", "check", "check 95% CI", "tolerance", "hit"}}
	tl := &Table{Name: "calibrate", NoText: true, Columns: []string{"outcome", "given", "target", "start_p", "fit_p", "fit_n", "check_p", "check_lo95", "check_hi95", "check_n", "tolerance", "hit"}}
	for _, t := range c.Targets {
		hit := "yes"
		if !t.Hit {
			hit = "NO"
		}
		name := t.Outcome
		if t.Given != "" {
			name += " |"
		}
		if t.Value {
			if t.Unit != "" {
				name += " (mean, " + t.Unit + ")"
			} else {
				name += " (mean)"
			}
			tt.add(name, sig4(t.Target), sig4(t.Start.P), sig4(t.Fit.P), sig4(t.Check.P), "["+sig4(t.Check.Lo)+", "+sig4(t.Check.Hi)+"]", "±"+sig4(t.Tolerance), hit)
		} else {
			tt.add(name, pct(t.Target), pct(t.Start.P), pct(t.Fit.P), pct(t.Check.P), pctCI(t.Check.Lo, t.Check.Hi), "±"+strconv.FormatFloat(100*t.Tolerance, 'f', 2, 64), hit)
		}
		tl.add(t.Outcome, t.Given, f6(t.Target), f6(t.Start.P), f6(t.Fit.P), strconv.FormatInt(t.Fit.N, 10), f6(t.Check.P), f6(t.Check.Lo), f6(t.Check.Hi), strconv.FormatInt(t.Check.N, 10), f6(t.Tolerance), strconv.FormatBool(t.Hit))
	}
	tt.Notes = append(tt.Notes, "start: at the scenario's values; fit: at the calibrated values in the search's run; check: an independent run",
		"hit: the check is within the tolerance of the target, 1.96·sqrt(t(1−t)/n_fit + t(1−t)/n_check) (the search fits its own run's noise; more trials tighten it)")
	if c.hasValueTargets() {
		tt.Notes = append(tt.Notes, "a value outcome's target is its mean over the trials where it is defined; tolerance 1.96·sqrt(SE_fit² + SE_check²); in calibrate.csv its *_p columns hold the mean")
	}
	tt.Notes = append(tt.Notes, c.Notes...)
	r.Tables = []*Table{tl, pl, pt, tt}
	if chartFormat != "" {
		charts, err := c.Charts(chartFormat)
		if err != nil {
			return nil, err
		}
		r.Charts = charts
	}
	return r, nil
}

func f6or(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return num(x)
}
