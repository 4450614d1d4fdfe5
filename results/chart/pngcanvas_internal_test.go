package chart

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"

	"golang.org/x/image/draw"
	"golang.org/x/image/math/f64"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	vgdraw "gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// randomImage returns a w × h image of random pixels, opaque or not.
func randomImage(rng *rand.Rand, w, h int, opaque bool) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		a := uint8(255)
		if !opaque {
			a = uint8(rng.IntN(256))
		}
		// premultiplied: colour channels at most alpha
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(rng.IntN(int(a)+1)), uint8(rng.IntN(int(a)+1)), uint8(rng.IntN(int(a)+1)), a
	}
	return img
}

// samePixels fails t unless a and b have the same bounds and colours.
func samePixels(t *testing.T, what string, a, b image.Image) {
	t.Helper()
	if a.Bounds() != b.Bounds() {
		t.Fatalf("%s: bounds %v, want %v", what, a.Bounds(), b.Bounds())
	}
	n := 0
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				if n < 3 {
					t.Errorf("%s: pixel (%d, %d) is %v, want %v", what, x, y, b.At(x, y), a.At(x, y))
				}
				n++
			}
		}
	}
	if n > 0 {
		t.Fatalf("%s: %d pixels differ", what, n)
	}
}

// encodePNG is lossless: image/png decodes what it wrote to the same
// pixels, for opaque images (its own RGB path, spanning several IDAT
// chunks), and translucent ones go through image/png as they would alone.
func TestEncodePNGRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		w, h   int
		opaque bool
	}{{1, 1, true}, {900, 600, true}, {37, 501, true}, {64, 48, false}} {
		img := randomImage(rng, tc.w, tc.h, tc.opaque)
		var buf bytes.Buffer
		if err := encodePNG(&buf, img); err != nil {
			t.Fatal(err)
		}
		got, err := png.Decode(&buf)
		if err != nil {
			t.Fatalf("%d×%d: %v", tc.w, tc.h, err)
		}
		var want image.Image = img
		if !tc.opaque { // PNG stores unpremultiplied colour: compare with image/png's round trip
			var ref bytes.Buffer
			if err := png.Encode(&ref, img); err != nil {
				t.Fatal(err)
			}
			if want, err = png.Decode(&ref); err != nil {
				t.Fatal(err)
			}
		}
		samePixels(t, "round trip", want, got)
	}
}

// failAfter accepts n bytes, then fails every write.
type failAfter struct{ n int }

var errFull = errors.New("disk full")

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k := f.n
		f.n = 0
		return k, errFull
	}
	f.n -= len(p)
	return len(p), nil
}

// A write error at any point of the file is returned, not lost.
func TestEncodePNGWriteError(t *testing.T) {
	img := randomImage(rand.New(rand.NewPCG(3, 4)), 300, 200, true)
	var full bytes.Buffer
	if err := encodePNG(&full, img); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 7, 8, 20, 33, 40, full.Len() / 2, full.Len() - 13, full.Len() - 1} {
		if err := encodePNG(&failAfter{n: n}, img); !errors.Is(err, errFull) {
			t.Errorf("failing after %d of %d bytes: error %v, want %v", n, full.Len(), err, errFull)
		}
	}
	if err := encodePNG(&failAfter{n: full.Len()}, img); err != nil {
		t.Errorf("room for exactly the file: %v", err)
	}
}

// glyphOver gives exactly what draw.BiLinear gives for glyph masks in
// opaque and translucent colours at whole-pixel offsets, including masks
// clipped by the image's edges, and declines what it does not handle.
func TestGlyphOverMatchesBiLinear(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 200 {
		dst := randomImage(rng, 40, 30, trial%2 == 0)
		mask := image.NewAlpha(image.Rect(0, 0, 12+rng.IntN(10), 12+rng.IntN(10)))
		for i := range mask.Pix {
			switch rng.IntN(3) {
			case 0: // transparent
			case 1:
				mask.Pix[i] = 255
			default:
				mask.Pix[i] = uint8(rng.IntN(256))
			}
		}
		a := uint8(255)
		if trial%3 == 0 {
			a = uint8(rng.IntN(256))
		}
		col := color.NRGBA{R: uint8(rng.IntN(256)), G: uint8(rng.IntN(256)), B: uint8(rng.IntN(256)), A: a}
		mp := image.Pt(rng.IntN(4), rng.IntN(4))
		sr := image.Rect(0, 0, mask.Rect.Dx()-mp.X, mask.Rect.Dy()-mp.Y)
		m := f64.Aff3{1, 0, float64(rng.IntN(50) - 10), 0, 1, float64(rng.IntN(40) - 10)}
		opts := &draw.Options{SrcMask: mask, SrcMaskP: mp}

		want := image.NewRGBA(dst.Rect)
		copy(want.Pix, dst.Pix)
		draw.BiLinear.Transform(want, m, image.NewUniform(col), sr, draw.Over, opts)
		got := image.NewRGBA(dst.Rect)
		copy(got.Pix, dst.Pix)
		if !glyphOver(got, m, image.NewUniform(col), sr, draw.Over, opts) {
			t.Fatalf("trial %d: the direct path declined a glyph at a whole-pixel offset", trial)
		}
		samePixels(t, "glyph", want, got)
	}
	dst := image.NewRGBA(image.Rect(0, 0, 10, 10))
	mask := image.NewAlpha(image.Rect(0, 0, 4, 4))
	u := image.NewUniform(color.Black)
	for _, tc := range []struct {
		what string
		m    f64.Aff3
		op   draw.Op
		opts *draw.Options
	}{
		{"half-pixel offset", f64.Aff3{1, 0, 2.5, 0, 1, 2}, draw.Over, &draw.Options{SrcMask: mask}},
		{"rotation", f64.Aff3{0, -1, 5, 1, 0, 2}, draw.Over, &draw.Options{SrcMask: mask}},
		{"Src", f64.Aff3{1, 0, 2, 0, 1, 2}, draw.Src, &draw.Options{SrcMask: mask}},
		{"no mask", f64.Aff3{1, 0, 2, 0, 1, 2}, draw.Over, nil},
		{"mask too small", f64.Aff3{1, 0, 2, 0, 1, 2}, draw.Over, &draw.Options{SrcMask: mask, SrcMaskP: image.Pt(1, 0)}},
	} {
		if glyphOver(dst, tc.m, u, mask.Rect, tc.op, tc.opts) {
			t.Errorf("%s: the direct path drew", tc.what)
		}
	}
}

