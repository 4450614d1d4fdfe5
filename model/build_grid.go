package model

import (
	"slices"
	"sort"
	"time"
)

// IrregularStep is a step shorter than the regular step it lies in: a
// regular step is split where a named date falls inside it, and the last
// step ends at the horizon.
type IrregularStep struct {
	Step        int       // index of the step
	From, To    time.Time // its first point and the next
	Days        float64   // its length in days
	RegularDays float64   // the length of the regular step it is part of
	// SplitAt names the dates (and "horizon") at which it ends or begins
	// off the regular grid.
	SplitAt []string
}

// makeGrid sets the plan's points: the regular points before the horizon,
// the horizon, and every date of cuts strictly between time.start and the
// horizon. It also sets, per step, its share of the regular step it lies
// in (StepFrac) and, per point, its position counted in regular steps
// (StepPos), and lists the irregular steps.
// cuts maps a date, as days since time.start, to the names of the dates
// on it.
func (b *builder) makeGrid(cuts map[float64][]string) {
	p, reg, end := b.plan, b.regular, b.horizon
	points := make([]time.Time, 0, len(reg)+len(cuts))
	for _, t := range reg {
		if t.Before(end) {
			points = append(points, t)
		}
	}
	points = append(points, end)
	for _, d := range p.Dates {
		if _, cut := cuts[d.Day]; cut && d.Date.After(p.Start) && d.Date.Before(end) {
			points = append(points, d.Date)
		}
	}
	slices.SortFunc(points, func(a, c time.Time) int { return a.Compare(c) })
	points = slices.CompactFunc(points, func(a, c time.Time) bool { return a.Equal(c) })

	p.Steps = len(points) - 1
	p.Points = points
	p.PointDay = make([]float64, len(points))
	for k, t := range points {
		p.PointDay[k] = daysBetween(p.Start, t)
	}
	p.StepDays = make([]float64, p.Steps)
	p.StepFrac = make([]float64, p.Steps)
	p.StepPos = make([]float64, len(points))
	p.Irregular = nil
	j := 0 // the regular step that contains step k
	for k := range p.Steps {
		for j+1 < len(reg)-1 && !reg[j+1].After(points[k]) {
			j++
		}
		regDays := daysBetween(reg[j], reg[j+1])
		p.StepDays[k] = p.PointDay[k+1] - p.PointDay[k]
		p.StepFrac[k] = p.StepDays[k] / regDays
		p.StepPos[k] = float64(j) + daysBetween(reg[j], points[k])/regDays
		if p.StepDays[k] == regDays {
			p.StepFrac[k] = 1
			continue
		}
		var at []string
		if !points[k].Equal(reg[j]) {
			at = append(at, cuts[p.PointDay[k]]...)
		}
		if points[k+1].Equal(end) && !end.Equal(reg[j+1]) {
			at = append(at, "horizon")
		} else if !points[k+1].Equal(reg[j+1]) {
			at = append(at, cuts[p.PointDay[k+1]]...)
		}
		p.Irregular = append(p.Irregular, IrregularStep{Step: k, From: points[k], To: points[k+1],
			Days: p.StepDays[k], RegularDays: regDays, SplitAt: at})
	}
	last := len(reg) - 2 // the regular step that contains the horizon
	p.StepPos[p.Steps] = float64(last) + daysBetween(reg[last], end)/daysBetween(reg[last], reg[last+1])
	if b.env != nil {
		b.env.pointDay, b.env.steps, b.env.stepPos, b.env.dwellPos = p.PointDay, p.Steps, p.StepPos, nil
		if len(p.Irregular) > 0 {
			b.env.dwellPos = p.StepPos
		}
	}
}

// splitGrid makes every named date between time.start and the horizon a
// point of the grid, so that "by D" counts exactly what happens up to D,
// and sets each date's point.
func (b *builder) splitGrid() {
	p := b.plan
	cuts := map[float64][]string{}
	for _, d := range p.Dates {
		cuts[d.Day] = append(cuts[d.Day], d.Name)
	}
	b.makeGrid(cuts)
	if p.Steps > MaxSteps {
		b.errorf(b.raw.time.start, "time: the named dates split the grid into %d steps; at most %d are allowed", p.Steps, MaxSteps)
	}
	for _, d := range p.Dates {
		// The last point dated on or before d, -1 if none.
		d.Point = sort.SearchFloat64s(p.PointDay, d.Day+0.5) - 1
		// Such dates are not points: say what "by d" means for them.
		switch {
		case d.Point < 0:
			b.errs.Warn(d.Pos, "", "date %s (%s) is before time.start: nothing is reached by it", d.Name, d.Date.Format("2006-01-02"))
		case d.Point == p.Steps && d.Day > p.PointDay[p.Steps]:
			b.errs.Warn(d.Pos, "", "date %s (%s) is after the horizon (%s): reached by it means reached by the horizon", d.Name, d.Date.Format("2006-01-02"), p.Points[p.Steps].Format("2006-01-02"))
		}
	}
}
