package chart

import (
	"image"
	"image/color"
	"math"

	"github.com/golang/freetype/raster"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot/vg"
)

// This file fills and strokes paths of straight lines for [pngCanvas] as
// gg does (git.sr.ht/~sbinet/gg: Context.Fill and Context.Stroke, with a
// solid colour, no clip and no dashes), pixel for pixel, at less cost:
//
//   - gg rasterises every path over the image's full height: its
//     rasterizer clears and scans one list per pixel row, so a short
//     tick mark on a 1654-row chart costs as much as a full-height band.
//     Here the path's outline is moved up by a whole number of rows and
//     rasterised over a band of rows just holding it, and the painted
//     spans moved back down (raster.Rasterizer.Dy). The rasterizer's
//     arithmetic on a point depends on its offset from the band's top
//     only through whole rows, so the coverage is the same, as long as
//     its sums of coordinates do not wrap round int32 (see outlineRows);
//     outlines reaching further out are rasterised over the whole image.
//   - freetype's raster.RGBAPainter blends every pixel of a span; a span
//     of full coverage in an opaque colour is the colour itself, which
//     [overPainter] writes directly.
//
// Paths with arcs or curves, dashed strokes, colours that panic when read
// and anything else gg would do differently go to vgimg (build and
// readColor report false), as do all fills and strokes while gg may hold
// a path left by a panic (pathPainter.stale).

// pathPainter holds what a canvas needs to paint paths: gg's state that
// vgimg keeps out of reach (the colour, line width and dashes, saved and
// restored by Push and Pop as gg does), and buffers.
type pathPainter struct {
	// state is gg's drawing state, its last element the current one.
	state []paintState
	// vgWidth is vgimg's own copy of the line width, which vgimg's Pop
	// does not restore; vgimg strokes nothing while it is not positive.
	vgWidth vg.Length
	// stale: gg's path may hold what a fill or stroke through vgimg built
	// before it panicked (gg clears its path only once it has painted
	// it), for the next fill or stroke to paint, which vgimg does. It is
	// set while vgimg fills or strokes, and cleared once it returns.
	stale bool

	fillPath, strokePath, flat, outline, moved raster.Path
	bands                                      []*raster.Rasterizer // by band height: 64 << i rows
	painter                                    overPainter
}

// paintState is the part of gg's context state that [pathPainter] reads.
type paintState struct {
	color  color.Color
	width  float64 // line width in pixels
	dashed bool
}

func newPathPainter(img *image.RGBA) *pathPainter {
	return &pathPainter{state: []paintState{{color: color.Transparent, width: 1}}, painter: overPainter{img: img}}
}

func (p *pathPainter) top() *paintState { return &p.state[len(p.state)-1] }
func (p *pathPainter) push()            { p.state = append(p.state, *p.top()) }
func (p *pathPainter) pop()             { p.state = p.state[:len(p.state)-1] }

// build makes p.fillPath and p.strokePath from path as vgimg's outline and
// gg's MoveTo, LineTo and ClosePath do, with points placed by xform (gg's
// transformation matrix) from dots. It reports false if path has an arc
// or a curve.
func (p *pathPainter) build(path vg.Path, dpi float64, xform func(x, y float64) (float64, float64)) bool {
	p.fillPath, p.strokePath = p.fillPath[:0], p.strokePath[:0]
	var start fixed.Point26_6
	has := false
	for _, c := range path {
		switch c.Type {
		case vg.MoveComp, vg.LineComp:
			x, y := xform(c.Pos.X.Dots(dpi), c.Pos.Y.Dots(dpi))
			pt := fixed.Point26_6{X: fix(x), Y: fix(y)}
			if c.Type == vg.LineComp && has {
				p.strokePath.Add1(pt)
				p.fillPath.Add1(pt)
				continue
			}
			if has {
				p.fillPath.Add1(start)
			}
			p.strokePath.Start(pt)
			p.fillPath.Start(pt)
			start, has = pt, true
		case vg.CloseComp:
			if has {
				p.strokePath.Add1(start)
				p.fillPath.Add1(start)
			}
		default:
			return false
		}
	}
	if has { // gg's fill closes the last subpath
		p.fillPath.Add1(start)
	}
	return true
}

// fix is gg's conversion of a coordinate in pixels to 26.6 fixed point.
func fix(x float64) fixed.Int26_6 { return fixed.Int26_6(math.Round(x * 64)) }

