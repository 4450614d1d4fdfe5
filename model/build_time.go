package model

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// unitDays is the length of a rate unit in days.
var unitDays = map[string]float64{"day": 1, "week": 7, "month": 365.25 / 12, "year": 365.25}

// stepApproxDays is the shortest length in days of each step unit, to
// estimate a horizon's number of steps before making them.
var stepApproxDays = map[string]float64{"day": 1, "week": 7, "month": 28, "quarter": 89, "year": 365}

// daysBetween returns the whole days from a to b. Unlike b.Sub(a), it does
// not saturate at 292 years.
func daysBetween(a, b time.Time) float64 {
	return math.Round(float64(b.Unix()-a.Unix()) / 86400)
}

// addMonths returns t plus n calendar months, its day of the month clamped
// to the last day of a shorter month (the end-of-month convention): from
// January 31, one month is February 28 (29 in a leap year), two are March
// 31. Unlike time.AddDate it never skips a month.
func addMonths(t time.Time, n int) time.Time {
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(t.Day(), last)-1)
}

// maxYear is the last year a date can fall in: dates are written and read
// as YYYY-MM-DD.
const maxYear = 9999

// yearOutOfRange reports whether t cannot be written as YYYY-MM-DD.
func yearOutOfRange(t time.Time) bool { return t.Year() > maxYear || t.Year() < 0 }

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
	if _, ok := stepApproxDays[p.StepUnit]; !ok {
		b.errorf(t.step, "time.step must be day, week, month, quarter or year, not %q", p.StepUnit)
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
	var horizon time.Time // zero unless given
	pointAt := func(k int) time.Time {
		switch p.StepUnit {
		case "day":
			return start.AddDate(0, 0, k)
		case "week":
			return start.AddDate(0, 0, 7*k)
		case "quarter":
			return addMonths(start, 3*k)
		case "year":
			return addMonths(start, 12*k)
		}
		return addMonths(start, k)
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
		approx := daysBetween(start, end) / stepApproxDays[p.StepUnit]
		if approx > MaxSteps+1 {
			b.errorf(t.horizon, "time.horizon %s is about %.0f %ss away; at most %d steps are allowed", t.horizon.S, approx, p.StepUnit, MaxSteps)
			return false
		}
		n := 0
		for n <= MaxSteps && !pointAt(n+1).After(end) { // bounded: n > MaxSteps is refused below
			n++
		}
		if pointAt(n).Before(end) {
			n++ // the last step is cut short at the horizon (see splitGrid)
		}
		if n > MaxSteps {
			b.errorf(t.horizon, "time.horizon gives more than %d steps", MaxSteps)
			return false
		}
		horizon = end
		p.Steps = n
	}
	if last := pointAt(p.Steps); yearOutOfRange(last) {
		at := t.steps
		if !at.ok() {
			at = t.horizon
		}
		b.errorf(at, "time: the last point falls in the year %d, past %d: use fewer steps or an earlier start", last.Year(), maxYear)
		return false
	}
	// The regular grid: Steps+1 points, the last one possibly past a
	// horizon that cuts the last step short. splitGrid makes the plan's
	// points from it once the named dates are known.
	b.regular = make([]time.Time, p.Steps+1)
	for k := range b.regular {
		b.regular[k] = pointAt(k)
	}
	b.horizon = horizon
	if horizon.IsZero() {
		b.horizon = b.regular[p.Steps]
	}
	b.makeGrid(nil)
	return true
}
