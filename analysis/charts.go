package analysis

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot/vg"

	"scensim/results/chart"
)

// render draws charts into name.format files.
func render(format string, cs []*chart.Chart, heights []vg.Length) (map[string][]byte, error) {
	out := map[string][]byte{}
	for i, c := range cs {
		b, err := chart.Render(c, format, c.RenderWidth(chart.Width), c.RenderHeight(heights[i]))
		if err != nil {
			return nil, err
		}
		out[c.Name+"."+format] = b
	}
	return out, nil
}

// fileSafe makes a name usable in a file name.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			return r
		}
		return '_'
	}, s)
}

func (m Manifest) about(what string) string {
	return fmt.Sprintf("%s - %s (%s, seed %d)", what, m.Scenario, what2(m), m.Seed)
}

func what2(m Manifest) string {
	switch m.Command {
	case "sweep":
		return thousands(m.Trials) + " trials per point"
	case "tornado":
		return thousands(m.Trials) + " paired trials per arm"
	case "calibrate":
		return thousands(m.Trials) + " trials per evaluation"
	}
	return thousands(m.Trials) + " trials"
}

// Charts draws the sweep: sweep.EXT (1-D: lines with 95% bands) or
// sweep_OUTCOME.EXT per charted outcome (2-D: heatmaps).
func (s *Sweep) Charts(format string) (map[string][]byte, error) {
	ax := s.Axes[0]
	xlabel := func(a SweepAxis) string {
		l := a.Param
		if a.Dist != "" {
			l += " (fixed at each value; the scenario draws it from " + a.Dist + ")"
		}
		return l
	}
	if len(s.Axes) == 1 {
		d := chart.SweepData{Name: "sweep", Title: s.Manifest.about("Sweep of " + ax.Param),
			XLabel: xlabel(ax), Base: ax.Base, BaseLabel: "scenario: " + g(ax.Base)}
		for _, name := range s.Charted {
			i := s.outcomeIndex(name)
			ser := chart.SweepSeries{Name: name}
			if s.Outcomes[i].Given != "" {
				ser.Name += " | given"
			}
			for k, pt := range s.Points {
				ser.X = append(ser.X, ax.Values[k])
				ser.P, ser.Lo, ser.Hi = append(ser.P, pt.P[i].P), append(ser.Lo, pt.P[i].Lo), append(ser.Hi, pt.P[i].Hi)
			}
			d.Series = append(d.Series, ser)
		}
		c, err := chart.SweepLines(d)
		if err != nil {
			return nil, err
		}
		return render(format, []*chart.Chart{c}, []vg.Length{chart.Height})
	}
	ay := s.Axes[1]
	var cs []*chart.Chart
	var hs []vg.Length
	for _, name := range s.Charted {
		i := s.outcomeIndex(name)
		nx, ny := len(ax.Values), len(ay.Values)
		z := make([][]float64, nx)
		for a := range nx {
			z[a] = make([]float64, ny)
			for b := range ny {
				z[a][b] = s.Points[a*ny+b].P[i].P
			}
		}
		what := "P(" + name + ")"
		if s.Outcomes[i].Given != "" {
			what = "P(" + name + " | given)"
		}
		c, err := chart.Heatmap(chart.HeatmapData{
			Name: "sweep_" + fileSafe(name), Title: s.Manifest.about(what + " over " + ax.Param + " x " + ay.Param),
			XLabel: xlabel(ax), YLabel: xlabel(ay), X: ax.Values, Y: ay.Values, Z: z, ZLabel: "P",
			Percent: true, BaseX: ax.Base, BaseY: ay.Base, BaseLabel: "the cross marks the scenario's values",
		})
		if err != nil {
			return nil, err
		}
		cs, hs = append(cs, c), append(hs, chart.Height)
	}
	return render(format, cs, hs)
}

