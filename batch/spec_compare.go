package batch

// Comparisons in a batch file: the items of compare: and their
// materiality thresholds.

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"scensim/model"
)

// threshold reads a materiality threshold: min_diff in percentage points
// (0 to 100), min_diff_value in percent of the reference's mean (at least
// 0), returned as a share; on error it reports and returns def.
func (p *parser) threshold(v *yaml.Node, what string, def float64) float64 {
	t, ok := p.scalar(v, what)
	if !ok {
		return def
	}
	x, err := strconv.ParseFloat(t, 64)
	limit := math.Inf(1)
	if what == "min_diff" {
		limit = 100
	}
	if err != nil || !(x >= 0 && x <= limit) {
		if what == "min_diff" {
			p.errorf(v, "min_diff %q: want percentage points from 0 to 100, e.g. 1", t)
		} else {
			p.errorf(v, "min_diff_value %q: want a non-negative percentage of the reference's mean, e.g. 5", t)
		}
		return def
	}
	return x / 100
}

func (p *parser) readCompare(spec *Spec, n *yaml.Node, jobs map[string]*yaml.Node) {
	names := map[string]int{}
	p.list(n, "compare", func(it *yaml.Node) {
		c := Compare{Pos: p.pos(it), MinDiff: spec.MinDiff, MinDiffValue: spec.MinDiffValue}
		var list *yaml.Node
		switch it.Kind {
		case yaml.SequenceNode:
			list = it
		case yaml.MappingNode:
			p.mapping(it, "a comparison", []field{
				{"name", false, func(k, v *yaml.Node) {
					if t, ok := p.scalar(v, "name"); ok {
						if !nameRE.MatchString(t) {
							p.errorf(v, "comparison name %q: use letters, digits, _ . - + =", t)
							return
						}
						c.Name = t
					}
				}},
				{"jobs", true, func(k, v *yaml.Node) { list = v }},
				{"min_diff", false, func(k, v *yaml.Node) { c.MinDiff = p.threshold(v, "min_diff", c.MinDiff) }},
				{"min_diff_value", false, func(k, v *yaml.Node) { c.MinDiffValue = p.threshold(v, "min_diff_value", c.MinDiffValue) }},
			})
		default:
			p.errorf(it, "an item of compare must be a list of job names ([baseline, no_linkage]) or a mapping with jobs:, not %s", model.KindName(it))
			return
		}
		if list == nil {
			return
		}
		ok := true
		p.list(list, "a comparison", func(j *yaml.Node) {
			t, isScalar := p.scalar(j, "a job of a comparison")
			switch {
			case !isScalar:
				ok = false
			case jobs[t] == nil:
				var known []string
				for _, job := range spec.Jobs {
					known = append(known, job.Name)
				}
				p.errorf(j, "no job named %q (jobs: %s)", t, strings.Join(known, ", "))
				ok = false
			case slices.Contains(c.Jobs, t):
				p.errorf(j, "job %q is listed twice in the comparison", t)
				ok = false
			default:
				c.Jobs = append(c.Jobs, t)
			}
		})
		if !ok {
			return
		}
		if len(c.Jobs) < 2 {
			p.errorf(list, "a comparison needs at least two jobs, the reference first")
			return
		}
		if c.Name == "" {
			c.Name = "compare-" + strings.Join(c.Jobs, "-vs-")
		}
		if len(c.Name) > model.MaxFileNameBytes {
			p.errorf(it, "the comparison name %s is %d bytes long; it names the comparison's folder: at most %d (give a shorter name:)", abbreviate(c.Name), len(c.Name), model.MaxFileNameBytes)
			return
		}
		if reserved[strings.ToLower(c.Name)] {
			p.errorf(it, "a comparison cannot be named %q: the batch writes a file of that name", c.Name)
			return
		}
		if _, dup := jobs[c.Name]; dup {
			p.errorf(it, "the comparison's folder %q is also a job's name: give the comparison a name:", c.Name)
			return
		}
		if _, dup := names[c.Name]; dup {
			p.errorf(it, "two comparisons are named %q: give one a name:", c.Name)
			return
		}
		names[c.Name] = len(spec.Compare)
		spec.Compare = append(spec.Compare, c)
	})
}
