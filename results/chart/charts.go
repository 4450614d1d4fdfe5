package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"scensim/results"
)

// check refuses results that cannot be charted.
func check(r *results.Result) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if r.Counts.Trials == 0 {
		return errors.New("chart: the result has no trials")
	}
	return nil
}

// xyErrs pairs points with horizontal error bars, for plotter.NewXErrorBars.
type xyErrs struct {
	plotter.XYs
	plotter.XErrors
}

// Outcomes charts the outcome probabilities as horizontal bars, sorted with
// the most likely at the top, with 95% Wilson interval whiskers and the
// estimate printed right of each whisker. Conditional outcomes (P(when |
// given)) have their own colour, and their printed estimate says its
// condition and the share of trials where it held ("40.0% | x (30.0%)",
// explained in the legend). An outcome whose `given` never held has no bar and is marked
// "n/a". In a nested run the bar is the probability
// averaged over the assumptions, the whisker its simulation error, and a
// grey bar behind it spans the range over the assumptions (5% to 95%,
// drawn as an error bar around the median, before the whiskers).
//
// Plotters: a grid, the unconditional bars, the conditional bars (both
// *plotter.BarChart with one value per outcome, 0 where the outcome is of
// the other kind or undefined), the whiskers (*plotter.XErrorBars, one per
// defined outcome), the printed numbers (*plotter.Labels) and the legend
// margin.
func Outcomes(r *results.Result) (*Chart, error) {
	if err := check(r); err != nil {
		return nil, err
	}
	n := len(r.Outcomes)
	if n == 0 {
		return nil, errors.New("chart: the scenario has no outcomes")
	}
	// Row 0 is at the bottom: sort ascending, undefined first; ties keep
	// file order from the top.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	val := func(i int) float64 {
		if p := r.Outcomes[i].Estimate.P; !math.IsNaN(p) {
			return p
		}
		return -1
	}
	sort.SliceStable(order, func(a, b int) bool {
		va, vb := val(order[a]), val(order[b])
		if va != vb {
			return va < vb
		}
		return order[a] > order[b]
	})

	xlabel := "probability (bar: estimate; whisker: 95% Wilson interval)"
	if r.Nested != nil {
		xlabel = "probability (bar: averaged over the assumptions;\nblack whisker: simulation error 95%; grey: range over assumptions 5%..95%)"
	}
	p := newPlot(title("Outcome probabilities", r), xlabel, "")
	c := &Chart{Name: "outcomes", Plot: p}
	names := make([]string, n)
	uncond, cond := make(plotter.Values, n), make(plotter.Values, n)
	var whiskers, ranges xyErrs
	var labels plotter.XYLabels
	for row, i := range order {
		o := r.Outcomes[i]
		names[row] = o.Name
		e := o.Estimate
		if !e.Defined() {
			labels.XYs = append(labels.XYs, plotter.XY{X: 0, Y: float64(row)})
			labels.Labels = append(labels.Labels, "n/a: given never held")
			continue
		}
		if o.Conditional {
			cond[row] = e.P
		} else {
			uncond[row] = e.P
		}
		whiskers.XYs = append(whiskers.XYs, plotter.XY{X: e.P, Y: float64(row)})
		whiskers.XErrors = append(whiskers.XErrors, struct{ Low, High float64 }{max(e.P-e.Lo, 0), max(e.Hi-e.P, 0)})
		right := e.Hi
		if sp := o.Range; sp.Defined() {
			ranges.XYs = append(ranges.XYs, plotter.XY{X: sp.P50, Y: float64(row)})
			ranges.XErrors = append(ranges.XErrors, struct{ Low, High float64 }{sp.P50 - sp.P5, sp.P95 - sp.P50})
			right = max(right, sp.P95)
		}
		labels.XYs = append(labels.XYs, plotter.XY{X: right, Y: float64(row)})
		labels.Labels = append(labels.Labels, outcomeLabel(r, o))
	}
	p.NominalY(names...)
	p.Y.Tick.Label.Font.Size = vg.Points(tickSize - 1)
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5 // room for each bar within its row
	p.Y.Padding, p.X.Padding = 0, 0
	p.X.Min, p.X.Max = 0, 1
	p.X.Tick.Marker = PercentTicks{}
	// A narrow data area (long printed estimates take room) labels every
	// 20% only, so that the tick labels do not run into each other.
	c.fit = append(c.fit, func(da draw.Canvas) {
		if da.Max.X-da.Min.X < vg.Points(330) {
			p.X.Tick.Marker = coarsePercentTicks()
		}
	})
	c.reset = append(c.reset, func() { p.X.Tick.Marker = PercentTicks{} })

	grid := plotter.NewGrid()
	grid.Horizontal.Color = nil
	c.add(grid)

	var bars []*plotter.BarChart
	for k, vs := range []plotter.Values{uncond, cond} {
		b, err := plotter.NewBarChart(vs, vg.Points(10))
		if err != nil {
			return nil, err
		}
		b.Horizontal = true
		b.Color = Colour(k)
		b.LineStyle.Width = 0
		bars = append(bars, b)
		c.add(b)
	}
	var thumbs []legendEntry
	if len(ranges.XYs) > 0 {
		rb, err := plotter.NewXErrorBars(ranges)
		if err != nil {
			return nil, err
		}
		rb.LineStyle = lineStyle(color.NRGBA{R: 110, G: 110, B: 110, A: 150}, 5)
		rb.CapWidth = 0
		c.add(rb)
		thumbs = append(thumbs, legendEntry{"range over assumptions", []plot.Thumbnailer{whiskerThumb{rb.LineStyle}}})
	}
	if len(whiskers.XYs) > 0 {
		wb, err := plotter.NewXErrorBars(whiskers)
		if err != nil {
			return nil, err
		}
		wb.LineStyle = lineStyle(color.Black, 1.2)
		c.add(wb)
		name := "95% interval"
		if r.Nested != nil {
			name = "simulation error 95%"
		}
		thumbs = append(thumbs, legendEntry{name, []plot.Thumbnailer{whiskerThumb{wb.LineStyle}}})
		c.fit = append(c.fit, func(da draw.Canvas) {
			wb.CapWidth = min(vg.Points(8), 0.5*(da.Max.Y-da.Min.Y)/vg.Length(n))
		})
		c.reset = append(c.reset, func() { wb.CapWidth = plotter.DefaultCapWidth })
	}
	lb, err := plotter.NewLabels(labels)
	if err != nil {
		return nil, err
	}
	labelW := vg.Length(0)
	for i := range lb.TextStyle {
		lb.TextStyle[i] = textStyle(noteSize, color.Black)
		lb.TextStyle[i].YAlign = draw.YCenter
		labelW = max(labelW, lb.TextStyle[i].Width(lb.Labels[i]))
	}
	lb.Offset = vg.Point{X: vg.Points(6)}
	c.add(lb)
	c.reset = append(c.reset, func() {
		for _, b := range bars {
			b.Width = vg.Points(10)
		}
	})
	c.fit = append(c.fit, func(da draw.Canvas) {
		w := min(0.7*(da.Max.Y-da.Min.Y)/vg.Length(n), vg.Points(28))
		for _, b := range bars {
			b.Width = max(w, vg.Points(1))
		}
	})
	hasCond, hasUncond := false, false
	for _, o := range r.Outcomes {
		hasCond = hasCond || o.Conditional
		hasUncond = hasUncond || !o.Conditional
	}
	var entries []legendEntry
	if hasUncond {
		entries = append(entries, legendEntry{"P(when)", []plot.Thumbnailer{Swatch{Color: Colour(0)}}})
	}
	if hasCond {
		entries = append(entries, legendEntry{"P(when | given)", []plot.Thumbnailer{Swatch{Color: Colour(1)}}},
			legendEntry{conditionalKey, nil})
	}
	entries = append(entries, thumbs...)
	c.add(legendRight(p, labelW+vg.Points(12), entries...))
	return c, nil
}

