package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"scensim/internal/fsread"
	"scensim/model"
	"scensim/results"
	"scensim/scenarios"
	"scensim/sim"
)

// Limits on batch files, checked before anything is allocated from them.
const (
	MaxFileBytes = 1 << 20 // a batch file larger than this is refused
	MaxJobs      = 10000   // jobs after grid expansion
)

// DefaultMaxTrials is the default max_trials of a precision-targeted job.
const DefaultMaxTrials = 100_000_000

// Spec is a checked batch file.
type Spec struct {
	File   string // the path as given
	SHA256 string // of the file's bytes
	Name   string // name:, else the file's base name without extension
	Title  string
	// Out is the output root (out:, relative to the working directory),
	// by default out/NAME.
	Out      string
	Workers  int // engine workers per job (workers:); 0: all cores
	Parallel int // jobs run at once (parallel:); 0 or 1: one after another
	Jobs     []Job
	Compare  []Compare
	// MinDiff and MinDiffValue are the comparisons' default materiality
	// thresholds (min_diff: in percentage points, min_diff_value: in
	// percent of the reference's mean), stored as shares (0.01 is 1
	// point): results.DefaultMinDiff and DefaultMinDiffValue when absent.
	MinDiff, MinDiffValue float64
}

// Job is one run of the batch: a scenario with overrides, after grid
// expansion, with the batch's defaults applied.
type Job struct {
	Name     string // unique; the name of its folder under Spec.Out
	Scenario string // as written in the batch file
	// Source is what the compiler reads: a file path (relative to the
	// working directory) or "embedded:NAME".
	Source string
	Sets   []string // "name=value": set: in file order, then the grid point
	Seed   *uint64  // nil: the scenario's run.seed
	// Trials is the trial count (0: the scenario's run.trials, unless
	// Precision is set); Precision > 0 asks for rounds until every
	// outcome's 95% half-width is at most Precision, up to MaxTrials.
	Trials    int64
	Precision float64
	MaxTrials int64
	// Draws is the number of parameter draws of the job's nested run
	// (draws:; 0: the default choice of sim.PerDrawFor, as for run);
	// FixedParams runs every param at its value (fixed_params: true),
	// drawing nothing, as run --fixed-params does.
	Draws       int64
	FixedParams bool
	// AsOfForecast (as_of_forecast: YYYY-MM-DD) asks a job with evidence
	// for its forecast from that date on in its tables and the report.
	AsOfForecast string
	Pos          model.Pos // of the job's item in the batch file
}

// Compare is a paired comparison of jobs (compare:): the jobs' scenarios run
// with common random numbers, the first as the reference.
type Compare struct {
	Name string   // its folder under Spec.Out
	Jobs []string // job names, the reference first
	Pos  model.Pos
	// MinDiff and MinDiffValue: the materiality thresholds (shares), the
	// comparison's own min_diff: and min_diff_value: or the batch's.
	MinDiff, MinDiffValue float64
}

// Load reads and checks a batch file.
func Load(file string) (*Spec, model.ErrorList) {
	data, err := fsread.ReadFile(file, MaxFileBytes, "batch files")
	if err != nil {
		var l model.ErrorList
		l.Add(model.Pos{File: file}, "", "%v", strings.TrimPrefix(err.Error(), file+": "))
		return nil, l
	}
	return Parse(file, data)
}

// Parse checks a batch file's bytes; file names it in errors and anchors
// relative scenario paths. It returns every error found, sorted by
// position, each with its file:line:col and source line.
func Parse(file string, data []byte) (*Spec, model.ErrorList) {
	p := &parser{file: file}
	sum := sha256.Sum256(data)
	spec := &Spec{File: file, SHA256: hex.EncodeToString(sum[:])}
	root := p.parse(data)
	if root != nil {
		p.read(spec, root)
	}
	if len(p.errs) > 0 {
		p.errs.Sort()
		return nil, p.errs
	}
	return spec, nil
}

// parser reads a batch file with model's YAML reader, so that batch files
// get the positions, snippets and limits of scenario files.
type parser struct {
	file string
	errs model.ErrorList
	y    *model.YAMLFile
}

