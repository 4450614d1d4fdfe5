package chart

import (
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// pxLen is a length of n pixels on a chart canvas.
func pxLen(n float64) vg.Length { return vg.Length(n/DPI) * vg.Inch }

// pxPt is a point of a path in image pixels (y growing downwards).
type pxPt struct{ x, y float64 }

// closePt, a NaN of its own bits, closes a subpath in pxPath.
var closePt = pxPt{math.Float64frombits(0x7ff00000c1053d), 0}

// pxPath is the path of straight lines through pts on a canvas of h pixel
// rows.
func pxPath(h int, pts ...pxPt) vg.Path {
	var p vg.Path
	for i, q := range pts {
		pt := vg.Point{X: pxLen(q.x), Y: pxLen(float64(h) - q.y)}
		switch {
		case math.Float64bits(q.x) == math.Float64bits(closePt.x):
			p.Close()
		case i == 0:
			p.Move(pt)
		default:
			p.Line(pt)
		}
	}
	return p
}

// run calls draw and returns what it panicked with, if anything.
func run(draw func()) (panicked string) {
	defer func() {
		if r := recover(); r != nil {
			panicked = fmt.Sprint("panic: ", r)
		}
	}()
	draw()
	return ""
}

// sameAsVgimg draws with draw on a canvas of w × h pixels and on a vgimg
// canvas of the same size, and fails t unless both panic alike (or not at
// all) at every step and end with the same pixels.
func sameAsVgimg(t *testing.T, what string, w, h int, steps ...func(c vg.Canvas)) {
	t.Helper()
	wl, hl := pxLen(float64(w)), pxLen(float64(h))
	got := newPNGCanvas(wl, hl, nil)
	if got.paths == nil {
		t.Fatalf("%s: the canvas has no path painter", what)
	}
	want := vgimg.NewWith(vgimg.UseWH(wl, hl), vgimg.UseDPI(DPI))
	for i, step := range steps {
		pg := run(func() { step(got) })
		pw := run(func() { step(want) })
		if pg != pw {
			t.Fatalf("%s, step %d: %q, want %q", what, i, pg, pw)
		}
	}
	samePixels(t, what, want.Image(), got.img)
}

// Coordinates gg cannot hold in 26.6 fixed point (beyond ±2²⁵ pixels, NaN,
// ±Inf) become math.MinInt32 on conversion (on amd64), which gg's stroke, going
// through float64 and back, turns into 0: strokes through such points
// paint as gg does (kept as math.MinInt32, the stroke's outline wraps
// round int32 and the rasterizer runs for ever). Fills through them are
// left out: gg's rasterizer runs for ever on those.
func TestAttackUnrepresentableCoordinates(t *testing.T) {
	const w, h = 300, 200
	nan, inf := math.NaN(), math.Inf(1)
	far := []float64{nan, inf, -inf, 1 << 25, -(1 << 25), 1<<25 + 3, 1e12, -1e12}
	for _, f := range far {
		for _, width := range []float64{1, 7} {
			paths := map[string]vg.Path{
				"y": pxPath(h, pxPt{100, 150}, pxPt{150, f}, pxPt{220, 120}),
				"x": pxPath(h, pxPt{100, 150}, pxPt{f, 60}, pxPt{220, 120}),
				// the far point first: gg's stroke starts there
				"start": pxPath(h, pxPt{f, f}, pxPt{150, 100}, pxPt{200, 30}),
				"end":   pxPath(h, pxPt{20, 30}, pxPt{150, 100}, pxPt{f, 190}),
				// through the image from a far row
				"closed": pxPath(h, pxPt{60, 20}, pxPt{280, f}, pxPt{30, 180}, closePt),
			}
			for name, p := range paths {
				sameAsVgimg(t, fmt.Sprintf("%s through %v, width %v", name, f, width), w, h, func(c vg.Canvas) {
					c.SetLineWidth(pxLen(width))
					c.SetColor(color.RGBA{0, 0, 200, 255})
					c.Stroke(p)
					c.SetColor(color.RGBA{0, 90, 0, 90})
					c.Stroke(p)
				})
			}
		}
	}
}

// freetype's rasterizer flattens a stroke's round joins with sums of four
// coordinates in int32, which wrap for points beyond 2²³ pixels: gg's
// flattened join then runs through the image. A band moved up by some
// rows wraps at other points, so such outlines must not be moved, nor
// skipped for lying wholly above or below the image. (Each case takes gg
// some 0.2-0.4 s: it scans 2²⁴ rows and more.)
func TestAttackJoinsFarAway(t *testing.T) {
	const w, h = 600, 600
	const y = 1<<23 + 300
	cases := []struct {
		name string
		p    vg.Path
	}{
		{"wholly above", pxPath(h, pxPt{450, -y}, pxPt{460, -y - 1}, pxPt{470, -y - 1.5})},
		// from the image's bottom rows (a band moved up) to far below
		{"moved", pxPath(h, pxPt{450, 590}, pxPt{455, y}, pxPt{470, y + 30})},
	}
	if raceBuild {
		cases = cases[:1]
	}
	for _, c := range cases {
		sameAsVgimg(t, c.name, w, h, func(cv vg.Canvas) {
			cv.SetLineWidth(pxLen(2))
			cv.Stroke(c.p)
		})
	}
}

// wildColor breaks color.Color's contract with channels beyond 0xffff.
type wildColor struct{ r, g, b, a uint32 }

func (c wildColor) RGBA() (r, g, b, a uint32) { return c.r, c.g, c.b, c.a }

// Colours whose channels exceed 0xffff paint as RGBAPainter's arithmetic
// does, full-coverage spans included.
func TestAttackColourOutOfRange(t *testing.T) {
	const w, h = 200, 100
	rect := pxPath(h, pxPt{10, 10}, pxPt{150, 10}, pxPt{150, 80}, pxPt{10, 80})
	for _, c := range []color.Color{
		wildColor{0x20000, 0x1ffff, 0x10001, 0xffff},
		wildColor{0xffffffff, 0x12345, 0, 0xffff},
		wildColor{0x8000, 0x8000, 0x8000, 0x1ffff},
		wildColor{0x30000, 0, 0, 0x8000},
	} {
		sameAsVgimg(t, fmt.Sprint(c), w, h, func(cv vg.Canvas) {
			cv.SetColor(c)
			cv.Fill(rect)
			cv.SetLineWidth(pxLen(5))
			cv.Stroke(rect)
		})
	}
}

// A colour that panics when read: gg reads it on every fill and stroke,
// even of nothing visible, and its path is left unfinished, to be drawn
// by the next fill; the canvas panics alike and stays in step.
func TestAttackPanickingColour(t *testing.T) {
	const w, h = 200, 150
	inside := pxPath(h, pxPt{20, 20}, pxPt{180, 40}, pxPt{100, 130})
	outside := pxPath(h, pxPt{20, -50}, pxPt{180, -40}, pxPt{100, -30})
	point := pxPath(h, pxPt{50, 50})
	for name, p := range map[string]vg.Path{"inside": inside, "outside": outside, "point": point, "empty": nil} {
		for _, stroke := range []bool{false, true} {
			sameAsVgimg(t, fmt.Sprintf("%s, stroke %v", name, stroke), w, h,
				func(c vg.Canvas) { c.SetLineWidth(pxLen(4)); c.SetColor((*color.RGBA)(nil)) },
				func(c vg.Canvas) {
					if stroke {
						c.Stroke(p)
					} else {
						c.Fill(p)
					}
				},
				func(c vg.Canvas) {
					c.SetColor(color.RGBA{0, 0, 0, 255})
					c.Fill(pxPath(h, pxPt{150, 100}, pxPt{190, 100}, pxPt{190, 140}))
					c.Stroke(pxPath(h, pxPt{10, 140}, pxPt{60, 100}))
				})
		}
	}
}

// Panics of vgimg's own (a Pop with nothing pushed, a curve with three
// control points) leave gg's state as it was left, and the canvas's in
// step with it.
func TestAttackVgimgPanics(t *testing.T) {
	const w, h = 200, 150
	tri := pxPath(h, pxPt{20, 20}, pxPt{180, 40}, pxPt{100, 130})
	bad := pxPath(h, pxPt{30, 30}, pxPt{150, 120}, pxPt{20, 140})
	bad = append(bad, vg.PathComp{Type: vg.CurveComp, Pos: vg.Point{X: 10, Y: 10}, Control: []vg.Point{{X: 1, Y: 1}, {X: 2, Y: 2}, {X: 3, Y: 3}}})
	sameAsVgimg(t, "pop, then colour", w, h,
		func(c vg.Canvas) { c.SetColor(color.RGBA{200, 0, 0, 255}) },
		func(c vg.Canvas) { c.Pop() },
		func(c vg.Canvas) { c.SetColor(color.RGBA{0, 0, 200, 255}) },
		func(c vg.Canvas) { c.Fill(tri) },
		func(c vg.Canvas) { c.Pop() },
		func(c vg.Canvas) { c.SetLineWidth(pxLen(3)); c.Stroke(tri) },
	)
	for _, stroke := range []bool{false, true} {
		sameAsVgimg(t, fmt.Sprintf("bad curve, stroke %v", stroke), w, h,
			func(c vg.Canvas) {
				if stroke {
					c.Stroke(bad)
				} else {
					c.Fill(bad)
				}
			},
			func(c vg.Canvas) { c.SetColor(color.RGBA{0, 120, 0, 255}); c.Fill(tri) },
			func(c vg.Canvas) { c.SetLineWidth(pxLen(6)); c.Stroke(tri) },
		)
	}
}

// Line widths and dashes changed inside Push and Pop: gg restores its
// width and dashes, vgimg its own copy of the width not, and strokes
// nothing while that copy is not positive.
func TestAttackStateAcrossPop(t *testing.T) {
	const w, h = 300, 200
	zig := pxPath(h, pxPt{10, 10}, pxPt{100, 190}, pxPt{200, 20}, pxPt{290, 180})
	// (gg's rasterizer runs for ever on widths of NaN, ±Inf and beyond
	// about ±1.5e7 points, which are left out.)
	widths := []vg.Length{-3, 0, 0.4, 2, 40, 3000}
	if raceBuild {
		widths = []vg.Length{-3, 0, 2}
	}
	for _, outer := range widths {
		for _, inner := range widths {
			sameAsVgimg(t, fmt.Sprintf("width %v, then %v inside", outer, inner), w, h, func(c vg.Canvas) {
				c.SetLineWidth(outer)
				c.SetColor(color.RGBA{100, 0, 0, 255})
				c.Push()
				c.SetLineWidth(inner)
				c.SetLineDash([]vg.Length{4, 2}, 1)
				c.SetColor(color.RGBA{0, 0, 100, 160})
				c.Stroke(zig)
				c.Pop()
				c.Stroke(zig)
				c.Push()
				c.SetLineDash(nil, 0)
				c.Stroke(zig)
				c.Pop()
			})
		}
	}
	sameAsVgimg(t, "dashes cleared inside", w, h, func(c vg.Canvas) {
		c.SetLineWidth(3)
		c.SetLineDash([]vg.Length{5, 3}, 0)
		c.Push()
		c.SetLineDash(nil, 0)
		c.Stroke(zig)
		c.Pop()
		c.SetColor(color.RGBA{0, 150, 0, 255})
		c.Stroke(zig)
		c.SetColor(nil)
		c.Push()
		c.SetColor(color.RGBA{0, 0, 255, 255})
		c.Pop()
		c.Fill(pxPath(h, pxPt{10, 100}, pxPt{60, 100}, pxPt{60, 150}))
	})
}

// Transforms inside Push and Pop, degenerate ones included.
func TestAttackTransforms(t *testing.T) {
	const w, h = 400, 300
	tri := pxPath(h, pxPt{120, 40}, pxPt{380, 120}, pxPt{200, 280}, closePt)
	xforms := map[string]func(c vg.Canvas){
		"rotate":    func(c vg.Canvas) { c.Rotate(math.Pi / 3) },
		"turn":      func(c vg.Canvas) { c.Rotate(math.Pi) },
		"flip":      func(c vg.Canvas) { c.Scale(1, -1) },
		"shrink":    func(c vg.Canvas) { c.Scale(1e-9, 1e-9) },
		"zero":      func(c vg.Canvas) { c.Scale(0, 0) },
		"nan":       func(c vg.Canvas) { c.Scale(math.NaN(), 1) },
		"grow":      func(c vg.Canvas) { c.Scale(300, 300) },
		"translate": func(c vg.Canvas) { c.Translate(vg.Point{X: 50, Y: -1e4}) },
		"rows":      func(c vg.Canvas) { c.Translate(vg.Point{X: 0, Y: pxLen(-250)}) },
	}
	for name, x := range xforms {
		sameAsVgimg(t, name, w, h, func(c vg.Canvas) {
			c.SetLineWidth(4)
			c.Push()
			x(c)
			c.SetColor(color.RGBA{0, 0, 180, 255})
			c.Fill(tri)
			c.SetColor(color.RGBA{180, 0, 0, 120})
			c.Stroke(tri)
			c.Pop()
			c.Stroke(tri)
		})
	}
}

// Paths over canvases of every width about gg's 120-pixel flattening
// threshold and heights about the band sizes, each path spanning a band
// exactly, a row more or a row less.
func TestAttackBandEdges(t *testing.T) {
	widths := []int{1, 2, 119, 120, 121, 122, 500}
	heights := []int{1, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1023, 1024, 1025}
	if raceBuild {
		widths, heights = []int{120, 121}, []int{64, 65, 129}
	}
	for _, w := range widths {
		for _, h := range heights {
			var steps []func(c vg.Canvas)
			for _, span := range []float64{63, 64, 65, 127.5, 128, 129} {
				for _, top := range []float64{-0.5, 0, 0.3, float64(h) - span - 1, float64(h) - span, float64(h) - span + 0.7, float64(h)/2 - span/2} {
					p := pxPath(h, pxPt{0.3, top}, pxPt{float64(w) - 0.6, top + span/3}, pxPt{float64(w)/2 + 0.25, top + span}, closePt)
					steps = append(steps, func(c vg.Canvas) {
						c.SetColor(color.RGBA{0, 0, 200, 200})
						c.Fill(p)
						c.SetColor(color.RGBA{200, 0, 0, 255})
						c.SetLineWidth(pxLen(2.5))
						c.Stroke(p)
					})
				}
			}
			sameAsVgimg(t, fmt.Sprintf("%d × %d", w, h), w, h, steps...)
		}
	}
}

// Random programs with coordinates gg cannot hold (NaN, ±Inf and points
// beyond the 26.6 limits) in strokes, and points far beyond the canvas in
// strokes and fills, with rotations, widths and colours of every kind.
// (gg's rasterizer runs for ever on fills through points it cannot hold,
// and on segments spanning 2²⁵ pixels or more, which are left out; points
// where its int32 sums wrap are in TestAttackJoinsFarAway, being slow to
// rasterise.)
func TestAttackRandomExtremes(t *testing.T) {
	programs := 40
	if raceBuild {
		programs = 4
	}
	sizes := []struct{ w, h int }{{700, 500}, {90, 300}, {400, 64}}
	for _, sz := range sizes {
		for seed := range programs {
			rng := rand.New(rand.NewPCG(uint64(seed), uint64(sz.w*1000+sz.h)))
			var steps []func(c vg.Canvas)
			for range 4 + rng.IntN(8) {
				stroke := rng.IntN(3) != 0
				coord := func(size int) float64 {
					sign := float64(1 - 2*rng.IntN(2))
					switch rng.IntN(40) {
					case 0:
						if stroke {
							return []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1 << 25, 1e12}[rng.IntN(5)] * sign
						}
					case 1:
						return float64(1<<12) * (1 + rng.Float64()) * sign
					}
					if rng.IntN(4) == 0 {
						return (rng.Float64()*4 - 2) * float64(size)
					}
					return rng.Float64() * float64(size)
				}
				var pts []pxPt
				for range 1 + rng.IntN(6) {
					pts = append(pts, pxPt{coord(sz.w), coord(sz.h)})
				}
				if rng.IntN(3) == 0 {
					pts = append(pts, closePt)
				}
				p := pxPath(sz.h, pts...)
				width := []float64{0.5, 1, 3, 12, 60}[rng.IntN(5)]
				clr := color.RGBA{uint8(rng.IntN(256)), 0, uint8(rng.IntN(256)), 255}
				if rng.IntN(3) == 0 {
					clr = color.RGBA{0, uint8(rng.IntN(100)), 0, 100}
				}
				rot := 0.0
				if rng.IntN(4) == 0 {
					rot = rng.Float64() * 6
				}
				steps = append(steps, func(c vg.Canvas) {
					c.Push()
					c.Rotate(rot)
					c.SetLineWidth(pxLen(width))
					c.SetColor(clr)
					if stroke {
						c.Stroke(p)
					} else {
						c.Fill(p)
					}
					c.Pop()
				})
			}
			sameAsVgimg(t, fmt.Sprintf("%d × %d, program %d", sz.w, sz.h, seed), sz.w, sz.h, steps...)
		}
	}
}
