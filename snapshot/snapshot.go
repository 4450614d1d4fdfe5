// Package snapshot holds the resolved scenario a result was run from (its
// params, dates, variables, transitions and outcomes after overlays,
// overrides and disabled hypotheses are applied) and the structural diff
// of two such snapshots: the assumptions that changed between two runs.
//
// A snapshot is plain data: every value is kept as the text the reader
// compares (a param's value, distribution and range; an expression as
// written), so that two snapshots compare without the scenario files.
package snapshot

import (
	"slices"
	"strings"
)

// Scenario is the resolved scenario of one run. Entries keep the order of
// the scenario (params and outcomes in file order, dates in date order).
type Scenario struct {
	Name     string       `json:"name"`
	Title    string       `json:"title,omitempty"`
	AsOf     string       `json:"as_of,omitempty"`
	Time     Time         `json:"time"`
	Disabled []string     `json:"disabled,omitempty"` // hypotheses switched off
	Params   []Param      `json:"params,omitempty"`
	Dates    []Date       `json:"dates,omitempty"`
	Vars     []Var        `json:"vars,omitempty"`
	Trans    []Transition `json:"transitions,omitempty"`
	Outcomes []Outcome    `json:"outcomes,omitempty"`
}

// Time is the run's grid: first and last point and the step unit.
type Time struct {
	Start string `json:"start"`
	End   string `json:"end"`
	Step  string `json:"step"`
	Steps int    `json:"steps"`
}

// Param is a param as run: Value is the fixed value or the mean of Dist
// (shortest decimal form), Dist the distribution as written ("" for a
// fixed param), Range the sensitivity range "[lo, hi]" ("" if none).
type Param struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Dist  string `json:"dist,omitempty"`
	Range string `json:"range,omitempty"`
}

// Date is a named date as run (ISO date).
type Date struct {
	Name string `json:"name"`
	Date string `json:"date"`
}

// Var is a per-trial variable with its initial value as written.
type Var struct {
	Name string `json:"name"`
	Init string `json:"init"`
}

// Transition is a transition of a track: from (states, comma-separated),
// to, its rule as written ("p: EXPR" or "rate: EXPR per UNIT"), its guard
// (when:) and its effects (set:, "var = EXPR; ...").
type Transition struct {
	Track string `json:"track"`
	Name  string `json:"name"`
	From  string `json:"from"`
	To    string `json:"to"`
	Rule  string `json:"rule"`
	When  string `json:"when,omitempty"`
	Set   string `json:"set,omitempty"`
}

// Outcome is an outcome with its expressions as written.
type Outcome struct {
	Name     string `json:"name"`
	When     string `json:"when"`
	Given    string `json:"given,omitempty"`
	Headline bool   `json:"headline,omitempty"`
}

// Change is one assumption that differs between two snapshots: Kind is
// "param", "date", "var", "transition", "outcome", "time", "as_of" or
// "disabled"; Name the element ("track: transition" for a transition);
// Field what of it changed ("value", "dist", "rule", ...; "" for the
// element as a whole); Old and New the two texts, "" where the element is
// absent on that side.
type Change struct {
	Kind  string `json:"kind"`
	Name  string `json:"name"`
	Field string `json:"field,omitempty"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// entry is one comparable fact of a snapshot.
type entry struct {
	kind, name, field, value string
}

// entries flattens s into its comparable facts, in the snapshot's order.
func (s *Scenario) entries() []entry {
	var out []entry
	add := func(kind, name, field, value string) {
		out = append(out, entry{kind, name, field, value})
	}
	add("as_of", "as_of", "", s.AsOf)
	add("time", "time", "start", s.Time.Start)
	add("time", "time", "end", s.Time.End)
	add("time", "time", "step", s.Time.Step)
	add("disabled", "disabled", "", strings.Join(s.Disabled, ", "))
	for _, p := range s.Params {
		add("param", p.Name, "value", p.Value)
		add("param", p.Name, "dist", p.Dist)
		add("param", p.Name, "range", p.Range)
	}
	for _, d := range s.Dates {
		add("date", d.Name, "", d.Date)
	}
	for _, v := range s.Vars {
		add("var", v.Name, "init", v.Init)
	}
	for _, t := range s.Trans {
		n := t.Track + ": " + t.Name
		add("transition", n, "from", t.From)
		add("transition", n, "to", t.To)
		add("transition", n, "rule", t.Rule)
		add("transition", n, "when", t.When)
		add("transition", n, "set", t.Set)
	}
	for _, o := range s.Outcomes {
		add("outcome", o.Name, "when", o.When)
		add("outcome", o.Name, "given", o.Given)
	}
	return out
}

// Diff lists the assumptions that differ from old to new: the facts of old
// in old's order, then those only new has. An element present on one side
// only is one change (Field "", the side without it ""), not one per
// field. Equal snapshots give none.
func Diff(old, new *Scenario) []Change {
	oe, ne := old.entries(), new.entries()
	key := func(e entry) string { return e.kind + "\x00" + e.name + "\x00" + e.field }
	elem := func(e entry) string { return e.kind + "\x00" + e.name }
	nv := map[string]string{}
	nElem := map[string]bool{}
	for _, e := range ne {
		nv[key(e)] = e.value
		nElem[elem(e)] = true
	}
	ov := map[string]bool{}
	oElem := map[string]bool{}
	for _, e := range oe {
		ov[key(e)] = true
		oElem[elem(e)] = true
	}
	var out []Change
	seenWhole := map[string]bool{}
	whole := func(es []entry, e entry) string { // the element's facts as one text
		var parts []string
		for _, x := range es {
			if elem(x) == elem(e) && x.value != "" {
				if x.field != "" {
					parts = append(parts, x.field+" "+x.value)
				} else {
					parts = append(parts, x.value)
				}
			}
		}
		return strings.Join(parts, "; ")
	}
	for _, e := range oe {
		switch {
		case !nElem[elem(e)] && isElement(e.kind):
			if !seenWhole[elem(e)] {
				seenWhole[elem(e)] = true
				out = append(out, Change{Kind: e.kind, Name: e.name, Old: whole(oe, e)})
			}
		case nv[key(e)] != e.value:
			out = append(out, Change{Kind: e.kind, Name: e.name, Field: e.field, Old: e.value, New: nv[key(e)]})
		}
	}
	for _, e := range ne {
		switch {
		case !oElem[elem(e)] && isElement(e.kind):
			if !seenWhole["+"+elem(e)] {
				seenWhole["+"+elem(e)] = true
				out = append(out, Change{Kind: e.kind, Name: e.name, New: whole(ne, e)})
			}
		case !ov[key(e)] && e.value != "":
			out = append(out, Change{Kind: e.kind, Name: e.name, Field: e.field, New: e.value})
		}
	}
	return out
}

// isElement reports whether kind names elements that a scenario may have
// or lack (as opposed to the always-present as_of, time and disabled).
func isElement(kind string) bool {
	return !slices.Contains([]string{"as_of", "time", "disabled"}, kind)
}

// What is a change's subject as a reader says it: "param p_prelim value",
// "transition talks: deal rule", "as_of".
func (c Change) What() string {
	s := c.Kind
	if c.Name != c.Kind {
		s += " " + c.Name
	}
	if c.Field != "" {
		s += " " + c.Field
	}
	return s
}
