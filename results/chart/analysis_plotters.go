package chart

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Plotters of the analysis charts (sweep, tornado, PSA, Sobol,
// calibration): rectangles in data coordinates, a colour scale and its
// bar, and text in cells.

// Rect is a filled rectangle in data coordinates.
type Rect struct {
	X0, X1, Y0, Y1 float64
	Color          color.Color
}

// Rects draws rectangles in data coordinates, each outlined with Line (if
// its width is not 0).
type Rects struct {
	R    []Rect
	Line draw.LineStyle
}

// Plot implements plot.Plotter.
func (r *Rects) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, b := range r.R {
		pts := []vg.Point{
			{X: trX(b.X0), Y: trY(b.Y0)}, {X: trX(b.X0), Y: trY(b.Y1)},
			{X: trX(b.X1), Y: trY(b.Y1)}, {X: trX(b.X1), Y: trY(b.Y0)},
		}
		c.FillPolygon(b.Color, c.ClipPolygonXY(pts))
		if r.Line.Width > 0 {
			c.StrokeLines(r.Line, c.ClipLinesXY(append(pts, pts[0]))...)
		}
	}
}

// DataRange implements plot.DataRanger.
func (r *Rects) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, b := range r.R {
		xmin, xmax = math.Min(xmin, math.Min(b.X0, b.X1)), math.Max(xmax, math.Max(b.X0, b.X1))
		ymin, ymax = math.Min(ymin, math.Min(b.Y0, b.Y1)), math.Max(ymax, math.Max(b.Y0, b.Y1))
	}
	return
}

// viridisStops are the ten colours of the viridis scale (van der Walt &
// Smith, matplotlib 2015): perceptually uniform, legible in grey, and
// readable with the common forms of colour blindness.
var viridisStops = []color.RGBA{
	{0x44, 0x01, 0x54, 0xFF}, {0x48, 0x28, 0x78, 0xFF}, {0x3E, 0x4A, 0x89, 0xFF}, {0x31, 0x68, 0x8E, 0xFF},
	{0x26, 0x82, 0x8E, 0xFF}, {0x1F, 0x9E, 0x89, 0xFF}, {0x35, 0xB7, 0x79, 0xFF}, {0x6D, 0xCD, 0x59, 0xFF},
	{0xB4, 0xDE, 0x2C, 0xFF}, {0xFD, 0xE7, 0x25, 0xFF},
}

// Viridis returns the viridis colour at t in [0, 1] (clamped).
func Viridis(t float64) color.RGBA {
	if math.IsNaN(t) {
		return color.RGBA{0xDD, 0xDD, 0xDD, 0xFF}
	}
	t = math.Min(math.Max(t, 0), 1) * float64(len(viridisStops)-1)
	i := min(int(t), len(viridisStops)-2)
	f := t - float64(i)
	a, b := viridisStops[i], viridisStops[i+1]
	mixc := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + f*(float64(y)-float64(x)))) }
	return color.RGBA{mixc(a.R, b.R), mixc(a.G, b.G), mixc(a.B, b.B), 0xFF}
}

// dark reports whether text on c should be white.
func dark(c color.RGBA) bool {
	return 0.2126*float64(c.R)+0.7152*float64(c.G)+0.0722*float64(c.B) < 140
}

// ColorBar draws a vertical colour scale in the margin right of the data
// area, from Min to Max, with Label above it; it reserves its room through
// GlyphBoxes, like [Margin].
type ColorBar struct {
	Min, Max  float64
	Label     string
	Ticks     plot.Ticker
	TextStyle text.Style
	Width     vg.Length // of the bar
	Gap       vg.Length // between the data area and the bar
}

// NewColorBar returns a colour bar for values from min to max.
func NewColorBar(min, max float64, label string, ticks plot.Ticker) *ColorBar {
	return &ColorBar{Min: min, Max: max, Label: label, Ticks: ticks, TextStyle: textStyle(tickSize, color.Black),
		Width: vg.Points(18), Gap: vg.Points(18)}
}

// room is the width the bar, its tick labels and its label take.
func (b *ColorBar) room() vg.Length {
	w := vg.Length(0)
	for _, t := range b.ticks() {
		w = max(w, b.TextStyle.Width(t.Label))
	}
	return max(b.Gap+b.Width+vg.Points(6)+w, b.Gap+b.TextStyle.Width(b.Label)) + vg.Points(8)
}

