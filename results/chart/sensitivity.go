package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SobolRow is one param's indices for one outcome, with 95% intervals.
type SobolRow struct {
	Param          string
	S1, S1Lo, S1Hi float64
	ST, STLo, STHi float64
}

// SobolData is what [SobolBars] draws.
type SobolData struct {
	Name  string
	Title string
	Rows  []SobolRow // drawn top to bottom in this order
	Note  string
	// Of names the quantity whose variance is apportioned, in the x axis
	// label (empty: "P(outcome | params)").
	Of string
}

// SobolBars charts the first-order (S1) and total (ST) Sobol indices of
// one outcome as pairs of horizontal bars per param, with bootstrap 95%
// interval whiskers; the x axis runs from the smaller of 0 and the lowest
// interval end to at least 1.
//
// Plotters: a grid, the *Rects of the bars (two per param), two
// *plotter.XErrorBars (S1, ST) and the legend margin.
func SobolBars(d SobolData) (*Chart, error) {
	n := len(d.Rows)
	if n == 0 {
		return nil, errors.New("chart: no params to draw")
	}
	of := d.Of
	if of == "" {
		of = "P(outcome | params)"
	}
	p := newPlot(d.Title, "Sobol index (share of the variance of "+of+"; whisker: 95% bootstrap interval)", "")
	c := &Chart{Name: d.Name, Plot: p}
	grid := plotter.NewGrid()
	grid.Horizontal.Color = nil
	c.add(grid)
	names := make([]string, n)
	bars := &Rects{}
	var w1, wt xyErrs
	var xs []float64
	const h = 0.36
	for row := range n {
		r := d.Rows[n-1-row]
		names[row] = r.Param
		y := float64(row)
		bars.R = append(bars.R,
			Rect{X0: 0, X1: nz(r.ST), Y0: y, Y1: y + h, Color: Colour(1)},
			Rect{X0: 0, X1: nz(r.S1), Y0: y - h, Y1: y, Color: Colour(0)})
		if !math.IsNaN(r.S1Lo) {
			w1.XYs = append(w1.XYs, plotter.XY{X: r.S1, Y: y - h/2})
			w1.XErrors = append(w1.XErrors, struct{ Low, High float64 }{math.Max(r.S1-r.S1Lo, 0), math.Max(r.S1Hi-r.S1, 0)})
		}
		if !math.IsNaN(r.STLo) {
			wt.XYs = append(wt.XYs, plotter.XY{X: r.ST, Y: y + h/2})
			wt.XErrors = append(wt.XErrors, struct{ Low, High float64 }{math.Max(r.ST-r.STLo, 0), math.Max(r.STHi-r.ST, 0)})
		}
		xs = append(xs, r.S1, r.ST, r.S1Lo, r.S1Hi, r.STLo, r.STHi)
	}
	c.add(bars)
	lo, hi := rangeOf(xs)
	p.X.Min, p.X.Max = math.Min(0, lo-0.02), math.Max(1, hi+0.02)
	p.X.Tick.Marker = ShortTicks{}
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.Y.Padding = 0
	if err := c.addXWhiskers(n, w1, wt); err != nil {
		return nil, err
	}
	entries := []legendEntry{
		{"first order S1", []plot.Thumbnailer{Swatch{Color: Colour(0)}}},
		{"total ST", []plot.Thumbnailer{Swatch{Color: Colour(1)}}},
		{"95% bootstrap interval", []plot.Thumbnailer{whiskerThumb{lineStyle(color.Black, 1.1)}}},
	}
	if d.Note != "" {
		entries = append(entries, legendEntry{d.Note, nil})
	}
	c.add(legendRight(p, 0, entries...))
	return c, nil
}

func nz(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}

// IntervalRow is one row of an [Intervals] chart.
type IntervalRow struct {
	Label string
	// Outer interval (a thin bar), inner marks and a point.
	Lo, Hi float64
	Mid    float64 // drawn as a tick (NaN: none)
	Point  float64 // drawn as a dot (NaN: none)
	// Whisker, if Wlo < Whi, is an interval around Point.
	Wlo, Whi float64
	// Target, if not NaN, is drawn as a diamond.
	Target float64
	// Start, if not NaN, is drawn as a hollow circle.
	Start float64
	Note  string // printed right of the row
}

