package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"

	"scensim/results"
)

// The layout of the params chart: panels in ParamCols columns (fewer when
// there are fewer params), each paramRowPixels tall, at most MaxParamPanels
// of them; the params beyond are named in a note under the title.
const (
	ParamCols      = 4
	MaxParamPanels = 64
	paramRowPixels = 112 // at DPI: 1.49 inches
)

// paramsKey says what the bars and the line of every panel are, once for
// all panels (which have no axis labels of their own).
const paramsKey = "bars: the values drawn in the run (a histogram scaled so that its area is the share of draws in range);" +
	"\nline: the density of the distribution as written (shown under each name); no y scale"

// Params charts the sampled parameters as a grid of panels, one per param,
// in scenario order: the histogram of the values drawn in the run (as a
// density, so that its area is the share of draws inside the histogram's
// range) with the density of the distribution as written over it, so that a
// modeller sees that the beta they wrote is the one they meant. Each panel
// is titled with the param's name and its distribution, both cut short
// with "..." to the panel's width at the default chart width; draws outside
// the histogram range are counted in the panel's x label.
//
// The grid has [ParamCols] columns (fewer for fewer params) and is meant to
// be drawn [ParamsHeight] tall. Only the first [MaxParamPanels] params get
// a panel; a note under the title names the rest.
//
// Each panel's plotters: a *plotter.Histogram (one bin per histogram bin of
// the layout) and a *plotter.Function, the density of the distribution the
// layout records (Kind and Args, looked up in the registry of package dist);
// a layout read from a file that does not record it has no density curve,
// and its x label says so.
func Params(r *results.Result) (*Chart, error) {
	if err := check(r); err != nil {
		return nil, err
	}
	n := len(r.Layout.Params)
	if n == 0 {
		return nil, errors.New("chart: the scenario has no sampled params")
	}
	c := &Chart{
		Name:  "params",
		Title: paramsTitle(r),
		Cols:  paramCols(n),
	}
	for i := range min(n, MaxParamPanels) {
		panel, err := paramPanel(r, i)
		if err != nil {
			return nil, err
		}
		c.Panels = append(c.Panels, panel)
	}
	return c, nil
}

// paramCols is the number of columns of the params chart for n params.
func paramCols(n int) int { return max(1, min(n, ParamCols)) }

// paramsTitle is the title of the params chart: what it is, the key, and the
// names of the params left out, if any, wrapped to the chart's width.
func paramsTitle(r *results.Result) string {
	t := title("Sampled parameters", r) + "\n" + paramsKey
	ps := r.Layout.Params
	if len(ps) <= MaxParamPanels {
		return t
	}
	var names []string
	for _, p := range ps[MaxParamPanels:] {
		names = append(names, p.Name)
	}
	note := fmt.Sprintf("The first %d params in scenario order are shown; %d more are not: ", MaxParamPanels, len(names))
	return t + "\n" + wrapWords(note+strings.Join(names, ", "), 110)
}

// wrapWords breaks s at spaces into lines of at most width bytes (a longer
// word gets a line of its own).
func wrapWords(s string, width int) string {
	var b strings.Builder
	line := 0
	for i, w := range strings.Fields(s) {
		if i > 0 && line+1+len(w) > width {
			b.WriteByte('\n')
			line = 0
		} else if i > 0 {
			b.WriteByte(' ')
			line++
		}
		b.WriteString(w)
		line += len(w)
	}
	return b.String()
}

// ParamsHeight is the height to draw [Params] of a result with layout l at:
// [Height] or, with more than two rows of panels, 112 pixels (at [DPI]) per
// row under the title and its note, a whole number of pixels (the size a
// PNG is drawn fastest at).
func ParamsHeight(l *results.Layout) vg.Length {
	n := min(len(l.Params), MaxParamPanels)
	rows := (n + paramCols(n) - 1) / paramCols(n)
	r := &results.Result{Layout: *l}
	head := textStyle(titleSize, color.Black).Height(paramsTitle(r)) + vg.Points(14) + 2*margin
	pixels := math.Ceil(float64(head/vg.Inch*DPI)) + float64(rows*paramRowPixels)
	return max(Height, vg.Length(pixels/DPI)*vg.Inch)
}

// paramTitleWidth is the widest a panel title may be: a panel's width in a
// chart [Width] wide with [ParamCols] columns (see drawGrid), less a little.
var paramTitleWidth = func() vg.Length {
	t := gridTiles(1, ParamCols)
	inner := Width - 2*margin - t.PadLeft - t.PadRight - vg.Length(ParamCols-1)*t.PadX
	return inner/ParamCols - vg.Points(6)
}()