// A chart rendered as PNG has exactly the pixels of the same chart drawn
// on gonum's own image canvas (vgimg) with gonum's default plot
// background: the cheaper canvas, glyph path and encoder change nothing
// a reader sees. The chart has text at every angle the charts use.
func TestPNGMatchesVgimg(t *testing.T) {
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
	for _, h := range []vg.Length{Height, 13*vg.Inch + vg.Inch/5} {
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

// Rendering many charts reuses pooled pixels, of the same size or larger,
// without one chart's pixels showing in another.
func TestPNGCanvasPoolIsClean(t *testing.T) {
	dark := plot.New()
	dark.BackgroundColor = color.Black
	blank := plot.New()
	blank.BackgroundColor = nil
	for _, darkHeight := range []vg.Length{Height, 2 * Height, Height} {
		var pool pixelPool
		if _, err := render(dark, "png", Width, darkHeight, &pool); err != nil {
			t.Fatal(err)
		}
		b, err := render(blank, "png", Width, Height, &pool)
		if len(pool.free) != 1 {
			t.Fatalf("%d buffers pooled after two charts, want the dark one's, reused", len(pool.free))
		}
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if r, g, bl, _ := img.At(450, 300).RGBA(); r != 0xffff || g != 0xffff || bl != 0xffff {
			t.Fatalf("an empty chart after a black one is not white at its centre: %v", img.At(450, 300))
		}
	}
}

// BenchmarkEncodePNG encodes a chart-like 900×600 image: text, lines and
// bars on white.
//
//	go test ./results/chart -run '^$' -bench EncodePNG
func BenchmarkEncodePNG(b *testing.B) {
	p := newPlot("Title - with text (1,000 trials)", "x label", "y label")
	bars, err := plotter.NewBarChart(plotter.Values{3, 5, 2, 8, 6, 4, 7}, vg.Points(40))
	if err != nil {
		b.Fatal(err)
	}
	bars.Color = Colour(0)
	line, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 1}, {X: 3, Y: 7}, {X: 6, Y: 2}})
	if err != nil {
		b.Fatal(err)
	}
	line.LineStyle = lineStyle(Colour(1), 2)
	p.Add(bars, line, plotter.NewGrid())
	c := newPNGCanvas(Width, Height, nil)
	defer c.release()
	p.Draw(vgdraw.New(c))
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := encodePNG(&buf, c.img); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
}

// A pixel pool hands out the smallest free buffer large enough, or a new
// one, and keeps the largest maxPooled; a nil pool allocates.
func TestPixelPool(t *testing.T) {
	var p pixelPool
	for _, n := range []int{10, 30, 20, 50, 40, 5} {
		p.put(make([]byte, n))
	}
	if len(p.free) != maxPooled {
		t.Fatalf("%d buffers pooled, want %d", len(p.free), maxPooled)
	}
	for _, want := range []struct{ n, cap int }{{15, 20}, {15, 30}, {45, 50}, {60, 60}, {1, 40}, {1, 1}} {
		if b := p.get(want.n); len(b) != want.n || cap(b) != want.cap {
			t.Fatalf("get(%d): len %d cap %d, want cap %d", want.n, len(b), cap(b), want.cap)
		}
	}
	var none *pixelPool
	none.put(make([]byte, 8))
	if b := none.get(8); len(b) != 8 {
		t.Fatalf("nil pool: %d bytes", len(b))
	}
}
