package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"scensim/internal/fsread"
	"scensim/results"
	"scensim/results/chart"
	"scensim/results/comparechart"
)

// File names a report reads in a result folder, and writes.
const (
	JobFileName     = "job.json"     // written by batch runs: the job's key and scenario Info
	CompareFileName = "compare.json" // a comparison (scensim compare, or a batch's compare:)
	IndexFileName   = "index.json"   // a batch's index
	HTMLFileName    = "report.html"
	MDFileName      = "report.md"
)

// IndexFormat identifies a batch's index.json.
const IndexFormat = "scensim-batch-index/1"

// Report is everything a report shows, in order. Apart from Generated it
// is a pure function of the files it was loaded from.
type Report struct {
	Title       string
	Generated   string // the time the report was made: the one line that changes between equal reports
	Jobs        []*Job
	Comparisons []*Comparison
	Failed      []Failure  // jobs and comparisons of the batch that have no result
	Fonts       []string   // distinct @font-face rules of the inline charts, in order of first use
	ChartCSS    string     // the classes of the inline charts' styles (see styleClasses)
	Reproduce   Reproducer // the manifest's command lines (LoadOptions.Reproduce); nil: none
	// Resolutions is the resolution section (see Resolve); nil: none.
	Resolutions *resolutionsView
}

// runCommand is the command line that reproduces res, or "".
func (r *Report) runCommand(res *results.Result) string {
	if r.Reproduce == nil {
		return ""
	}
	return r.Reproduce.RunCommand(res)
}

// compareCommand is the command line that reproduces c, or "".
func (r *Report) compareCommand(c *results.Comparison) string {
	if r.Reproduce == nil {
		return ""
	}
	return r.Reproduce.CompareCommand(c)
}

// Job is one result folder.
type Job struct {
	Name   string // the folder's name (the batch's job name)
	Dir    string // the folder, relative to the report, with forward slashes ("." for the report's own folder)
	ID     string // unique HTML id stem
	Result *results.Result
	Info   *Info // nil if unknown (see Describer)
	Charts []Chart
	// Drivers are the top drivers of each outcome when the result records
	// them (by outcome name; nil otherwise), for the summary; nil means
	// those the Result records.
	Drivers map[string]OutcomeDrivers
}

// Chart is one chart of a job or comparison.
type Chart struct {
	Name  string // e.g. "outcomes", "occupancy_talks"
	SVG   []byte // inline <svg> element (fonts taken out)
	Image string // the chart file saved in the folder, relative to the report ("" if none), for Markdown
}

// Comparison is one comparison folder.
type Comparison struct {
	Name   string
	Dir    string
	ID     string
	C      *results.Comparison
	Charts []Chart
}

// Failure is a job or comparison of a batch that has no result.
type Failure struct {
	Name   string
	Status string
	Error  string
}

// Describer returns the [Info] of the scenario a result was run from, for
// result folders without a job.json (those of scensim run). It may return
// nil, nil when the scenario is not at hand (or its file has changed since).
type Describer func(m results.Manifest) (*Info, error)

// LoadOptions tune [Load].
type LoadOptions struct {
	Title     string     // default: the batch's name and title, or the folder's name
	Describe  Describer  // nil: jobs without a job.json have no description
	Reproduce Reproducer // nil: the manifest tables give no command lines
}

// Reproducer gives the command lines that reproduce a result and a
// comparison, for the report's manifest tables; "" when none can. The
// report knows no command line of its own.
type Reproducer interface {
	RunCommand(r *results.Result) string
	CompareCommand(c *results.Comparison) string
}

// indexFile is the part of a batch's index.json a report reads.
type indexFile struct {
	Format string `json:"format"`
	Batch  string `json:"batch"`
	Title  string `json:"title"`
	Jobs   []struct {
		Name, Dir, Status, Error string
	} `json:"jobs"`
	Comparisons []struct {
		Name, Dir, Status, Error string
	} `json:"comparisons"`
}

