package batch

// Jobs: reading an item of jobs: (its scenario, set: and grid:) and
// expanding its grid into one job per point.

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"scensim/internal/fsread"
	"scensim/model"
	"scensim/scenarios"
)

// rawJob is a jobs: item before grid expansion.
type rawJob struct {
	node     *yaml.Node
	name     string
	nameAt   *yaml.Node
	scenario string
	scenAt   *yaml.Node
	source   string
	sets     []string
	setNames map[string]*yaml.Node
	grid     []gridAxis
	s        settings
	asOf     string // as_of_forecast:
}

type gridAxis struct {
	name   string
	values []string
	at     *yaml.Node
}

func (p *parser) readJob(spec *Spec, it *yaml.Node) *rawJob {
	r := &rawJob{node: it, setNames: map[string]*yaml.Node{}}
	fields := []field{
		{"scenario", true, func(k, v *yaml.Node) {
			if t, ok := p.scalar(v, "scenario"); ok {
				r.scenario, r.scenAt = t, v
				r.source = p.resolveScenario(spec, t, v)
			}
		}},
		{"name", false, func(k, v *yaml.Node) {
			if t, ok := p.scalar(v, "name"); ok {
				if !nameRE.MatchString(t) {
					p.errorf(v, "job name %q: use letters, digits, _ . - + = (it names the job's folder)", t)
				}
				r.name, r.nameAt = t, v
			}
		}},
		{"set", false, func(k, v *yaml.Node) { p.readSets(r, v) }},
		{"grid", false, func(k, v *yaml.Node) { p.readGrid(r, v) }},
	}
	fields = append(fields, p.settingFields(&r.s)...)
	fields = append(fields, field{"as_of_forecast", false, func(k, v *yaml.Node) {
		if t, ok := p.scalar(v, "as_of_forecast"); ok {
			if _, err := time.Parse("2006-01-02", t); err != nil {
				p.errorf(v, "as_of_forecast %q: want a date YYYY-MM-DD", t)
				return
			}
			r.asOf = t
		}
	}})
	if !p.mapping(it, "a job", fields) || r.source == "" {
		return nil
	}
	p.checkSettings(&r.s, "the job")
	for _, ax := range r.grid {
		if at, both := r.setNames[ax.name]; both {
			p.errorf(ax.at, "%s is in both set (line %d) and grid", ax.name, at.Line)
		}
	}
	if r.name == "" {
		r.name = unsafe.ReplaceAllString(strings.TrimSuffix(filepath.Base(r.scenario), filepath.Ext(r.scenario)), "_")
	}
	return r
}

// resolveScenario finds a job's scenario: a value that contains a slash or
// ends in .yaml or .yml is a file path relative to the batch file's
// directory; any other value is the name of an embedded scenario.
func (p *parser) resolveScenario(spec *Spec, s string, at *yaml.Node) string {
	if strings.ContainsAny(s, `/\`) || strings.HasSuffix(s, ".yaml") || strings.HasSuffix(s, ".yml") {
		path := s
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(spec.File), path)
		}
		st, err := os.Stat(path)
		switch {
		case err != nil:
			p.errorf(at, "no scenario file %s (a path is relative to the batch file's directory)", path)
			return ""
		case !st.Mode().IsRegular():
			p.errorf(at, "%v", fsread.CheckRegular(path, st.Mode()))
			return ""
		}
		return path
	}
	if _, ok := scenarios.Read(s); !ok {
		p.errorf(at, "no embedded scenario %q (embedded: %s; a file path contains / or ends in .yaml)", s, strings.Join(scenarios.Names(), ", "))
		return ""
	}
	return scenarios.SourceName(s)
}

func (p *parser) readSets(r *rawJob, v *yaml.Node) {
	if v.Kind != yaml.MappingNode {
		p.errorf(v, "set must be a mapping of param or date names to values, not %s", model.KindName(v))
		return
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := p.resolve(v.Content[i]), p.resolve(v.Content[i+1])
		if k == nil || val == nil {
			return
		}
		if !identRE.MatchString(k.Value) {
			p.errorf(k, "set: %q is not a param or date name", k.Value)
			continue
		}
		if _, dup := r.setNames[k.Value]; dup {
			p.errorf(k, "set: %s is set twice", k.Value)
			continue
		}
		t, ok := p.scalar(val, "the value of "+k.Value)
		if !ok {
			continue
		}
		r.setNames[k.Value] = k
		r.sets = append(r.sets, k.Value+"="+t)
	}
}

func (p *parser) readGrid(r *rawJob, v *yaml.Node) {
	if v.Kind != yaml.MappingNode {
		p.errorf(v, "grid must be a mapping of param or date names to lists of values, not %s", model.KindName(v))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := p.resolve(v.Content[i]), p.resolve(v.Content[i+1])
		if k == nil || val == nil {
			return
		}
		if !identRE.MatchString(k.Value) {
			p.errorf(k, "grid: %q is not a param or date name", k.Value)
			continue
		}
		if seen[k.Value] {
			p.errorf(k, "grid: %s is listed twice", k.Value)
			continue
		}
		seen[k.Value] = true
		ax := gridAxis{name: k.Value, at: k}
		p.list(val, "grid: "+k.Value, func(it *yaml.Node) {
			if t, ok := p.scalar(it, "a value of grid: "+k.Value); ok {
				if slices.Contains(ax.values, t) {
					p.errorf(it, "grid: %s lists %s twice", k.Value, t)
					return
				}
				ax.values = append(ax.values, t)
			}
		})
		if len(ax.values) == 0 && val.Kind == yaml.SequenceNode {
			p.errorf(val, "grid: %s has no values", k.Value)
			continue
		}
		if len(ax.values) > 0 {
			r.grid = append(r.grid, ax)
		}
	}
}

type gridPoint struct {
	sets   []string
	suffix string
}

// expand returns the cartesian product of the grid's axes, the first axis
// varying slowest; with no axes, one empty point. Each point's name suffix
// is "+name=value" per axis, with characters other than letters, digits and
// _ . - in the value replaced by _.
func expand(grid []gridAxis) []gridPoint {
	points := []gridPoint{{}}
	for _, ax := range grid {
		var next []gridPoint
		for _, pt := range points {
			for _, v := range ax.values {
				next = append(next, gridPoint{
					sets:   append(slices.Clone(pt.sets), ax.name+"="+v),
					suffix: pt.suffix + "+" + ax.name + "=" + unsafe.ReplaceAllString(v, "_"),
				})
			}
		}
		points = next
	}
	return points
}