// readColor reads the current colour for the painter, as gg does at every
// fill and stroke, whether or not they paint anything, and reports false
// if reading it panics. Then gg panics with its path built, which vgimg
// would leave in place for the next fill or stroke: the caller hands the
// path to vgimg, which does all that.
func (p *pathPainter) readColor() (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	p.painter.setColor(p.top().color)
	return true
}

// fill paints p.fillPath in the colour read by readColor, as gg's Fill
// does.
func (p *pathPainter) fill(img *image.RGBA) {
	p.paint(img, p.fillPath)
}

// stroke paints the outline of p.strokePath in the colour read by
// readColor, as gg's Stroke does with butt caps and round joins (vgimg's
// settings) and no dashes.
func (p *pathPainter) stroke(img *image.RGBA) {
	// gg drops a point within 4/64 px (|dx|+|dy|) of the last one kept.
	const dcut fixed.Int26_6 = 4
	q := p.strokePath
	kept := p.flat[:0]
	var last fixed.Point26_6
	for i := 0; i < len(q); i += 4 {
		pt := fixed.Point26_6{X: viaFloat(q[i+1]), Y: viaFloat(q[i+2])}
		if q[i] == 0 {
			kept.Start(pt)
			last = pt
			continue
		}
		if abs26(pt.X-last.X)+abs26(pt.Y-last.Y) > dcut {
			kept.Add1(pt)
			last = pt
		}
	}
	p.flat = kept
	if len(kept) == 0 {
		return
	}
	p.outline = p.outline[:0]
	raster.Stroke(&p.outline, kept, fix(p.top().width), raster.ButtCapper, raster.RoundJoiner)
	p.paint(img, p.outline)
}

// viaFloat is x after gg's stroke takes it to float64 and back (unfix,
// then fix): x itself, but for math.MinInt32, which becomes 0. fix gives
// math.MinInt32 for a coordinate it cannot hold (NaN, ±Inf, beyond ±2²⁵
// pixels), so that gg strokes such a point at 0.
func viaFloat(x fixed.Int26_6) fixed.Int26_6 {
	if x == math.MinInt32 {
		return 0
	}
	return x
}

func abs26(x fixed.Int26_6) fixed.Int26_6 {
	if x < 0 {
		return -x
	}
	return x
}

// paint rasterises outline (a path of segments as raster.Path holds them)
// with the non-zero winding rule over the band of rows it touches, and
// paints it in the current colour.
func (p *pathPainter) paint(img *image.RGBA, outline raster.Path) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if len(outline) == 0 || w <= 0 || h <= 0 {
		return
	}
	lo, hi, small := outlineRows(outline)
	// The band [y0, y0+n) holds every row the outline touches within the
	// image, and starts at or above its top row, so that a band below
	// row 0 moves only points of non-negative Y, and keeps them so (the
	// rasterizer splits negative and positive coordinates into rows
	// differently). A band of the image's full height is the image itself
	// (y0 = 0). The rasterizer's flattening depends on its bounds only
	// when both are at most 120 pixels. An outline that is not small goes
	// over the image as gg does: there the rasterizer's sums wrap round
	// int32, and its curves may run anywhere (or for ever).
	y0, n := 0, h
	if w > 120 && small {
		lo, hi = max(lo, 0), min(hi, h-1)
		if lo > hi {
			return // wholly above or below the image
		}
		size := 64
		i := 0
		for size < hi-lo+1 {
			size *= 2
			i++
		}
		if size < h {
			y0, n = min(lo, h-size), size
			if y0 > 0 {
				p.move(outline, y0)
				outline = p.moved
			}
			r := p.band(i, w, n)
			p.rasterize(r, outline, y0)
			return
		}
	}
	r := p.band(-1, w, h)
	p.rasterize(r, outline, 0)
}

// rasterize paints outline, moved up by dy rows, with r.
func (p *pathPainter) rasterize(r *raster.Rasterizer, outline raster.Path, dy int) {
	r.UseNonZeroWinding = true
	r.Clear()
	r.Dy = dy
	r.AddPath(outline)
	r.Rasterize(&p.painter)
}

// band returns the rasterizer of bucket i (64 << i rows; -1: the full
// image of w × h), made on first use.
func (p *pathPainter) band(i, w, h int) *raster.Rasterizer {
	k := i + 1
	for len(p.bands) <= k {
		p.bands = append(p.bands, nil)
	}
	if p.bands[k] == nil {
		p.bands[k] = raster.NewRasterizer(w, h)
	}
	return p.bands[k]
}

