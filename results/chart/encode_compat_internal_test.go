package chart

import (
	"bytes"
	"encoding/binary"
	"hash/adler32"
	"image"
	"image/png"
	"math/rand/v2"
	"testing"
)

// referenceEncodePNG is the encoder as it was before scanlines were coded
// a chunk at a time: an opacity test by image.RGBA.Opaque, then every
// scanline made in one buffer and coded at once by referenceZlib. The
// windowed encoder must give the same bytes.
func referenceEncodePNG(img *image.RGBA) ([]byte, error) {
	var out bytes.Buffer
	if !img.Opaque() {
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		err := enc.Encode(&out, img)
		return out.Bytes(), err
	}
	width, height := img.Rect.Dx(), img.Rect.Dy()
	pw := &pngWriter{w: &out}
	pw.write([]byte("\x89PNG\r\n\x1a\n"))
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:4], uint32(width))
	binary.BigEndian.PutUint32(ihdr[4:8], uint32(height))
	ihdr[8], ihdr[9] = 8, 2
	pw.chunk("IHDR", ihdr[:])
	row := 1 + 3*width
	raw := make([]byte, row*height)
	for y := range height {
		line := raw[y*row : (y+1)*row]
		pix := img.Pix[y*img.Stride : y*img.Stride+4*width]
		for x := range width {
			copy(line[1+3*x:4+3*x], pix[4*x:4*x+3])
		}
	}
	z := referenceZlib(raw, 3, row)
	for len(z) > 0 {
		n := min(len(z), 1<<20)
		pw.chunk("IDAT", z[:n])
		z = z[n:]
	}
	pw.chunk("IEND", nil)
	return out.Bytes(), pw.err
}

// referenceZlib is the whole-buffer matcher as it was, kept apart from
// the deflater so that a change to either shows.
func referenceZlib(data []byte, pixel, row int) []byte {
	out := []byte{0x78, 0x01}
	w := bitWriter{out: out}
	w.put(1|1<<1, 3)
	runDist, rowDist := newDistCode(pixel), newDistCode(max(row, 1))
	useRow := row > 0 && row <= maxDistance
	for i := 0; i < len(data); {
		lr := 0
		if i >= pixel {
			lr = runLength(data, i, pixel)
		}
		lu := 0
		if useRow && i >= row && lr < maxMatch {
			lu = runLength(data, i, row)
		}
		switch {
		case lr >= 3 && lr >= lu:
			w.match(lr, &runDist)
			i += lr
		case lu >= 4:
			w.match(lu, &rowDist)
			i += lu
		default:
			w.code(fixedLitLen[data[i]])
			i++
		}
	}
	w.code(fixedLitLen[256])
	w.flush()
	return binary.BigEndian.AppendUint32(w.out, adler32.Checksum(data))
}

// chartLike returns a w × h opaque image like a chart's: runs of one
// colour, rows repeating the row above (whole or in part), a few random
// pixels (anti-aliasing) and, with uniform, one colour throughout, so
// that matches run across rows and chunks.
func chartLike(rng *rand.Rand, w, h int, uniform bool) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	c := [4]byte{255, 255, 255, 255}
	for i := 0; i < len(img.Pix); i += 4 {
		if !uniform {
			switch y := i / img.Stride; {
			case y > 0 && rng.IntN(4) != 0 && i%img.Stride != 0 && rng.IntN(2) == 0:
				copy(img.Pix[i:i+4], img.Pix[i-img.Stride:])
				continue
			case rng.IntN(60) == 0:
				c = [4]byte{byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256)), 255}
			case rng.IntN(50) == 0:
				img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256)), 255
				continue
			}
		}
		copy(img.Pix[i:i+4], c[:])
	}
	return img
}

