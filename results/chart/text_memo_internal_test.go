package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
	"sync"
	"testing"

	stdfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// callRecorder is a vg.Canvas that records every call with its arguments.
type callRecorder struct{ calls []string }

func (r *callRecorder) add(f string, a ...any) { r.calls = append(r.calls, fmt.Sprintf(f, a...)) }

func (r *callRecorder) SetLineWidth(w vg.Length)                 { r.add("width %v", w) }
func (r *callRecorder) SetLineDash(d []vg.Length, o vg.Length)   { r.add("dash %v %v", d, o) }
func (r *callRecorder) SetColor(c color.Color)                   { r.add("colour %v", c) }
func (r *callRecorder) Rotate(a float64)                         { r.add("rotate %v", a) }
func (r *callRecorder) Translate(p vg.Point)                     { r.add("translate %v", p) }
func (r *callRecorder) Scale(x, y float64)                       { r.add("scale %v %v", x, y) }
func (r *callRecorder) Push()                                    { r.add("push") }
func (r *callRecorder) Pop()                                     { r.add("pop") }
func (r *callRecorder) Stroke(p vg.Path)                         { r.add("stroke %v", p) }
func (r *callRecorder) Fill(p vg.Path)                           { r.add("fill %v", p) }
func (r *callRecorder) DrawImage(rc vg.Rectangle, _ image.Image) { r.add("image %v", rc) }
func (r *callRecorder) FillString(f font.Face, p vg.Point, s string) {
	r.add("string %+v %p %v %q", f.Font, f.Face, p, s)
}

// memoCases are fonts (present, in another weight or style, and absent:
// substituted by the cache's default typeface) and texts (empty, one
// line, several, trailing and leading newlines, kerning pairs, non-ASCII)
// to measure and draw.
var (
	memoFonts = []font.Font{
		font.From(sans, 12), font.From(sans, 15), font.From(sans, 0.5),
		{Typeface: "Liberation", Variant: "Sans", Weight: stdfont.WeightBold, Size: 13},
		{Typeface: "Liberation", Variant: "Sans", Style: stdfont.StyleItalic, Size: 11},
		{Typeface: "Liberation", Variant: "Sans", Weight: stdfont.WeightThin, Size: 11}, // weight substituted
		{Typeface: "Liberation", Variant: "Mono", Size: 12},
		{Typeface: "NoSuchFace", Variant: "Sans", Size: 12}, // typeface substituted
		{Typeface: "NoSuchFace", Variant: "Serif", Size: 9},
	}
	memoTexts = []string{"", "\n", "\n\n", "a", "a\n", "a\n\n", "\nlead", "two\nlines", "three\n\nlines (one empty)",
		"AVATAR Ta Wo ff", "−0.5 × 10³ – 95% « déjà »", "trials: 1,000,000", " spaced  out "}
)

// memoText measures what text.Plain measures: extents, widths and
// boxes, and through a style the width, height and rectangle of text at
// every alignment and rotation, asked twice (the second answer from the
// memo).
func TestMemoTextMeasuresAsPlain(t *testing.T) {
	plain := plainText()
	for range 2 {
		for _, fnt := range memoFonts {
			if got, want := textHandler.Extents(fnt), plain.Extents(fnt); got != want {
				t.Fatalf("%+v: extents %+v, want %+v", fnt, got, want)
			}
			for _, txt := range memoTexts {
				for _, line := range plain.Lines(txt) {
					w1, h1, d1 := textHandler.Box(line, fnt)
					w2, h2, d2 := plain.Box(line, fnt)
					if w1 != w2 || h1 != h2 || d1 != d2 {
						t.Fatalf("%+v %q: box %v %v %v, want %v %v %v", fnt, line, w1, h1, d1, w2, h2, d2)
					}
				}
				for _, rot := range []float64{0, math.Pi / 2, -math.Pi / 4, 1} {
					for _, xa := range []text.XAlignment{text.XLeft, text.XCenter, text.XRight, 0.3} {
						for _, ya := range []text.YAlignment{text.YTop, text.YCenter, text.YBottom} {
							sty := text.Style{Font: fnt, Rotation: rot, XAlign: xa, YAlign: ya, Handler: textHandler}
							ref := sty
							ref.Handler = plain
							if sty.Width(txt) != ref.Width(txt) || sty.Height(txt) != ref.Height(txt) || sty.Rectangle(txt) != ref.Rectangle(txt) {
								t.Fatalf("%+v %q rot %v align %v %v: width %v height %v rect %v, want %v %v %v", fnt, txt, rot, xa, ya,
									sty.Width(txt), sty.Height(txt), sty.Rectangle(txt), ref.Width(txt), ref.Height(txt), ref.Rectangle(txt))
							}
						}
					}
				}
			}
		}
	}
}