// Load reads the results under dir for a report:
//
//   - if dir holds an index.json (a batch's output root), its jobs and
//     comparisons in the batch's order, and the failed ones as failures;
//   - else if dir holds a result.json, that one result;
//   - else every subfolder (in name order, hidden ones skipped) that holds
//     a result.json or a compare.json.
//
// Charts are drawn afresh from each result as SVG, with the default
// options (as a batch draws its PNGs).
func Load(dir string, opts LoadOptions) (*Report, error) {
	r := &Report{Title: opts.Title, Reproduce: opts.Reproduce}
	type entry struct{ name, dir string }
	var jobs, cmps []entry
	idxData, err := fsread.ReadFile(filepath.Join(dir, IndexFileName), results.MaxFileBytes, "index files")
	switch {
	case err == nil:
		var idx indexFile
		if err := json.Unmarshal(idxData, &idx); err != nil || idx.Format != IndexFormat {
			return nil, fmt.Errorf("%s: not a scensim batch index (want format %q)", filepath.Join(dir, IndexFileName), IndexFormat)
		}
		if r.Title == "" {
			r.Title = "Batch " + idx.Batch
			if idx.Title != "" {
				r.Title += ": " + idx.Title
			}
		}
		for _, j := range idx.Jobs {
			switch {
			case j.Status != "ran" && j.Status != "up to date":
				r.Failed = append(r.Failed, Failure{Name: j.Name, Status: j.Status, Error: j.Error})
			case !exists(filepath.Join(dir, j.Dir, "result.json")):
				r.Failed = append(r.Failed, Failure{Name: j.Name, Status: "missing", Error: "no result.json in " + j.Dir})
			default:
				jobs = append(jobs, entry{j.Name, j.Dir})
			}
		}
		for _, c := range idx.Comparisons {
			switch {
			case c.Status != "ran" && c.Status != "up to date":
				r.Failed = append(r.Failed, Failure{Name: c.Name, Status: c.Status, Error: c.Error})
			case !exists(filepath.Join(dir, c.Dir, CompareFileName)):
				r.Failed = append(r.Failed, Failure{Name: c.Name, Status: "missing", Error: "no " + CompareFileName + " in " + c.Dir})
			default:
				cmps = append(cmps, entry{c.Name, c.Dir})
			}
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	case exists(filepath.Join(dir, "result.json")):
		jobs = append(jobs, entry{filepath.Base(filepath.Clean(dir)), "."})
	case exists(filepath.Join(dir, CompareFileName)):
		cmps = append(cmps, entry{filepath.Base(filepath.Clean(dir)), "."})
	default:
		ents, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		for _, e := range ents { // ReadDir sorts by name
			if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			switch {
			case exists(filepath.Join(dir, e.Name(), "result.json")):
				jobs = append(jobs, entry{e.Name(), e.Name()})
			case exists(filepath.Join(dir, e.Name(), CompareFileName)):
				cmps = append(cmps, entry{e.Name(), e.Name()})
			}
		}
	}
	if len(jobs) == 0 && len(cmps) == 0 && len(r.Failed) == 0 {
		return nil, fmt.Errorf("%s: no results (no result.json, compare.json or index.json here or in its folders)", dir)
	}
	if r.Title == "" {
		r.Title = "Results in " + filepath.Base(filepath.Clean(dir))
	}
	ids := map[string]bool{}
	fonts := map[string]bool{}
	addFonts := func(fs []string) {
		for _, f := range fs {
			if !fonts[f] {
				fonts[f] = true
				r.Fonts = append(r.Fonts, f)
			}
		}
	}
	for _, e := range jobs {
		j, fs, err := loadJob(dir, e.name, e.dir, opts.Describe)
		if err != nil {
			return nil, err
		}
		j.ID = uniqueID(ids, e.name)
		addFonts(fs)
		r.Jobs = append(r.Jobs, j)
	}
	for _, e := range cmps {
		c, fs, err := loadComparison(dir, e.name, e.dir)
		if err != nil {
			return nil, err
		}
		c.ID = uniqueID(ids, e.name)
		addFonts(fs)
		r.Comparisons = append(r.Comparisons, c)
	}
	var charts []*Chart
	for _, j := range r.Jobs {
		for i := range j.Charts {
			charts = append(charts, &j.Charts[i])
		}
	}
	for _, c := range r.Comparisons {
		for i := range c.Charts {
			charts = append(charts, &c.Charts[i])
		}
	}
	r.ChartCSS = styleClasses(charts)
	return r, nil
}

func exists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// uniqueID makes an HTML id stem of a name: letters, digits, _ and -, made
// unique with a numeric suffix.
func uniqueID(seen map[string]bool, name string) string {
	var b strings.Builder
	for _, r := range name {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	id := b.String()
	if id == "" {
		id = "x"
	}
	base := id
	for n := 2; seen[id]; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	seen[id] = true
	return id
}

func loadJob(root, name, rel string, describe Describer) (*Job, []string, error) {
	dir := filepath.Join(root, rel)
	res, err := results.ReadFile(filepath.Join(dir, "result.json"))
	if err != nil {
		return nil, nil, err
	}
	j := &Job{Name: name, Dir: filepath.ToSlash(rel), Result: res, Drivers: driversOf(res)}
	if data, err := fsread.ReadFile(filepath.Join(dir, JobFileName), results.MaxFileBytes, "job files"); err == nil {
		var jf struct {
			Scenario *Info `json:"scenario"`
		}
		if err := json.Unmarshal(data, &jf); err != nil {
			return nil, nil, fmt.Errorf("%s: %v", filepath.Join(dir, JobFileName), err)
		}
		j.Info = jf.Scenario
	}
	if j.Info == nil && describe != nil {
		if j.Info, err = describe(res.Manifest); err != nil {
			return nil, nil, err
		}
	}
	svgs, err := chart.All(res, chart.Options{Format: "svg"})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: charts: %v", dir, err)
	}
	charts, fonts, err := inlineCharts(svgs, dir, j.Dir, res.Layout.Scenario)
	j.Charts = charts
	return j, fonts, err
}

// ReadComparison reads a compare.json.
func ReadComparison(path string) (*results.Comparison, error) {
	data, err := fsread.ReadFile(path, results.MaxFileBytes, "comparison files")
	if err != nil {
		return nil, err
	}
	var c results.Comparison
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: not a scensim comparison: %v", path, err)
	}
	if c.Format != results.CompareFormat {
		return nil, fmt.Errorf("%s: not a scensim comparison (format %q, want %q)", path, c.Format, results.CompareFormat)
	}
	n := len(c.Scenarios)
	if n < 1 {
		return nil, fmt.Errorf("%s: a comparison without scenarios", path)
	}
	for _, row := range c.Rows {
		if len(row.Estimates) != n || len(row.Diffs) != n {
			return nil, fmt.Errorf("%s: row %s has %d estimates and %d differences for %d scenarios", path, row.Label(), len(row.Estimates), len(row.Diffs), n)
		}
	}
	return &c, nil
}

