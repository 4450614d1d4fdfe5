package score

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"scensim/model"
)

// MaxFileBytes is the largest resolutions file read.
const MaxFileBytes = 1 << 20

// Status is what a resolutions file says of an outcome.
type Status int

const (
	// Open: not resolved yet (value: open, or the outcome is not listed).
	Open Status = iota
	// Yes: the outcome happened.
	Yes
	// No: the outcome did not happen.
	No
	// ConditionFalse: a conditional outcome whose condition resolved false
	// (given: no); it is not scored.
	ConditionFalse
)

// String names the status as the text renderings show it.
func (s Status) String() string {
	switch s {
	case Yes:
		return "yes"
	case No:
		return "no"
	case ConditionFalse:
		return "condition false"
	}
	return "open"
}

// Resolution is the resolution of one outcome.
type Resolution struct {
	Outcome string
	Status  Status
	Date    string // YYYY-MM-DD; "" when open
	Source  string // free text: where the resolution can be checked
	Pos     model.Pos
}

// Resolutions is a checked resolutions file.
type Resolutions struct {
	File string
	// Resolved holds the listed outcomes in file order.
	Resolved []Resolution
	// BaseRates are the per-outcome base rates of base_rates:.
	BaseRates map[string]float64
}

// Lookup returns the resolution of an outcome; an outcome that is not
// listed is open.
func (r *Resolutions) Lookup(outcome string) Resolution {
	for _, x := range r.Resolved {
		if x.Outcome == outcome {
			return x
		}
	}
	return Resolution{Outcome: outcome, Status: Open}
}

// Outcome is an outcome the resolutions may name: its name and, for a
// conditional outcome, the text of its `given` condition.
type Outcome struct {
	Name  string
	Given string
}

