package chart

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Drawer is anything [Render] can draw: a *plot.Plot or a *[Chart]. Render
// draws it on a white canvas; the charts of this package draw no background
// of their own.
type Drawer interface {
	Draw(draw.Canvas)
}

// Chart is one chart: either a single plot or a grid of panels under a
// common title. Plotters lists what was added to Plot, in order, so that
// tests (and callers) can inspect what is drawn.
type Chart struct {
	Name     string // file name stem, e.g. "outcomes" or "occupancy_talks"
	Plot     *plot.Plot
	Plotters []plot.Plotter

	// A grid: Title above Panels laid out in Cols columns (Plot is nil).
	Title  string
	Panels []*Chart
	Cols   int

	// MinWidth and MinHeight, if not 0, are the size the chart needs,
	// more than the default [Width] or [Height] (a heatmap of many named
	// columns, or of long names set upright): callers render it at least
	// that large (see [Chart.RenderWidth], [Chart.RenderHeight]).
	MinWidth, MinHeight vg.Length

	// fit are layout steps that need the data area, run before drawing,
	// after reset has put what they change back to its initial state (so
	// that every drawing of the chart is the same).
	fit   []func(dataArea draw.Canvas)
	reset []func()
}

// RenderWidth returns the width to render c at: w, or c.MinWidth if wider.
func (c *Chart) RenderWidth(w vg.Length) vg.Length { return max(w, c.MinWidth) }

// RenderHeight returns the height to render c at: h, or c.MinHeight if
// taller.
func (c *Chart) RenderHeight(h vg.Length) vg.Length { return max(h, c.MinHeight) }

// add adds plotters to the chart's plot and records them.
func (c *Chart) add(ps ...plot.Plotter) {
	c.Plot.Add(ps...)
	c.Plotters = append(c.Plotters, ps...)
}

// Draw draws the chart on dc, implementing [Drawer].
func (c *Chart) Draw(dc draw.Canvas) {
	if c.Plot == nil {
		c.drawGrid(dc)
		return
	}
	c.layout(dc)
	c.Plot.Draw(dc)
}

// layout runs the fit steps. The data area depends (through glyph boxes) on
// what they set, so they run twice; the second pass sees the final area.
func (c *Chart) layout(dc draw.Canvas) {
	if len(c.fit) == 0 {
		return
	}
	for _, f := range c.reset {
		f()
	}
	for range 2 {
		da := c.Plot.DataCanvas(dc)
		for _, f := range c.fit {
			f(da)
		}
	}
}

// drawGrid draws the title and the panels of a grid chart, on the white
// background [Render] gives every chart.
func (c *Chart) drawGrid(dc draw.Canvas) {
	ts := textStyle(titleSize, plot.New().Title.TextStyle.Color)
	ts.XAlign, ts.YAlign = draw.XCenter, draw.YTop
	top := dc.Max.Y - vg.Points(4)
	if c.Title != "" {
		dc.FillText(ts, vg.Point{X: dc.Center().X, Y: top}, c.Title)
		top -= ts.Height(c.Title) + vg.Points(10)
	}
	cols := max(c.Cols, 1)
	rows := (len(c.Panels) + cols - 1) / cols
	if rows == 0 {
		return
	}
	plots := make([][]*plot.Plot, rows)
	for j := range plots {
		plots[j] = make([]*plot.Plot, cols)
		for i := range cols {
			if k := j*cols + i; k < len(c.Panels) {
				plots[j][i] = c.Panels[k].Plot
			}
		}
	}
	area := dc
	area.Max.Y = top
	tiles := gridTiles(rows, cols)
	canvases := plot.Align(plots, tiles, area)
	for j := range plots {
		for i := range plots[j] {
			if k := j*cols + i; k < len(c.Panels) {
				// A white panel hides what a neighbour's text overruns.
				canvases[j][i].SetColor(color.White)
				canvases[j][i].Fill(canvases[j][i].Rectangle.Path())
				c.Panels[k].Draw(canvases[j][i])
			}
		}
	}
}

// gridTiles is how drawGrid lays out rows × cols panels.
func gridTiles(rows, cols int) draw.Tiles {
	return draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(18), PadY: vg.Points(14),
		PadLeft: vg.Points(6), PadRight: vg.Points(10), PadBottom: vg.Points(4)}
}