func (b *ColorBar) ticks() []plot.Tick {
	var out []plot.Tick
	for _, t := range b.Ticks.Ticks(b.Min, b.Max) {
		if t.Label != "" && t.Value >= b.Min-1e-12 && t.Value <= b.Max+1e-12 {
			out = append(out, t)
		}
	}
	return out
}

// Plot implements plot.Plotter.
func (b *ColorBar) Plot(c draw.Canvas, _ *plot.Plot) {
	x0 := c.Max.X + b.Gap
	y0, y1 := c.Min.Y, c.Max.Y
	const steps = 128
	h := (y1 - y0) / steps
	for i := range steps {
		col := Viridis((float64(i) + 0.5) / steps)
		y := y0 + vg.Length(i)*h
		c.FillPolygon(col, []vg.Point{{X: x0, Y: y}, {X: x0 + b.Width, Y: y}, {X: x0 + b.Width, Y: y + h + 0.3}, {X: x0, Y: y + h + 0.3}})
	}
	ls := lineStyle(grey, 0.8)
	c.StrokeLines(ls, []vg.Point{{X: x0, Y: y0}, {X: x0 + b.Width, Y: y0}, {X: x0 + b.Width, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})
	ts := b.TextStyle
	ts.XAlign, ts.YAlign = draw.XLeft, draw.YCenter
	span := b.Max - b.Min
	for _, t := range b.ticks() {
		y := y0 + vg.Length((t.Value-b.Min)/span)*(y1-y0)
		c.StrokeLine2(ls, x0+b.Width, y, x0+b.Width+vg.Points(4), y)
		c.FillText(ts, vg.Point{X: x0 + b.Width + vg.Points(6), Y: y}, t.Label)
	}
	if b.Label != "" {
		lt := b.TextStyle
		lt.XAlign, lt.YAlign = draw.XLeft, draw.YBottom
		c.FillText(lt, vg.Point{X: x0, Y: y1 + vg.Points(6)}, b.Label)
	}
}

// GlyphBoxes implements plot.GlyphBoxer: room right of the data area.
func (b *ColorBar) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	return []plot.GlyphBox{{X: 1, Y: 0.5, Rectangle: vg.Rectangle{Max: vg.Point{X: b.room()}}}}
}

// CellText draws a label centred at each point, white on dark cells.
type CellText struct {
	X, Y   []float64
	Labels []string
	Dark   []bool
	Style  text.Style
}

// Plot implements plot.Plotter.
func (t *CellText) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, l := range t.Labels {
		ts := t.Style
		ts.XAlign, ts.YAlign = draw.XCenter, draw.YCenter
		if t.Dark[i] {
			ts.Color = color.White
		} else {
			ts.Color = color.Black
		}
		c.FillText(ts, vg.Point{X: trX(t.X[i]), Y: trY(t.Y[i])}, l)
	}
}

// Marker draws glyphs at points, for single marks such as a base case.
type Marker struct {
	X, Y  []float64
	Style draw.GlyphStyle
	Halo  draw.GlyphStyle // drawn first, if its radius is not 0
}

// Plot implements plot.Plotter.
func (m *Marker) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i := range m.X {
		pt := vg.Point{X: trX(m.X[i]), Y: trY(m.Y[i])}
		if m.Halo.Radius > 0 {
			c.DrawGlyph(m.Halo, pt)
		}
		c.DrawGlyph(m.Style, pt)
	}
}

// DataRange implements plot.DataRanger.
func (m *Marker) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i := range m.X {
		xmin, xmax = math.Min(xmin, m.X[i]), math.Max(xmax, m.X[i])
		ymin, ymax = math.Min(ymin, m.Y[i]), math.Max(ymax, m.Y[i])
	}
	return
}

// Thumbnail implements plot.Thumbnailer.
func (m *Marker) Thumbnail(c *draw.Canvas) {
	pt := c.Center()
	if m.Halo.Radius > 0 {
		c.DrawGlyph(m.Halo, pt)
	}
	c.DrawGlyph(m.Style, pt)
}

// rangeOf returns the smallest and largest finite value of xs.
func rangeOf(xs ...[]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range xs {
		for _, x := range s {
			if !math.IsNaN(x) && !math.IsInf(x, 0) {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
		}
	}
	return lo, hi
}

// padRange widens [lo, hi] by frac on each side, within [floor, ceil].
func padRange(lo, hi, frac, floor, ceil float64) (float64, float64) {
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return floor, ceil
	}
	if hi-lo < 1e-9 {
		lo, hi = lo-0.01, hi+0.01
	}
	d := (hi - lo) * frac
	return math.Max(lo-d, floor), math.Min(hi+d, ceil)
}
