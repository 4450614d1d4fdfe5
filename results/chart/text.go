package chart

import (
	"math"
	"strings"
	"sync"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// textHandler is the text handler of every chart: plot's plain text
// ([text.Plain], on plot's default font cache) with the widths and
// extents of text remembered. gonum's [font.Face.Width] and
// [font.Face.Extents] allocate a glyph buffer of several kilobytes a
// call, and a chart measures the same labels many times over (an axis
// measures its tick labels to lay itself out, then again to draw them),
// which made measuring text the largest source of garbage in drawing a
// chart. The numbers are plain's own, so the pixels are the same.
var textHandler text.Handler = memoText{Plain: plainText()}

// plainText is plot's default text handler as a [text.Plain].
func plainText() text.Plain {
	if p, ok := plot.DefaultTextHandler.(text.Plain); ok {
		return p
	}
	return text.Plain{Fonts: font.DefaultCache}
}

// memoText is [text.Plain] with widths and extents remembered in
// textMemo. It draws exactly as text.Plain.Draw does.
type memoText struct{ text.Plain }

// textMemo holds what memoText measured, for any chart on any goroutine;
// it is emptied when it grows past maxTextMemo widths. Entries are keyed
// by the font cache too (a font's face is the cache's), and stay right
// as long as no font is added to a cache after its first use.
var textMemo struct {
	sync.Mutex
	widths  map[textKey]vg.Length
	extents map[fontKey]font.Extents
}

// maxTextMemo bounds the widths remembered (a few MB at most).
const maxTextMemo = 1 << 15

type textKey struct {
	fontKey
	txt string
}

// fontKey is a font in a font cache.
type fontKey struct {
	cache *font.Cache
	fnt   font.Font
}

// width is the width of one line of txt in fnt.
func (h memoText) width(fnt font.Font, txt string) vg.Length {
	return remember(&textMemo.widths, textKey{fontKey{h.Fonts, fnt}, txt}, func() vg.Length {
		face := h.Fonts.Lookup(fnt, fnt.Size)
		return face.Width(txt)
	})
}

// Extents implements [text.Handler].
func (h memoText) Extents(fnt font.Font) font.Extents {
	return remember(&textMemo.extents, fontKey{h.Fonts, fnt}, func() font.Extents {
		return h.Plain.Extents(fnt)
	})
}

// remember returns (*m)[k], computed by measure (outside textMemo's lock)
// the first time; *m is emptied when it holds maxTextMemo entries.
func remember[K comparable, V any](m *map[K]V, k K, measure func() V) V {
	textMemo.Lock()
	v, ok := (*m)[k]
	textMemo.Unlock()
	if ok {
		return v
	}
	v = measure()
	textMemo.Lock()
	if *m == nil || len(*m) >= maxTextMemo {
		*m = make(map[K]V)
	}
	(*m)[k] = v
	textMemo.Unlock()
	return v
}

// Box implements [text.Handler] as [text.Plain.Box] does.
func (h memoText) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	ext := h.Extents(fnt)
	return h.width(fnt, txt), ext.Ascent, ext.Descent
}

// Draw implements [text.Handler]: [text.Plain.Draw] with the widths and
// extents remembered.
func (h memoText) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if len(txt) == 0 {
		return
	}
	fnt := h.Fonts.Lookup(sty.Font, sty.Font.Size)
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
	}
	sin64, cos64 := math.Sincos(sty.Rotation)
	cos := vg.Length(cos64)
	sin := vg.Length(sin64)
	pt.X, pt.Y = pt.Y*sin+pt.X*cos, pt.Y*cos-pt.X*sin
	lines := h.Lines(txt)
	ht := sty.Height(txt)
	pt.Y += ht*vg.Length(sty.YAlign) - h.Extents(sty.Font).Ascent
	for i, line := range lines {
		xoffs := vg.Length(sty.XAlign) * h.width(sty.Font, line)
		n := vg.Length(len(lines) - i)
		c.FillString(fnt, pt.Add(vg.Point{X: xoffs, Y: n * sty.Font.Size}), line)
	}
	if sty.Rotation != 0 {
		c.Pop()
	}
}