// coarsePercentTicks marks 0..100% every 10%, labelled every 20%.
func coarsePercentTicks() plot.ConstantTicks {
	var ts plot.ConstantTicks
	for i := 0; i <= 10; i++ {
		t := plot.Tick{Value: float64(i) / 10}
		if i%2 == 0 {
			t.Label = strconv.Itoa(10*i) + "%"
		}
		ts = append(ts, t)
	}
	return ts
}

// maxGivenLabel is the longest given expression an outcome's printed
// estimate quotes in full; a longer one is cut with "…" (the full
// expression is in the result's tables).
const maxGivenLabel = 24

// conditionalKey is the legend's key to a conditional outcome's printed
// estimate.
const conditionalKey = "P | given (share where it held)"

// clipGiven is a given expression cut to maxGivenLabel characters.
func clipGiven(given string) string {
	if rs := []rune(given); len(rs) > maxGivenLabel {
		return string(rs[:maxGivenLabel-1]) + "…"
	}
	return given
}

// outcomeLabel is the estimate printed beside an outcome's bar: its
// probability, and for a conditional outcome its condition and the share
// of all trials where the condition held, the trials the estimate is a
// share of: "60.0% | reached(talks.broken) (20.0%)".
func outcomeLabel(r *results.Result, o results.OutcomeRow) string {
	s := percent(o.Estimate.P)
	if !o.Conditional || r.Counts.Trials == 0 {
		return s
	}
	return s + " | " + clipGiven(o.Given) + " (" + percent(float64(o.Estimate.N)/float64(r.Counts.Trials)) + ")"
}