// IntervalData is what [Intervals] draws.
type IntervalData struct {
	Name   string
	Title  string
	XLabel string
	Rows   []IntervalRow // top to bottom
	// Legend names of the elements drawn (empty: not in the legend).
	BarName, MidName, PointName, WhiskerName, TargetName, StartName string
	// Plain makes the x axis a plain number (a value outcome's, in its
	// unit) instead of a probability.
	Plain bool
}

// Intervals charts one row per item on a probability axis (a plain one if
// d.Plain): a shaded bar
// from Lo to Hi, a tick at Mid, a dot at Point with its whisker, a diamond
// at Target and a hollow circle at Start — a forest plot, used for the
// spread of each outcome over the params (PSA) and for calibration targets
// against what the model achieves.
//
// Plotters: a grid, the *Rects of the bars, then *Marker plotters for the
// ticks, starts, targets and points, the *plotter.XErrorBars (if any), the
// *plotter.Labels of the notes (if any) and the legend margin.
func Intervals(d IntervalData) (*Chart, error) {
	n := len(d.Rows)
	if n == 0 {
		return nil, errors.New("chart: no rows to draw")
	}
	p := newPlot(d.Title, d.XLabel, "")
	c := &Chart{Name: d.Name, Plot: p}
	grid := plotter.NewGrid()
	grid.Horizontal.Color = nil
	c.add(grid)
	names := make([]string, n)
	bars := &Rects{}
	mids := &Marker{Style: draw.GlyphStyle{Color: color.Black, Radius: vg.Points(6), Shape: vbar{}}}
	points := &Marker{Style: draw.GlyphStyle{Color: Colour(0), Radius: vg.Points(4), Shape: draw.CircleGlyph{}},
		Halo: draw.GlyphStyle{Color: color.White, Radius: vg.Points(5.2), Shape: draw.CircleGlyph{}}}
	targets := &Marker{Style: draw.GlyphStyle{Color: Colour(3), Radius: vg.Points(6), Shape: diamond{}}}
	starts := &Marker{Style: draw.GlyphStyle{Color: color.Gray{Y: 0x60}, Radius: vg.Points(4.5), Shape: draw.RingGlyph{}}}
	var wh xyErrs
	var labels plotter.XYLabels
	var xs []float64
	for row := range n {
		r := d.Rows[n-1-row]
		names[row] = r.Label
		y := float64(row)
		if r.Hi > r.Lo {
			bars.R = append(bars.R, Rect{X0: r.Lo, X1: r.Hi, Y0: y - 0.22, Y1: y + 0.22, Color: fade(Colour(5), 0.55)})
		}
		add := func(m *Marker, x float64) {
			if !math.IsNaN(x) {
				m.X, m.Y = append(m.X, x), append(m.Y, y)
			}
		}
		add(mids, r.Mid)
		add(starts, r.Start)
		add(targets, r.Target)
		add(points, r.Point)
		if r.Whi > r.Wlo && !math.IsNaN(r.Point) {
			wh.XYs = append(wh.XYs, plotter.XY{X: r.Point, Y: y})
			wh.XErrors = append(wh.XErrors, struct{ Low, High float64 }{math.Max(r.Point-r.Wlo, 0), math.Max(r.Whi-r.Point, 0)})
		}
		if r.Note != "" {
			labels.XYs = append(labels.XYs, plotter.XY{X: 0, Y: y})
			labels.Labels = append(labels.Labels, r.Note)
		}
		xs = append(xs, r.Lo, r.Hi, r.Mid, r.Point, r.Wlo, r.Whi, r.Target, r.Start)
	}
	lo, hi := rangeOf(xs)
	if d.Plain {
		p.X.Min, p.X.Max = plainRange(lo, hi, 0.06)
		p.X.Tick.Marker = ShortTicks{}
	} else {
		p.X.Min, p.X.Max = padRange(lo, hi, 0.06, -0.015, 1.015)
		p.X.Tick.Marker = PercentTicks{}
	}
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.Y.Padding = 0
	if n > 20 {
		p.Y.Tick.Label.Font.Size = vg.Points(tickSize - 1)
	}
	var entries []legendEntry
	if len(bars.R) > 0 {
		c.add(bars)
		if d.BarName != "" {
			entries = append(entries, legendEntry{d.BarName, []plot.Thumbnailer{Swatch{Color: fade(Colour(5), 0.55)}}})
		}
	}
	var wb *plotter.XErrorBars
	if len(wh.XYs) > 0 {
		var err error
		if wb, err = plotter.NewXErrorBars(wh); err != nil {
			return nil, err
		}
		wb.LineStyle = lineStyle(color.Black, 1.2)
		c.add(wb)
		c.fit = append(c.fit, func(da draw.Canvas) { wb.CapWidth = min(vg.Points(8), 0.35*(da.Max.Y-da.Min.Y)/vg.Length(n)) })
		c.reset = append(c.reset, func() { wb.CapWidth = plotter.DefaultCapWidth })
	}
	for _, m := range []struct {
		mk   *Marker
		name string
	}{{mids, d.MidName}, {starts, d.StartName}, {targets, d.TargetName}, {points, d.PointName}} {
		if len(m.mk.X) == 0 {
			continue
		}
		c.add(m.mk)
		if m.name != "" {
			entries = append(entries, legendEntry{m.name, []plot.Thumbnailer{m.mk}})
		}
	}
	if wb != nil && d.WhiskerName != "" {
		entries = append(entries, legendEntry{d.WhiskerName, []plot.Thumbnailer{whiskerThumb{wb.LineStyle}}})
	}
	labelW := vg.Length(0)
	if len(labels.XYs) > 0 {
		for i := range labels.XYs {
			labels.XYs[i].X = p.X.Max
		}
		lb, err := plotter.NewLabels(labels)
		if err != nil {
			return nil, err
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i] = textStyle(noteSize, color.Black)
			lb.TextStyle[i].YAlign = draw.YCenter
			labelW = max(labelW, lb.TextStyle[i].Width(lb.Labels[i]))
		}
		lb.Offset = vg.Point{X: vg.Points(8)}
		c.add(lb)
	}
	c.add(legendRight(p, labelW+vg.Points(14), entries...))
	return c, nil
}

