package chart

import (
	"cmp"
	"os"
	"runtime"
	"slices"

	"gonum.org/v1/plot/vg"

	"scensim/results"
)

// Canvases is pixel memory for the PNG canvases of [AllContext], passed
// from chart to chart. Made by [PrepareCanvases] before the result to
// draw is ready, it takes the first touch of that memory out of the
// drawing: the operating system maps a page of new memory when it is
// first written, about 15 µs a page on a Linux machine, some 30 ms for
// the two largest canvases of the baseline's charts. A command can
// prepare them on a core that computing the result leaves idle.
//
// Canvases may serve one call of AllContext after another, and calls at
// once; the zero value holds no memory and is ready to use.
type Canvases struct{ pool pixelPool }

// PrepareCanvases returns canvases holding memory, touched page by page,
// for the largest PNG canvases that [AllContext] draws at once for a
// result of layout l with opts: as many as it draws charts at a time
// (GOMAXPROCS), at most the number a pool keeps. For a format other than
// PNG it returns empty canvases.
func PrepareCanvases(l *results.Layout, opts Options) *Canvases {
	c := new(Canvases)
	if opts.Format != "" && opts.Format != "png" {
		return c
	}
	if opts.Width == 0 || opts.Height == 0 {
		opts.Width, opts.Height = Width, Height
	}
	heights := []vg.Length{opts.Height}
	if len(l.Outcomes) > 0 {
		heights = append(heights, outcomesHeight(l, opts))
	}
	if len(l.Params) > 0 {
		heights = append(heights, paramsHeight(l, opts))
	}
	for len(heights) < runtime.GOMAXPROCS(0) {
		heights = append(heights, opts.Height)
	}
	slices.SortFunc(heights, func(a, b vg.Length) int { return cmp.Compare(b, a) }) // tallest first
	page := os.Getpagesize()
	for _, h := range heights[:min(len(heights), runtime.GOMAXPROCS(0), maxPooled)] {
		b := make([]byte, 4*pixels(opts.Width)*pixels(h))
		for i := 0; i < len(b); i += page {
			b[i] = 0xff
		}
		c.pool.put(b)
	}
	return c
}

// pixels is a length in whole pixels at [DPI], rounded as vgimg rounds a
// canvas's size.
func pixels(l vg.Length) int { return int(l/vg.Inch*DPI + 0.5) }

// outcomesHeight is the height of the outcomes chart of l: a fifth of an
// inch a row, and room for its title and axis.
func outcomesHeight(l *results.Layout, opts Options) vg.Length {
	return max(opts.Height, vg.Length(len(l.Outcomes))*vg.Inch/5+2*vg.Inch)
}

// paramsHeight is the height of the params chart of l (see ParamsHeight).
func paramsHeight(l *results.Layout, opts Options) vg.Length {
	return max(opts.Height, ParamsHeight(l))
}
