package chart

import (
	"bytes"
	"image/color"
	"image/png"
	"testing"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	vgdraw "gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// TestPNGOddSizeMatchesVgimg checks that a chart whose size is not a whole
// number of pixels (RowsHeight of many rows) has vgimg's pixels too.
func TestPNGOddSizeMatchesVgimg(t *testing.T) {
	build := func(background bool) Drawer {
		p := newPlot("Title - with text (1,000 trials)", "x label", "rotated y label")
		if background {
			p.BackgroundColor = color.White
		}
		pts := plotter.XYs{{X: 0, Y: 0.1}, {X: 1, Y: 0.7}, {X: 2, Y: 0.4}, {X: 3, Y: 0.9}}
		l, err := plotter.NewLine(pts)
		if err != nil {
			t.Fatal(err)
		}
		l.LineStyle = lineStyle(Colour(0), 2)
		labels, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: []string{"a", "b", "c", "d"}})
		if err != nil {
			t.Fatal(err)
		}
		p.Add(l, labels)
		p.Legend.Add("series", l)
		p.Y.Tick.Marker = PercentTicks{}
		return p
	}
	for _, h := range []vg.Length{RowsHeight(20), RowsHeight(25), 5.14 * vg.Inch} {
		got, err := Render(build(false), "png", Width, h)
		if err != nil {
			t.Fatal(err)
		}
		gotImg, err := png.Decode(bytes.NewReader(got))
		if err != nil {
			t.Fatal(err)
		}
		ref := vgimg.NewWith(vgimg.UseWH(Width, h), vgimg.UseDPI(DPI))
		build(true).Draw(vgdraw.Crop(vgdraw.New(ref), margin, -margin, margin, -margin))
		samePixels(t, "chart", ref.Image(), gotImg)
	}
}