// Charts draws tornado.EXT (one outcome) or tornado_OUTCOME.EXT per outcome.
func (t *Tornado) Charts(format string) (map[string][]byte, error) {
	var cs []*chart.Chart
	var hs []vg.Length
	for _, o := range t.Outcomes {
		name := "tornado"
		if len(t.Outcomes) > 1 {
			name += "_" + fileSafe(o.Name)
		}
		what := "P(" + o.Name + ")"
		if o.Given != "" {
			what = "P(" + o.Name + " | given)"
		}
		d := chart.TornadoData{Name: name, Title: t.Manifest.about("One-way sensitivity of " + what),
			XLabel: what + " with the param at its low and high value", Base: o.Base.P, BaseLo: o.Base.Lo, BaseHi: o.Base.Hi}
		pctUsed := false
		for _, r := range o.Rows[:min(t.Top, len(o.Rows))] {
			tp := t.param(r.Param)
			label := fmt.Sprintf("%s  %s - %s", r.Param, g(tp.Low), g(tp.High))
			if tp.Source != "range" {
				label += " *"
				pctUsed = true
			}
			d.Bars = append(d.Bars, chart.TornadoBar{Label: label, Low: r.PLow.P, High: r.PHigh.P,
				LowLo: o.Base.P + r.LowEffect.Lo, LowHi: o.Base.P + r.LowEffect.Hi,
				HighLo: o.Base.P + r.HighEffect.Lo, HighHi: o.Base.P + r.HighEffect.Hi,
				Swing: pts(r.Swing.D) + " pts"})
		}
		if pctUsed {
			d.Note = fmt.Sprintf("* no range: given; +-%g%% of its value", t.Pct)
		}
		if len(o.Rows) > t.Top {
			if d.Note != "" {
				d.Note += "; "
			}
			d.Note += fmt.Sprintf("top %d of %d params", t.Top, len(o.Rows))
		}
		c, err := chart.Tornado(d)
		if err != nil {
			return nil, err
		}
		cs, hs = append(cs, c), append(hs, chart.RowsHeight(len(d.Bars)))
	}
	return render(format, cs, hs)
}

// Charts draws psa.EXT: per outcome the spread of P(outcome | θ); and
// psa_value_NAME.EXT per value outcome: the spread of E[value | θ].
func (p *PSA) Charts(format string) (map[string][]byte, error) {
	idx := make([]int, 0, len(p.Outcomes))
	for i, o := range p.Outcomes {
		if !math.IsNaN(o.Mean.V) {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return p.Outcomes[idx[a]].Mean.V > p.Outcomes[idx[b]].Mean.V })
	d := chart.IntervalData{Name: "psa",
		Title:   fmt.Sprintf("Spread of P(outcome) over the params' distributions - %s (%s draws x %s trials, seed %d)", p.Manifest.Scenario, thousands(int64(p.Outer)), thousands(int64(p.Inner)), p.Manifest.Seed),
		XLabel:  "P(outcome | params), the inner trials' noise removed",
		BarName: "2.5% to 97.5% of the params' draws", MidName: "median", PointName: "mean",
	}
	for _, i := range idx {
		o := p.Outcomes[i]
		label := o.Name
		if o.Given != "" {
			label += " (conditional)"
		}
		d.Rows = append(d.Rows, chart.IntervalRow{Label: label, Lo: o.P2_5.V, Hi: o.P97_5.V, Mid: o.Median.V, Point: o.Mean.V,
			Target: math.NaN(), Start: math.NaN(), Note: "sd " + strings.TrimSuffix(pct(o.SD.V), "%") + " pts"})
	}
	var cs []*chart.Chart
	var hs []vg.Length
	if len(d.Rows) > 0 {
		c, err := chart.Intervals(d)
		if err != nil {
			return nil, err
		}
		cs, hs = append(cs, c), append(hs, chart.RowsHeight(len(d.Rows)))
	}
	vcs, vhs, err := p.psaValueCharts()
	if err != nil {
		return nil, err
	}
	return render(format, append(cs, vcs...), append(hs, vhs...))
}

// noisyShare is the noise share above which Sobol indices are flagged as
// imprecise.
const noisyShare = 0.8

// Charts draws sobol.EXT (a heatmap of the total indices, outcomes × params:
// the yes/no outcomes, then the value outcomes with indices of E[value | θ])
// and sobol_OUTCOME.EXT (bars of S1 and ST) for each charted outcome, or
// sobol_value_NAME.EXT for a charted value outcome (the indices of
// E[value | θ]), in the order charted.
func (s *Sobol) Charts(format string) (map[string][]byte, error) {
	var cs []*chart.Chart
	var hs []vg.Length
	if d, rows := s.heatmapData(); rows > 0 {
		c, err := chart.Heatmap(d)
		if err != nil {
			return nil, err
		}
		cs, hs = append(cs, c), append(hs, chart.RowsHeight(rows))
	}
	for _, name := range s.Charted {
		if o, ok := s.sobolValue(name); ok {
			if o.Skipped != "" {
				continue
			}
			d := s.sobolValueData(o)
			c, err := chart.SobolBars(d)
			if err != nil {
				return nil, err
			}
			cs, hs = append(cs, c), append(hs, chart.RowsHeight(2*len(d.Rows)))
			continue
		}
		for _, o := range s.Outcomes {
			if o.Name != name || o.Skipped != "" {
				continue
			}
			d := chart.SobolData{Name: "sobol_" + fileSafe(name),
				Title: fmt.Sprintf("Sobol indices of P(%s) - %s (N = %s x %s trials, seed %d)", name, s.Manifest.Scenario, thousands(int64(s.Samples)), thousands(int64(s.Inner)), s.Manifest.Seed),
				Note:  fmt.Sprintf("P: mean %s, sd %s over the params", pct(o.Mean), pct(math.Sqrt(o.Var)))}
			for _, x := range o.Indices {
				d.Rows = append(d.Rows, chart.SobolRow{Param: x.Param, S1: x.S1, S1Lo: x.S1Lo, S1Hi: x.S1Hi, ST: x.ST, STLo: x.STLo, STHi: x.STHi})
			}
			c, err := chart.SobolBars(d)
			if err != nil {
				return nil, err
			}
			cs, hs = append(cs, c), append(hs, chart.RowsHeight(2*len(d.Rows)))
		}
	}
	return render(format, cs, hs)
}