// whiskerThumb draws an error bar with caps as a legend thumbnail.
type whiskerThumb struct{ sty draw.LineStyle }

func (w whiskerThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	h := (c.Max.Y - c.Min.Y) / 3
	c.StrokeLine2(w.sty, c.Min.X+1, y, c.Max.X-1, y)
	c.StrokeLine2(w.sty, c.Min.X+1, y-h, c.Min.X+1, y+h)
	c.StrokeLine2(w.sty, c.Max.X-1, y-h, c.Max.X-1, y+h)
}

// timePlot returns a chart with a date x axis, the named dates as lines and
// a percent y axis from 0 to 1.
func timePlot(r *results.Result, name, what, ylabel string, grid bool) (*Chart, *timeline, error) {
	tl, err := newTimeline(&r.Layout)
	if err != nil {
		return nil, nil, err
	}
	xlabel := "date"
	if r.Manifest.Step != "" {
		xlabel = fmt.Sprintf("date (%s steps)", r.Manifest.Step)
	}
	p := newPlot(title(what, r), xlabel, ylabel)
	tl.axis(p)
	p.Y.Tick.Marker = PercentTicks{}
	p.Y.Min, p.Y.Max = 0, 1
	c := &Chart{Name: name, Plot: p}
	if grid {
		c.add(plotter.NewGrid())
	}
	return c, tl, nil
}

// addDates draws the named dates of the run (after the data, so the lines
// stay visible) and lays their labels out when drawing.
func (c *Chart) addDates(r *results.Result, tl *timeline) *DateLines {
	dl := tl.dateLines(&r.Layout)
	if dl == nil {
		return nil
	}
	c.add(dl)
	p := c.Plot
	c.fit = append(c.fit, func(da draw.Canvas) { dl.Fit(p, da.Max.X-da.Min.X) })
	return dl
}

// cumEntry returns, for state g, the number of trials that entered it at a
// point <= k, for each point k.
func cumEntry(r *results.Result, g int) []int64 {
	np := len(r.Layout.Points)
	entry := r.Counts.Entry[r.Layout.EntryIndex(g, 0):r.Layout.EntryIndex(g, np)]
	cum := make([]int64, np)
	var s int64
	for k := range np {
		s += entry[k]
		cum[k] = s
	}
	return cum
}

// stateName returns "track.state" of global state g.
func stateName(l *results.Layout, g int) string {
	t, s := l.State(g)
	return t + "." + s
}

func checkState(l *results.Layout, g int) error {
	if g < 0 || g >= l.NumStates() {
		return fmt.Errorf("chart: state index %d out of range (%d states)", g, l.NumStates())
	}
	return nil
}