// vbar is a vertical tick glyph.
type vbar struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (vbar) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.StrokeLine2(draw.LineStyle{Color: sty.Color, Width: vg.Points(2.2)}, pt.X, pt.Y-sty.Radius, pt.X, pt.Y+sty.Radius)
}

// diamond is a filled diamond glyph.
type diamond struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (diamond) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius
	c.FillPolygon(sty.Color, []vg.Point{{X: pt.X, Y: pt.Y + r}, {X: pt.X + r, Y: pt.Y}, {X: pt.X, Y: pt.Y - r}, {X: pt.X - r, Y: pt.Y}})
}

// TraceData is what [Trace] draws: an optimiser's path.
type TraceData struct {
	Name      string
	Title     string
	Objective []float64   // per evaluation
	Params    [][]float64 // per param, per evaluation, as the share of its range (0..1)
	ParamName []string
	// What the objective sums, in its panel's title (empty: "squared
	// logit errors").
	ObjectiveOf string
}

// Trace charts a calibration's search: the objective at each evaluation on
// a log scale (with the best so far), and each varied param's position in
// its range.
func Trace(d TraceData) (*Chart, error) {
	if len(d.Objective) == 0 {
		return nil, errors.New("chart: no evaluations to draw")
	}
	c := &Chart{Name: d.Name, Title: d.Title, Cols: 1}
	of := d.ObjectiveOf
	if of == "" {
		of = "squared logit errors"
	}
	top := newPlot("objective: sum of "+of+" (log scale)", "evaluation", "objective")
	topC := &Chart{Name: d.Name + "_objective", Plot: top}
	topC.add(plotter.NewGrid())
	var pts, best plotter.XYs
	b := math.Inf(1)
	floor := 1e-8
	for i, v := range d.Objective {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		v = math.Max(v, floor)
		b = math.Min(b, v)
		pts = append(pts, plotter.XY{X: float64(i + 1), Y: v})
		best = append(best, plotter.XY{X: float64(i + 1), Y: b})
	}
	if len(pts) == 0 {
		return nil, errors.New("chart: no finite objective values")
	}
	top.Y.Scale = plot.LogScale{}
	top.Y.Tick.Marker = logTicks{}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: Colour(0), Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
	bl, err := plotter.NewLine(best)
	if err != nil {
		return nil, err
	}
	bl.LineStyle = lineStyle(Colour(3), 2)
	topC.add(sc, bl)
	top.X.Tick.Marker = ShortTicks{}
	topC.add(legendRight(top, 0, legendEntry{"each evaluation", []plot.Thumbnailer{sc}}, legendEntry{"best so far", []plot.Thumbnailer{bl}}))
	bottom := newPlot("params: position in their range (0 = low end, 1 = high end)", "evaluation", "share of range")
	botC := &Chart{Name: d.Name + "_params", Plot: bottom}
	botC.add(plotter.NewGrid())
	bottom.Y.Min, bottom.Y.Max = 0, 1
	bottom.X.Tick.Marker = ShortTicks{}
	var entries []legendEntry
	for k, xs := range d.Params {
		line := make(plotter.XYs, len(xs))
		for i, x := range xs {
			line[i] = plotter.XY{X: float64(i + 1), Y: x}
		}
		l, err := plotter.NewLine(line)
		if err != nil {
			return nil, err
		}
		l.LineStyle = lineStyle(Colour(k), 2)
		botC.add(l)
		entries = append(entries, legendEntry{d.ParamName[k], []plot.Thumbnailer{l}})
	}
	botC.add(legendRight(bottom, 0, entries...))
	c.Panels = []*Chart{topC, botC}
	return c, nil
}