// heatmapData is sobol.EXT's heatmap of the total indices: a row per
// yes/no outcome with indices, first on top, then one per value outcome
// with indices, named E[NAME]; a row whose indices are mostly the inner
// trials' noise is starred. rows is the number of rows (0: no heatmap).
func (s *Sobol) heatmapData() (d chart.HeatmapData, rows int) {
	var outs []SobolOutcome
	var names []string
	for _, o := range s.Outcomes {
		if o.Skipped == "" {
			outs, names = append(outs, o), append(names, o.Name)
		}
	}
	for _, o := range s.Values {
		if o.Skipped == "" {
			outs, names = append(outs, o), append(names, "E["+o.Name+"]")
		}
	}
	if len(outs) == 0 {
		return d, 0
	}
	var params []string
	for _, p := range s.Params {
		params = append(params, p.Name)
	}
	z := make([][]float64, len(params))
	var ynames []string
	noisy := false
	for k := len(outs) - 1; k >= 0; k-- { // first outcome on top
		name := names[k]
		if outs[k].NoiseShare() > noisyShare {
			name += " *"
			noisy = true
		}
		ynames = append(ynames, name)
	}
	title := fmt.Sprintf("Total Sobol indices - %s (N = %s rows x %s trials, seed %d)", s.Manifest.Scenario, thousands(int64(s.Samples)), thousands(int64(s.Inner)), s.Manifest.Seed)
	if noisy {
		title += fmt.Sprintf("\n* imprecise: over %.0f%% of the rows' variance is the inner trials' noise (raise the inner trials or the samples)", 100*noisyShare)
	}
	for i := range params {
		for k := len(outs) - 1; k >= 0; k-- {
			z[i] = append(z[i], outs[k].Indices[i].ST)
		}
	}
	return chart.HeatmapData{Name: "sobol", Title: title,
		XLabel: "param", YLabel: "", XNames: params, YNames: ynames, Z: z, ZLabel: "ST", ZMin: 0, ZMax: 1, Digits: 2,
		BaseX: math.NaN(), BaseY: math.NaN()}, len(outs)
}

// Charts draws calibrate.EXT (targets against what the model gives: a
// probability, or a value target's mean in the value's unit) and
// calibrate_trace.EXT (the search).
func (c *Calibration) Charts(format string) (map[string][]byte, error) {
	d := chart.CalibrationData{Name: "calibrate", Title: c.Manifest.about("Calibration of " + strings.Join(c.paramNames(), ", ")),
		Check: fmt.Sprintf("check (%s trials, seed %d)", thousands(c.CheckTrials), c.CheckSeed)}
	for _, t := range c.Targets {
		if t.Value && (math.IsNaN(t.Start.P) || math.IsNaN(t.Check.P)) {
			continue // the value was never defined: nothing to draw
		}
		d.Target = append(d.Target, calChartTarget(t))
	}
	var cs []*chart.Chart
	var hs []vg.Length
	if len(d.Target) > 0 {
		ic, err := chart.CalibrationTargets(d)
		if err != nil {
			return nil, err
		}
		cs, hs = append(cs, ic), append(hs, max(chart.Height/2*vg.Length(len(d.Target)), chart.Height/2+vg.Inch))
	}
	td := chart.TraceData{Name: "calibrate_trace",
		Title: c.Manifest.about(fmt.Sprintf("Calibration search (%s)", c.Method))}
	td.Params = make([][]float64, len(c.Params))
	for _, e := range c.Trace {
		td.Objective = append(td.Objective, e.Objective)
		for k, p := range c.Params {
			td.Params[k] = append(td.Params[k], (e.X[k]-p.Lo)/(p.Hi-p.Lo))
		}
	}
	td.ParamName = c.paramNames()
	if c.hasValueTargets() {
		td.ObjectiveOf = "squared logit errors and squared value errors in SDs"
	}
	tc, err := chart.Trace(td)
	if err != nil {
		return nil, err
	}
	return render(format, append(cs, tc), append(hs, chart.Height))
}

func (c *Calibration) paramNames() []string {
	var out []string
	for _, p := range c.Params {
		out = append(out, p.Name)
	}
	return out
}