// ParseResolutions checks a resolutions file's bytes against the outcomes
// it may name (those of the results being scored). The file is
//
//	resolutions:
//	  OUTCOME:
//	    value: yes | no | open
//	    date: YYYY-MM-DD        # required unless open
//	    source: "..."           # optional note
//	    given: yes | no         # conditional outcomes only, required unless open
//	base_rates:                 # optional
//	  OUTCOME: 0.3
//
// A conditional outcome is scored only when its condition resolved true
// (given: yes); given: no marks it "condition false" and its value, if any,
// is not scored. Every outcome is a yes/no outcome: a numeric value is an
// error. It returns every error found, sorted by position, each with its
// file:line:col and source line; unknown outcome names get a suggestion.
func ParseResolutions(file string, data []byte, known []Outcome) (*Resolutions, model.ErrorList) {
	var errs model.ErrorList
	y, root := model.ReadYAML(file, data, "resolutions", MaxFileBytes, &errs)
	out := &Resolutions{File: file, BaseRates: map[string]float64{}}
	if root != nil {
		p := &resParser{y: y, file: file, known: known, out: out, errs: &errs}
		y.Mapping(root, "the resolutions file", []model.YAMLField{
			{Name: "resolutions", Required: true, Read: func(_, v *yaml.Node) { p.resolutions(v) }},
			{Name: "base_rates", Read: func(_, v *yaml.Node) { p.baseRates(v) }},
		})
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return out, nil
}

type resParser struct {
	y     *model.YAMLFile
	file  string
	known []Outcome
	out   *Resolutions
	errs  *model.ErrorList // to tell whether reading an entry found errors
}

// names calls each for every key of a mapping of outcome names, after
// checking that the name is known and not repeated.
func (p *resParser) names(n *yaml.Node, what string, each func(o Outcome, key, val *yaml.Node)) {
	if n = p.y.Resolve(n); n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // an empty section
	}
	if n.Kind != yaml.MappingNode {
		p.y.Errorf(n, "%s must be a mapping of outcome names, not %s", what, model.KindName(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := p.y.Resolve(n.Content[i]), p.y.Resolve(n.Content[i+1])
		if k == nil || v == nil {
			return
		}
		name, ok := p.y.Scalar(k, "an outcome name")
		if !ok {
			continue
		}
		if seen[name] {
			p.y.Errorf(k, "outcome %q is listed twice in %s", name, what)
			continue
		}
		seen[name] = true
		i := slices.IndexFunc(p.known, func(o Outcome) bool { return o.Name == name })
		if i < 0 {
			p.y.Errorf(k, "unknown outcome %q in %s%s", name, what, p.suggest(name))
			continue
		}
		each(p.known[i], k, v)
	}
}

// suggest proposes the nearest known outcome name, or lists them.
func (p *resParser) suggest(name string) string {
	best, bestD := "", 1<<30
	for _, o := range p.known {
		if d := model.EditDistance(strings.ToLower(name), strings.ToLower(o.Name)); d < bestD {
			best, bestD = o.Name, d
		}
	}
	switch {
	case best == "":
		return " (the results have no outcomes)"
	case bestD <= max(2, len(name)/3):
		return fmt.Sprintf(" (did you mean %q?)", best)
	case len(p.known) <= 12:
		names := make([]string, len(p.known))
		for i, o := range p.known {
			names[i] = o.Name
		}
		return " (the results have: " + strings.Join(names, ", ") + ")"
	}
	return fmt.Sprintf(" (the results have %d outcomes; none is close)", len(p.known))
}

func (p *resParser) pos(n *yaml.Node) model.Pos {
	return model.Pos{File: p.file, Line: n.Line, Col: n.Column}
}

func (p *resParser) resolutions(n *yaml.Node) {
	p.names(n, "resolutions", func(o Outcome, key, val *yaml.Node) {
		r := Resolution{Outcome: o.Name, Pos: p.pos(key)}
		var status, given, date *yaml.Node
		var cond string
		before := len(*p.errs)
		ok := p.y.Mapping(val, "the resolution of "+o.Name, []model.YAMLField{
			{Name: "value", Read: func(_, v *yaml.Node) {
				status = v
				s, ok := p.y.Scalar(v, "value")
				if !ok {
					return
				}
				switch strings.ToLower(s) {
				case "yes", "true":
					r.Status = Yes
				case "no", "false":
					r.Status = No
				case "open":
					r.Status = Open
				default:
					if _, err := strconv.ParseFloat(s, 64); err == nil {
						p.y.Errorf(v, "value %s: %s is a yes/no outcome, so its value is yes, no or open, not a number", s, o.Name)
					} else {
						p.y.Errorf(v, "value %q: want yes, no or open", s)
					}
					status = nil
				}
			}},
			{Name: "date", Read: func(_, v *yaml.Node) {
				s, ok := p.y.Scalar(v, "date")
				if !ok {
					return
				}
				if _, err := time.Parse("2006-01-02", s); err != nil {
					p.y.Errorf(v, "date %q: want a calendar date YYYY-MM-DD", s)
					return
				}
				r.Date, date = s, v
			}},
			{Name: "source", Read: func(_, v *yaml.Node) {
				if s, ok := p.y.Scalar(v, "source"); ok {
					r.Source = s
				}
			}},
			{Name: "given", Read: func(_, v *yaml.Node) {
				s, ok := p.y.Scalar(v, "given")
				if !ok {
					return
				}
				if o.Given == "" {
					p.y.Errorf(v, "given: %s has no condition (it is not a conditional outcome)", o.Name)
					return
				}
				switch strings.ToLower(s) {
				case "yes", "true", "no", "false":
					cond, given = strings.ToLower(s), v
				default:
					p.y.Errorf(v, "given %q: want yes (the condition held) or no (it did not)", s)
				}
			}},
		})
		if !ok || len(*p.errs) > before {
			return
		}
		condFalse := cond == "no" || cond == "false"
		switch {
		case status == nil && given == nil:
			p.y.Errorf(key, "the resolution of %s needs a value: yes, no or open", o.Name)
			return
		case condFalse:
			r.Status = ConditionFalse
		case status == nil:
			p.y.Errorf(key, "the resolution of %s needs a value (yes, no or open) when its condition held", o.Name)
			return
		case r.Status != Open && o.Given != "" && given == nil:
			p.y.Errorf(key, "%s is conditional (given: %s): say whether the condition held, given: yes or given: no", o.Name, o.Given)
			return
		}
		if r.Status != Open && date == nil {
			p.y.Errorf(key, "the resolution of %s needs the date it resolved (date: YYYY-MM-DD)", o.Name)
			return
		}
		p.out.Resolved = append(p.out.Resolved, r)
	})
}

func (p *resParser) baseRates(n *yaml.Node) {
	p.names(n, "base_rates", func(o Outcome, key, val *yaml.Node) {
		s, ok := p.y.Scalar(val, "a base rate")
		if !ok {
			return
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || !(x >= 0 && x <= 1) {
			p.y.Errorf(val, "base rate of %s %q: want a probability from 0 to 1", o.Name, s)
			return
		}
		p.out.BaseRates[o.Name] = x
	})
}
