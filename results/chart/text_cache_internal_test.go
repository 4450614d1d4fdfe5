package chart

import (
	"testing"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// serifAsSans returns a font cache in which the charts' font names the
// serif face: the same font.Font, another face.
func serifAsSans(t *testing.T) (*font.Cache, font.Face) {
	t.Helper()
	var serif font.Face
	for _, f := range liberation.Collection() {
		if f.Font.Variant == "Serif" && f.Font.Style == 0 && f.Font.Weight == 0 {
			serif = f
		}
	}
	if serif.Face == nil {
		t.Fatal("no Liberation Serif in gonum's collection")
	}
	key := sans
	return font.NewCache(font.Collection{{Font: key, Face: serif.Face}}), font.Face{Font: font.From(sans, 14), Face: serif.Face}
}

// A memo on another font cache measures in that cache's faces, not in
// those another cache's memo remembered for the same font.
func TestMemoTextKeepsCachesApart(t *testing.T) {
	cache, _ := serifAsSans(t)
	fnt := font.From(sans, 12)
	const txt = "Width of this label"
	textHandler.Box(txt, fnt) // remembered in the default cache's faces
	textHandler.Extents(fnt)
	other := memoText{Plain: text.Plain{Fonts: cache}}
	ref := text.Plain{Fonts: cache}
	w1, h1, d1 := other.Box(txt, fnt)
	w2, h2, d2 := ref.Box(txt, fnt)
	if w1 != w2 || h1 != h2 || d1 != d2 {
		t.Fatalf("box on another cache: %v %v %v, want its own %v %v %v", w1, h1, d1, w2, h2, d2)
	}
	if w, _, _ := textHandler.Box(txt, fnt); w == w2 {
		t.Fatalf("the test needs faces of different widths; both give %v", w)
	}
}

// A PNG canvas draws each string in the face it is given, also when two
// faces share a font description (two caches): as gonum's canvas does.
func TestPNGCanvasFaceOfEachString(t *testing.T) {
	_, serif := serifAsSans(t)
	own := textHandler.(memoText).Fonts.Lookup(serif.Font, serif.Font.Size)
	c := newPNGCanvas(Width, Height, nil)
	defer c.release()
	ref := vgimg.NewWith(vgimg.UseWH(Width, Height), vgimg.UseDPI(DPI))
	for i, f := range []font.Face{own, serif, own} {
		pt := vg.Point{X: 40, Y: vg.Length(100 + 60*i)}
		c.FillString(f, pt, "Same font, other face")
		ref.FillString(f, pt, "Same font, other face")
	}
	samePixels(t, "faces", ref.Image(), c.img)
}
