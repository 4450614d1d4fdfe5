package analysis

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"scensim/model"
	"scensim/results"
)

// Limits of a sweep.
const (
	MaxAxisPoints  = 1001  // values per swept param
	MaxGridPoints  = 10000 // grid points in all
	DefaultPoints  = 11    // values per param when the count is not given
	maxSweepCharts = 6     // outcomes charted by default in a 1-D sweep
	maxHeatmaps    = 4     // outcomes charted by default in a 2-D sweep
)

// Axis is one swept param: N evenly spaced values from Lo to Hi. With
// FromRange, Lo and Hi are taken from the param's range: when the sweep
// starts.
type Axis struct {
	Param     string
	Lo, Hi    float64
	N         int
	FromRange bool
}

// ParseAxis reads a sweep axis: "name=lo:hi:n", "name=lo:hi" (n =
// DefaultPoints) or "name" (the param's range:, DefaultPoints values).
func ParseAxis(s string) (Axis, error) {
	name, spec, hasSpec := strings.Cut(strings.TrimSpace(s), "=")
	name = strings.TrimSpace(name)
	a := Axis{Param: name, N: DefaultPoints}
	if name == "" {
		return a, optionErr("Axis", "%q: want name=lo:hi:n, name=lo:hi or name", s)
	}
	if !hasSpec {
		a.FromRange = true
		return a, nil
	}
	parts := strings.Split(spec, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return a, optionErr("Axis", "%q: want name=lo:hi:n (e.g. %s=0.1:0.3:11)", s, name)
	}
	var err error
	if a.Lo, err = strconv.ParseFloat(strings.TrimSpace(parts[0]), 64); err != nil || !finite(a.Lo) {
		return a, optionErr("Axis", "%q: low %q is not a number", s, parts[0])
	}
	if a.Hi, err = strconv.ParseFloat(strings.TrimSpace(parts[1]), 64); err != nil || !finite(a.Hi) {
		return a, optionErr("Axis", "%q: high %q is not a number", s, parts[1])
	}
	if len(parts) == 3 {
		n, err := strconv.Atoi(strings.TrimSpace(parts[2]))
		if err != nil {
			return a, optionErr("Axis", "%q: the number of points %q is not a whole number", s, parts[2])
		}
		a.N = n
	}
	return a, a.check()
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func (a Axis) check() error {
	switch {
	case !(a.Lo < a.Hi):
		return optionErr("Axis", "%s: empty range %s:%s (low must be below high)", a.Param, g(a.Lo), g(a.Hi))
	case a.N < 2:
		return optionErr("Axis", "%s: %d points; a sweep needs at least 2", a.Param, a.N)
	case a.N > MaxAxisPoints:
		return optionErr("Axis", "%s: %d points; at most %d are allowed", a.Param, a.N, MaxAxisPoints)
	}
	return nil
}

// Values returns the axis's grid: Lo + i·(Hi − Lo)/(N − 1), the last exactly Hi.
func (a Axis) Values() []float64 {
	v := make([]float64, a.N)
	for i := range v {
		v[i] = a.Lo + (a.Hi-a.Lo)*float64(i)/float64(a.N-1)
	}
	v[a.N-1] = a.Hi
	return v
}

// SweepOptions configure a sweep.
type SweepOptions struct {
	Axes     []Axis   // one or two
	Outcomes []string // outcomes to chart; default those that vary most
}

// Sweep is the result of a sweep: every outcome at every grid point.
type Sweep struct {
	Manifest Manifest      `json:"manifest"`
	Run      RunInfo       `json:"run"`
	Axes     []SweepAxis   `json:"axes"`
	Outcomes []OutcomeInfo `json:"outcomes"`
	// Points in row-major order: with two axes, point i·n2 + j is (x_i, y_j).
	Points  []SweepPoint `json:"points"`
	Charted []string     `json:"charted"` // outcomes drawn in the charts
	// Values names the value outcomes summarised at each point (see sweep_values.go).
	Values []string `json:"values,omitempty"`
}

// SweepAxis describes a swept param.
type SweepAxis struct {
	Param     string    `json:"param"`
	Values    []float64 `json:"values"`
	Base      float64   `json:"base"`           // the value the scenario gives (the dist's mean for a sampled param)
	Dist      string    `json:"dist,omitempty"` // its dist, which the sweep fixes at each value
	FromRange bool      `json:"from_range"`     // the values span the param's range:
}

// OutcomeInfo names an outcome and its condition.
type OutcomeInfo struct {
	Name  string `json:"name"`
	Given string `json:"given,omitempty"`
}

// SweepPoint is one grid point: the param values and every outcome's estimate.
type SweepPoint struct {
	At []float64            `json:"at"`
	P  []results.Proportion `json:"p"` // per outcome, in scenario order
	// V summarises each value outcome, in scenario order.
	V []results.ValueRow `json:"v,omitempty"`
}

func outcomesOf(p *model.Plan) []OutcomeInfo {
	var out []OutcomeInfo
	for _, o := range p.Outcomes {
		oi := OutcomeInfo{Name: o.Name}
		if o.Given != nil {
			oi.Given = o.Given.Src
		}
		out = append(out, oi)
	}
	return out
}

// RunSweep runs a sweep: the scenario compiled at each grid point with the
// point's values as overrides (which fix a sampled param), each run over the
// same trials with the same seed (common random numbers).
func RunSweep(ctx context.Context, src *Source, base *model.Plan, opts SweepOptions, run Run) (*Sweep, error) {
	started := time.Now()
	if len(opts.Axes) < 1 || len(opts.Axes) > 2 {
		return nil, optionErr("Axes", "a sweep takes one or two params (got %d)", len(opts.Axes))
	}
	if len(base.Outcomes) == 0 {
		return nil, inputErr("%s has no outcomes to sweep", base.Name)
	}
	s := &Sweep{Manifest: manifestOf("sweep", base, run), Outcomes: outcomesOf(base), Values: valueNames(base)}
	points := 1
	for k, a := range opts.Axes {
		i, err := FindParam(base, a.Param)
		if err != nil {
			return nil, err
		}
		if k == 1 && opts.Axes[0].Param == a.Param {
			return nil, optionErr("Axes", "%s is given twice", a.Param)
		}
		par := base.Params[i]
		if a.FromRange {
			if !par.HasRange {
				return nil, optionErr("Axis", "%s: the param has no range:; give the values as %s=lo:hi:n", a.Param, a.Param)
			}
			a.Lo, a.Hi = par.Lo, par.Hi
		}
		if err := a.check(); err != nil {
			return nil, err
		}
		ax := SweepAxis{Param: a.Param, Values: a.Values(), Base: par.Value, FromRange: a.FromRange}
		if par.Dist != nil {
			ax.Dist = par.Dist.Src
		}
		s.Axes = append(s.Axes, ax)
		points *= a.N
	}
	if points > MaxGridPoints {
		return nil, inputErr("the grid has %d points; at most %d are allowed", points, MaxGridPoints)
	}
	if err := checkTotal("the sweep", float64(points)*float64(run.Trials)); err != nil {
		return nil, err
	}
	charted, err := outcomeList(base, opts.Outcomes)
	if err != nil {
		return nil, err
	}
	// Compile every point first, so that a bad value stops the sweep before
	// the first run.
	type point struct {
		at   []float64
		ovs  []model.Override
		plan *model.Plan
	}
	var grid []point
	x := s.Axes[0].Values
	y := []float64{math.NaN()}
	if len(s.Axes) == 2 {
		y = s.Axes[1].Values
	}
	for _, xv := range x {
		for _, yv := range y {
			pt := point{at: []float64{xv}, ovs: []model.Override{{Name: s.Axes[0].Param, Value: num(xv)}}}
			if len(s.Axes) == 2 {
				pt.at = append(pt.at, yv)
				pt.ovs = append(pt.ovs, model.Override{Name: s.Axes[1].Param, Value: num(yv)})
			}
			p, err := src.Compile(pt.ovs...)
			if err != nil {
				return nil, err
			}
			pt.plan = p
			grid = append(grid, pt)
		}
	}
	for _, pt := range grid {
		t, err := runPlan(ctx, pt.plan, run, overrideAt(pt.ovs))
		if err != nil {
			return nil, err
		}
		sp := SweepPoint{At: pt.at}
		for i := range base.Outcomes {
			sp.P = append(sp.P, results.NewProportion(t.Hits[i], t.Given[i]))
		}
		sp.V = sweepValueRows(pt.plan, t)
		s.Points = append(s.Points, sp)
	}
	if len(charted) == 0 {
		charted = mostVaried(s, len(s.Axes))
	}
	for _, i := range charted {
		s.Charted = append(s.Charted, base.Outcomes[i].Name)
	}
	s.Run = RunInfo{Workers: run.Workers, ElapsedSeconds: time.Since(started).Seconds(), TotalTrials: int64(points) * run.Trials}
	return s, nil
}

// mostVaried picks the outcomes whose estimate moves most over the grid.
func mostVaried(s *Sweep, dims int) []int {
	n := maxSweepCharts
	if dims == 2 {
		n = maxHeatmaps
	}
	type cand struct {
		i      int
		range_ float64
	}
	var cs []cand
	for i := range s.Outcomes {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, pt := range s.Points {
			if p := pt.P[i].P; !math.IsNaN(p) {
				lo, hi = math.Min(lo, p), math.Max(hi, p)
			}
		}
		if hi > lo {
			cs = append(cs, cand{i, hi - lo})
		}
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].range_ > cs[b].range_ })
	var out []int
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.i)
	}
	if len(out) == 0 && len(s.Outcomes) > 0 {
		out = []int{0}
	}
	sort.Ints(out)
	return out
}