func (p *parser) pos(n *yaml.Node) model.Pos {
	if n == nil {
		return model.Pos{File: p.file}
	}
	return model.Pos{File: p.file, Line: n.Line, Col: n.Column}
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) { p.y.Errorf(n, format, args...) }

func (p *parser) resolve(n *yaml.Node) *yaml.Node { return p.y.Resolve(n) }

// parse parses the document and returns its root, or nil after errors.
func (p *parser) parse(data []byte) *yaml.Node {
	var root *yaml.Node
	p.y, root = model.ReadYAML(p.file, data, "batch", MaxFileBytes, &p.errs)
	return root
}

// field is one key of a mapping that the reader understands.
type field struct {
	name     string
	required bool
	read     func(key, val *yaml.Node)
}

// mapping reads a mapping with known keys: an unknown, duplicate or
// missing required key is an error. It reports whether n was a mapping.
func (p *parser) mapping(n *yaml.Node, what string, fields []field) bool {
	fs := make([]model.YAMLField, len(fields))
	for i, f := range fields {
		fs[i] = model.YAMLField{Name: f.name, Required: f.required, Read: f.read}
	}
	return p.y.Mapping(n, what, fs)
}

// scalar returns a scalar's value, or false after an error.
func (p *parser) scalar(n *yaml.Node, what string) (string, bool) { return p.y.Scalar(n, what) }

// list calls each for every item of a list.
func (p *parser) list(n *yaml.Node, what string, each func(it *yaml.Node)) {
	p.y.List(n, what, each)
}

// settings are the run settings a batch or a job may give.
type settings struct {
	seed      *uint64
	trials    int64
	precision float64
	maxTrials int64
	trialsAt  *yaml.Node
	precAt    *yaml.Node
	draws     int64
	drawsAt   *yaml.Node
	fixed     *bool
	fixedAt   *yaml.Node
}

func (p *parser) settingFields(s *settings) []field {
	return []field{
		{"seed", false, func(k, v *yaml.Node) {
			if t, ok := p.scalar(v, "seed"); ok {
				x, err := model.ParseWhole(t, 0, math.MaxUint64)
				if err != nil {
					p.errorf(v, "seed %q: want a whole number from 0 to 2^64-1", t)
					return
				}
				s.seed = &x
			}
		}},
		{"trials", false, func(k, v *yaml.Node) {
			if t, ok := p.scalar(v, "trials"); ok {
				n, err := model.ParseTrials(t)
				if err != nil {
					p.errorf(v, "%v", err)
					return
				}
				s.trials, s.trialsAt = n, k
			}
		}},
		{"precision", false, func(k, v *yaml.Node) {
			if t, ok := p.scalar(v, "precision"); ok {
				x, err := strconv.ParseFloat(t, 64)
				if err != nil || !(x > 0 && x < 0.5) {
					p.errorf(v, "precision %q: want a 95%% half-width between 0 and 0.5, e.g. 0.002", t)
					return
				}
				s.precision, s.precAt = x, k
			}
		}},
		{"max_trials", false, func(k, v *yaml.Node) {
			if t, ok := p.scalar(v, "max_trials"); ok {
				n, err := model.ParseTrials(t)
				if err != nil {
					p.errorf(v, "max_trials: %v", err)
					return
				}
				s.maxTrials = n
			}
		}},
		{"draws", false, func(k, v *yaml.Node) {
			if t, ok := p.scalar(v, "draws"); ok {
				n, err := model.ParseWhole(t, 1, sim.MaxDraws)
				if err != nil {
					p.errorf(v, "draws %q: want a whole number from 1 to %d (parameter draws of a nested run)", t, sim.MaxDraws)
					return
				}
				s.draws, s.drawsAt = int64(n), k
			}
		}},
		{"fixed_params", false, func(k, v *yaml.Node) {
			if t, ok := p.scalar(v, "fixed_params"); ok {
				b, err := strconv.ParseBool(t)
				if err != nil || (t != "true" && t != "false") {
					p.errorf(v, "fixed_params %q: want true or false", t)
					return
				}
				s.fixed, s.fixedAt = &b, k
			}
		}},
	}
}