// RowsHeight is the height of a chart with n rows of bars: at least
// [Height], and 22 points per row beyond it.
func RowsHeight(n int) vg.Length {
	return max(Height, vg.Length(n)*vg.Points(22)+2*vg.Inch)
}

// logTicks labels a log axis at 1, 2 and 5 times powers of ten (only at
// powers of ten when the axis spans more than three of them).
type logTicks struct{}

// Ticks implements plot.Ticker.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0 && hi > lo) {
		return nil
	}
	e0, e1 := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	all := e1-e0 <= 3
	var out []plot.Tick
	for e := e0; e <= e1; e++ {
		for _, m := range []float64{1, 2, 3, 4, 5, 6, 7, 8, 9} {
			v := m * math.Pow(10, float64(e))
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || (all && (m == 2 || m == 5)) {
				t.Label = strconv.FormatFloat(v, 'g', 3, 64)
			}
			out = append(out, t)
		}
	}
	return out
}

// CalTarget is one calibration target as [CalibrationTargets] draws it.
type CalTarget struct {
	Name             string
	Target           float64
	Tolerance        float64 // half-width of the band around the target that counts as hit
	Start            float64 // at the scenario's values
	Check            float64 // at the calibrated values, in the check run
	CheckLo, CheckHi float64 // its 95% interval
	Hit              bool
	// Value marks the target of a value outcome's mean: the panel's axis
	// is in Unit, not a probability, and the interval a normal one.
	Value bool
	Unit  string
}

// CalibrationData is what [CalibrationTargets] draws.
type CalibrationData struct {
	Name   string
	Title  string
	Check  string // e.g. "independent check (100,000 trials, seed 6)"
	Target []CalTarget
}