// sameAsReference fails t unless encodePNG writes img as the reference
// encoder does and deflateRGB's opacity agrees with img.Opaque.
func sameAsReference(t *testing.T, buf *scanlines, img *image.RGBA) {
	t.Helper()
	want, err := referenceEncodePNG(img)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := encodePNG(&got, img); err != nil {
		t.Fatalf("%v stride %d: %v", img.Rect, img.Stride, err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("%v stride %d: %d bytes differ from the reference's %d", img.Rect, img.Stride, got.Len(), len(want))
	}
	if _, opaque := buf.deflateRGB(img); opaque != img.Opaque() {
		t.Fatalf("%v stride %d: opaque %v, image.RGBA.Opaque says %v", img.Rect, img.Stride, opaque, img.Opaque())
	}
}

// Every width from 1 to 300 at heights around a chunk's, every height
// from 1 to 200 at widths around a match's length in bytes, uniform
// images (matches longer than a chunk: a 1-pixel-wide chunk is 128
// bytes) and rows too far apart for deflate's window (width > 10922)
// give the reference's bytes. Under the race detector, which has no
// goroutines to watch here, every seventh width and height.
func TestEncodePNGMatchesReferenceShapes(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 1))
	buf := new(scanlines)
	step := 1
	if raceBuild {
		step = 7
	}
	for w := 1; w <= 300; w += step {
		for _, h := range []int{1, 2, chunkRows - 1, chunkRows, chunkRows + 1, 2*chunkRows + 1, 97} {
			sameAsReference(t, buf, chartLike(rng, w, h, false))
		}
		sameAsReference(t, buf, chartLike(rng, w, 70, true))
	}
	for h := 1; h <= 200; h += step {
		for _, w := range []int{1, 2, 3, 85, 86, 87, 171, 172} {
			sameAsReference(t, buf, chartLike(rng, w, h, h%7 == 0))
		}
	}
	for _, w := range []int{10921, 10922, 10923, 10924, 12000} {
		for _, h := range []int{1, 2, 3, 33} {
			sameAsReference(t, buf, chartLike(rng, w, h, false))
			sameAsReference(t, buf, chartLike(rng, w, h, true))
		}
	}
	for range 20 / step {
		sameAsReference(t, buf, chartLike(rng, 600+rng.IntN(600), 300+rng.IntN(500), false))
	}
}

// Sub-images (non-zero Min, Stride above 4 × width) give the bytes of
// the same pixels copied into an image of their own.
func TestEncodePNGSubImage(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 2))
	buf := new(scanlines)
	for range 200 {
		big := chartLike(rng, 50+rng.IntN(300), 40+rng.IntN(100), rng.IntN(5) == 0)
		x0, y0 := rng.IntN(big.Rect.Dx()), rng.IntN(big.Rect.Dy())
		x1, y1 := x0+1+rng.IntN(big.Rect.Dx()-x0), y0+1+rng.IntN(big.Rect.Dy()-y0)
		sub := big.SubImage(image.Rect(x0, y0, x1, y1)).(*image.RGBA)
		own := image.NewRGBA(image.Rect(0, 0, x1-x0, y1-y0))
		for y := range own.Rect.Dy() {
			copy(own.Pix[y*own.Stride:(y+1)*own.Stride], sub.Pix[sub.PixOffset(x0, y0+y):])
		}
		var a, b bytes.Buffer
		if err := encodePNG(&a, sub); err != nil {
			t.Fatal(err)
		}
		if err := encodePNG(&b, own); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatalf("sub-image %v of %v: bytes differ from its copy's", sub.Rect, big.Rect)
		}
		sameAsReference(t, buf, sub)
	}
}

// One translucent pixel anywhere, in the four-pixel body of a row or in
// its tail, in the first, a middle or the last row, makes the image not
// opaque, and the encoder falls back as the reference does; pixels
// outside a sub-image's bounds, translucent, change nothing.
func TestEncodePNGTranslucentAnywhere(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 3))
	buf := new(scanlines)
	step := 1
	if raceBuild { // no goroutines to watch: widths 1, 5, 9 and 13
		step = 4
	}
	for w := 1; w <= 13; w += step {
		for _, h := range []int{1, 2, chunkRows + 3} {
			img := chartLike(rng, w, h, false)
			for _, y := range []int{0, h / 2, h - 1} {
				for x := range w {
					for _, a := range []byte{0, 1, 127, 254} {
						o := img.PixOffset(x, y) + 3
						img.Pix[o] = a
						img.Pix[o-3], img.Pix[o-2], img.Pix[o-1] = min(img.Pix[o-3], a), min(img.Pix[o-2], a), min(img.Pix[o-1], a)
						if _, opaque := buf.deflateRGB(img); opaque {
							t.Fatalf("%d×%d: opaque with alpha %d at (%d, %d)", w, h, a, x, y)
						}
						if a == 254 && y == h-1 {
							sameAsReference(t, buf, img)
						}
						img.Pix[o] = 255
					}
				}
			}
		}
	}
	big := chartLike(rng, 40, 40, false)
	for i := 3; i < len(big.Pix); i += 4 {
		big.Pix[i-3], big.Pix[i-2], big.Pix[i-1], big.Pix[i] = 0, 0, 0, 0
	}
	inner := image.Rect(5, 7, 31, 29)
	for y := inner.Min.Y; y < inner.Max.Y; y++ {
		for x := inner.Min.X; x < inner.Max.X; x++ {
			o := big.PixOffset(x, y)
			big.Pix[o], big.Pix[o+1], big.Pix[o+2], big.Pix[o+3] = byte(x), byte(y), 9, 255
		}
	}
	sub := big.SubImage(inner).(*image.RGBA)
	if _, opaque := buf.deflateRGB(sub); !opaque {
		t.Fatalf("opaque sub-image of a transparent image: not opaque")
	}
	sameAsReference(t, buf, sub)
}
