package chart

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"io"
	"slices"
	"sync"

	"git.sr.ht/~sbinet/gg"
	"golang.org/x/image/draw"
	xfont "golang.org/x/image/font"
	"golang.org/x/image/math/f64"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// pngCanvas is a raster canvas that [Render] encodes as PNG. It draws
// exactly as vgimg.New does (the same gg context settings, white
// background), with three costs taken out:
//
//   - vgimg copies a new image pixel by pixel into the drawing context; here
//     the context draws straight into the image, whose pixels may come
//     from an earlier canvas (see pixelPool);
//   - gg composites every text glyph through a general bilinear transform,
//     pixel by pixel through interfaces; [glyphInterpolator] does the same
//     arithmetic directly on the pixels when the glyph lands on whole
//     pixels (all horizontal text), giving the same bytes;
//   - vgimg makes a new font face for every string drawn; here a canvas
//     keeps one per font ([pngCanvas.FillString]).
//
// Encoding ([encodePNG]) writes the pixels unfiltered through a deflate
// writer made for chart images ([scanlines.deflateRGB]): several times faster than
// image/png, for files some 10-15% larger.
type pngCanvas struct {
	*vgimg.Canvas
	img  *image.RGBA
	own  bool       // img is vgimg's own, not from pool
	pool *pixelPool // where img's pixels go back to
	// ctx is the drawing context (nil on vgimg's own image), and faces
	// the font faces its text was drawn in (see FillString), by the font
	// and its data (two caches may give one font different data).
	ctx   *gg.Context
	faces map[font.Face]xfont.Face
	// paths fills and strokes paths of straight lines (see pathPainter);
	// nil with ctx.
	paths *pathPainter
}

// pixelPool keeps the pixel memory of finished canvases for the next
// ones, e.g. while [AllContext] draws a run's charts: a canvas of 900×600
// is 2 MB, first touched and then filled white, and sync.Pool would lose
// it at every collection, of which drawing charts makes many. It holds at
// most maxPooled buffers, the largest ones. The zero value is empty and
// ready; a nil pool allocates every canvas anew.
type pixelPool struct {
	mu   sync.Mutex
	free [][]byte
}

const maxPooled = 4

// get returns a buffer of n bytes: the smallest free one that is large
// enough, or a new one. Its contents are arbitrary.
func (p *pixelPool) get(n int) []byte {
	if p != nil {
		p.mu.Lock()
		best := -1
		for i, b := range p.free {
			if cap(b) >= n && (best < 0 || cap(b) < cap(p.free[best])) {
				best = i
			}
		}
		if best >= 0 {
			b := p.free[best]
			p.free = slices.Delete(p.free, best, best+1)
			p.mu.Unlock()
			return b[:n]
		}
		p.mu.Unlock()
	}
	return make([]byte, n)
}

// put gives b back for reuse, dropping the smallest buffer if the pool
// is full.
func (p *pixelPool) put(b []byte) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free = append(p.free, b)
	if len(p.free) > maxPooled {
		small := 0
		for i, f := range p.free {
			if cap(f) < cap(p.free[small]) {
				small = i
			}
		}
		p.free = slices.Delete(p.free, small, small+1)
	}
}

// newPNGCanvas returns a white canvas of w × h at [DPI] dots per inch,
// w × h rounded to whole pixels as vgimg does, its pixels from pool (nil:
// new ones). Call release once the canvas is encoded.
func newPNGCanvas(w, h vg.Length, pool *pixelPool) pngCanvas {
	r := image.Rect(0, 0, pixels(w), pixels(h))
	// vgimg takes an image's size in inches from its pixels, and places
	// text by that height: a size that is not a whole number of pixels
	// (RowsHeight of many rows) is drawn on vgimg's own image at the size
	// asked for, which gives its pixels exactly.
	inches := func(n int) vg.Length { return vg.Length(float64(n)/float64(DPI)) * vg.Inch }
	if inches(r.Dx()) != w || inches(r.Dy()) != h {
		c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))
		if img, ok := c.Image().(*image.RGBA); ok {
			return pngCanvas{Canvas: c, img: img, own: true}
		}
	}
	img := &image.RGBA{Pix: pool.get(4 * r.Dx() * r.Dy()), Stride: 4 * r.Dx(), Rect: r}
	ctx := gg.NewContextForRGBA(img)
	ctx.SetLineCapButt()
	ctx.InvertY()
	ctx.SetInterpolator(glyphInterpolator{})
	// NewWith fills the image with its background colour (white) and
	// takes the size from the image and the DPI.
	c := vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(DPI))
	pc := pngCanvas{Canvas: c, img: img, pool: pool, ctx: ctx, faces: map[font.Face]xfont.Face{}}
	if !plainPaths {
		pc.paths = newPathPainter(img)
		vg.Initialize(pc) // as NewWith did, so that pc.paths starts in step with gg
	}
	return pc
}