func loadComparison(root, name, rel string) (*Comparison, []string, error) {
	dir := filepath.Join(root, rel)
	c, err := ReadComparison(filepath.Join(dir, CompareFileName))
	if err != nil {
		return nil, nil, err
	}
	cmp := &Comparison{Name: name, Dir: filepath.ToSlash(rel), C: c}
	svgs, err := comparechart.All(c, "svg")
	if err != nil {
		return nil, nil, fmt.Errorf("%s: charts: %v", dir, err)
	}
	var labels []string
	for _, s := range c.Scenarios {
		labels = append(labels, s.Label)
	}
	charts, fonts, err := inlineCharts(svgs, dir, cmp.Dir, strings.Join(labels, " vs "))
	cmp.Charts = charts
	return cmp, fonts, err
}

// chartRank orders a folder's charts as chart.All lists them.
func chartRank(name string) int {
	for i, p := range []string{"outcomes", "reached", "occupancy_", "first_entry_", "params", "compare_outcomes", "compare_diff"} {
		if name == p || strings.HasSuffix(p, "_") && strings.HasPrefix(name, p) {
			return i
		}
	}
	return 99
}

// inlineCharts turns SVG files (name.svg → bytes) into inline charts, in
// chart order, with the saved image of each (png, else svg, else pdf) for
// Markdown links.
func inlineCharts(svgs map[string][]byte, dir, rel, what string) ([]Chart, []string, error) {
	var names []string
	for n := range svgs {
		names = append(names, strings.TrimSuffix(n, ".svg"))
	}
	sort.Slice(names, func(a, b int) bool {
		ra, rb := chartRank(names[a]), chartRank(names[b])
		if ra != rb {
			return ra < rb
		}
		return names[a] < names[b]
	})
	var charts []Chart
	var fonts []string
	for _, n := range names {
		elem, fs, err := inlineSVG(svgs[n+".svg"], chartTitle(n)+" — "+what)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %s.svg: %v", dir, n, err)
		}
		for _, f := range fs {
			if !slices.Contains(fonts, f) {
				fonts = append(fonts, f)
			}
		}
		c := Chart{Name: n, SVG: elem}
		for _, ext := range []string{".png", ".svg", ".pdf"} {
			if exists(filepath.Join(dir, n+ext)) {
				c.Image = pathJoin(rel, n+ext)
				break
			}
		}
		charts = append(charts, c)
	}
	return charts, fonts, nil
}

func pathJoin(dir, name string) string {
	if dir == "." || dir == "" {
		return name
	}
	return dir + "/" + name
}

// chartTitle names a chart for captions.
func chartTitle(name string) string {
	switch {
	case name == "outcomes":
		return "Outcome probabilities"
	case name == "reached":
		return "Reached by"
	case name == "params":
		return "Sampled parameters"
	case name == "compare_outcomes":
		return "Outcomes side by side"
	case name == "compare_diff":
		return "Paired differences"
	case strings.HasPrefix(name, "occupancy_"):
		return "Occupancy of " + strings.TrimPrefix(name, "occupancy_")
	case strings.HasPrefix(name, "first_entry_"):
		return "First entry: " + strings.TrimPrefix(name, "first_entry_")
	}
	return name
}
