package chart

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"scensim/results"
)

// Default size of a chart: 12 × 8 inches, which is 900 × 600 pixels as a PNG
// at [DPI].
const (
	Width  = 12 * vg.Inch
	Height = 8 * vg.Inch
	DPI    = 75
)

// margin is the white border Render leaves around a chart.
const margin = 6 * vg.Millimeter / 2

// Formats lists the formats [Render] writes.
var Formats = []string{"png", "svg", "pdf"}

// pdfEpoch is the creation date written into every PDF, so that the same
// chart gives the same bytes.
var pdfEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

var pdfOnce sync.Once

// Render draws d on a w × h canvas and encodes it as format: "png" (at [DPI]
// dots per inch), "svg" (with the fonts embedded) or "pdf" (with the fonts
// embedded and a fixed creation date, 2000-01-01, so that equal charts give
// equal bytes).
func Render(d Drawer, format string, w, h vg.Length) ([]byte, error) {
	return render(d, format, w, h, nil)
}

// render is [Render] with a PNG canvas's pixels taken from pool (nil: new).
func render(d Drawer, format string, w, h vg.Length, pool *pixelPool) ([]byte, error) {
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("chart: size %v × %v is not positive", w, h)
	}
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		pc := newPNGCanvas(w, h, pool)
		defer pc.release()
		c = pc
	case "svg":
		c = vgsvg.NewWith(vgsvg.UseWH(w, h), vgsvg.EmbedFonts(true))
	case "pdf":
		pdfOnce.Do(func() {
			fpdf.SetDefaultCreationDate(pdfEpoch)
			fpdf.SetDefaultModificationDate(pdfEpoch)
			fpdf.SetDefaultCatalogSort(true)
		})
		c = vgpdf.New(w, h)
	default:
		return nil, fmt.Errorf("chart: unknown format %q (want %s)", format, strings.Join(Formats, ", "))
	}
	dc := draw.New(c)
	if format != "png" { // a PNG canvas starts white
		dc.SetColor(color.White)
		dc.Fill(dc.Rectangle.Path())
	}
	d.Draw(draw.Crop(dc, margin, -margin, margin, -margin))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: encoding %s: %w", format, err)
	}
	return buf.Bytes(), nil
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Options choose what [All] draws.
type Options struct {
	Format        string    // png (default), svg or pdf
	Width, Height vg.Length // default [Width] × [Height]
	// States are the states of the reached-by chart (global state
	// indices); nil means [KeyStates](r, MaxKeyStates).
	States []int
	// FirstEntry are the states that get a first-entry histogram; nil means
	// the states of the reached-by chart.
	FirstEntry []int
	// Large draws occupancy charts of any size; by default those of tracks
	// whose states × points exceed MaxOccupancyCells are left out (see
	// [LeftOut]).
	Large bool
	// Canvases is the pixel memory PNG charts are drawn in, made ready by
	// [PrepareCanvases]; nil: new memory.
	Canvases *Canvases
}

// MaxOccupancyCells bounds the states × points of the occupancy charts
// [All] draws by default: a track of thousands of states over thousands
// of steps stacks millions of vertices, which costs more time and memory
// than the run itself and cannot be read.
const MaxOccupancyCells = 1 << 16

// LeftOut returns the names (without extension) of the charts [All] leaves
// out of r with opts for their size, in layout order.
func LeftOut(r *results.Result, opts Options) []string {
	var out []string
	for t := range r.Layout.Tracks {
		if occupancyTooLarge(r, t, opts) {
			out = append(out, "occupancy_"+r.Layout.Tracks[t].Name)
		}
	}
	return out
}

func occupancyTooLarge(r *results.Result, t int, opts Options) bool {
	n := len(r.Layout.Tracks[t].States)
	return !opts.Large && n > 1 && n*len(r.Layout.Points) > MaxOccupancyCells
}

// MaxKeyStates is the number of states the reached-by chart shows by default.
const MaxKeyStates = 8

// All renders every chart of r and returns file name → bytes:
//
//   - outcomes.EXT: [Outcomes], if the scenario has outcomes (taller than
//     Height when there are many, so that each bar keeps 20 pixels);
//   - reached.EXT: [Reached] for opts.States;
//   - draws_OUTCOME.EXT: [Draws] for each outcome of [DrawsOutcomes];
//   - occupancy_TRACK.EXT: [Occupancy] for each track with two or more
//     states (a one-state track is in it always), but those over
//     [MaxOccupancyCells] only with opts.Large;
//   - first_entry_TRACK_STATE.EXT: [FirstEntry] for each of opts.FirstEntry;
//   - params.EXT: [Params], if the scenario has sampled params (taller than
//     Height when there are many: [ParamsHeight]);
//   - value_NAME.EXT: [Value] for each value outcome.
//
// It fails if r is invalid or has no trials, if a state index is out of
// range, or if the format is unknown.
func All(r *results.Result, opts Options) (map[string][]byte, error) {
	return AllContext(context.Background(), r, opts)
}

