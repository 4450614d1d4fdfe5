package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// DateLines draws named dates as dashed vertical lines across the data area,
// each labelled above the data area. Labels are laid out in rows so that no
// two overlap and no line crosses another date's label: a label starts just
// right of its line (or ends just left of it near the right edge) in the
// lowest row where it fits, and its line rises through the rows below to
// meet it. The rows are reserved above the data area (through GlyphBoxes),
// so labels never cover data.
//
// The layout depends on the width of the data area, which is known only when
// drawing: [Chart] calls [DateLines.Fit] with the real data area before
// drawing. Drawn by a bare plot.Plot, DateLines lays itself out for a data
// area 10 inches wide.
type DateLines struct {
	X         []float64 // in the plot's x units
	Labels    []string
	LineStyle draw.LineStyle
	// Halo, if its width is not 0, is stroked under each line within the
	// data area, to keep the lines visible on filled areas.
	Halo      draw.LineStyle
	TextStyle text.Style
	Gap       vg.Length // between the data area and the first row, and between labels

	width vg.Length // the data-area width of the layout, 0 before any
	row   []int     // label row of each date, 0 nearest the data area
	flip  []bool    // label drawn left of its line
	rows  int
}

// NewDateLines returns date lines at xs labelled with labels, in a dashed
// dark grey.
func NewDateLines(xs []float64, labels []string) *DateLines {
	sty := lineStyle(grey, 1)
	sty.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	ts := textStyle(noteSize, grey)
	return &DateLines{
		X: append([]float64(nil), xs...), Labels: append([]string(nil), labels...),
		LineStyle: sty, TextStyle: ts, Gap: vg.Points(4),
	}
}

// rowHeight is the height of one row of labels.
func (d *DateLines) rowHeight() vg.Length { return d.TextStyle.Height("Ag") + vg.Points(2) }

// Rows returns the number of label rows of the current layout.
func (d *DateLines) Rows() int { return d.rows }

// band is the height reserved above the data area.
func (d *DateLines) band() vg.Length {
	if d.rows == 0 {
		return 0
	}
	return d.Gap + vg.Length(d.rows)*d.rowHeight()
}

// Fit lays the labels out for a data area of the given width, with the x
// axis of p. Labels are placed from the rightmost date leftwards, each in
// the lowest row where it overlaps no placed label, crosses no placed
// date's line and (if it can) has its own line cross no placed label; so
// the rows form a staircase that rises to the left.
func (d *DateLines) Fit(p *plot.Plot, width vg.Length) {
	d.width = width
	n := len(d.X)
	d.row, d.flip = make([]int, n), make([]bool, n)
	d.rows = 0
	type placed struct {
		lo, hi, x vg.Length
		row       int
	}
	var done []placed
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return d.X[order[a]] > d.X[order[b]] })
	pad := vg.Points(3)
	for _, i := range order {
		x := vg.Length(p.X.Norm(d.X[i])) * width
		w := d.TextStyle.Width(d.Labels[i])
		lo, hi := x+pad, x+pad+w
		if hi > width {
			lo, hi = x-pad-w, x-pad
			d.flip[i] = true
		}
		fits := func(r int, strict bool) bool {
			for _, q := range done {
				switch {
				case q.row == r && lo < q.hi+d.Gap && q.lo < hi+d.Gap: // labels overlap
					return false
				case q.row > r && q.x >= lo-pad && q.x <= hi+pad: // its line crosses this label
					return false
				case strict && q.row < r && x >= q.lo-pad && x <= q.hi+pad: // this line crosses its label
					return false
				}
			}
			return true
		}
		r := -1
		for _, strict := range []bool{true, false} {
			for k := 0; k <= n && r < 0; k++ {
				if fits(k, strict) {
					r = k
				}
			}
		}
		if r < 0 { // unreachable: the row above every placed label fits
			r = d.rows
		}
		d.row[i] = r
		d.rows = max(d.rows, r+1)
		done = append(done, placed{lo, hi, x, r})
	}
}

