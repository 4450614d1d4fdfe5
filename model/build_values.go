package model

import (
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// DaysPerYear is the year length used to turn an annual discount rate into
// a factor per point. Point k is discounted by (1+rate)^(−k·s/DaysPerYear)
// where s is the nominal step length in days (7 for a week, 365.25/12 for a
// month): a month-step model discounts by (1+rate)^(−1/12) per step,
// whatever the calendar length of the month, as a cohort model with
// monthly cycles does.
const DaysPerYear = 365.25

// DefaultValueBins is the number of histogram bins of a value outcome
// that declares none.
const DefaultValueBins = 50

// ValueOutcome is an outcome that is a number per trial. Exactly one of At
// and PerStep is set:
//
//   - At (`value:`) is evaluated once, at the horizon, like a `when:`.
//   - PerStep (`accumulate:`) is evaluated at points of the trial and
//     summed: the trial's value is Σ_k Weight[k]·PerStep(point k) over
//     points k = 0..Steps, where Weight[k] is the discount factor of point
//     k times 1 for k < Steps and 0 for k = Steps, or, with half-cycle
//     correction, times ½ at k = 0 and k = Steps and 1 between (the
//     trapezoid rule). A bool counts as 0 or 1, so `accumulate: a.s` is the
//     number of steps spent in state s.
//
// A value that is NaN or infinite (e.g. `entry()` of a state never
// entered) is undefined for that trial and counted apart.
type ValueOutcome struct {
	Name     string
	Why      string
	Source   []string
	Group    string
	Headline bool
	Question string
	Unit     string // what the number counts, for display (`unit:`), may be ""
	Pos      Pos

	At        *Expr
	PerStep   *Expr
	Discount  float64 // annual rate (`discount:`), 0 for none
	HalfCycle bool    // `half_cycle: true`
	// Weight[k] multiplies PerStep at point k (k = 0..Steps); nil for At.
	Weight []float64
	// Bins equal histogram bins cover [Lo, Hi) (`bins:`, `range: [lo, hi]`).
	Bins   int
	Lo, Hi float64
}

// valueFields are the raw fields that make an outcome a value outcome.
type valueFields struct {
	value, accumulate, discount, halfCycle, bins, unit text
	rng                                                []text
	rngSet, hasValue, hasAccumulate                    bool
}

// selected reports whether the outcome declares a number per trial.
func (v *valueFields) selected() bool { return v.value.ok() || v.accumulate.ok() }

// declared reports whether the outcome has a value: or accumulate: key,
// perhaps unreadable.
func (v *valueFields) declared() bool { return v.hasValue || v.hasAccumulate }

// valueFieldList returns the readers of the value fields of an outcome.
func valueFieldList(s *source, what string, v *valueFields) []field {
	return []field{
		{"value", false, func(k, n *yaml.Node) { v.value, v.hasValue = s.scalar(n, what+".value"), true }},
		{"accumulate", false, func(k, n *yaml.Node) { v.accumulate, v.hasAccumulate = s.scalar(n, what+".accumulate"), true }},
		{"discount", false, func(k, n *yaml.Node) { v.discount = s.scalar(n, what+".discount") }},
		{"half_cycle", false, func(k, n *yaml.Node) { v.halfCycle = s.scalar(n, what+".half_cycle") }},
		{"bins", false, func(k, n *yaml.Node) { v.bins = s.scalar(n, what+".bins") }},
		{"unit", false, func(k, n *yaml.Node) { v.unit = s.scalar(n, what+".unit") }},
		{"range", false, func(k, n *yaml.Node) { v.rng, v.rngSet = s.scalars(n, what+".range"), true }},
	}
}

// valueFieldsUnused reports value fields on a yes/no outcome.
func (b *builder) valueFieldsUnused(ro *rawOutcome) {
	v := &ro.value
	for _, f := range []struct {
		t    text
		name string
	}{{v.discount, "discount"}, {v.halfCycle, "half_cycle"}, {v.bins, "bins"}, {v.unit, "unit"}} {
		if f.t.ok() {
			b.errorf(f.t, "outcome %s: %s: applies only to a value outcome (value: or accumulate:)", ro.name.S, f.name)
		}
	}
	if v.rngSet {
		b.errorf(ro.name, "outcome %s: range: applies only to a value outcome (value: or accumulate:)", ro.name.S)
	}
}

// buildValueOutcome compiles a value outcome into Plan.Values.
func (b *builder) buildValueOutcome(ro *rawOutcome) {
	p, v := b.plan, &ro.value
	name := ro.name.S
	o := &Outcome{Name: name}
	b.outcomeMeta(o, ro)
	vo := &ValueOutcome{Name: name, Why: ro.why.S, Source: texts(ro.source), Group: o.Group, Headline: o.Headline,
		Question: o.Question, Unit: strings.TrimSpace(v.unit.S), Pos: ro.name.Pos, Bins: DefaultValueBins}
	ok := true
	for _, f := range []struct {
		t    text
		name string
	}{{ro.when, "when"}, {ro.given, "given"}} {
		if f.t.ok() {
			b.errorf(f.t, "outcome %s: a value outcome takes no %s: (a trial where the value cannot be computed gives NaN or Inf, counted as undefined)", name, f.name)
			ok = false
		}
	}
	if v.value.ok() && v.accumulate.ok() {
		b.errorf(v.accumulate, "outcome %s: give value: or accumulate:, not both", name)
		return
	}
	sc := scope{track: -1, allowState: true, allowTime: true, allowTrial: true, want: TypeNum}
	if v.value.ok() {
		for _, f := range []struct {
			t    text
			name string
		}{{v.discount, "discount"}, {v.halfCycle, "half_cycle"}} {
			if f.t.ok() {
				b.errorf(f.t, "outcome %s: %s: applies only to accumulate:", name, f.name)
				ok = false
			}
		}
		sc.what = "the value of outcome " + name
		vo.At = b.c.compile(v.value, sc)
		ok = ok && vo.At != nil
	} else {
		sc.what = "the accumulate of outcome " + name
		vo.PerStep = b.compileNumOrBool(v.accumulate, sc)
		ok = ok && vo.PerStep != nil
		if v.discount.ok() {
			r, err := strconv.ParseFloat(strings.TrimSpace(v.discount.S), 64)
			if err != nil || !(r >= 0 && r <= 1) {
				b.errorf(v.discount, "outcome %s: discount must be an annual rate from 0 to 1 (e.g. 0.035), not %q", name, v.discount.S)
				ok = false
			}
			vo.Discount = r
		}
		vo.HalfCycle = b.boolField(v.halfCycle, "outcome "+name+": half_cycle")
		vo.Weight = valueWeights(p, vo.Discount, vo.HalfCycle)
	}
	vo.Lo, vo.Hi = b.defaultValueRange(vo)
	if v.bins.ok() {
		n, err := strconv.Atoi(strings.TrimSpace(v.bins.S))
		if err != nil || n < 1 || n > 10000 {
			b.errorf(v.bins, "outcome %s: bins must be a whole number from 1 to 10000, not %q", name, v.bins.S)
			ok = false
		}
		vo.Bins = n
	}
	if v.rngSet {
		lo, hi, good := parseRange(v.rng)
		if !good {
			b.errorf(ro.name, "outcome %s: range must be [lo, hi] with finite lo < hi", name)
			ok = false
		}
		vo.Lo, vo.Hi = lo, hi
	}
	if ok {
		p.Values = append(p.Values, vo)
	}
}

// compileNumOrBool compiles a per-step expression that may be a number or
// a bool (a bool counts 0 or 1).
func (b *builder) compileNumOrBool(t text, sc scope) *Expr {
	var scratch ErrorList
	probe := &compiler{env: b.c.env, errs: &scratch}
	bsc := sc
	bsc.want = TypeBool
	if e := probe.compile(t, bsc); e != nil && len(scratch) == 0 {
		return e
	}
	return b.c.compile(t, sc)
}

// parseRange parses `range: [lo, hi]`.
func parseRange(ts []text) (lo, hi float64, ok bool) {
	if len(ts) != 2 {
		return 0, 0, false
	}
	lo, err1 := strconv.ParseFloat(strings.TrimSpace(ts[0].S), 64)
	hi, err2 := strconv.ParseFloat(strings.TrimSpace(ts[1].S), 64)
	return lo, hi, err1 == nil && err2 == nil && lo < hi && !math.IsInf(lo, 0) && !math.IsInf(hi, 0)
}

// defaultValueRange is the histogram range of a value outcome that
// declares none: for accumulate:, [0, Σ Weight] (the most a per-step 0/1
// can sum to: a number of steps); for value:, [0, the horizon in days
// since the start] (the range of an entry date).
func (b *builder) defaultValueRange(vo *ValueOutcome) (float64, float64) {
	p := b.plan
	hi := 0.0
	if vo.Weight != nil {
		for _, w := range vo.Weight {
			hi += w
		}
	} else {
		for _, d := range p.StepDays {
			hi += d
		}
	}
	if !(hi > 0) {
		hi = 1
	}
	return 0, hi
}

// stepYears is the nominal length of a step in years, by time.step.
var stepYears = map[string]float64{"day": 1 / DaysPerYear, "week": 7 / DaysPerYear, "month": 1.0 / 12, "quarter": 0.25, "year": 1}

// valueWeights returns the weights of points 0..Steps of an accumulated
// value (see ValueOutcome). On the calendar-exact grid a step split by a
// date (or cut short by the horizon) is the fraction StepFrac of the
// regular step it lies in: a point weighs that fraction of a cycle, so
// that `accumulate: a.s` still counts regular steps (the trapezoid rule
// weighs point k by the mean of the fractions of the steps on either
// side), and point k is discounted by its position StepPos[k] in regular
// steps. On a regular grid this is one cycle per point and position k.
func valueWeights(p *Plan, rate float64, halfCycle bool) []float64 {
	w := make([]float64, p.Steps+1)
	perStep := stepYears[p.StepUnit]
	frac := func(k int) float64 {
		if k < 0 || k >= p.Steps {
			return 0
		}
		if k < len(p.StepFrac) {
			return p.StepFrac[k]
		}
		return 1
	}
	for k := range w {
		pos := float64(k)
		if k < len(p.StepPos) {
			pos = p.StepPos[k]
		}
		d := 1.0
		if rate > 0 {
			d = math.Pow(1+rate, -pos*perStep)
		}
		if halfCycle {
			w[k] = d * (frac(k-1) + frac(k)) / 2
		} else {
			w[k] = d * frac(k)
		}
	}
	return w
}