// ellipsis cuts s short with "..." so that it is at most w wide in style ts.
func ellipsis(s string, ts text.Style, w vg.Length) string {
	if ts.Width(s) <= w {
		return s
	}
	rs := []rune(s)
	for k := len(rs) - 1; k > 0; k-- {
		if t := string(rs[:k]) + "..."; ts.Width(t) <= w {
			return t
		}
	}
	return "..."
}

// fewTicks labels an axis like [ShortTicks], but at most max labels: every
// second (or third...) major tick keeps its label when there are more.
type fewTicks struct{ max int }

// Ticks implements plot.Ticker.
func (f fewTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := ShortTicks{}.Ticks(lo, hi)
	major := 0
	for _, t := range ticks {
		if !t.IsMinor() {
			major++
		}
	}
	step := (major + f.max - 1) / f.max
	if step <= 1 {
		return ticks
	}
	k := 0
	for i, t := range ticks {
		if t.IsMinor() {
			continue
		}
		if k%step != 0 {
			ticks[i].Label = ""
		}
		k++
	}
	return ticks
}

// ParamPanel charts sampled param i alone; see [Params].
func ParamPanel(r *results.Result, i int) (*Chart, error) {
	if err := check(r); err != nil {
		return nil, err
	}
	l := &r.Layout
	if i < 0 || i >= len(l.Params) {
		return nil, fmt.Errorf("chart: param index %d out of range (%d sampled params)", i, len(l.Params))
	}
	return paramPanel(r, i)
}

// paramPanel is [ParamPanel] for a checked result and a param index in range.
func paramPanel(r *results.Result, i int) (*Chart, error) {
	l := &r.Layout
	pl := l.Params[i]
	counts := l.ParamCounts(&r.Counts, i)
	trials := float64(r.Counts.Trials)
	w := (pl.Hi - pl.Lo) / float64(pl.Bins)
	bins := make([]plotter.HistogramBin, pl.Bins)
	ymax := 0.0
	for b := range pl.Bins {
		d := float64(counts[b+1]) / (trials * w)
		bins[b] = plotter.HistogramBin{Min: pl.Lo + float64(b)*w, Max: pl.Lo + float64(b+1)*w, Weight: d}
		ymax = math.Max(ymax, d)
	}
	bins[pl.Bins-1].Max = pl.Hi
	d, err := pl.Distribution()
	if err != nil {
		return nil, fmt.Errorf("chart: %v", err)
	}
	var remarks []string
	if under, over := counts[0], counts[pl.Bins+1]; under+over > 0 {
		remarks = append(remarks, fmt.Sprintf("%s below, %s above", thousands(under), thousands(over)))
	}
	if d == nil {
		remarks = append(remarks, "no density: kind not recorded")
	}
	ts := textStyle(tickSize, color.Black)
	name := ellipsis(pl.Name, ts, paramTitleWidth)
	dist := ellipsis("~ "+pl.Dist, ts, paramTitleWidth)
	ns := textStyle(noteSize, color.Black)
	for k, m := range remarks {
		remarks[k] = ellipsis(m, ns, paramTitleWidth)
	}
	p := newPlot(name+"\n"+dist, strings.Join(remarks, "\n"), "")
	p.Title.TextStyle.Font = font.From(sans, tickSize)
	p.Title.Padding = vg.Points(4)
	p.X.Tick.Marker = fewTicks{max: 4}
	p.X.Label.TextStyle.Font.Size = vg.Points(noteSize)
	p.X.Label.Padding = vg.Points(2)
	p.X.Tick.Label.Font.Size = vg.Points(noteSize)
	p.HideY()
	p.X.Min, p.X.Max = pl.Lo, pl.Hi
	c := &Chart{Name: "param_" + pl.Name, Plot: p}
	hist := &plotter.Histogram{Bins: bins, Width: w, FillColor: Colour(5), LineStyle: lineStyle(color.White, 0.5)}
	c.add(hist)
	top := ymax
	if d != nil {
		pdf := d.Density
		f := plotter.NewFunction(pdf)
		f.XMin, f.XMax, f.Samples = pl.Lo, pl.Hi, 241
		f.LineStyle = lineStyle(color.Black, 1.8)
		c.add(f)
		for k := range f.Samples {
			if y := pdf(pl.Lo + (pl.Hi-pl.Lo)*float64(k)/float64(f.Samples-1)); !math.IsInf(y, 0) && !math.IsNaN(y) {
				top = math.Max(top, math.Min(y, 2*ymax))
			}
		}
	}
	if top == 0 {
		top = 1
	}
	p.Y.Min, p.Y.Max = 0, top*1.05
	return c, nil
}
