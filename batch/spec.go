package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"scensim/internal/fsread"
	"scensim/model"
	"scensim/results"
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

var (
	identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	nameRE  = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.=+-]*$`)
	unsafe  = regexp.MustCompile(`[^A-Za-z0-9_.-]`)
)

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
