// Package comparechart draws the charts of a paired comparison
// (results.Comparison) with gonum/plot, in the style of package chart
// (whose Render, palette and legend margin it uses):
//
//   - [Outcomes] (compare_outcomes.EXT): every outcome's probability in each
//     scenario side by side, as horizontal bars with 95% Wilson whiskers;
//   - [Diff] (compare_diff.EXT): each scenario's difference from the first,
//     per outcome, as a point with its paired 95% interval (thick) over the
//     interval independent runs of the same size would give (thin), so the
//     gain from common random numbers is visible; a filled point marks a
//     difference whose interval excludes 0.
//
// Only outcomes are drawn (the reached-by cells are in compare.csv). Output
// is deterministic, as package chart's.
package comparechart

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"scensim/results"
	"scensim/results/chart"
)

var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// rowHeight is the height each outcome row gets per scenario drawn in it.
const rowHeight = 9 * vg.Millimeter / 2

func newPlot(title, xlabel string) *plot.Plot {
	p := plot.New()
	p.Title.TextStyle.Font = font.From(sans, 15)
	p.Title.Text = wrapTitle(p.Title.TextStyle, title, chart.Width-vg.Inch)
	p.Title.Padding = vg.Points(8)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, 13)
		a.Tick.Label.Font = font.From(sans, 11)
	}
	p.X.Label.Text = xlabel
	p.Legend.TextStyle.Font = font.From(sans, 12)
	p.Legend.Top = true
	p.Legend.ThumbnailWidth = vg.Points(22)
	p.Legend.XOffs = -vg.Points(8)
	return p
}