// move sets p.moved to outline with every Y coordinate dy rows less.
func (p *pathPainter) move(outline raster.Path, dy int) {
	d := fixed.Int26_6(dy << 6)
	m := append(p.moved[:0], outline...)
	for i := 0; i < len(m); {
		n := 2 * int(m[i]) // coordinates: 2 for op 0 and 1, 4 for 2, 6 for 3
		if n == 0 {
			n = 2
		}
		for j := i + 2; j <= i+n; j += 2 {
			m[j] -= d
		}
		i += n + 2
	}
	p.moved = m
}

// outlineRows returns the first and last pixel rows that outline's points
// (control points included, which hold its curves) lie in, as the
// rasterizer numbers rows, and whether outline is small: every coordinate
// within ±2²⁹ (2²³ pixels), so that the rasterizer's sums of four
// coordinates and differences of two do not wrap round int32, and the
// curves it flattens stay within their control points.
func outlineRows(outline raster.Path) (lo, hi int, small bool) {
	const limit = 1 << 29
	minY, maxY := fixed.Int26_6(1<<31-1), fixed.Int26_6(-1<<31)
	small = true
	for i := 0; i < len(outline); {
		n := 2 * int(outline[i])
		if n == 0 {
			n = 2
		}
		for j := i + 1; j <= i+n; j += 2 {
			x, y := outline[j], outline[j+1]
			minY, maxY = min(minY, y), max(maxY, y)
			small = small && -limit < x && x < limit && -limit < y && y < limit
		}
		i += n + 2
	}
	// The rasterizer's row of a coordinate: truncated towards zero, so
	// that a point less than a row above the image falls in row 0.
	return int(minY) / 64, int(maxY) / 64, small
}

// overPainter is raster.RGBAPainter with the Over operator, which gg
// paints solid colours with, plus a direct path for spans of full
// coverage in an opaque colour: there RGBAPainter's blend gives the
// colour's own bytes.
type overPainter struct {
	img            *image.RGBA
	cr, cg, cb, ca uint32
	// opaque: ca is 0xffff and the other channels at most that (as
	// color.Color's contract has them; beyond it RGBAPainter's products
	// wrap round uint32).
	opaque bool
}

func (r *overPainter) setColor(c color.Color) {
	r.cr, r.cg, r.cb, r.ca = c.RGBA()
	const m = 1<<16 - 1
	r.opaque = r.ca == m && r.cr <= m && r.cg <= m && r.cb <= m
}

// Paint implements [raster.Painter] as raster.RGBAPainter does.
func (r *overPainter) Paint(ss []raster.Span, done bool) {
	img := r.img
	b := img.Bounds()
	const m = 1<<16 - 1
	for _, s := range ss {
		if s.Y < b.Min.Y {
			continue
		}
		if s.Y >= b.Max.Y {
			return
		}
		s.X0, s.X1 = max(s.X0, b.Min.X), min(s.X1, b.Max.X)
		if s.X0 >= s.X1 {
			continue
		}
		ma := s.Alpha
		i0 := (s.Y-img.Rect.Min.Y)*img.Stride + (s.X0-img.Rect.Min.X)*4
		i1 := i0 + (s.X1-s.X0)*4
		pix := img.Pix[i0:i1:i1]
		if ma == m && r.opaque {
			c0, c1, c2, c3 := uint8(r.cr>>8), uint8(r.cg>>8), uint8(r.cb>>8), uint8(r.ca>>8)
			for i := 0; i+4 <= len(pix); i += 4 {
				q := pix[i : i+4 : i+4]
				q[0], q[1], q[2], q[3] = c0, c1, c2, c3
			}
			continue
		}
		a := (m - (r.ca * ma / m)) * 0x101
		for i := 0; i+4 <= len(pix); i += 4 {
			q := pix[i : i+4 : i+4]
			q[0] = uint8((uint32(q[0])*a + r.cr*ma) / m >> 8)
			q[1] = uint8((uint32(q[1])*a + r.cg*ma) / m >> 8)
			q[2] = uint8((uint32(q[2])*a + r.cb*ma) / m >> 8)
			q[3] = uint8((uint32(q[3])*a + r.ca*ma) / m >> 8)
		}
	}
}