// plainPaths, set by tests alone, makes new canvases fill and stroke every
// path through vgimg: the oracle that [pathPainter] is tested against.
var plainPaths bool

// SetColor implements [vg.Canvas] as vgimg's does. The painter's colour
// is set first, as vgimg sets gg's before its own (which panics after a
// Pop with nothing pushed).
func (c pngCanvas) SetColor(clr color.Color) {
	if c.paths != nil {
		p := clr
		if p == nil {
			p = color.Black
		}
		c.paths.top().color = p
	}
	c.Canvas.SetColor(clr)
}

// SetLineWidth implements [vg.Canvas] as vgimg's does.
func (c pngCanvas) SetLineWidth(w vg.Length) {
	c.Canvas.SetLineWidth(w)
	if c.paths != nil {
		c.paths.vgWidth = w
		c.paths.top().width = w.Dots(c.DPI())
	}
}

// SetLineDash implements [vg.Canvas] as vgimg's does.
func (c pngCanvas) SetLineDash(ds []vg.Length, offs vg.Length) {
	c.Canvas.SetLineDash(ds, offs)
	if c.paths != nil {
		c.paths.top().dashed = len(ds) > 0
	}
}

// Push implements [vg.Canvas] as vgimg's does.
func (c pngCanvas) Push() {
	c.Canvas.Push()
	if c.paths != nil {
		c.paths.push()
	}
}

// Pop implements [vg.Canvas] as vgimg's does.
func (c pngCanvas) Pop() {
	c.Canvas.Pop()
	if c.paths != nil {
		c.paths.pop()
	}
}

// Fill implements [vg.Canvas] as vgimg's does, paths of straight lines
// through [pathPainter].
func (c pngCanvas) Fill(p vg.Path) {
	if c.paths == nil {
		c.Canvas.Fill(p)
		return
	}
	if c.paths.stale || !c.paths.build(p, c.DPI(), c.ctx.TransformPoint) || !c.paths.readColor() {
		c.paths.stale = true
		c.Canvas.Fill(p)
		c.paths.stale = false
		return
	}
	c.paths.fill(c.img)
}

// Stroke implements [vg.Canvas] as vgimg's does, undashed paths of
// straight lines through [pathPainter].
func (c pngCanvas) Stroke(p vg.Path) {
	if c.paths == nil {
		c.Canvas.Stroke(p)
		return
	}
	if c.paths.vgWidth <= 0 {
		return // as vgimg, which leaves gg's path as it is
	}
	if c.paths.stale || c.paths.top().dashed || !c.paths.build(p, c.DPI(), c.ctx.TransformPoint) || !c.paths.readColor() {
		c.paths.stale = true
		c.Canvas.Stroke(p)
		c.paths.stale = false
		return
	}
	c.paths.stroke(c.img)
}

// FillString implements [vg.Canvas] as vgimg's does, but with one font
// face per font for the canvas's life instead of a new one per string.
func (c pngCanvas) FillString(f font.Face, pt vg.Point, str string) {
	if c.ctx == nil {
		c.Canvas.FillString(f, pt, str)
		return
	}
	if f.Font.Size == 0 {
		return
	}
	c.ctx.Push()
	defer c.ctx.Pop()
	face, ok := c.faces[f]
	if !ok {
		face = f.FontFace(c.DPI())
		c.faces[f] = face
	}
	c.ctx.SetFontFace(face)
	_, h := c.Size()
	x, y := pt.X.Dots(c.DPI()), pt.Y.Dots(c.DPI())
	c.ctx.InvertY()
	c.ctx.DrawString(str, x, h.Dots(c.DPI())-y)
}

// release returns the canvas's pixels to its pool; the canvas must not
// be used afterwards.
func (c pngCanvas) release() {
	if !c.own {
		c.pool.put(c.img.Pix)
	}
}

// WriteTo implements [io.WriterTo], encoding the canvas with [encodePNG].
func (c pngCanvas) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	err := encodePNG(cw, c.img)
	return cw.n, err
}

// glyphInterpolator is the bilinear interpolator gg composites images and
// text glyphs with, plus a direct path for the common case of a glyph
// mask in a uniform colour placed over an RGBA image at a whole-pixel
// offset. There bilinear sampling reads each mask pixel with weight 1, so
// the direct path repeats the general code's 16-bit arithmetic pixel for
// pixel and gives identical results; anything else goes to draw.BiLinear.
type glyphInterpolator struct{}

