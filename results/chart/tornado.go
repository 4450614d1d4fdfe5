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

// TornadoBar is one param of a tornado chart: the outcome's probability
// with the param at its low and at its high value, each with the 95%
// interval of its difference from the base, paired by trial and shifted by
// the base estimate.
type TornadoBar struct {
	Label          string // e.g. "prelim_rate  0.08 - 0.25"
	Low, High      float64
	LowLo, LowHi   float64 // base + paired interval of P(low) − P(base)
	HighLo, HighHi float64
	Swing          string // printed right of the row
}

// TornadoData is what [Tornado] draws; Bars are in order, largest first.
type TornadoData struct {
	Name           string
	Title          string
	XLabel         string
	Base           float64
	BaseLo, BaseHi float64 // the base's 95% interval
	Bars           []TornadoBar
	Note           string // a legend line, e.g. on params without range:
}

// Tornado charts a one-way sensitivity analysis: one row per param,
// largest swing on top, a bar from the base to the probability with the
// param at its low value (blue) and one to its high value (orange), each
// end with the paired 95% interval whisker; the base as a vertical line in
// its Wilson band; the swing printed right of each row.
//
// Plotters: a grid, the *Band of the base interval, the *Rects of the bars
// (two per row), the base *plotter.Line, the *plotter.XErrorBars whiskers
// (two per row), the swing *plotter.Labels and the legend margin.
func Tornado(d TornadoData) (*Chart, error) {
	n := len(d.Bars)
	if n == 0 {
		return nil, errors.New("chart: no params to draw")
	}
	p := newPlot(d.Title, d.XLabel, "")
	c := &Chart{Name: d.Name, Plot: p}
	grid := plotter.NewGrid()
	grid.Horizontal.Color = nil
	c.add(grid)
	names := make([]string, n)
	var xs []float64
	for row := range n {
		b := d.Bars[n-1-row] // row 0 at the bottom
		names[row] = b.Label
		xs = append(xs, b.Low, b.High, b.LowLo, b.LowHi, b.HighLo, b.HighHi)
	}
	xs = append(xs, d.BaseLo, d.BaseHi)
	xlo, xhi := rangeOf(xs)
	p.X.Min, p.X.Max = padRange(xlo, xhi, 0.08, 0, 1)
	p.X.Tick.Marker = PercentTicks{}
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.Y.Padding = 0
	p.Y.Tick.Label.Font.Size = vg.Points(tickSize - 1)

	c.add(&verticalBand{X0: d.BaseLo, X1: d.BaseHi, Color: color.Gray{Y: 0xE4}})
	bars := &Rects{}
	const h = 0.32
	var lowW, highW xyErrs
	var labels plotter.XYLabels
	orBase := func(x float64) float64 {
		if math.IsNaN(x) {
			return d.Base
		}
		return x
	}
	for row := range n {
		b := d.Bars[n-1-row]
		// An undefined end (a conditional outcome whose given never held)
		// draws as no bar and no whisker.
		b.Low, b.High = orBase(b.Low), orBase(b.High)
		b.LowLo, b.LowHi, b.HighLo, b.HighHi = orBase(b.LowLo), orBase(b.LowHi), orBase(b.HighLo), orBase(b.HighHi)
		y := float64(row)
		lo := Rect{X0: d.Base, X1: b.Low, Y0: y - h, Y1: y + h, Color: Colour(0)}
		hi := Rect{X0: d.Base, X1: b.High, Y0: y - h, Y1: y + h, Color: Colour(1)}
		if math.Abs(b.Low-d.Base) < math.Abs(b.High-d.Base) {
			lo, hi = hi, lo // the longer bar first, so that both show when on one side
		}
		bars.R = append(bars.R, lo, hi)
		lowW.XYs = append(lowW.XYs, plotter.XY{X: b.Low, Y: y - h/2})
		lowW.XErrors = append(lowW.XErrors, struct{ Low, High float64 }{math.Max(b.Low-b.LowLo, 0), math.Max(b.LowHi-b.Low, 0)})
		highW.XYs = append(highW.XYs, plotter.XY{X: b.High, Y: y + h/2})
		highW.XErrors = append(highW.XErrors, struct{ Low, High float64 }{math.Max(b.High-b.HighLo, 0), math.Max(b.HighHi-b.High, 0)})
		labels.XYs = append(labels.XYs, plotter.XY{X: p.X.Max, Y: y})
		labels.Labels = append(labels.Labels, b.Swing)
	}
	c.add(bars)
	baseLine, err := plotter.NewLine(plotter.XYs{{X: d.Base, Y: -0.6}, {X: d.Base, Y: float64(n) - 0.4}})
	if err != nil {
		return nil, err
	}
	baseLine.LineStyle = lineStyle(color.Black, 1.6)
	c.add(baseLine)
	if err := c.addXWhiskers(n, lowW, highW); err != nil {
		return nil, err
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
	lb.Offset = vg.Point{X: vg.Points(8)}
	c.add(lb)
	entries := []legendEntry{
		{"param at its low value", []plot.Thumbnailer{Swatch{Color: Colour(0)}}},
		{"param at its high value", []plot.Thumbnailer{Swatch{Color: Colour(1)}}},
		{fmt.Sprintf("base %s", percent(d.Base)), []plot.Thumbnailer{baseLine}},
		{"base 95% interval", []plot.Thumbnailer{Swatch{Color: color.Gray{Y: 0xE4}}}},
		{"paired 95% interval", []plot.Thumbnailer{whiskerThumb{lineStyle(color.Black, 1.1)}}},
		{"right: swing, high - low", nil},
	}
	if d.Note != "" {
		entries = append(entries, legendEntry{d.Note, nil})
	}
	c.add(legendRight(p, labelW+vg.Points(14), entries...))
	return c, nil
}

// verticalBand shades the full height of the data area between X0 and X1.
type verticalBand struct {
	X0, X1 float64
	Color  color.Color
}

// Plot implements plot.Plotter.
func (b *verticalBand) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x0, x1 := trX(b.X0), trX(b.X1)
	c.FillPolygon(b.Color, c.ClipPolygonXY([]vg.Point{{X: x0, Y: c.Min.Y}, {X: x0, Y: c.Max.Y}, {X: x1, Y: c.Max.Y}, {X: x1, Y: c.Min.Y}}))
}

// addXWhiskers adds horizontal interval whiskers (one set per non-empty
// xyErrs) over n rows of bars, their caps scaled to the row height when the
// chart is drawn.
func (c *Chart) addXWhiskers(n int, sets ...xyErrs) error {
	var whiskers []*plotter.XErrorBars
	for _, w := range sets {
		if len(w.XYs) == 0 {
			continue
		}
		wb, err := plotter.NewXErrorBars(w)
		if err != nil {
			return err
		}
		wb.LineStyle = lineStyle(color.Black, 1.1)
		whiskers = append(whiskers, wb)
		c.add(wb)
	}
	c.fit = append(c.fit, func(da draw.Canvas) {
		for _, wb := range whiskers {
			wb.CapWidth = min(vg.Points(7), 0.3*(da.Max.Y-da.Min.Y)/vg.Length(n))
		}
	})
	c.reset = append(c.reset, func() {
		for _, wb := range whiskers {
			wb.CapWidth = plotter.DefaultCapWidth
		}
	})
	return nil
}