// Reached charts, for each of the given states (global state indices), the
// probability of having entered it at a point on or before each date, as a
// line with a shaded 95% Wilson band; the legend gives each state's
// probability by the horizon. In a nested run a wider, lighter band behind
// it spans the range over assumptions (5% to 95% across the parameter
// draws, Monte Carlo noise removed, see [results.DrawRange]) where the
// per-draw counts give it: at the named dates and the horizon, joined by
// straight lines (see rangeBand).
//
// Plotters: a grid, then per state a *Band (the range over assumptions,
// nested runs only), a *Band and a *plotter.Line, then the *DateLines (if
// the run holds named dates) and the legend margin.
func Reached(r *results.Result, states []int) (*Chart, error) {
	if err := check(r); err != nil {
		return nil, err
	}
	if len(states) == 0 {
		return nil, errors.New("chart: no states to chart")
	}
	c, tl, err := timePlot(r, "reached", "Probability of having reached a state", "P(reached by date)", true)
	if err != nil {
		return nil, err
	}
	trials := r.Counts.Trials
	entries := []legendEntry{{"reached by the horizon:", nil}}
	for i, g := range states {
		if err := checkState(&r.Layout, g); err != nil {
			return nil, err
		}
		cum := cumEntry(r, g)
		xys := make(plotter.XYs, len(cum))
		lo, hi := make([]float64, len(cum)), make([]float64, len(cum))
		for k, n := range cum {
			xys[k] = plotter.XY{X: tl.x[k], Y: float64(n) / float64(trials)}
			lo[k], hi[k] = results.Wilson(n, trials, results.Z95)
		}
		col := Colour(i)
		if r.Nested != nil {
			rx, rlo, rhi := rangeBand(r, g, tl.x)
			outer, err := NewBand(rx, rlo, rhi, fade(col, 0.12))
			if err != nil {
				return nil, err
			}
			c.add(outer)
		}
		band, err := NewBand(tl.x, lo, hi, fade(col, 0.25))
		if err != nil {
			return nil, err
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		line.LineStyle = lineStyle(col, 2.2)
		if i >= len(OkabeIto) { // colours repeat: tell the lines apart by dashes
			line.LineStyle.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		}
		c.add(band, line)
		name := fmt.Sprintf("%s  %s", stateName(&r.Layout, g), percent(xys[len(xys)-1].Y))
		entries = append(entries, legendEntry{name, []plot.Thumbnailer{band, line}})
	}
	c.addDates(r, tl)
	if r.Nested != nil {
		entries = append(entries,
			legendEntry{"inner shade: simulation error 95%", nil},
			legendEntry{"outer shade: range over assumptions", nil},
			legendEntry{"  5%..95% across parameter draws,", nil},
			legendEntry{"  at the named dates and the horizon", nil})
	} else {
		entries = append(entries, legendEntry{"shade: 95% Wilson interval", nil})
	}
	c.add(legendRight(c.Plot, 0, entries...))
	return c, nil
}

// rangeBand returns the range over assumptions of reaching state g of a
// nested run where it is known: at point 0 (the pooled share, which every
// draw shares for a state no trial starts in) and at each named date on or
// after the first point and the horizon (the 5% and 95% quantiles of
// [results.ReachedAt.Range]), one vertex per point, in point order; x are
// the points' positions. An undefined range is drawn at the pooled share.
func rangeBand(r *results.Result, g int, x []float64) (bx, lo, hi []float64) {
	row := r.Reached[g]
	last := -1
	add := func(point int, pooled float64, sp *results.Spread) {
		if point <= last {
			return
		}
		last = point
		l, h := pooled, pooled
		if sp.Defined() {
			l, h = min(sp.P5, pooled), max(sp.P95, pooled)
		}
		bx, lo, hi = append(bx, x[point]), append(lo, l), append(hi, h)
	}
	start := float64(r.Counts.Entry[r.Layout.EntryIndex(g, 0)]) / float64(r.Counts.Trials)
	add(0, start, nil)
	for _, at := range row.By {
		if at.Point >= 0 {
			add(at.Point, at.Reached.P, at.Range)
		}
	}
	add(row.Horizon.Point, row.Horizon.Reached.P, row.Horizon.Range)
	return bx, lo, hi
}

// Occupancy charts, for track t (its index in the layout), the share of
// trials in each of its states at each point, as a stacked area whose layers
// sum to 1 at every point (the first state at the bottom).
//
// Plotters: the *StackedArea, the *DateLines (if any) and the legend
// margin.
func Occupancy(r *results.Result, t int) (*Chart, error) {
	if err := check(r); err != nil {
		return nil, err
	}
	l := &r.Layout
	if t < 0 || t >= len(l.Tracks) {
		return nil, fmt.Errorf("chart: track index %d out of range (%d tracks)", t, len(l.Tracks))
	}
	tr := l.Tracks[t]
	first := l.StateIndex(tr.Name, tr.States[0])
	c, tl, err := timePlot(r, "occupancy_"+tr.Name, "Occupancy of track "+tr.Name, "share of trials in state", false)
	if err != nil {
		return nil, err
	}
	layers := make([][]float64, len(tr.States))
	for i := range tr.States {
		layers[i] = make([]float64, len(l.Points))
		for k := range l.Points {
			layers[i][k] = r.OccupancyShare(first+i, k)
		}
	}
	area, err := NewStackedArea(tl.x, layers)
	if err != nil {
		return nil, err
	}
	area.LineStyle = lineStyle(color.White, 0.8)
	c.add(area)
	if dl := c.addDates(r, tl); dl != nil {
		dl.LineStyle.Color = color.Black
		dl.Halo = lineStyle(color.NRGBA{R: 255, G: 255, B: 255, A: 160}, 3)
	}
	var entries []legendEntry
	for i := len(tr.States) - 1; i >= 0; i-- { // top layer first, as stacked
		entries = append(entries, legendEntry{tr.States[i], []plot.Thumbnailer{area.Thumb(i)}})
	}
	c.add(legendRight(c.Plot, 0, entries...))
	return c, nil
}

// FirstEntry charts the distribution of the first-entry date of state g (a
// global state index): for each step, the share of all trials that first
// entered g at the end of that step, as a histogram over calendar time, with
// the 10%, 50% and 90% quantiles of the entry date (among the trials that
// reached g) as vertical lines. The legend gives the quantile dates, saying
// that they are among the trials that reached g and what share of all
// trials that is, and the share that never entered (and that started in g,
// for an initial state).
//
// Plotters: a grid, the *plotter.Histogram (one bin per step, in order), the
// *DateLines (if any), the quantile lines (*plotter.Line, median first; none
// if no trial entered) and the legend margin.
func FirstEntry(r *results.Result, g int) (*Chart, error) {
	if err := check(r); err != nil {
		return nil, err
	}
	l := &r.Layout
	if err := checkState(l, g); err != nil {
		return nil, err
	}
	name := stateName(l, g)
	track, state := l.State(g)
	step := "step"
	if r.Manifest.Step != "" {
		step = r.Manifest.Step
	}
	c, tl, err := timePlot(r, "first_entry_"+track+"_"+state, "First entry into "+name, "share of trials first entering in the "+step, true)
	if err != nil {
		return nil, err
	}
	trials := float64(r.Counts.Trials)
	np := len(l.Points)
	entry := r.Counts.Entry[l.EntryIndex(g, 0):l.EntryIndex(g, np+1)]
	bins := make([]plotter.HistogramBin, 0, np-1)
	ymax := 0.0
	for k := 1; k < np; k++ {
		w := float64(entry[k]) / trials
		bins = append(bins, plotter.HistogramBin{Min: tl.x[k-1], Max: tl.x[k], Weight: w})
		ymax = math.Max(ymax, w)
	}
	if ymax == 0 {
		ymax = 0.01
	}
	c.Plot.Y.Max = ymax * 1.08
	hist := &plotter.Histogram{Bins: bins, FillColor: Colour(0), LineStyle: lineStyle(color.White, 0.6)}
	if np > 1 {
		hist.Width = tl.x[1] - tl.x[0]
	}
	c.add(hist)
	entries := []legendEntry{{"first entries per " + step, []plot.Thumbnailer{Swatch{Color: Colour(0)}}}}
	c.addDates(r, tl) // before the quantile lines, which then stay on top
	row := r.FirstEntry[g]
	if row.MedianPoint >= 0 {
		qs := []struct {
			what  string
			point int
			dash  bool
		}{{"median among the " + percent(row.Ever.P) + " that reached it", row.MedianPoint, false},
			{"10% (same trials)", row.P10Point, true}, {"90% (same trials)", row.P90Point, true}}
		for _, q := range qs {
			x := tl.x[q.point]
			ln, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: c.Plot.Y.Max}})
			if err != nil {
				return nil, err
			}
			ln.LineStyle = lineStyle(Colour(3), 2)
			if q.dash {
				ln.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
				ln.LineStyle.Width = vg.Points(1.5)
			}
			c.add(ln)
			entries = append(entries, legendEntry{q.what + ": " + longDate(l.Points[q.point]), []plot.Thumbnailer{ln}})
		}
	}
	if entry[0] > 0 {
		entries = append(entries, legendEntry{"in it at the start: " + percent(float64(entry[0])/trials), nil})
	}
	entries = append(entries, legendEntry{"never entered: " + percent(float64(entry[np])/trials), nil})
	c.add(legendRight(c.Plot, 0, entries...))
	return c, nil
}

// longDate formats an ISO date as "2 Jan 2006".
func longDate(s string) string {
	d, err := time.Parse(results.DateLayout, s)
	if err != nil {
		return s
	}
	return d.Format("2 Jan 2006")
}