// Scale implements draw.Scaler.
func (glyphInterpolator) Scale(dst draw.Image, dr image.Rectangle, src image.Image, sr image.Rectangle, op draw.Op, opts *draw.Options) {
	draw.BiLinear.Scale(dst, dr, src, sr, op, opts)
}

// Transform implements draw.Transformer.
func (glyphInterpolator) Transform(dst draw.Image, m f64.Aff3, src image.Image, sr image.Rectangle, op draw.Op, opts *draw.Options) {
	if !glyphOver(dst, m, src, sr, op, opts) {
		draw.BiLinear.Transform(dst, m, src, sr, op, opts)
	}
}

// glyphOver composites a uniform colour through an alpha mask onto an
// RGBA image, translated by whole pixels, and reports whether it could.
func glyphOver(dst draw.Image, m f64.Aff3, src image.Image, sr image.Rectangle, op draw.Op, opts *draw.Options) bool {
	d, ok := dst.(*image.RGBA)
	if !ok || op != draw.Over || opts == nil || opts.DstMask != nil {
		return false
	}
	u, ok := src.(*image.Uniform)
	if !ok {
		return false
	}
	mask, ok := opts.SrcMask.(*image.Alpha)
	if !ok || m[0] != 1 || m[1] != 0 || m[3] != 0 || m[4] != 1 {
		return false
	}
	tx, ty := int(m[2]), int(m[5])
	if float64(tx) != m[2] || float64(ty) != m[5] {
		return false
	}
	// The mask pixels read are those of sr shifted by SrcMaskP; outside the
	// mask the general code would see transparent pixels, which change
	// nothing, but it is simplest to leave such cases to it.
	mr := sr.Add(opts.SrcMaskP)
	if !mr.In(mask.Rect) {
		return false
	}
	sR, sG, sB, sA := u.RGBA()
	dr := sr.Add(image.Pt(tx, ty))
	adr := dr.Intersect(d.Rect)
	for y := adr.Min.Y; y < adr.Max.Y; y++ {
		for x := adr.Min.X; x < adr.Max.X; x++ {
			ma := uint32(mask.Pix[mask.PixOffset(x-tx+opts.SrcMaskP.X, y-ty+opts.SrcMaskP.Y)])
			if ma == 0 {
				continue // the general code writes the pixel back unchanged
			}
			ma |= ma << 8
			pr, pg, pb, pa := sR*ma/0xffff, sG*ma/0xffff, sB*ma/0xffff, sA*ma/0xffff
			pa1 := 0xffff - pa
			i := d.PixOffset(x, y)
			p := d.Pix[i : i+4 : i+4]
			qr, qg, qb, qa := uint32(p[0])*0x101, uint32(p[1])*0x101, uint32(p[2])*0x101, uint32(p[3])*0x101
			p[0] = uint8((qr*pa1/0xffff + pr) >> 8)
			p[1] = uint8((qg*pa1/0xffff + pg) >> 8)
			p[2] = uint8((qb*pa1/0xffff + pb) >> 8)
			p[3] = uint8((qa*pa1/0xffff + pa) >> 8)
		}
	}
	return true
}

// encodePNG writes img as a PNG: an opaque image as 8-bit RGB with no row
// filter, compressed by [scanlines.deflateRGB] (lossless: the same pixels as
// image/png), anything else through image/png at its fastest level.
//
// image/png tries all five row filters on every row at any compression
// level, and compress/flate builds Huffman tables for every 64 KiB; for
// chart images, which are mostly runs of one colour, those cost several
// times the drawing and gain little.
func encodePNG(w io.Writer, img *image.RGBA) error {
	width, height := img.Rect.Dx(), img.Rect.Dy()
	if width <= 0 || height <= 0 || width > 1<<20 || height > 1<<20 {
		return fmt.Errorf("png: invalid image size %d × %d", width, height)
	}
	buf, _ := scanlinePool.Get().(*scanlines)
	if buf == nil {
		buf = new(scanlines)
	}
	defer scanlinePool.Put(buf)
	z, opaque := buf.deflateRGB(img)
	if !opaque {
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		return enc.Encode(w, img)
	}
	pw := &pngWriter{w: w}
	pw.write([]byte("\x89PNG\r\n\x1a\n"))
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:4], uint32(width))
	binary.BigEndian.PutUint32(ihdr[4:8], uint32(height))
	ihdr[8] = 8 // bits per sample
	ihdr[9] = 2 // colour type: RGB
	// compression, filter and interlace methods: 0
	pw.chunk("IHDR", ihdr[:])
	const maxIDAT = 1 << 20
	for len(z) > 0 {
		n := min(len(z), maxIDAT)
		pw.chunk("IDAT", z[:n])
		z = z[n:]
	}
	pw.chunk("IEND", nil)
	return pw.err
}