// wrapTitle breaks a title into lines no wider than width (at spaces, so
// a long list of scenarios is never cut off at the chart's edge); a single
// word wider than width stays whole on its own line.
func wrapTitle(sty text.Style, title string, width vg.Length) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(title) {
		switch {
		case line == "":
			line = w
		case sty.Width(line+" "+w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	return strings.Join(append(lines, line), "\n")
}

// legend adds entries and returns a margin plotter wide enough for them.
func legend(p *plot.Plot, names []string, thumbs [][]plot.Thumbnailer) chart.Margin {
	var w vg.Length
	for i, n := range names {
		p.Legend.Add(n, thumbs[i]...)
		w = max(w, p.Legend.TextStyle.Width(n))
	}
	return chart.Margin{Right: w + p.Legend.ThumbnailWidth + vg.Points(30)}
}

func title(what string, c *results.Comparison) string {
	var labels []string
	for _, s := range c.Scenarios {
		labels = append(labels, s.Label)
	}
	return fmt.Sprintf("%s - %s (%d paired trials, seed %d)", what, strings.Join(labels, " vs "), c.Trials, c.Seed)
}

// outcomeRows returns the comparison's outcome rows.
func outcomeRows(c *results.Comparison) []results.CompareRow {
	var rows []results.CompareRow
	for _, r := range c.Rows {
		if r.Kind == "outcome" {
			rows = append(rows, r)
		}
	}
	return rows
}

type xyErrs struct {
	plotter.XYs
	plotter.XErrors
}

func whiskers(pts xyErrs, width float64, c color.Color) (*plotter.XErrorBars, error) {
	wb, err := plotter.NewXErrorBars(pts)
	if err != nil {
		return nil, err
	}
	wb.LineStyle = draw.LineStyle{Color: c, Width: vg.Points(width)}
	wb.CapWidth = vg.Points(5)
	return wb, nil
}

// Outcomes charts every outcome's probability in each scenario as a dot
// plot: per outcome, one dot per scenario (in the scenario's colour) with
// its 95% interval as a whisker and its value as a label, so that it reads
// the same at 2 scenarios and at 10; the first outcome is at the top. It
// returns the chart (its Plotters list what is drawn: a grid, then per
// scenario its whiskers, dots and value labels, then the legend margin)
// and the height it needs.
func Outcomes(c *results.Comparison) (*chart.Chart, vg.Length, error) {
	rows := outcomeRows(c)
	if len(rows) == 0 {
		return nil, 0, errors.New("comparechart: no outcomes to chart")
	}
	k := len(c.Scenarios)
	n := len(rows)
	p := newPlot(title("Outcome probabilities", c), "probability, % (dot: estimate, labelled; whisker: 95% interval)")
	ch := &chart.Chart{Name: "compare_outcomes", Plot: p}
	add := func(ps ...plot.Plotter) { p.Add(ps...); ch.Plotters = append(ch.Plotters, ps...) }
	names := make([]string, n)
	for i, r := range rows {
		names[n-1-i] = r.Name
		if r.Conditional {
			names[n-1-i] += " (cond.)"
		}
	}
	p.NominalY(names...)
	p.Y.Padding, p.X.Padding = 0, 0
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	p.X.Min, p.X.Max = 0, 100
	grid := plotter.NewGrid()
	grid.Horizontal.Color = nil
	add(grid)
	h := 0.8 / float64(k)
	var legendNames []string
	var thumbs [][]plot.Thumbnailer
	for j, s := range c.Scenarios {
		col := chart.Colour(j)
		var w xyErrs
		var right, left plotter.XYLabels
		for i, r := range rows {
			e := r.Estimates[j]
			if e == nil || !e.Defined() {
				continue
			}
			y := float64(n-1-i) + (float64(k-1)/2-float64(j))*h
			w.XYs = append(w.XYs, plotter.XY{X: 100 * e.P, Y: y})
			w.XErrors = append(w.XErrors, struct{ Low, High float64 }{100 * (e.P - e.Lo), 100 * (e.Hi - e.P)})
			label := strconv.FormatFloat(100*e.P, 'f', 1, 64)
			if e.Hi <= 0.85 { // the label right of the whisker, else left of it
				right.XYs, right.Labels = append(right.XYs, plotter.XY{X: 100 * e.Hi, Y: y}), append(right.Labels, label)
			} else {
				left.XYs, left.Labels = append(left.XYs, plotter.XY{X: 100 * e.Lo, Y: y}), append(left.Labels, label)
			}
		}
		if len(w.XYs) > 0 {
			wb, err := whiskers(w, 1.2, col)
			if err != nil {
				return nil, 0, err
			}
			wb.CapWidth = vg.Points(3)
			dots, err := plotter.NewScatter(w.XYs)
			if err != nil {
				return nil, 0, err
			}
			dots.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
			add(wb, dots)
			for side, ls := range []plotter.XYLabels{right, left} {
				if len(ls.XYs) == 0 {
					continue
				}
				lb, err := plotter.NewLabels(ls)
				if err != nil {
					return nil, 0, err
				}
				for i := range lb.TextStyle {
					lb.TextStyle[i].Font = font.From(sans, 9)
					lb.TextStyle[i].YAlign = draw.YCenter
					if side == 1 {
						lb.TextStyle[i].XAlign = draw.XRight
					}
				}
				lb.Offset = vg.Point{X: vg.Points(5)}
				if side == 1 {
					lb.Offset.X = -vg.Points(5)
				}
				add(lb)
			}
		}
		legendNames = append(legendNames, s.Label)
		thumbs = append(thumbs, []plot.Thumbnailer{glyphThumb{draw.GlyphStyle{Color: col, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}}})
	}
	add(legend(p, legendNames, thumbs))
	return ch, height(n, k), nil
}

func height(rows, perRow int) vg.Length {
	return max(chart.Height, vg.Length(rows*max(perRow, 2))*rowHeight+2*vg.Inch)
}

// Diff charts, per outcome, each scenario's difference from the first: a
// point with its 95% interval (thick: paired; dashed: unpaired, for
// conditional outcomes) over the independent-runs interval (thin, light).
// A filled point marks a difference whose interval excludes 0.
func Diff(c *results.Comparison) (*chart.Chart, vg.Length, error) {
	rows := outcomeRows(c)
	k := len(c.Scenarios) - 1
	if len(rows) == 0 || k < 1 {
		return nil, 0, errors.New("comparechart: no differences to chart")
	}
	n := len(rows)
	p := newPlot(title("Difference from "+c.Scenarios[0].Label, c),
		"difference, percentage points (thick: paired 95% interval; thin: what independent runs would give)")
	ch := &chart.Chart{Name: "compare_diff", Plot: p}
	add := func(ps ...plot.Plotter) { p.Add(ps...); ch.Plotters = append(ch.Plotters, ps...) }
	names := make([]string, n)
	for i, r := range rows {
		names[n-1-i] = r.Name
		if r.Conditional {
			names[n-1-i] += " (unpaired)"
		}
	}
	p.NominalY(names...)
	p.Y.Padding = 0
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	grid := plotter.NewGrid()
	grid.Horizontal.Color = nil
	add(grid)
	lo, hi := 0.0, 0.0
	h := 0.8 / float64(k)
	var legendNames []string
	var thumbs [][]plot.Thumbnailer
	for j := 1; j <= k; j++ {
		col := chart.Colour(j)
		var paired, unpaired, indep xyErrs
		var sig, insig plotter.XYs
		for i, r := range rows {
			d := r.Diffs[j]
			if !d.Defined() || math.IsNaN(d.Lo) {
				continue
			}
			y := float64(n-1-i) + (float64(k-1)/2-float64(j-1))*h
			pt := plotter.XY{X: 100 * d.D, Y: y}
			e := struct{ Low, High float64 }{100 * (d.D - d.Lo), 100 * (d.Hi - d.D)}
			if d.Paired {
				paired.XYs, paired.XErrors = append(paired.XYs, pt), append(paired.XErrors, e)
				if !math.IsNaN(d.IndepLo) {
					indep.XYs = append(indep.XYs, pt)
					indep.XErrors = append(indep.XErrors, struct{ Low, High float64 }{100 * (d.D - d.IndepLo), 100 * (d.IndepHi - d.D)})
					lo, hi = min(lo, 100*d.IndepLo), max(hi, 100*d.IndepHi)
				}
			} else {
				unpaired.XYs, unpaired.XErrors = append(unpaired.XYs, pt), append(unpaired.XErrors, e)
			}
			lo, hi = min(lo, 100*d.Lo), max(hi, 100*d.Hi)
			if d.Significant {
				sig = append(sig, pt)
			} else {
				insig = append(insig, pt)
			}
		}
		if len(indep.XYs) > 0 {
			wb, err := whiskers(indep, 0.8, color.Gray{Y: 0xAA})
			if err != nil {
				return nil, 0, err
			}
			add(wb)
		}
		if len(paired.XYs) > 0 {
			wb, err := whiskers(paired, 2.5, col)
			if err != nil {
				return nil, 0, err
			}
			add(wb)
		}
		if len(unpaired.XYs) > 0 {
			wb, err := whiskers(unpaired, 1.2, col)
			if err != nil {
				return nil, 0, err
			}
			wb.LineStyle.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
			add(wb)
		}
		for _, set := range []struct {
			xy    plotter.XYs
			glyph draw.GlyphDrawer
		}{{sig, draw.CircleGlyph{}}, {insig, draw.RingGlyph{}}} {
			if len(set.xy) == 0 {
				continue
			}
			sc, err := plotter.NewScatter(set.xy)
			if err != nil {
				return nil, 0, err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3.5), Shape: set.glyph}
			add(sc)
		}
		legendNames = append(legendNames, c.Scenarios[j].Label+" - "+c.Scenarios[0].Label)
		thumbs = append(thumbs, []plot.Thumbnailer{chart.Swatch{Color: col}})
	}
	span := max(hi-lo, 0.1)
	p.X.Min, p.X.Max = lo-0.05*span, hi+0.05*span
	zero, err := plotter.NewLine(plotter.XYs{{X: 0, Y: -0.5}, {X: 0, Y: float64(n) - 0.5}})
	if err != nil {
		return nil, 0, err
	}
	zero.LineStyle = draw.LineStyle{Color: color.Black, Width: vg.Points(1)}
	add(zero)
	legendNames = append(legendNames, "interval excludes 0", "interval includes 0")
	thumbs = append(thumbs,
		[]plot.Thumbnailer{glyphThumb{draw.GlyphStyle{Color: color.Black, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}}},
		[]plot.Thumbnailer{glyphThumb{draw.GlyphStyle{Color: color.Black, Radius: vg.Points(3.5), Shape: draw.RingGlyph{}}}})
	add(legend(p, legendNames, thumbs))
	return ch, height(n, k), nil
}

type glyphThumb struct{ sty draw.GlyphStyle }

func (g glyphThumb) Thumbnail(c *draw.Canvas) { c.DrawGlyph(g.sty, c.Center()) }

// All renders the comparison's charts in format (png, svg or pdf):
// compare_outcomes.EXT and, if there are two scenarios or more,
// compare_diff.EXT.
func All(c *results.Comparison, format string) (map[string][]byte, error) {
	return AllContext(context.Background(), c, format)
}

// AllContext is [All] that stops between charts once ctx is done,
// returning ctx's error and no charts.
func AllContext(ctx context.Context, c *results.Comparison, format string) (map[string][]byte, error) {
	out := map[string][]byte{}
	p, h, err := Outcomes(c)
	if err != nil {
		return nil, err
	}
	if out["compare_outcomes."+format], err = chart.Render(p, format, chart.Width, h); err != nil {
		return nil, err
	}
	if len(c.Scenarios) > 1 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, h, err := Diff(c)
		if err != nil {
			return nil, err
		}
		if out["compare_diff."+format], err = chart.Render(p, format, chart.Width, h); err != nil {
			return nil, err
		}
	}
	return out, nil
}
