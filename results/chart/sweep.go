package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SweepSeries is one outcome over a 1-D sweep: its estimate and 95%
// interval at each value of the param.
type SweepSeries struct {
	Name         string
	X, P, Lo, Hi []float64
}

// SweepData is what [SweepLines] draws.
type SweepData struct {
	Name   string // file stem
	Title  string
	XLabel string
	Series []SweepSeries
	// Base, if not NaN, is the scenario's value of the param, drawn as a
	// labelled vertical line.
	Base      float64
	BaseLabel string
}

// SweepLines charts a 1-D sweep: for each outcome a line through its
// estimates with a shaded 95% band, the scenario's value as a labelled
// dashed line, a legend beside the plot giving each outcome's range over the
// sweep.
//
// Plotters: a grid, then per series a *Band and a *plotter.Line (with
// point glyphs when there are few points), the *DateLines of the base
// value, and the legend margin.
func SweepLines(d SweepData) (*Chart, error) {
	if len(d.Series) == 0 {
		return nil, errors.New("chart: no outcomes to draw")
	}
	p := newPlot(d.Title, d.XLabel, "probability (line: estimate; band: 95% interval)")
	c := &Chart{Name: d.Name, Plot: p}
	c.add(plotter.NewGrid())
	var los, his [][]float64
	for _, s := range d.Series {
		los, his = append(los, s.Lo), append(his, s.Hi)
	}
	ylo, yhi := rangeOf(append(los, his...)...)
	p.Y.Min, p.Y.Max = padRange(ylo, yhi, 0.06, 0, 1)
	p.Y.Tick.Marker = PercentTicks{}
	p.X.Tick.Marker = ShortTicks{}
	xlo, xhi := rangeOf(d.Series[0].X)
	p.X.Min, p.X.Max = xlo, xhi
	p.X.Padding = vg.Points(6)
	var entries []legendEntry
	for i, s := range d.Series {
		if len(s.X) != len(s.P) || len(s.X) != len(s.Lo) || len(s.X) != len(s.Hi) {
			return nil, fmt.Errorf("chart: series %s has slices of unequal length", s.Name)
		}
		col := Colour(i)
		var xs, ps, lo, hi []float64
		for k := range s.X {
			if math.IsNaN(s.P[k]) {
				continue
			}
			xs, ps, lo, hi = append(xs, s.X[k]), append(ps, s.P[k]), append(lo, s.Lo[k]), append(hi, s.Hi[k])
		}
		band, err := NewBand(xs, lo, hi, fade(col, 0.22))
		if err != nil {
			return nil, err
		}
		xys := make(plotter.XYs, len(xs))
		for k := range xs {
			xys[k] = plotter.XY{X: xs[k], Y: ps[k]}
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		line.LineStyle = lineStyle(col, 2.2)
		if i >= len(OkabeIto) {
			line.LineStyle.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		}
		c.add(band, line)
		thumbs := []plot.Thumbnailer{band, line}
		if len(xs) <= 25 {
			sc, err := plotter.NewScatter(xys)
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(2.6), Shape: draw.CircleGlyph{}}
			c.add(sc)
			thumbs = append(thumbs, sc)
		}
		entries = append(entries, legendEntry{s.Name, thumbs},
			legendEntry{fmt.Sprintf("%s to %s", percent(ps[0]), percent(ps[len(ps)-1])), nil})
	}
	if !math.IsNaN(d.Base) && d.Base >= xlo && d.Base <= xhi {
		dl := NewDateLines([]float64{d.Base}, []string{d.BaseLabel})
		dl.LineStyle.Color = color.Black
		c.add(dl)
		c.fit = append(c.fit, func(da draw.Canvas) { dl.Fit(p, da.Max.X-da.Min.X) })
	}
	entries = append(entries, legendEntry{"(under each: from the first", nil}, legendEntry{"value to the last)", nil})
	c.add(legendRight(p, 0, entries...))
	return c, nil
}

