package model

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

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
			val = text{S: o.Value, Pos: Pos{File: o.label()}}
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
			t = addMonths(t, pd.sign*pd.n)
		case "y":
			t = addMonths(t, 12*pd.sign*pd.n)
		}
		if yearOutOfRange(t) {
			b.errorf(pd.val, "date %s falls in the year %d, outside 0 to %d", name, t.Year(), maxYear)
			state[name] = 2
			return false
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
	// The plan lists its dates in date order (file order for equal dates),
	// as every table and chart shows them.
	slices.SortStableFunc(p.Dates, func(x, y *Date) int { return x.Date.Compare(y.Date) })
}