// Plot implements plot.Plotter.
func (d *DateLines) Plot(c draw.Canvas, p *plot.Plot) {
	if d.width == 0 {
		d.Fit(p, c.Max.X-c.Min.X)
	}
	trX, _ := p.Transforms(&c)
	rh := d.rowHeight()
	for i, xv := range d.X {
		if xv < p.X.Min || xv > p.X.Max {
			continue
		}
		x := trX(xv)
		base := c.Max.Y + d.Gap + vg.Length(d.row[i])*rh
		if d.Halo.Width > 0 {
			c.StrokeLine2(d.Halo, x, c.Min.Y, x, c.Max.Y)
		}
		c.StrokeLine2(d.LineStyle, x, c.Min.Y, x, base+rh-vg.Points(2))
		ts := d.TextStyle
		ts.YAlign = draw.YBottom
		at := vg.Point{X: x + vg.Points(3), Y: base}
		if d.flip[i] {
			ts.XAlign = draw.XRight
			at.X = x - vg.Points(3)
		}
		c.FillText(ts, at, d.Labels[i])
	}
}

// GlyphBoxes implements plot.GlyphBoxer: it reserves the label rows above
// the data area (and no horizontal room).
func (d *DateLines) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	if d.width == 0 {
		d.Fit(p, 10*vg.Inch)
	}
	if d.rows == 0 {
		return nil
	}
	return []plot.GlyphBox{{X: 0, Y: 1, Rectangle: vg.Rectangle{Max: vg.Point{Y: d.band()}}}}
}

// Band draws a shaded interval [Lo, Hi] over X, such as a confidence band.
type Band struct {
	X, Lo, Hi []float64
	Color     color.Color
}

// NewBand returns a band; the slices must have equal lengths and hold finite
// values with Lo <= Hi.
func NewBand(x, lo, hi []float64, c color.Color) (*Band, error) {
	if len(x) != len(lo) || len(x) != len(hi) {
		return nil, errors.New("chart: band slices of unequal length")
	}
	for i := range x {
		if err := finite(x[i], lo[i], hi[i]); err != nil {
			return nil, fmt.Errorf("chart: band point %d: %v", i, err)
		}
		if lo[i] > hi[i] {
			return nil, fmt.Errorf("chart: band point %d: lo %v > hi %v", i, lo[i], hi[i])
		}
	}
	return &Band{X: clone(x), Lo: clone(lo), Hi: clone(hi), Color: c}, nil
}

// Plot implements plot.Plotter.
func (b *Band) Plot(c draw.Canvas, p *plot.Plot) {
	if len(b.X) == 0 {
		return
	}
	trX, trY := p.Transforms(&c)
	pts := make([]vg.Point, 0, 2*len(b.X))
	for i := range b.X {
		pts = append(pts, vg.Point{X: trX(b.X[i]), Y: trY(b.Lo[i])})
	}
	for i := len(b.X) - 1; i >= 0; i-- {
		pts = append(pts, vg.Point{X: trX(b.X[i]), Y: trY(b.Hi[i])})
	}
	c.FillPolygon(b.Color, c.ClipPolygonXY(pts))
}

// DataRange implements plot.DataRanger.
func (b *Band) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i := range b.X {
		xmin, xmax = math.Min(xmin, b.X[i]), math.Max(xmax, b.X[i])
		ymin, ymax = math.Min(ymin, b.Lo[i]), math.Max(ymax, b.Hi[i])
	}
	return
}

// Thumbnail implements plot.Thumbnailer.
func (b *Band) Thumbnail(c *draw.Canvas) { Swatch{Color: b.Color}.Thumbnail(c) }

// StackedArea draws layers stacked on each other over X: layer i fills the
// space between Tops[i-1] (0 for the first layer) and Tops[i].
type StackedArea struct {
	X      []float64
	Layers [][]float64 // Layers[i][k]: the thickness of layer i at X[k]
	Tops   [][]float64 // Tops[i][k]: the sum of Layers[0..i][k]
	Colors []color.Color
	// LineStyle outlines the top of each layer (zero width: none).
	LineStyle draw.LineStyle
}