// checkSettings reports trials and precision given together.
func (p *parser) checkSettings(s *settings, what string) {
	if s.trialsAt != nil && s.precAt != nil {
		p.errorf(s.precAt, "%s gives both trials and precision: a fixed trial count or a precision target, not both", what)
	}
	if s.drawsAt != nil && s.fixed != nil && *s.fixed {
		p.errorf(s.drawsAt, "%s gives both draws and fixed_params: true: fixed params are not drawn", what)
	}
	if s.drawsAt != nil && s.precAt != nil {
		p.errorf(s.drawsAt, "%s gives both draws and precision: the number of trials, hence of draws, is not known in advance", what)
	}
	if s.drawsAt != nil && s.trialsAt != nil && s.draws > s.trials {
		p.errorf(s.drawsAt, "%s asks for %d draws of %d trials: at most one draw per trial", what, s.draws, s.trials)
	}
}

var (
	identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	nameRE  = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.=+-]*$`)
	unsafe  = regexp.MustCompile(`[^A-Za-z0-9_.-]`)
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

func (p *parser) read(spec *Spec, root *yaml.Node) {
	var top settings
	var out string
	var jobsNode, compareNode *yaml.Node
	fields := []field{
		{"name", false, func(k, v *yaml.Node) {
			if t, ok := p.scalar(v, "name"); ok {
				if !nameRE.MatchString(t) {
					p.errorf(v, "name %q: use letters, digits, _ . - + =", t)
					return
				}
				if len(t) > model.MaxFileNameBytes {
					p.errorf(v, "the batch name %s is %d bytes long; it names the output folder: at most %d", abbreviate(t), len(t), model.MaxFileNameBytes)
					return
				}
				spec.Name = t
			}
		}},
		{"title", false, func(k, v *yaml.Node) { spec.Title, _ = p.scalar(v, "title") }},
		{"out", false, func(k, v *yaml.Node) { out, _ = p.scalar(v, "out") }},
		{"workers", false, func(k, v *yaml.Node) { spec.Workers = p.count(v, "workers") }},
		{"parallel", false, func(k, v *yaml.Node) { spec.Parallel = p.count(v, "parallel") }},
		{"jobs", true, func(k, v *yaml.Node) { jobsNode = v }},
		{"compare", false, func(k, v *yaml.Node) { compareNode = v }},
		{"min_diff", false, func(k, v *yaml.Node) { spec.MinDiff = p.threshold(v, "min_diff", spec.MinDiff) }},
		{"min_diff_value", false, func(k, v *yaml.Node) { spec.MinDiffValue = p.threshold(v, "min_diff_value", spec.MinDiffValue) }},
	}
	spec.MinDiff, spec.MinDiffValue = results.DefaultMinDiff, results.DefaultMinDiffValue
	fields = append(fields, p.settingFields(&top)...)
	if !p.mapping(root, "the batch", fields) {
		return
	}
	p.checkSettings(&top, "the batch")
	if spec.Name == "" {
		base := filepath.Base(spec.File)
		spec.Name = unsafe.ReplaceAllString(strings.TrimSuffix(base, filepath.Ext(base)), "_")
	}
	spec.Out = out
	if spec.Out == "" {
		spec.Out = filepath.Join("out", spec.Name)
	}
	if jobsNode == nil {
		return
	}
	var raws []*rawJob
	p.list(jobsNode, "jobs", func(it *yaml.Node) {
		if r := p.readJob(spec, it); r != nil {
			raws = append(raws, r)
		}
	})
	if len(raws) == 0 && len(p.errs) == 0 {
		p.errorf(jobsNode, "jobs is empty: list at least one scenario")
	}
	// Expand grids and apply the batch's defaults.
	first := map[string]*yaml.Node{}
	total := 0
	for _, r := range raws {
		points := 1
		for _, ax := range r.grid {
			points *= len(ax.values)
			if points > MaxJobs {
				break
			}
		}
		if total += points; total > MaxJobs {
			p.errorf(r.node, "the batch expands to more than %d jobs", MaxJobs)
			return
		}
		for _, pt := range expand(r.grid) {
			j := Job{Scenario: r.scenario, Source: r.source, AsOfForecast: r.asOf, Pos: p.pos(r.node)}
			j.Sets = append(slices.Clone(r.sets), pt.sets...)
			j.Name = r.name + pt.suffix
			j.Seed = top.seed
			if r.s.seed != nil {
				j.Seed = r.s.seed
			}
			switch {
			case r.s.trialsAt != nil:
				j.Trials = r.s.trials
			case r.s.precAt != nil:
				j.Precision = r.s.precision
			case top.trialsAt != nil:
				j.Trials = top.trials
			case top.precAt != nil:
				j.Precision = top.precision
			}
			if j.Precision > 0 {
				j.MaxTrials = firstPositive(r.s.maxTrials, top.maxTrials, DefaultMaxTrials)
			}
			p.applyDraws(&j, &r.s, &top, r.node)
			at := r.nameAt
			if at == nil {
				at = r.scenAt
			}
			if reserved[strings.ToLower(j.Name)] {
				p.errorf(at, "a job cannot be named %q: the batch writes a file of that name", j.Name)
				continue
			}
			if len(j.Name) > model.MaxFileNameBytes {
				p.errorf(at, "the job name %s is %d bytes long; it names the job's folder: at most %d (give a shorter name:)", abbreviate(j.Name), len(j.Name), model.MaxFileNameBytes)
				continue
			}
			if prev, dup := first[j.Name]; dup {
				p.errorf(at, "two jobs are named %q (the other at line %d): give one a different name:", j.Name, prev.Line)
				continue
			}
			first[j.Name] = at
			spec.Jobs = append(spec.Jobs, j)
		}
	}
	if compareNode != nil {
		p.readCompare(spec, compareNode, first)
	}
}

// applyDraws gives j the draws: and fixed_params: of its own settings,
// else the batch's, and reports a combination the job cannot run: a
// batch-level draws: with a job's precision: or fixed_params: true, or more
// draws than the job's trials.
func (p *parser) applyDraws(j *Job, own, top *settings, job *yaml.Node) {
	switch {
	case own.fixed != nil:
		j.FixedParams = *own.fixed
	case top.fixed != nil:
		j.FixedParams = *top.fixed
	}
	drawsAt := own.drawsAt
	switch {
	case own.drawsAt != nil:
		j.Draws = own.draws
	case top.drawsAt != nil && !j.FixedParams && j.Precision == 0:
		// The batch's draws: applies to the jobs that draw a fixed number
		// of trials; a job with fixed params or a precision target has none.
		j.Draws, drawsAt = top.draws, job
	}
	// Combinations within one level were reported by checkSettings; here
	// those of a job's setting with an inherited one.
	ownDraws, ownTrials := own.drawsAt != nil, own.trialsAt != nil || own.precAt != nil
	switch {
	case j.Draws > 0 && j.FixedParams && ownDraws && own.fixed == nil:
		p.errorf(drawsAt, "job %s gives draws and inherits fixed_params: true: fixed params are not drawn", j.Name)
	case j.Draws > 0 && j.Precision > 0 && ownDraws && !ownTrials:
		p.errorf(drawsAt, "job %s gives draws and inherits a precision target: the number of trials, hence of draws, is not known in advance", j.Name)
	case j.Draws > 0 && j.Trials > 0 && j.Draws > j.Trials && ownDraws != ownTrials:
		p.errorf(drawsAt, "job %s asks for %d draws of %d trials: at most one draw per trial", j.Name, j.Draws, j.Trials)
	}
}

// abbreviate shortens a long name for a message: its first 40 bytes and
// "…".
func abbreviate(s string) string {
	if len(s) <= 60 {
		return s
	}
	return s[:40] + "…"
}

// reserved are the names of the files a batch writes into its output root.
var reserved = map[string]bool{"index.json": true, "index.md": true, "report.html": true, "report.md": true}

// firstPositive returns the first positive value, or 0.
func firstPositive(vs ...int64) int64 {
	for _, v := range vs {
		if v > 0 {
			return v
		}
	}
	return 0
}

// count reads a whole number ≥ 1.
func (p *parser) count(v *yaml.Node, what string) int {
	t, ok := p.scalar(v, what)
	if !ok {
		return 0
	}
	n, err := model.ParseWhole(t, 1, 4096)
	if err != nil {
		p.errorf(v, "%s %q: want a whole number from 1 to 4096", what, t)
		return 0
	}
	return int(n)
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
