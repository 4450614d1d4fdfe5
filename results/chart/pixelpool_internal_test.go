package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"sync"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// oddHeight is not a whole number of pixels at DPI.
const oddHeight = 5.14 * vg.Inch

// poolCharts are charts that leave their pixels dirty (a black
// background, a blue one, bars) or draw almost nothing (no background),
// at sizes that make a pooled buffer reused exactly, reused when larger
// than needed, replaced by a larger one, and on vgimg's own image
// (oddHeight).
func poolCharts(t *testing.T) (ds []Drawer, hs []vg.Length) {
	t.Helper()
	dark := plot.New()
	dark.BackgroundColor = color.Black
	blue := newPlot("blue", "x", "y")
	blue.BackgroundColor = color.RGBA{B: 200, A: 255}
	bars, err := plotter.NewBarChart(plotter.Values{3, 5, 2, 8}, vg.Points(40))
	if err != nil {
		t.Fatal(err)
	}
	blue.Add(bars)
	blank := plot.New()
	blank.BackgroundColor = nil
	note := newPlot("", "", "")
	for _, h := range []vg.Length{Height, 2 * Height, Height / 2, oddHeight, 13*vg.Inch + vg.Inch/5, Height/2 + vg.Inch/DPI} {
		for _, d := range []Drawer{dark, blank, blue, note} {
			ds, hs = append(ds, d), append(hs, h)
		}
	}
	return ds, hs
}

// Charts drawn one after another through one pool, and many at once
// through another, give the bytes of the same charts each drawn on new
// pixels: no chart's pixels show in a later one, whatever the sizes.
func TestPixelPoolGivesFreshBytes(t *testing.T) {
	ds, hs := poolCharts(t)
	want := make([][]byte, len(ds))
	for i, d := range ds {
		b, err := Render(d, "png", Width, hs[i])
		if err != nil {
			t.Fatal(err)
		}
		want[i] = b
	}
	var pool pixelPool
	for round := range 2 {
		for i, d := range ds {
			got, err := render(d, "png", Width, hs[i], &pool)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want[i]) {
				t.Fatalf("round %d, chart %d (%v high) through the pool: bytes differ from a fresh canvas's", round, i, hs[i])
			}
		}
	}
	if len(pool.free) > maxPooled {
		t.Fatalf("%d buffers pooled, at most %d", len(pool.free), maxPooled)
	}
	var odd pixelPool // a size off whole pixels is drawn on vgimg's own image, never pooled
	if c := newPNGCanvas(Width, oddHeight, &odd); !c.own {
		t.Fatalf("a canvas %v high is not on vgimg's own image", oddHeight)
	}
	if _, err := render(ds[0], "png", Width, oddHeight, &odd); err != nil {
		t.Fatal(err)
	}
	if len(odd.free) != 0 {
		t.Fatalf("an odd-size canvas gave %d buffers to the pool", len(odd.free))
	}
	var shared pixelPool
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range len(ds) {
				i := (k*5 + g*3) % len(ds)
				got, err := render(ds[i], "png", Width, hs[i], &shared)
				if err == nil && !bytes.Equal(got, want[i]) {
					err = fmt.Errorf("goroutine %d, chart %d (%v high): bytes differ from a fresh canvas's", g, i, hs[i])
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// Buffers out of the pool at once never share memory, and a buffer comes
// back at the length asked for, whatever its capacity.
func TestPixelPoolBuffersDistinct(t *testing.T) {
	var p pixelPool
	for _, n := range []int{100, 400, 200, 300} {
		p.put(make([]byte, n))
	}
	var out [][]byte
	for _, n := range []int{150, 150, 150, 150, 150} {
		b := p.get(n)
		if len(b) != n {
			t.Fatalf("get(%d): %d bytes", n, len(b))
		}
		for i := range b {
			b[i] = byte(len(out) + 1)
		}
		out = append(out, b)
	}
	for k, b := range out {
		for _, v := range b {
			if v != byte(k+1) {
				t.Fatalf("buffer %d was overwritten by buffer %d", k, v-1)
			}
		}
	}
}
