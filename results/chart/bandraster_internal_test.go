package chart

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/golang/freetype/raster"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// paintProgram draws a random sequence of fills and strokes on c, with
// the state changes vgimg's canvas knows: colours opaque and translucent,
// line widths (zero and negative included), dashes, Push and Pop, and
// transforms. Paths are polylines, open and closed, with points inside,
// near and beyond the canvas's edges, points closer than gg's 4/64 px cut,
// several subpaths, and now and then an arc or a curve.
func paintProgram(rng *rand.Rand, c vg.Canvas, w, h vg.Length, ops int) {
	coord := func(size vg.Length) vg.Length {
		switch rng.IntN(6) {
		case 0: // beyond an edge
			return vg.Length(rng.Float64()*3-1) * size
		case 1: // near an edge
			return vg.Length(rng.Float64()*6-3) + size*vg.Length(rng.IntN(2))
		default:
			return vg.Length(rng.Float64()) * size
		}
	}
	pt := func() vg.Point { return vg.Point{X: coord(w), Y: coord(h)} }
	depth := 0
	for range ops {
		switch k := rng.IntN(20); {
		case k < 3:
			a := uint8(255)
			if rng.IntN(3) == 0 {
				a = uint8(rng.IntN(256))
			}
			// premultiplied: colour channels at most alpha
			c.SetColor(color.RGBA{uint8(rng.IntN(int(a) + 1)), uint8(rng.IntN(int(a) + 1)), uint8(rng.IntN(int(a) + 1)), a})
		case k == 3:
			c.SetColor(nil)
		case k < 6:
			widths := []vg.Length{0, -1, 0.25, 0.5, 1, 1.5, 2, 3.3, 8, 25}
			c.SetLineWidth(widths[rng.IntN(len(widths))])
		case k == 6:
			if rng.IntN(3) == 0 {
				c.SetLineDash([]vg.Length{vg.Length(1 + rng.IntN(6)), vg.Length(1 + rng.IntN(4))}, vg.Length(rng.IntN(3)))
			} else {
				c.SetLineDash(nil, 0)
			}
		case k == 7:
			c.Push()
			depth++
		case k == 8:
			if depth > 0 {
				c.Pop()
				depth--
			}
		case k == 9:
			switch rng.IntN(3) {
			case 0:
				c.Translate(vg.Point{X: vg.Length(rng.Float64()*40 - 20), Y: vg.Length(rng.Float64()*40 - 20)})
			case 1:
				c.Rotate(rng.Float64() - 0.5)
			default:
				c.Scale(0.5+rng.Float64(), 0.5+rng.Float64())
			}
		default:
			var p vg.Path
			for range 1 + rng.IntN(3) { // subpaths
				p.Move(pt())
				for range rng.IntN(8) {
					switch r := rng.IntN(12); {
					case r == 0: // a point a hair away from the last
						last := p[len(p)-1].Pos
						p.Line(vg.Point{X: last.X + vg.Length(rng.Float64()*0.05), Y: last.Y + vg.Length(rng.Float64()*0.05)})
					case r == 1:
						p.Close()
					case r == 2 && rng.IntN(8) == 0:
						p.Arc(pt(), vg.Length(1+rng.Float64()*30), rng.Float64()*6, rng.Float64()*6)
					case r == 3 && rng.IntN(8) == 0:
						p.QuadTo(pt(), pt())
					case r == 4: // axis-aligned, as bars and ticks are
						last := p[len(p)-1].Pos
						if rng.IntN(2) == 0 {
							p.Line(vg.Point{X: last.X, Y: coord(h)})
						} else {
							p.Line(vg.Point{X: coord(w), Y: last.Y})
						}
					default:
						p.Line(pt())
					}
				}
			}
			if rng.IntN(2) == 0 {
				c.Fill(p)
			} else {
				c.Stroke(p)
			}
		}
	}
}

// The canvas's path painter paints every pixel as vgimg and gg do, over
// canvases narrow and wide, short and taller than any band.
func TestPathPainterMatchesVgimg(t *testing.T) {
	sizes := []struct{ w, h int }{{900, 600}, {900, 1654}, {100, 700}, {121, 130}, {300, 40}, {1, 1}, {200, 64}, {200, 65}, {640, 2100}}
	programs := 24
	if raceBuild {
		programs = 4
	}
	for _, sz := range sizes {
		w := vg.Length(float64(sz.w)/DPI) * vg.Inch
		h := vg.Length(float64(sz.h)/DPI) * vg.Inch
		for seed := range programs {
			ops := 10 + seed*4
			got := newPNGCanvas(w, h, nil)
			if got.paths == nil {
				t.Fatalf("%d × %d: the canvas has no path painter", sz.w, sz.h)
			}
			paintProgram(rand.New(rand.NewPCG(uint64(seed), uint64(sz.w*10000+sz.h))), got, w, h, ops)
			want := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))
			paintProgram(rand.New(rand.NewPCG(uint64(seed), uint64(sz.w*10000+sz.h))), want, w, h, ops)
			samePixels(t, fmt.Sprintf("%d × %d, program %d", sz.w, sz.h, seed), want.Image(), got.img)
		}
	}
}