// NewStackedArea stacks layers (each as long as x, values finite and >= 0)
// in order from the bottom, coloured from the palette.
func NewStackedArea(x []float64, layers [][]float64) (*StackedArea, error) {
	s := &StackedArea{X: clone(x)}
	for i, l := range layers {
		if len(l) != len(x) {
			return nil, fmt.Errorf("chart: layer %d has %d values for %d x values", i, len(l), len(x))
		}
		top := make([]float64, len(x))
		for k, v := range l {
			if err := finite(v); err != nil || v < 0 {
				return nil, fmt.Errorf("chart: layer %d at %d: %v is not a finite value >= 0", i, k, v)
			}
			top[k] = v
			if i > 0 {
				top[k] += s.Tops[i-1][k]
			}
		}
		s.Layers = append(s.Layers, clone(l))
		s.Tops = append(s.Tops, top)
		s.Colors = append(s.Colors, Colour(i))
	}
	return s, nil
}

// bottom returns the lower edge of layer i at point k.
func (s *StackedArea) bottom(i, k int) float64 {
	if i == 0 {
		return 0
	}
	return s.Tops[i-1][k]
}

// Plot implements plot.Plotter.
func (s *StackedArea) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i := range s.Layers {
		pts := make([]vg.Point, 0, 2*len(s.X))
		for k := range s.X {
			pts = append(pts, vg.Point{X: trX(s.X[k]), Y: trY(s.bottom(i, k))})
		}
		for k := len(s.X) - 1; k >= 0; k-- {
			pts = append(pts, vg.Point{X: trX(s.X[k]), Y: trY(s.Tops[i][k])})
		}
		c.FillPolygon(s.Colors[i], c.ClipPolygonXY(pts))
	}
	if s.LineStyle.Width > 0 {
		for i := range s.Layers[:max(len(s.Layers)-1, 0)] {
			line := make([]vg.Point, len(s.X))
			for k := range s.X {
				line[k] = vg.Point{X: trX(s.X[k]), Y: trY(s.Tops[i][k])}
			}
			c.StrokeLines(s.LineStyle, c.ClipLinesXY(line)...)
		}
	}
}

// DataRange implements plot.DataRanger.
func (s *StackedArea) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), 0, 0
	for _, x := range s.X {
		xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
	}
	for _, t := range s.Tops {
		for _, v := range t {
			ymax = math.Max(ymax, v)
		}
	}
	return
}

// Thumb returns the legend thumbnail of layer i.
func (s *StackedArea) Thumb(i int) plot.Thumbnailer { return Swatch{Color: s.Colors[i]} }

// Swatch is a legend thumbnail: a filled rectangle, optionally outlined.
type Swatch struct {
	Color color.Color
	Line  draw.LineStyle
}

// Thumbnail implements plot.Thumbnailer.
func (s Swatch) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Min.X, Y: c.Max.Y},
		{X: c.Max.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Min.Y},
	}
	c.FillPolygon(s.Color, pts)
	if s.Line.Width > 0 {
		c.StrokeLines(s.Line, append(pts, pts[0]))
	}
}

// Margin reserves room to the right of the data area, where the legend of a
// plot with Legend.Top (and not Legend.Left) is drawn: the legend then
// never covers data.
type Margin struct {
	Right vg.Length
}

// Plot implements plot.Plotter; a margin draws nothing.
func (Margin) Plot(draw.Canvas, *plot.Plot) {}

// GlyphBoxes implements plot.GlyphBoxer.
func (m Margin) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	return []plot.GlyphBox{{X: 1, Y: 0.5, Rectangle: vg.Rectangle{Max: vg.Point{X: m.Right}}}}
}

// legendEntry is one line of a legend.
type legendEntry struct {
	name   string
	thumbs []plot.Thumbnailer
}

// legendRight adds entries to p's legend and a [Margin] wide enough for it
// (plus extra, for labels that stick out right of the data area). It
// returns the margin plotter, which the caller adds.
func legendRight(p *plot.Plot, extra vg.Length, entries ...legendEntry) Margin {
	var w vg.Length
	for _, e := range entries {
		p.Legend.Add(e.name, e.thumbs...)
		w = max(w, p.Legend.TextStyle.Width(e.name))
	}
	em := p.Legend.TextStyle.Rectangle(" ").Max.X
	return Margin{Right: extra + w + em + p.Legend.ThumbnailWidth + vg.Points(12) - p.Legend.XOffs}
}

func finite(vs ...float64) error {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%v is not finite", v)
		}
	}
	return nil
}

func clone(s []float64) []float64 { return append([]float64(nil), s...) }