// HeatmapData is what [Heatmap] draws: Z[i][j] at (X[i], Y[j]). With
// XNames (YNames) the axis is nominal: cell i sits at x = i and is labelled
// XNames[i].
type HeatmapData struct {
	Name           string
	Title          string
	XLabel, YLabel string
	X, Y           []float64
	XNames, YNames []string
	Z              [][]float64
	ZLabel         string
	// ZMin, ZMax fix the colour scale; if equal, the data's range is used.
	ZMin, ZMax float64
	Percent    bool       // Z is a probability: ticks and cell labels in percent
	Digits     int        // cell label decimals when not Percent
	Labels     [][]string // cell labels; nil: the values (when the grid is small enough)
	// Base, if both are finite, marks the scenario's values with a cross.
	BaseX, BaseY float64
	BaseLabel    string
}

// Heatmap charts values on a grid as coloured cells (viridis scale), with
// the values printed in the cells when they fit, a colour bar beside the
// plot and, optionally, the base case marked.
//
// Plotters: the *Rects of the cells, the *CellText (if printed), the
// *Marker of the base (if any) and the *ColorBar.
func Heatmap(d HeatmapData) (*Chart, error) {
	nx, ny := len(d.Z), 0
	if nx > 0 {
		ny = len(d.Z[0])
	}
	if nx == 0 || ny == 0 {
		return nil, errors.New("chart: an empty heatmap")
	}
	xs, ys := d.X, d.Y
	if d.XNames != nil {
		xs = make([]float64, nx)
		for i := range xs {
			xs[i] = float64(i)
		}
	}
	if d.YNames != nil {
		ys = make([]float64, ny)
		for j := range ys {
			ys[j] = float64(j)
		}
	}
	if len(xs) != nx || len(ys) != ny {
		return nil, fmt.Errorf("chart: heatmap of %d×%d values with %d x and %d y values", nx, ny, len(xs), len(ys))
	}
	zlo, zhi := d.ZMin, d.ZMax
	if !(zhi > zlo) {
		zlo, zhi = rangeOf(d.Z...)
		if !(zhi > zlo) {
			zlo, zhi = zlo-0.005, zhi+0.005
		}
	}
	p := newPlot(d.Title, d.XLabel, d.YLabel)
	c := &Chart{Name: d.Name, Plot: p}
	edges := func(v []float64) []float64 {
		e := make([]float64, len(v)+1)
		for i := range v {
			if i == 0 {
				w := 1.0
				if len(v) > 1 {
					w = v[1] - v[0]
				}
				e[0] = v[0] - w/2
			}
			if i+1 < len(v) {
				e[i+1] = (v[i] + v[i+1]) / 2
			} else {
				w := 1.0
				if len(v) > 1 {
					w = v[i] - v[i-1]
				}
				e[i+1] = v[i] + w/2
			}
		}
		return e
	}
	ex, ey := edges(xs), edges(ys)
	cells := &Rects{}
	text := &CellText{Style: textStyle(noteSize, color.Black)}
	printValues := nx <= 16 && ny <= 24
	for i := range nx {
		for j := range ny {
			z := d.Z[i][j]
			col := Viridis((z - zlo) / (zhi - zlo))
			cells.R = append(cells.R, Rect{X0: ex[i], X1: ex[i+1], Y0: ey[j], Y1: ey[j+1], Color: col})
			label := ""
			switch {
			case d.Labels != nil:
				label = d.Labels[i][j]
			case !printValues || math.IsNaN(z):
			case d.Percent:
				label = percent(z)
			default:
				label = fmt.Sprintf("%.*f", d.Digits, z)
				if label == fmt.Sprintf("-%.*f", d.Digits, 0.0) {
					label = label[1:]
				}
			}
			if label != "" {
				text.X, text.Y = append(text.X, xs[i]), append(text.Y, ys[j])
				text.Labels, text.Dark = append(text.Labels, label), append(text.Dark, dark(col))
			}
		}
	}
	c.add(cells)
	if len(text.Labels) > 0 {
		c.add(text)
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = ex[0], ex[nx], ey[0], ey[ny]
	p.X.Padding, p.Y.Padding = 0, 0
	if d.XNames != nil {
		p.NominalX(d.XNames...)
		p.X.Min, p.X.Max = ex[0], ex[nx]
	} else {
		p.X.Tick.Marker = ShortTicks{}
	}
	if d.YNames != nil {
		p.NominalY(d.YNames...)
		p.Y.Min, p.Y.Max = ey[0], ey[ny]
	} else {
		p.Y.Tick.Marker = ShortTicks{}
	}
	if !math.IsNaN(d.BaseX) && !math.IsNaN(d.BaseY) && d.BaseX >= ex[0] && d.BaseX <= ex[nx] && d.BaseY >= ey[0] && d.BaseY <= ey[ny] {
		m := &Marker{X: []float64{d.BaseX}, Y: []float64{d.BaseY},
			Style: draw.GlyphStyle{Color: color.Black, Radius: vg.Points(16), Shape: crosshair{width: vg.Points(2)}},
			Halo:  draw.GlyphStyle{Color: color.White, Radius: vg.Points(17), Shape: crosshair{width: vg.Points(4.5)}}}
		c.add(m)
		if d.BaseLabel != "" {
			p.Title.Text += "\n(" + d.BaseLabel + ")"
		}
	}
	var ticks plot.Ticker = ShortTicks{}
	if d.Percent {
		ticks = PercentTicks{}
	}
	c.add(NewColorBar(zlo, zhi, d.ZLabel, ticks))
	if d.XNames != nil {
		nominalColumns(c, nx, ny)
	}
	return c, nil
}

// nominalColumns sets how the labels of a heatmap's nx named columns
// are set, and the size the chart needs (Chart.MinWidth, MinHeight), from
// the plot's layout (everything else added): a label as wide as a column
// at most is set level; one wider is slanted at 30° when the columns are
// at least 2.2 lines of text apart (slanted labels are then half a column
// apart, more than a line), else set upright, and the chart is made wide
// enough for upright labels 1.3 lines of text apart and tall enough for
// its ny rows to be as far apart, whatever the labels' length.
func nominalColumns(c *Chart, nx, ny int) {
	p := c.Plot
	lab := &p.X.Tick.Label
	line := lab.Height("M")
	longest := vg.Length(0)
	for _, t := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		longest = max(longest, lab.Width(t.Label))
	}
	// around returns what the title, the axes, the colour bar and the
	// margins of Render take beside the cells, across and down.
	around := func() (w, h vg.Length) {
		da := p.DataCanvas(draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: Width, Y: Height}}})
		return Width - (da.Max.X - da.Min.X) + 2*margin, Height - (da.Max.Y - da.Min.Y) + 2*margin
	}
	w, _ := around()
	if longest <= (Width-w)/vg.Length(nx) {
		return
	}
	lab.Rotation = math.Pi / 6
	lab.XAlign, lab.YAlign = draw.XRight, draw.YTop
	if w, _ = around(); (Width-w)/vg.Length(nx) >= 2.2*line {
		return
	}
	lab.Rotation = math.Pi / 2
	lab.XAlign, lab.YAlign = draw.XRight, draw.YCenter
	w, h := around()
	if need := w + vg.Length(nx)*1.3*line; need > Width {
		c.MinWidth = need
	}
	if need := h + vg.Length(ny)*1.3*line; need > Height {
		c.MinHeight = need
	}
}

// crosshair is a cross with an open centre, so that it marks a point
// without hiding a label there.
type crosshair struct{ width vg.Length }

// DrawGlyph implements draw.GlyphDrawer.
func (g crosshair) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	ls := draw.LineStyle{Color: sty.Color, Width: g.width}
	r, in := sty.Radius, sty.Radius*0.55
	c.StrokeLine2(ls, pt.X-r, pt.Y, pt.X-in, pt.Y)
	c.StrokeLine2(ls, pt.X+in, pt.Y, pt.X+r, pt.Y)
	c.StrokeLine2(ls, pt.X, pt.Y-r, pt.X, pt.Y-in)
	c.StrokeLine2(ls, pt.X, pt.Y+in, pt.X, pt.Y+r)
}