// CalibrationTargets charts a calibration's targets, one panel per target
// on its own zoomed probability axis (for a value target: on an axis in the
// value's unit, the target its mean): the target as a vertical line in its
// tolerance band, the probability at the scenario's values (hollow circle),
// a dashed line to the probability the calibrated values give in the check
// run (dot) with its 95% Wilson interval.
//
// Each panel's plotters: the tolerance *verticalBand, the target
// *plotter.Line, the dashed *plotter.Line from start to check, the start
// and check *Marker, the check's *plotter.XErrorBars and the legend margin.
func CalibrationTargets(d CalibrationData) (*Chart, error) {
	if len(d.Target) == 0 {
		return nil, errors.New("chart: no targets to draw")
	}
	c := &Chart{Name: d.Name, Title: d.Title, Cols: 1}
	for _, t := range d.Target {
		verdict := "hit"
		if !t.Hit {
			verdict = "MISSED"
		}
		format, xlabel, interval := percent, "probability", "its 95% Wilson interval"
		if t.Value {
			format, xlabel, interval = plainNumber, "mean", "its 95% interval"
			if t.Unit != "" {
				xlabel += " (" + t.Unit + ")"
			}
		}
		p := newPlot(fmt.Sprintf("%s: target %s, check %s [%s, %s] - %s", t.Name, format(t.Target), format(t.Check), format(t.CheckLo), format(t.CheckHi), verdict),
			xlabel, "")
		p.Title.TextStyle.Font.Size = vg.Points(labelSize)
		pc := &Chart{Name: d.Name + "_" + t.Name, Plot: p}
		lo, hi := rangeOf([]float64{t.Target - t.Tolerance, t.Target + t.Tolerance, t.Start, t.CheckLo, t.CheckHi})
		if t.Value {
			p.X.Min, p.X.Max = plainRange(lo, hi, 0.08)
			p.X.Tick.Marker = ShortTicks{}
		} else {
			p.X.Min, p.X.Max = padRange(lo, hi, 0.08, 0, 1)
			p.X.Tick.Marker = PercentTicks{}
		}
		p.Y.Min, p.Y.Max = -1, 1
		p.HideY()
		pc.add(plotter.NewGrid())
		band := &verticalBand{X0: t.Target - t.Tolerance, X1: t.Target + t.Tolerance, Color: fade(Colour(1), 0.25)}
		pc.add(band)
		tl, err := plotter.NewLine(plotter.XYs{{X: t.Target, Y: -1}, {X: t.Target, Y: 1}})
		if err != nil {
			return nil, err
		}
		tl.LineStyle = lineStyle(Colour(3), 2.2)
		path, err := plotter.NewLine(plotter.XYs{{X: t.Start, Y: 0}, {X: t.Check, Y: 0}})
		if err != nil {
			return nil, err
		}
		path.LineStyle = lineStyle(color.Gray{Y: 0x80}, 1.2)
		path.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		start := &Marker{X: []float64{t.Start}, Y: []float64{0}, Style: draw.GlyphStyle{Color: color.Gray{Y: 0x50}, Radius: vg.Points(5), Shape: draw.RingGlyph{}}}
		check := &Marker{X: []float64{t.Check}, Y: []float64{0}, Style: draw.GlyphStyle{Color: Colour(0), Radius: vg.Points(5), Shape: draw.CircleGlyph{}},
			Halo: draw.GlyphStyle{Color: color.White, Radius: vg.Points(6.5), Shape: draw.CircleGlyph{}}}
		wb, err := plotter.NewXErrorBars(xyErrs{XYs: plotter.XYs{{X: t.Check, Y: 0}}, XErrors: plotter.XErrors{{Low: t.Check - t.CheckLo, High: t.CheckHi - t.Check}}})
		if err != nil {
			return nil, err
		}
		wb.LineStyle = lineStyle(color.Black, 1.4)
		wb.CapWidth = vg.Points(12)
		pc.add(tl, path, wb, start, check)
		pc.add(legendRight(p, 0,
			legendEntry{"at the scenario's values", []plot.Thumbnailer{start}},
			legendEntry{"calibrated: " + d.Check, []plot.Thumbnailer{check}},
			legendEntry{interval, []plot.Thumbnailer{whiskerThumb{wb.LineStyle}}},
			legendEntry{"target", []plot.Thumbnailer{tl}},
			legendEntry{"tolerance (fit and check noise)", []plot.Thumbnailer{Swatch{Color: band.Color}}}))
		c.Panels = append(c.Panels, pc)
	}
	return c, nil
}

// plainRange is the x range of a plain (not probability) axis: [lo, hi]
// widened by frac on each side, or by 1% of its magnitude (at least 0.01)
// when it is a point; 0 to 1 when there is no finite value.
func plainRange(lo, hi, frac float64) (float64, float64) {
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return 0, 1
	}
	if d := hi - lo; d <= 1e-9*math.Max(math.Abs(lo), math.Abs(hi)) || d < 1e-12 {
		w := math.Max(0.01*math.Max(math.Abs(lo), math.Abs(hi)), 0.01)
		return lo - w, hi + w
	}
	d := (hi - lo) * frac
	return lo - d, hi + d
}

// plainNumber writes x to 4 significant digits without an exponent when
// it lies between 1e-4 and 1e9 in size ("12000", "5.944", "0.0123").
func plainNumber(x float64) string {
	if a := math.Abs(x); a >= 1e-4 && a < 1e9 {
		r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 4, 64), 64)
		return strconv.FormatFloat(r, 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}
