// Package chart draws the charts of a scensim result with gonum/plot.
//
// It works from a [results.Result] alone (never the model or the engine), so
// a saved result.json can be charted again without re-running, and every
// chart can be tested on a hand-built result.
//
// Charts (see [All] for the file names):
//
//   - [Outcomes]: outcome probabilities as sorted horizontal bars with 95%
//     Wilson interval whiskers and the estimate printed at each bar.
//   - [Reached]: P(reached by date) over calendar time for chosen states, one
//     line per state with a shaded 95% band (and, in a nested run, a wider
//     band for the range over assumptions).
//   - [Draws]: for one outcome of a nested run, its probability across the
//     parameter draws, with the 5%, 50% and 95% quantiles of its range.
//   - [Occupancy]: for one track, the share of trials in each state at each
//     point as a stacked area (the layers sum to 1 at every point).
//   - [FirstEntry]: the histogram of the first-entry date of one state, with
//     its 10%, 50% and 90% quantiles.
//   - [Params]: histograms of the drawn values of the sampled parameters,
//     with the density of the distribution as written.
//
// Every chart is titled with the scenario name, the trial count and the seed;
// time axes show calendar dates (x is days since the first point, labelled
// with [DateTicks]), and the scenario's named dates are drawn as labelled
// vertical lines ([DateLines]) whose labels sit above the data area. Legends
// are drawn in a margin to the right of the data area, so they never cover
// data. Colours come from the Okabe–Ito palette, which stays distinct for
// the common forms of colour blindness.
//
// The charts are composed from small plotters: [DateLines], [Band] (a shaded
// interval), [StackedArea] and [Margin] (room for a legend), beside gonum's
// BarChart, XErrorBars, Line, Histogram, Labels and Function.
//
// Output is deterministic: the same result gives byte-identical PNG, SVG and
// PDF files (the PDF creation date is fixed, see [Render]).
package chart