// scanlines are the buffers of one encoding: a window of scanlines and
// the compressed stream.
type scanlines struct{ win, z []byte }

var scanlinePool sync.Pool

// chunkRows is how many scanlines [scanlines.deflateRGB] codes at a time.
const chunkRows = 32

// deflateRGB returns the zlib stream of img's unfiltered RGB scanlines,
// and whether every pixel is opaque; it stops at the first chunk that
// holds a translucent pixel (the stream is then of no use).
// The scanlines are made chunkRows at a time in a window that also holds
// the row before (a match may repeat the row above) and the rows a match
// may reach past the chunk, so that memory stays small and in cache; the
// stream is the same as a deflater gives for all the scanlines at once.
func (buf *scanlines) deflateRGB(img *image.RGBA) (z []byte, opaque bool) {
	width, height := img.Rect.Dx(), img.Rect.Dy()
	row := 1 + 3*width // filter type 0, then R G B per pixel
	ahead := (maxMatch + row - 1) / row
	win := slices.Grow(buf.win[:0], (1+chunkRows+ahead)*row)
	d := newDeflater(buf.z[:0], 3, row)
	sum := newAdler()
	alpha := ^uint64(0)
	first, last := 0, 0 // win holds the scanlines [first, last)
	pos := 0            // the stream's next byte to code
	for y0 := 0; y0 < height; y0 += chunkRows {
		y1 := min(y0+chunkRows, height)
		keep := max(y0-1, 0)
		win = win[:copy(win, win[(keep-first)*row:])]
		first = keep
		for end := min(y1+ahead, height); last < end; last++ {
			n := len(win)
			win = win[:n+row]
			win[n] = 0
			o := img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+last)
			pix := img.Pix[o : o+4*width]
			alpha &= rgbRow(win[n+1:n+row], pix)
		}
		if alpha&0xff000000_ff000000 != 0xff000000_ff000000 {
			buf.win = win
			return nil, false
		}
		base := first * row
		pos = base + d.code(win, pos-base, y1*row-base, base)
		sum.update(win[(y0-first)*row : (y1-first)*row])
	}
	buf.win = win
	z = d.finish(sum.sum32())
	buf.z = z
	return z, true
}

// rgbRow writes the R, G and B bytes of pix's RGBA pixels to dst (3 bytes
// a pixel) and returns the AND of the pixels' alpha bytes, at bits 24-31
// and 56-63 (all 1s if every pixel is opaque).
func rgbRow(dst, pix []byte) uint64 {
	and := ^uint64(0)
	x := 0
	for ; 4*x+16 <= len(pix); x += 4 { // four pixels at a time
		p0 := binary.LittleEndian.Uint64(pix[4*x:])
		p1 := binary.LittleEndian.Uint64(pix[4*x+8:])
		a := p0&0xffffff | p0>>8&0xffffff000000 // R0 G0 B0 R1 G1 B1
		b := p1&0xffffff | p1>>8&0xffffff000000 // R2 G2 B2 R3 G3 B3
		binary.LittleEndian.PutUint64(dst[3*x:], a|b<<48)
		binary.LittleEndian.PutUint32(dst[3*x+8:], uint32(b>>16))
		and &= p0 & p1
	}
	for ; 4*x+4 <= len(pix); x++ {
		p, q := pix[4*x:4*x+4:4*x+4], dst[3*x:3*x+3:3*x+3]
		q[0], q[1], q[2] = p[0], p[1], p[2]
		and &= uint64(p[3])<<24 | uint64(p[3])<<56 | 0x00ffffff_00ffffff
	}
	return and
}

// pngWriter writes PNG chunks, keeping the first error.
type pngWriter struct {
	w   io.Writer
	err error
}

func (p *pngWriter) write(b []byte) {
	if p.err == nil {
		_, p.err = p.w.Write(b)
	}
}

// chunk writes one chunk: length, type, data and the CRC of type and data.
func (p *pngWriter) chunk(typ string, data []byte) {
	var head [8]byte
	binary.BigEndian.PutUint32(head[:4], uint32(len(data)))
	copy(head[4:], typ)
	crc := crc32.NewIEEE()
	crc.Write(head[4:])
	crc.Write(data)
	var tail [4]byte
	binary.BigEndian.PutUint32(tail[:], crc.Sum32())
	p.write(head[:])
	p.write(data)
	p.write(tail[:])
}
