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

// TornadoOptions configure a one-way sensitivity analysis.
type TornadoOptions struct {
	Outcomes []string // required: the outcomes analysed
	Params   []string // the params moved; nil: every param
	Pct      float64  // low/high = value·(1 ∓ Pct/100) for a param without range:
	// FixDists fixes every sampled param at its value (the dist's mean
	// unless value: is given) in the base and in every arm, for a
	// deterministic base case; by default sampled params stay sampled.
	FixDists bool
	Top      int // params drawn in the chart (all in the table); 0: 20
}

// Tornado is the result of a one-way sensitivity analysis.
type Tornado struct {
	Manifest Manifest         `json:"manifest"`
	Run      RunInfo          `json:"run"`
	Pct      float64          `json:"pct"`
	FixDists bool             `json:"fix_dists"`
	Params   []TornadoParam   `json:"params"` // in scenario order
	Skipped  []string         `json:"skipped"`
	Outcomes []TornadoOutcome `json:"outcomes"`
	Top      int              `json:"top"`
	// Values are the value outcomes analysed (see tornado_values.go).
	Values []TornadoValue `json:"values,omitempty"`
}

// TornadoParam is a param moved to its low and high value.
type TornadoParam struct {
	Name   string  `json:"name"`
	Base   float64 `json:"base"`
	Low    float64 `json:"low"`
	High   float64 `json:"high"`
	Source string  `json:"source"` // "range" or "±20%" (of the value)
	Dist   string  `json:"dist,omitempty"`
}

// TornadoOutcome holds the swings of one outcome, largest first.
type TornadoOutcome struct {
	Name  string             `json:"name"`
	Given string             `json:"given,omitempty"`
	Base  results.Proportion `json:"base"`
	Rows  []TornadoRow       `json:"rows"`
}

// TornadoRow is one param's effect on an outcome. Swing = P(high) − P(low);
// LowEffect = P(low) − P(base); HighEffect = P(high) − P(base); each with a
// paired 95% interval.
type TornadoRow struct {
	Param      string             `json:"param"`
	PLow       results.Proportion `json:"p_low"`
	PHigh      results.Proportion `json:"p_high"`
	Swing      Diff               `json:"swing"`
	LowEffect  Diff               `json:"low_effect"`
	HighEffect Diff               `json:"high_effect"`
}

