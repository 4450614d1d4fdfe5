package chart

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"scensim/results"
)

// OkabeIto is the colour-blind-safe palette of Okabe & Ito (2008), "Color
// Universal Design", in the order the charts use it: blue, orange, bluish
// green, vermillion, reddish purple, sky blue, yellow, black.
var OkabeIto = []color.RGBA{
	{0x00, 0x72, 0xB2, 0xFF}, // blue
	{0xE6, 0x9F, 0x00, 0xFF}, // orange
	{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	{0xF0, 0xE4, 0x42, 0xFF}, // yellow
	{0x00, 0x00, 0x00, 0xFF}, // black
}

// Colour returns palette colour i, cycling through [OkabeIto].
func Colour(i int) color.RGBA { return OkabeIto[i%len(OkabeIto)] }

// fade returns c with opacity a (0..1).
func fade(c color.RGBA, a float64) color.NRGBA {
	return color.NRGBA{R: c.R, G: c.G, B: c.B, A: uint8(math.Round(a * 255))}
}

var (
	sans = font.Font{Typeface: "Liberation", Variant: "Sans"}
	grey = color.Gray{Y: 0x55}
)

// Font sizes, chosen to be legible on a 900×600 PNG (75 dpi).
const (
	titleSize  = 15
	labelSize  = 13
	tickSize   = 12
	legendSize = 12
	noteSize   = 11
)

// textStyle returns a plain text style in the charts' font.
func textStyle(size vg.Length, c color.Color) text.Style {
	return text.Style{Color: c, Font: font.From(sans, size), Handler: textHandler}
}

// newPlot returns a plot with the charts' fonts, the given title and axis
// labels, and a legend on the top right (see [Margin] for keeping it off the
// data). It has no background of its own: [Render] starts every chart on
// white, and filling the whole canvas again costs as much as drawing a
// chart's data.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	p.TextHandler = textHandler
	p.Title.TextStyle.Handler = textHandler
	p.Legend.TextStyle.Handler = textHandler
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, titleSize)
	p.Title.Padding = vg.Points(8)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, labelSize)
		a.Tick.Label.Font = font.From(sans, tickSize)
		a.Label.TextStyle.Handler, a.Tick.Label.Handler = textHandler, textHandler
		a.Label.Padding = vg.Points(4)
	}
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	p.Legend.TextStyle.Font = font.From(sans, legendSize)
	p.Legend.Top = true
	p.Legend.ThumbnailWidth = vg.Points(22)
	p.Legend.Padding = vg.Points(3)
	p.Legend.XOffs = -vg.Points(8)
	return p
}

// title is "What - scenario (N trials, seed S)". Chart text is kept to
// ASCII (beyond what the scenario names): the PDF backend encodes text in
// code page 1252 and garbles other characters.
func title(what string, r *results.Result) string {
	return fmt.Sprintf("%s - %s (%s trials, seed %d)", what, r.Layout.Scenario, thousands(r.Counts.Trials), r.Manifest.Seed)
}

// thousands formats n with comma thousands separators.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// percent formats a probability as a percentage with one decimal.
func percent(p float64) string { return strconv.FormatFloat(100*p, 'f', 1, 64) + "%" }

// PercentTicks labels a probability axis (0..1) in percent, at round steps
// (0.1%, 0.2%, 0.5%, 1%, 2%, 5%, 10%, 20%, 25% or 50%) giving at most 11
// labels, with unlabelled ticks between.
type PercentTicks struct{}