// memoText draws as text.Plain does: the same calls with the same
// arguments on the canvas, for every case, alignment and rotation; and
// the same pixels on a PNG canvas (its face per font) as text.Plain on
// gonum's own image canvas (a face per string).
func TestMemoTextDrawsAsPlain(t *testing.T) {
	plain := plainText()
	var styles []text.Style
	for _, fnt := range memoFonts {
		for _, rot := range []float64{0, math.Pi / 2, -math.Pi / 2, 0.3} {
			for _, xa := range []text.XAlignment{text.XLeft, text.XCenter, text.XRight} {
				for _, ya := range []text.YAlignment{text.YTop, text.YCenter, text.YBottom} {
					styles = append(styles, text.Style{Color: Colour(len(styles)), Font: fnt, Rotation: rot, XAlign: xa, YAlign: ya})
				}
			}
		}
	}
	pt := vg.Point{X: 3 * vg.Inch, Y: 2 * vg.Inch}
	for _, sty := range styles {
		for _, txt := range memoTexts {
			var got, want callRecorder
			ref := sty
			sty.Handler, ref.Handler = textHandler, plain
			textHandler.Draw(&got, txt, sty, pt)
			plain.Draw(&want, txt, ref, pt)
			if g, w := strings.Join(got.calls, "\n"), strings.Join(want.calls, "\n"); g != w {
				t.Fatalf("%+v %q: calls\n%s\nwant\n%s", sty, txt, g, w)
			}
		}
	}
	// pixels: every case drawn on one canvas, strings of one font drawn
	// many times over (the canvas's face reused)
	c := newPNGCanvas(Width, Height, nil)
	defer c.release()
	ref := vgimg.NewWith(vgimg.UseWH(Width, Height), vgimg.UseDPI(DPI))
	for i, sty := range styles {
		p := vg.Point{X: vg.Length(40 + 53*(i%13)), Y: vg.Length(30 + 37*(i/13%11))}
		txt := memoTexts[i%len(memoTexts)]
		memo := sty
		sty.Handler, memo.Handler = plain, textHandler
		textHandler.Draw(c, txt, memo, p)
		plain.Draw(ref, txt, sty, p)
	}
	samePixels(t, "text", ref.Image(), c.img)
	var a, b bytes.Buffer
	if _, err := c.WriteTo(&a); err != nil {
		t.Fatal(err)
	}
	if err := encodePNG(&b, ref.Image().(*image.RGBA)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("text: PNG bytes differ from gonum's canvas's")
	}
}

// Goroutines measuring at once, past the memo's bound (so that it is
// emptied while others read it), get text.Plain's numbers; run with
// -race.
func TestMemoTextConcurrent(t *testing.T) {
	plain := plainText()
	const goroutines, each = 6, maxTextMemo/4 + 500
	var wg sync.WaitGroup
	errs := make(chan string, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fnt := memoFonts[g%len(memoFonts)]
			for i := range each {
				txt := fmt.Sprintf("label %d of %d", i, g)
				if i%3 == 0 {
					txt = memoTexts[i%len(memoTexts)] // shared by all
				}
				face := plain.Fonts.Lookup(fnt, fnt.Size)
				if w, _, _ := textHandler.Box(txt, fnt); w != face.Width(txt) {
					errs <- fmt.Sprintf("%+v %q: width %v", fnt, txt, w)
					return
				}
				if e := textHandler.Extents(fnt); e != plain.Extents(fnt) {
					errs <- fmt.Sprintf("%+v: extents %+v", fnt, e)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
	textMemo.Lock()
	n := len(textMemo.widths)
	textMemo.Unlock()
	if n > maxTextMemo {
		t.Fatalf("%d widths remembered, bound %d", n, maxTextMemo)
	}
}