// outcomeIndex returns the index of a named outcome of s.
func (s *Sweep) outcomeIndex(name string) int {
	for i, o := range s.Outcomes {
		if o.Name == name {
			return i
		}
	}
	return -1
}

// Report renders the sweep: sweep.csv holds every outcome at every point
// (long format); the text and Markdown tables show the charted outcomes.
func (s *Sweep) Report(chartFormat string) (*Report, error) {
	r := &Report{Stem: "sweep", Manifest: s.Manifest, JSON: s}
	var desc []string
	for _, a := range s.Axes {
		d := fmt.Sprintf("%s: %d values from %s to %s", a.Param, len(a.Values), g(a.Values[0]), g(a.Values[len(a.Values)-1]))
		if a.FromRange {
			d += " (its range:)"
		}
		d += "; the scenario says " + g(a.Base)
		if a.Dist != "" {
			d += fmt.Sprintf(" (%s, fixed at each value)", a.Dist)
		}
		desc = append(desc, d)
	}
	r.Heading = append(r.Heading,
		"swept           "+strings.Join(desc, "\n                "),
		fmt.Sprintf("trials          %s per point, the same trials at every point (common random numbers)", thousands(s.Manifest.Trials)))

	long := &Table{Name: "sweep", NoText: true}
	for _, a := range s.Axes {
		long.Columns = append(long.Columns, a.Param)
	}
	long.Columns = append(long.Columns, "outcome", "k", "n", "p", "se", "lo95", "hi95")
	for _, pt := range s.Points {
		for i, o := range s.Outcomes {
			var row []string
			for _, v := range pt.At {
				row = append(row, num(v))
			}
			e := pt.P[i]
			row = append(row, o.Name, strconv.FormatInt(e.K, 10), strconv.FormatInt(e.N, 10), f6(e.P), f6(e.SE), f6(e.Lo), f6(e.Hi))
			long.add(row...)
		}
	}
	wide := &Table{NoCSV: true, Title: "P(outcome) with 95% Wilson interval at each point"}
	for _, a := range s.Axes {
		wide.Columns = append(wide.Columns, a.Param)
	}
	var idx []int
	for _, name := range s.Charted {
		idx = append(idx, s.outcomeIndex(name))
		wide.Columns = append(wide.Columns, name)
	}
	for _, pt := range s.Points {
		var row []string
		for _, v := range pt.At {
			row = append(row, g(v))
		}
		for _, i := range idx {
			e := pt.P[i]
			row = append(row, pct(e.P)+" "+pctCI(e.Lo, e.Hi))
		}
		wide.add(row...)
	}
	wide.Notes = append(wide.Notes, "sweep.csv holds every outcome at every point; intervals are per point, and differences between points are far more precise than they suggest, since every point runs the same trials")
	r.Tables = append([]*Table{long, wide}, s.valueTables()...)
	if chartFormat != "" {
		charts, err := s.Charts(chartFormat)
		if err != nil {
			return nil, err
		}
		r.Charts = charts
	}
	return r, nil
}

// thousands formats n with comma separators.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && c != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