// AllContext is [All] that stops between charts once ctx is done,
// returning ctx's error and no charts.
func AllContext(ctx context.Context, r *results.Result, opts Options) (map[string][]byte, error) {
	if err := check(r); err != nil {
		return nil, err
	}
	if opts.Format == "" {
		opts.Format = "png"
	}
	if opts.Width == 0 || opts.Height == 0 {
		opts.Width, opts.Height = Width, Height
	}
	states := opts.States
	if states == nil {
		states = KeyStates(r, MaxKeyStates)
	}
	first := opts.FirstEntry
	if first == nil {
		first = states
	}
	type job struct {
		c   *Chart
		h   vg.Length
		err error
	}
	var jobs []job
	addJob := func(c *Chart, err error, h vg.Length) {
		jobs = append(jobs, job{c: c, err: err, h: h})
	}
	if len(r.Layout.Outcomes) > 0 {
		c, err := Outcomes(r)
		addJob(c, err, outcomesHeight(&r.Layout, opts))
	}
	if len(states) > 0 {
		c, err := Reached(r, states)
		addJob(c, err, opts.Height)
	}
	for _, i := range DrawsOutcomes(r) {
		c, err := Draws(r, i)
		addJob(c, err, opts.Height)
	}
	for t, tr := range r.Layout.Tracks {
		if len(tr.States) > 1 && !occupancyTooLarge(r, t, opts) {
			c, err := Occupancy(r, t)
			addJob(c, err, opts.Height)
		}
	}
	for _, g := range first {
		c, err := FirstEntry(r, g)
		addJob(c, err, opts.Height)
	}
	if len(r.Layout.Params) > 0 {
		c, err := Params(r)
		addJob(c, err, paramsHeight(&r.Layout, opts))
	}
	if r.Evidence != nil && len(r.Layout.Params) > 0 {
		c, err := Posterior(r)
		addJob(c, err, opts.Height)
	}
	for i := range r.Layout.Values {
		c, err := Value(r, i)
		addJob(c, err, opts.Height)
	}
	for _, j := range jobs {
		if j.err != nil {
			return nil, j.err
		}
	}
	// The costliest charts start first, so that none of them is left
	// running alone at the end; the order drawn changes no byte.
	order := make([]int, len(jobs))
	for i := range order {
		order[i] = i
	}
	cost := func(j job) float64 { return float64(j.h/opts.Height) * float64(1+len(j.c.Panels)/4) }
	sort.SliceStable(order, func(a, b int) bool { return cost(jobs[order[a]]) > cost(jobs[order[b]]) })
	pool := new(pixelPool) // the canvases' pixels, passed on from chart to chart
	if opts.Canvases != nil {
		pool = &opts.Canvases.pool
	}
	drawn, err := renderAll(ctx, len(jobs), func(k int) ([]byte, error) {
		i := order[k]
		return render(jobs[i].c, opts.Format, opts.Width, jobs[i].h, pool)
	})
	if err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(jobs))
	drawnByJob := make([][]byte, len(jobs))
	for k, i := range order {
		drawnByJob[i] = drawn[k]
	}
	for i, j := range jobs {
		b := drawnByJob[i]
		name := j.c.Name
		for out[name+"."+opts.Format] != nil { // e.g. tracks a_b and a with states c and b_c
			name += "_"
		}
		out[name+"."+opts.Format] = b
	}
	return out, nil
}

// renderAll calls render(i) for i in [0, n) on up to GOMAXPROCS
// goroutines and returns the results by i, so that what it returns does
// not depend on the number of goroutines. Once ctx is done, or a render
// fails, no further render starts, and it returns ctx's error (or the
// first failure by index) and no results.
func renderAll(ctx context.Context, n int, render func(i int) ([]byte, error)) ([][]byte, error) {
	out := make([][]byte, n)
	errs := make([]error, n)
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || failed.Load() || ctx.Err() != nil {
					return
				}
				if out[i], errs[i] = render(i); errs[i] != nil {
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// KeyStates returns up to n states worth charting, as global state indices:
// states that some trial entered but that no trial started in (so neither an
// initial state nor a state never entered), the most often reached by the
// horizon first (ties in layout order).
func KeyStates(r *results.Result, n int) []int {
	l := &r.Layout
	np := len(l.Points)
	var gs []int
	for g := range l.NumStates() {
		atStart := r.Counts.Entry[l.EntryIndex(g, 0)]
		never := r.Counts.Entry[l.EntryIndex(g, np)]
		if atStart == 0 && never < r.Counts.Trials {
			gs = append(gs, g)
		}
	}
	sort.SliceStable(gs, func(a, b int) bool {
		return r.Counts.Entry[l.EntryIndex(gs[a], np)] < r.Counts.Entry[l.EntryIndex(gs[b], np)]
	})
	if len(gs) > n {
		gs = gs[:n]
	}
	return gs
}

// ParseStates reads a comma-separated list of "track.state" names into
// global state indices, in the order given. Duplicates are an error, and an
// unknown name is an error that lists the track's states (or the tracks).
func ParseStates(l *results.Layout, list string) ([]int, error) {
	var gs []int
	seen := map[int]bool{}
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		g, err := ParseState(l, s)
		if err != nil {
			return nil, err
		}
		if seen[g] {
			return nil, fmt.Errorf("state %s is listed twice", s)
		}
		seen[g] = true
		gs = append(gs, g)
	}
	if len(gs) == 0 {
		return nil, fmt.Errorf("no states in %q (want track.state,track.state,...)", list)
	}
	return gs, nil
}

// ParseState reads one "track.state" name into its global state index.
func ParseState(l *results.Layout, s string) (int, error) {
	track, state, ok := strings.Cut(strings.TrimSpace(s), ".")
	if !ok {
		return 0, fmt.Errorf("state %q: want track.state", s)
	}
	var names []string
	for _, t := range l.Tracks {
		names = append(names, t.Name)
		if t.Name != track {
			continue
		}
		if g := l.StateIndex(track, state); g >= 0 {
			return g, nil
		}
		return 0, fmt.Errorf("track %s has no state %q (its states: %s)", track, state, strings.Join(t.States, ", "))
	}
	return 0, fmt.Errorf("no track %q (tracks: %s)", track, strings.Join(names, ", "))
}
