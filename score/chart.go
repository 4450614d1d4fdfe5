package score

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"scensim/results/chart"
)

// ChartName is the file name stem of the reliability chart.
const ChartName = "reliability"

// Size of the reliability chart: square data area with room for the legend.
const (
	chartWidth  = 10 * vg.Inch
	chartHeight = 8 * vg.Inch
)

// ReliabilityPlot draws the reliability diagram of the report's results:
// for each result and each non-empty forecast bin, a point at (mean
// forecast in the bin, observed frequency of yes in the bin) whose area
// grows with the number of forecasts in the bin, joined in bin order; and
// the diagonal of perfect reliability. Reference forecasters are not drawn.
// Text is kept to ASCII, which every chart format encodes.
func (r *Report) ReliabilityPlot() (*plot.Plot, error) {
	sans := font.Font{Typeface: "Liberation", Variant: "Sans"}
	p := plot.New()
	scored, _, _ := r.Counts()
	p.Title.Text = fmt.Sprintf("Reliability - %d resolved outcomes, %d forecast bins (point area: forecasts in the bin)", scored, r.Bins)
	p.Title.TextStyle.Font = font.From(sans, 15)
	p.Title.Padding = vg.Points(8)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Min, a.Max = 0, 1
		a.Tick.Marker = chart.PercentTicks{}
		a.Label.TextStyle.Font = font.From(sans, 13)
		a.Tick.Label.Font = font.From(sans, 12)
		a.Label.Padding = vg.Points(4)
	}
	p.X.Label.Text = "forecast probability (mean in bin)"
	p.Y.Label.Text = "observed frequency of yes"
	p.Legend.TextStyle.Font = font.From(sans, 12)
	p.Legend.Top = false
	p.Legend.Left = false
	p.Legend.XOffs = -vg.Points(8)
	p.Legend.YOffs = vg.Points(8)
	p.Add(plotter.NewGrid())

	diag, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	if err != nil {
		return nil, err
	}
	diag.LineStyle = draw.LineStyle{Color: chart.Colour(7), Width: vg.Points(1), Dashes: []vg.Length{vg.Points(5), vg.Points(4)}}
	p.Add(diag)
	p.Legend.Add("perfect reliability", diag)

	most := 1
	for _, f := range r.Forecasters {
		for _, b := range f.Overall.Bins {
			most = max(most, b.N)
		}
	}
	n := 0
	for _, f := range r.Forecasters {
		if f.Kind != KindResult {
			continue
		}
		xys, counts := reliabilityPoints(f)
		col := chart.Colour(n)
		n++
		label := fmt.Sprintf("%s: %s (%d outcomes)", f.ID, f.Label, f.Overall.N)
		if len(xys) == 0 {
			continue
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		line.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(1.5)}
		pts, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, err
		}
		pts.GlyphStyle = draw.GlyphStyle{Color: col, Shape: draw.CircleGlyph{}, Radius: vg.Points(4)}
		pts.GlyphStyleFunc = func(i int) draw.GlyphStyle {
			return draw.GlyphStyle{Color: col, Shape: draw.CircleGlyph{}, Radius: pointRadius(counts[i], most)}
		}
		p.Add(line, pts)
		p.Legend.Add(label, line, pts)
	}
	return p, nil
}

// ReliabilityChart renders [Report.ReliabilityPlot] as format (png, svg or
// pdf, see [chart.Render]).
func (r *Report) ReliabilityChart(format string) ([]byte, error) {
	p, err := r.ReliabilityPlot()
	if err != nil {
		return nil, err
	}
	return chart.Render(p, format, chartWidth, chartHeight)
}

// reliabilityPoints are the points of a forecaster on the reliability
// chart, one per non-empty bin in bin order: (mean forecast, observed
// frequency of yes), with the number of forecasts in the bin.
func reliabilityPoints(f Forecaster) (plotter.XYs, []int) {
	var xys plotter.XYs
	var counts []int
	for _, b := range f.Overall.Bins {
		if b.N > 0 {
			xys = append(xys, plotter.XY{X: b.Forecast, Y: b.Observed})
			counts = append(counts, b.N)
		}
	}
	return xys, counts
}

// pointRadius is the radius of a point for a bin of n forecasts when the
// fullest bin of the chart holds most: 4 points plus 10·√(n/most), so that
// the area grows with n.
func pointRadius(n, most int) vg.Length {
	return vg.Points(4 + 10*math.Sqrt(float64(n)/float64(most)))
}
