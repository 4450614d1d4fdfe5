package chart

import (
	"bytes"
	"compress/zlib"
	"hash/adler32"
	"image"
	"io"
	"math/rand/v2"
	"testing"
)

// appendZlib's stream inflates to its input, for inputs made of runs,
// repeated rows and noise, with rows longer than deflate's window (no row
// matches then), matches reaching the end, and empty or tiny inputs.
func TestAppendZlibRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	inputs := [][]byte{nil, {1}, {1, 2, 3}, bytes.Repeat([]byte{9}, 1000)}
	for range 60 {
		n := rng.IntN(200000)
		b := make([]byte, n)
		for i := 0; i < n; {
			k := min(n-i, 1+rng.IntN(600))
			switch rng.IntN(4) {
			case 0: // noise
				for j := range k {
					b[i+j] = byte(rng.IntN(256))
				}
			case 1: // one value
				v := byte(rng.IntN(256))
				for j := range k {
					b[i+j] = v
				}
			default: // a copy from earlier
				if d := 1 + rng.IntN(40000); d <= i {
					for j := range k {
						b[i+j] = b[i+j-d]
					}
				}
			}
			i += k
		}
		inputs = append(inputs, b)
	}
	for k, in := range inputs {
		for _, row := range []int{1 + 3*900, 7, 40000, 0} {
			z := appendZlib([]byte("prefix"), in, 3, row)
			if !bytes.HasPrefix(z, []byte("prefix")) {
				t.Fatal("appendZlib did not append")
			}
			r, err := zlib.NewReader(bytes.NewReader(z[len("prefix"):]))
			if err != nil {
				t.Fatalf("input %d, row %d: %v", k, row, err)
			}
			out, err := io.ReadAll(r)
			if err != nil {
				t.Fatalf("input %d (%d bytes), row %d: %v", k, len(in), row, err)
			}
			if !bytes.Equal(out, in) {
				t.Fatalf("input %d (%d bytes), row %d: inflates to %d different bytes", k, len(in), row, len(out))
			}
		}
	}
}

// deflateRGB, which codes an image's scanlines a chunk at a time, gives
// the very stream appendZlib gives for all of them at once, for images
// narrower than a match (rows shorter than 258 bytes) and wider, heights
// around a chunk's, a sub-image, and says whether every pixel is opaque
// wherever a translucent one is.
func TestDeflateRGBMatchesWhole(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	blocky := func(w, h int) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		c := [4]byte{255, 255, 255, 255}
		for i := 0; i < len(img.Pix); i += 4 {
			switch y := i / img.Stride; {
			case y > 0 && rng.IntN(3) == 0: // the row above
				copy(img.Pix[i:i+4], img.Pix[i-img.Stride:])
				continue
			case rng.IntN(40) == 0: // a new colour
				c = [4]byte{byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256)), 255}
			}
			copy(img.Pix[i:i+4], c[:])
		}
		return img
	}
	whole := func(img *image.RGBA) []byte {
		w, h := img.Rect.Dx(), img.Rect.Dy()
		var raw []byte
		for y := range h {
			raw = append(raw, 0)
			for x := range w {
				o := img.PixOffset(img.Rect.Min.X+x, img.Rect.Min.Y+y)
				raw = append(raw, img.Pix[o:o+3]...)
			}
		}
		return appendZlib(nil, raw, 3, 1+3*w)
	}
	var imgs []*image.RGBA
	for _, w := range []int{1, 2, 3, 5, 85, 86, 87, 131, 900} {
		for _, h := range []int{1, chunkRows - 1, chunkRows, chunkRows + 1, 3*chunkRows + 5} {
			imgs = append(imgs, blocky(w, h))
		}
	}
	imgs = append(imgs, blocky(300, 200).SubImage(image.Rect(17, 9, 250, 150)).(*image.RGBA))
	buf := new(scanlines) // reused, as the pool does
	for _, img := range imgs {
		want := whole(img)
		got, opaque := buf.deflateRGB(img)
		if !bytes.Equal(got, want) || !opaque {
			t.Fatalf("%v: %d bytes, opaque %v; want the %d bytes of the whole, opaque", img.Rect, len(got), opaque, len(want))
		}
		for range 3 {
			x, y := img.Rect.Min.X+rng.IntN(img.Rect.Dx()), img.Rect.Min.Y+rng.IntN(img.Rect.Dy())
			o := img.PixOffset(x, y) + 3
			img.Pix[o] = 254
			if _, opaque := buf.deflateRGB(img); opaque {
				t.Fatalf("%v: opaque with a translucent pixel at (%d, %d)", img.Rect, x, y)
			}
			img.Pix[o] = 255
		}
	}
}

// appendZlib appends data as a zlib stream to out, coded by a deflater
// in one piece: the reference the windowed encoder must match.
func appendZlib(out []byte, data []byte, pixel, row int) []byte {
	d := newDeflater(out, pixel, row)
	d.code(data, 0, len(data), 0)
	return d.finish(adler32.Checksum(data))
}