// RunTornado moves each param to its low and its high value (its range:,
// or ±Pct% of its value) and runs the two arms side by side with the base
// over the same trials, so that every difference is paired.
func RunTornado(ctx context.Context, src *Source, base *model.Plan, opts TornadoOptions, run Run) (*Tornado, error) {
	started := time.Now()
	if len(opts.Outcomes) == 0 {
		var names []string
		for _, o := range base.Outcomes {
			names = append(names, o.Name)
		}
		if len(names) == 0 {
			return nil, inputErr("%s has no outcomes", base.Name)
		}
		return nil, optionErr("Outcome", "name the outcome to analyse (%s has: %s)", base.Name, strings.Join(names, ", "))
	}
	outs, valueOuts, err := splitOutcomes(base, opts.Outcomes)
	if err != nil {
		return nil, err
	}
	if !(opts.Pct > 0 && opts.Pct < 100) {
		return nil, optionErr("Pct", "%g: want a percentage above 0 and below 100", opts.Pct)
	}
	t := &Tornado{Manifest: manifestOf("tornado", base, run), Pct: opts.Pct, FixDists: opts.FixDists, Top: opts.Top, Skipped: []string{}}
	if t.Top <= 0 {
		t.Top = 20
	}
	var chosen []int
	if opts.Params == nil {
		for i := range base.Params {
			chosen = append(chosen, i)
		}
	} else {
		for _, s := range opts.Params {
			for _, n := range strings.Split(s, ",") {
				if n = strings.TrimSpace(n); n == "" {
					continue
				}
				i, err := FindParam(base, n)
				if err != nil {
					return nil, err
				}
				if containsInt(chosen, i) {
					return nil, inputErr("param %s is named twice", n)
				}
				chosen = append(chosen, i)
			}
		}
	}
	var fixed []model.Override
	if opts.FixDists {
		for _, par := range base.Params {
			if par.Dist != nil {
				fixed = append(fixed, model.Override{Name: par.Name, Value: num(par.Value)})
			}
		}
	}
	pctLabel := "±" + strconv.FormatFloat(opts.Pct, 'g', -1, 64) + "%"
	for _, i := range chosen {
		par := base.Params[i]
		tp := TornadoParam{Name: par.Name, Base: par.Value, Source: "range"}
		if par.Dist != nil {
			tp.Dist = par.Dist.Src
		}
		if par.HasRange {
			tp.Low, tp.High = par.Lo, par.Hi
		} else {
			tp.Low, tp.High = par.Value*(1-opts.Pct/100), par.Value*(1+opts.Pct/100)
			tp.Source = pctLabel
			if tp.Low > tp.High {
				tp.Low, tp.High = tp.High, tp.Low
			}
			if tp.Low == tp.High {
				t.Skipped = append(t.Skipped, par.Name+" (no range: and value 0, so ±"+strconv.FormatFloat(opts.Pct, 'g', -1, 64)+"% is empty)")
				continue
			}
		}
		t.Params = append(t.Params, tp)
	}
	if len(t.Params) == 0 {
		return nil, inputErr("no param to move: %s", strings.Join(t.Skipped, "; "))
	}
	if err := checkTotal("the tornado", float64(2*len(t.Params)+1)*float64(run.Trials)); err != nil {
		return nil, err
	}
	// Plans: base, then low and high of each param.
	basePlan, err := src.Compile(fixed...)
	if err != nil {
		return nil, err
	}
	plans := []*model.Plan{basePlan}
	names := []string{"base"}
	for _, tp := range t.Params {
		for _, v := range []float64{tp.Low, tp.High} {
			ov := model.Override{Name: tp.Name, Value: num(v)}
			p, err := src.Compile(append(fixed[:len(fixed):len(fixed)], ov)...)
			if err != nil {
				return nil, err
			}
			plans = append(plans, p)
			names = append(names, ov.Name+"="+ov.Value)
		}
	}
	np, no := len(t.Params), len(outs)
	ls := &lockstep{plans: plans, names: names, seed: run.Seed, block: 1, workers: run.Workers, done: run.Done}
	workers := ls.nworkers(run.Trials)
	var tv *tornadoValues
	if len(valueOuts) > 0 {
		if tv, err = newTornadoValues(plans, valueOuts, workers); err != nil {
			return nil, err
		}
		ls.visitValues = tv.visit
	}
	// acc[w][(k*no+j)*3+c]: param k, outcome j, comparison c (low-high,
	// base-low, base-high).
	acc := make([][]Pair, workers)
	hits := make([][]int64, workers) // [w][plan*no+j*2+{0: hits, 1: given}]
	for w := range acc {
		acc[w] = make([]Pair, np*no*3)
		hits[w] = make([]int64, len(plans)*no*2)
	}
	err = ls.run(ctx, 0, run.Trials, func(w int, _ int64, o [][]int8) {
		a, h := acc[w], hits[w]
		for j, oi := range outs {
			for p := range plans {
				s := o[p][oi]
				if s >= 0 {
					h[(p*no+j)*2+1]++
				}
				if s == 1 {
					h[(p*no+j)*2]++
				}
			}
			b := o[0][oi]
			for k := range np {
				lo, hi := o[1+2*k][oi], o[2+2*k][oi]
				c := a[(k*no+j)*3:]
				c[0].add(lo, hi)
				c[1].add(b, lo)
				c[2].add(b, hi)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	for w := 1; w < workers; w++ {
		for i := range acc[0] {
			acc[0][i].merge(&acc[w][i])
		}
		for i := range hits[0] {
			hits[0][i] += hits[w][i]
		}
	}
	a, h := acc[0], hits[0]
	prop := func(p, j int) results.Proportion {
		return results.NewProportion(h[(p*no+j)*2], h[(p*no+j)*2+1])
	}
	for j, oi := range outs {
		o := base.Outcomes[oi]
		to := TornadoOutcome{Name: o.Name, Base: prop(0, j)}
		if o.Given != nil {
			to.Given = o.Given.Src
		}
		for k, tp := range t.Params {
			c := a[(k*no+j)*3:]
			to.Rows = append(to.Rows, TornadoRow{
				Param: tp.Name, PLow: prop(1+2*k, j), PHigh: prop(2+2*k, j),
				Swing: PairedDiff(&c[0]), LowEffect: PairedDiff(&c[1]), HighEffect: PairedDiff(&c[2]),
			})
		}
		sort.SliceStable(to.Rows, func(x, y int) bool {
			return absOr0(to.Rows[x].Swing.D) > absOr0(to.Rows[y].Swing.D)
		})
		t.Outcomes = append(t.Outcomes, to)
	}
	if tv != nil {
		t.Values = tv.result(base, t)
	}
	t.Run = RunInfo{Workers: workers, ElapsedSeconds: time.Since(started).Seconds(), TotalTrials: int64(len(plans)) * run.Trials}
	return t, nil
}

func absOr0(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return math.Abs(x)
}

func containsInt(s []int, x int) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// param returns the moved param of that name.
func (t *Tornado) param(name string) TornadoParam {
	for _, p := range t.Params {
		if p.Name == name {
			return p
		}
	}
	return TornadoParam{}
}

// Report renders the tornado: per outcome, one row per param, largest
// swing first.
func (t *Tornado) Report(chartFormat string) (*Report, error) {
	r := &Report{Stem: "tornado", Manifest: t.Manifest, JSON: t}
	base := "as the scenario says (sampled params sampled)"
	if t.FixDists {
		base = "every sampled param fixed at its value (dists fixed)"
	}
	r.Heading = append(r.Heading,
		fmt.Sprintf("trials          %s per arm, the same trials in the base and in every arm (paired)", thousands(t.Manifest.Trials)),
		"base            "+base,
		fmt.Sprintf("low/high        each param's range:, or %s of its value where it has none (marked in the table)", "±"+strconv.FormatFloat(t.Pct, 'g', -1, 64)+"%"))
	long := &Table{Name: "tornado", NoText: true, Columns: []string{
		"outcome", "param", "source", "low", "high", "base_value",
		"p_base", "p_low", "p_low_lo95", "p_low_hi95", "p_high", "p_high_lo95", "p_high_hi95",
		"swing", "swing_lo95", "swing_hi95", "low_effect", "low_effect_lo95", "low_effect_hi95",
		"high_effect", "high_effect_lo95", "high_effect_hi95", "interval_method"}}
	r.Tables = append(r.Tables, long)
	for _, o := range t.Outcomes {
		tbl := &Table{NoCSV: true, Title: fmt.Sprintf("%s: base %s %s", o.Name, pct(o.Base.P), pctCI(o.Base.Lo, o.Base.Hi)),
			Columns: []string{"param", "low", "high", "P(low)", "P(high)", "swing (pts)", "paired 95% CI"}}
		if o.Given != "" {
			tbl.Title += " | given " + o.Given
		}
		for _, row := range o.Rows {
			tp := t.param(row.Param)
			src := ""
			if tp.Source != "range" {
				src = " *"
			}
			tbl.add(row.Param+src, g(tp.Low), g(tp.High), pct(row.PLow.P), pct(row.PHigh.P), pts(row.Swing.D),
				"["+pts(row.Swing.Lo)+", "+pts(row.Swing.Hi)+"]")
			long.add(o.Name, row.Param, tp.Source, num(tp.Low), num(tp.High), num(tp.Base),
				f6(o.Base.P), f6(row.PLow.P), f6(row.PLow.Lo), f6(row.PLow.Hi), f6(row.PHigh.P), f6(row.PHigh.Lo), f6(row.PHigh.Hi),
				f6(row.Swing.D), f6(row.Swing.Lo), f6(row.Swing.Hi), f6(row.LowEffect.D), f6(row.LowEffect.Lo), f6(row.LowEffect.Hi),
				f6(row.HighEffect.D), f6(row.HighEffect.Lo), f6(row.HighEffect.Hi), row.Swing.Method)
		}
		tbl.Notes = append(tbl.Notes, "swing = P(high) − P(low) in percentage points; "+intervalNote(o.Given != ""))
		if hasPct(t) {
			tbl.Notes = append(tbl.Notes, "* no range: in the scenario; low/high are ±"+strconv.FormatFloat(t.Pct, 'g', -1, 64)+"% of its value")
		}
		for _, s := range t.Skipped {
			tbl.Notes = append(tbl.Notes, "skipped: "+s)
		}
		r.Tables = append(r.Tables, tbl)
	}
	r.Tables = append(r.Tables, t.valueTables()...)
	if chartFormat != "" && len(t.Outcomes) > 0 {
		charts, err := t.Charts(chartFormat)
		if err != nil {
			return nil, err
		}
		r.Charts = charts
	}
	return r, nil
}

func hasPct(t *Tornado) bool {
	for _, p := range t.Params {
		if p.Source != "range" {
			return true
		}
	}
	return false
}

func intervalNote(conditional bool) string {
	if conditional {
		return "paired 95% interval: delta method for the difference of the two ratio estimators, paired by trial"
	}
	return "paired 95% interval: Newcombe (1998) hybrid score interval for paired proportions"
}