// Paths far taller than the canvas, or wholly beyond it, paint as gg does
// (the band is clipped to the image, or nothing is painted).
func TestPathPainterBeyondCanvas(t *testing.T) {
	w, h := vg.Length(900.0/DPI)*vg.Inch, vg.Length(600.0/DPI)*vg.Inch
	paths := []vg.Path{
		{{Type: vg.MoveComp, Pos: vg.Point{X: 10, Y: -5000}}, {Type: vg.LineComp, Pos: vg.Point{X: 400, Y: 9000}}, {Type: vg.LineComp, Pos: vg.Point{X: 20, Y: 30}}},
		{{Type: vg.MoveComp, Pos: vg.Point{X: 10, Y: -50}}, {Type: vg.LineComp, Pos: vg.Point{X: 400, Y: -20}}, {Type: vg.LineComp, Pos: vg.Point{X: 20, Y: -90}}},
		{{Type: vg.MoveComp, Pos: vg.Point{X: 10, Y: h + 50}}, {Type: vg.LineComp, Pos: vg.Point{X: 400, Y: h + 1}}, {Type: vg.LineComp, Pos: vg.Point{X: 20, Y: h + 3000}}},
		{{Type: vg.MoveComp, Pos: vg.Point{X: 10, Y: h - 0.3}}, {Type: vg.LineComp, Pos: vg.Point{X: 800, Y: h + 0.2}}, {Type: vg.LineComp, Pos: vg.Point{X: 20, Y: h + 7}}},
		{{Type: vg.MoveComp, Pos: vg.Point{X: 10, Y: 0.3}}, {Type: vg.LineComp, Pos: vg.Point{X: 800, Y: -0.2}}, {Type: vg.LineComp, Pos: vg.Point{X: 20, Y: 4}}},
		{{Type: vg.MoveComp, Pos: vg.Point{X: math.MaxInt16, Y: 100}}, {Type: vg.LineComp, Pos: vg.Point{X: -math.MaxInt16, Y: 101}}},
	}
	for i, p := range paths {
		for _, width := range []vg.Length{0.5, 6} {
			got := newPNGCanvas(w, h, nil)
			want := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))
			for _, c := range []vg.Canvas{got, want} {
				c.SetLineWidth(width)
				c.SetColor(color.RGBA{200, 0, 0, 255})
				c.Fill(p)
				c.SetColor(color.RGBA{0, 0, 90, 128})
				c.Stroke(p)
			}
			samePixels(t, fmt.Sprintf("path %d, width %v", i, width), want.Image(), got.img)
		}
	}
}

// overPainter paints as raster.RGBAPainter does: every alpha of a span,
// over every background, in opaque and translucent colours.
func TestOverPainterBlends(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		img := randomImage(rng, 70, 3, rng.IntN(2) == 0)
		ref := image.NewRGBA(img.Rect)
		copy(ref.Pix, img.Pix)
		a := uint8(255)
		if rng.IntN(2) == 0 {
			a = uint8(rng.IntN(256))
		}
		clr := color.RGBA{uint8(rng.IntN(int(a) + 1)), uint8(rng.IntN(int(a) + 1)), uint8(rng.IntN(int(a) + 1)), a}
		var spans []raster.Span
		for y := -1; y <= 3; y++ {
			x0 := rng.IntN(80) - 5
			alpha := uint32(0xffff)
			if rng.IntN(2) == 0 {
				alpha = uint32(rng.IntN(0x10000))
			}
			spans = append(spans, raster.Span{Y: y, X0: x0, X1: x0 + rng.IntN(40), Alpha: alpha})
		}
		p := overPainter{img: img}
		p.setColor(clr)
		p.Paint(spans, true)
		rp := raster.NewRGBAPainter(ref)
		rp.SetColor(clr)
		rp.Paint(spans, true)
		samePixels(t, "spans", ref, img)
	}
}