// Ticks implements plot.Ticker.
func (PercentTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil
	}
	steps := []struct{ step, minor float64 }{
		{0.001, 0.0005}, {0.002, 0.001}, {0.005, 0.001}, {0.01, 0.005}, {0.02, 0.01},
		{0.05, 0.01}, {0.1, 0.05}, {0.2, 0.1}, {0.25, 0.05}, {0.5, 0.1},
	}
	st := steps[len(steps)-1]
	for _, s := range steps {
		if (hi-lo)/s.step <= 10 {
			st = s
			break
		}
	}
	prec := 0
	for prec < 3 && math.Abs(st.step*100*math.Pow10(prec)-math.Round(st.step*100*math.Pow10(prec))) > 1e-9 {
		prec++
	}
	var ticks []plot.Tick
	per := int(math.Round(st.step / st.minor))
	for i := int(math.Ceil(lo/st.minor - 1e-9)); float64(i)*st.minor <= hi+1e-12; i++ {
		v := float64(i) * st.minor
		t := plot.Tick{Value: v}
		if i%per == 0 {
			t.Label = strconv.FormatFloat(v*100, 'f', prec, 64) + "%"
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// ShortTicks are gonum's default tick positions labelled with at most six
// significant digits and no trailing zeros ("2500", "0.5", "5e-05").
type ShortTicks struct{}

// Ticks implements plot.Ticker.
func (ShortTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i, t := range ticks {
		if !t.IsMinor() {
			ticks[i].Label = strconv.FormatFloat(t.Value, 'g', 6, 64)
		}
	}
	return ticks
}

// DateTicks labels a time axis whose values are days since Start with
// calendar dates: the first of each month (or of every 2nd, 3rd or 6th month
// on long spans) as "Jan", with the year at the first label and at each new
// year ("Jan 2026"), or every year on very long spans; on spans of under
// four months, every week (every day under two weeks) as "2 Jan", counted
// from Start.
type DateTicks struct {
	Start time.Time // the date of x = 0 (UTC midnight)
}

// maxTickDays bounds the span DateTicks labels: 40,000 years of days, far
// beyond any scenario (dates end in 9999). Wider or non-finite ranges get
// no ticks rather than an endless or overflowing walk over the calendar.
const maxTickDays = 40000 * 366

// Ticks implements plot.Ticker. Every loop is bounded by the number of days
// (spans under 120 days) or months in [lo, hi], and day offsets are
// computed from Unix seconds, so spans of any length (beyond the 292 years
// a time.Duration holds) are labelled correctly.
func (t DateTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || !(lo > -maxTickDays) || !(hi < maxTickDays) {
		return nil
	}
	at := func(d time.Time) float64 { return dayOffset(t.Start, d) }
	first0 := t.Start.AddDate(0, 0, int(math.Floor(lo)))
	span := hi - lo
	var ticks []plot.Tick
	if span < 120 {
		step := 7
		if span <= 14 {
			step = 1
		}
		for i := 0; i <= int(span)+1; i++ {
			d := first0.AddDate(0, 0, i)
			x := at(d)
			if x > hi {
				break
			}
			if x < lo {
				continue
			}
			k := int(math.Round(x))
			if k%step == 0 {
				ticks = append(ticks, plot.Tick{Value: x, Label: d.Format("2 Jan")})
			} else if step == 7 {
				ticks = append(ticks, plot.Tick{Value: x})
			}
		}
		return ticks
	}
	months := span / 30.44
	step := 1
	for _, s := range []int{1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000} {
		step = s
		if months/float64(s) <= 13 {
			break
		}
	}
	first := time.Date(first0.Year(), first0.Month(), 1, 0, 0, 0, 0, time.UTC)
	lastYear := -1
	for i := 0; i <= int(months)+2; i++ {
		d := first.AddDate(0, i, 0)
		x := at(d)
		if x > hi {
			break
		}
		if x < lo {
			continue
		}
		m := (d.Year()*12 + int(d.Month()) - 1)
		switch {
		case m%step == 0 && step >= 12:
			ticks = append(ticks, plot.Tick{Value: x, Label: d.Format("2006")})
		case m%step == 0 && d.Year() != lastYear:
			ticks = append(ticks, plot.Tick{Value: x, Label: d.Format("Jan 2006")})
			lastYear = d.Year()
		case m%step == 0:
			ticks = append(ticks, plot.Tick{Value: x, Label: d.Format("Jan")})
		case step <= 12:
			ticks = append(ticks, plot.Tick{Value: x})
		}
	}
	return ticks
}

// dayOffset returns the days from a to b (fractional if the times of day
// differ). Unlike b.Sub(a), it does not saturate at 292 years.
func dayOffset(a, b time.Time) float64 {
	return float64(b.Unix()-a.Unix()) / 86400
}

// timeline maps the points of a result to x values: days since the first
// point.
type timeline struct {
	start time.Time
	x     []float64 // x of each point
}

func newTimeline(l *results.Layout) (*timeline, error) {
	tl := &timeline{x: make([]float64, len(l.Points))}
	for i, s := range l.Points {
		d, err := time.Parse(results.DateLayout, s)
		if err != nil {
			return nil, fmt.Errorf("chart: point %d: %v", i, err)
		}
		if i == 0 {
			tl.start = d
		}
		tl.x[i] = tl.day(d)
	}
	return tl, nil
}

// day returns the x of a date.
func (tl *timeline) day(d time.Time) float64 { return dayOffset(tl.start, d) }

// date returns the x of an ISO date string (NaN if it does not parse).
func (tl *timeline) date(s string) float64 {
	d, err := time.Parse(results.DateLayout, s)
	if err != nil {
		return math.NaN()
	}
	return tl.day(d)
}

// axis sets up p.X as a date axis over the whole run.
func (tl *timeline) axis(p *plot.Plot) {
	p.X.Tick.Marker = DateTicks{Start: tl.start}
	p.X.Min, p.X.Max = tl.x[0], tl.x[len(tl.x)-1]
	if p.X.Max == p.X.Min {
		p.X.Max = p.X.Min + 1
	}
	p.X.Padding = 0
}

// dateLines returns the named dates of l that fall within the run, other
// than internal ones, as a [DateLines] plotter (nil if there are none).
func (tl *timeline) dateLines(l *results.Layout) *DateLines {
	var xs []float64
	var names []string
	lo, hi := tl.x[0], tl.x[len(tl.x)-1]
	for _, d := range l.NamedDates {
		x := tl.date(d.Date)
		if d.Internal || math.IsNaN(x) || x < lo || x > hi {
			continue
		}
		xs = append(xs, x)
		names = append(names, d.Name)
	}
	if len(xs) == 0 {
		return nil
	}
	return NewDateLines(xs, names)
}

// lineStyle returns a solid line style.
func lineStyle(c color.Color, width float64) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: vg.Points(width)}
}
