package score

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"scensim/results"
)

// NoBaseRateError is the error of [Build] when base rates are given but
// some scored outcomes have none.
type NoBaseRateError struct {
	Outcomes []string
}

func (e *NoBaseRateError) Error() string {
	return fmt.Sprintf("no base rate for %s: give each one under base_rates: in the resolutions file, or one base rate for every outcome", strings.Join(e.Outcomes, ", "))
}

// Format is the format tag of a score report's JSON rendering.
const Format = "scensim-score/1"

// DefaultBins is the number of equal-width forecast bins of the Brier
// decomposition and the reliability chart unless asked otherwise.
const DefaultBins = 10

// Scored is one result to score: the result and where it was read from.
type Scored struct {
	Path   string
	Result *results.Result
}

// Options are the choices of [Build].
type Options struct {
	// Bins is the number of equal-width forecast bins ([Decompose]); 0
	// means [DefaultBins].
	Bins int
	// BaseRate, if set, is the base-rate forecast of every outcome that the
	// resolutions file's base_rates: does not give.
	BaseRate *float64
}

// Kinds of forecaster.
const (
	KindResult    = "result"
	KindReference = "reference"
)

// Forecaster is one column of the report: a result, or a reference
// forecaster (50% on every outcome; the base rates).
type Forecaster struct {
	ID    string // short column name: R1, R2, ..., "50%", "base rate"
	Label string // a result's scenario name, run date and seed; a reference's description
	Kind  string // KindResult or KindReference
	Path  string // the result's file; "" for a reference
	// Scored are the forecasts scored, in outcome row order.
	Scored []Forecast
	// Overall are the Brier score and its decomposition over Scored.
	Overall Decomposition
	Log     float64 // the mean log score over Scored; NaN if none
	Clipped int     // forecasts moved by LogClip before their log score
}

// Cell is one forecaster's forecast of one outcome and its scores; P is NaN
// when the forecaster has no forecast (the outcome is not in the result, or
// a conditional outcome whose condition never held in the run), and the
// scores are NaN unless the outcome resolved yes or no.
type Cell struct {
	P     float64
	Brier float64
	Log   float64
}

// Row is one outcome: its resolution and every forecaster's cell, in
// forecaster order.
type Row struct {
	Resolution Resolution
	Cells      []Cell
}

// Report is the scoring of one or more results against resolutions.
type Report struct {
	Resolutions string // the resolutions file
	Bins        int
	Forecasters []Forecaster
	// Rows are every outcome of the results: those of the first result in
	// its order, then those only later results have.
	Rows []Row
}

// Build scores each result against the resolutions. Every outcome that
// resolved yes or no (with its condition true, for a conditional one) is
// scored: by each result that has a forecast for it, and by the reference
// forecasters, 50% and — if base rates are given — the base rate. It is an
// error if base rates are given but a scored outcome has none.
func Build(in []Scored, res *Resolutions, opts Options) (*Report, error) {
	bins := opts.Bins
	if bins == 0 {
		bins = DefaultBins
	}
	if bins < 1 || bins > 1000 {
		return nil, fmt.Errorf("bins: %d, want 1 to 1000", opts.Bins)
	}
	if opts.BaseRate != nil && !(*opts.BaseRate >= 0 && *opts.BaseRate <= 1) {
		return nil, fmt.Errorf("base rate %v: want a probability from 0 to 1", *opts.BaseRate)
	}
	if len(in) == 0 {
		return nil, fmt.Errorf("no results to score")
	}
	rep := &Report{Resolutions: res.File, Bins: bins}
	labels := map[string]int{}
	for i, s := range in {
		l := Label(s.Result)
		labels[l]++
		if labels[l] > 1 {
			l = fmt.Sprintf("%s (%d)", l, labels[l])
		}
		rep.Forecasters = append(rep.Forecasters, Forecaster{ID: fmt.Sprintf("R%d", i+1), Label: l, Kind: KindResult, Path: s.Path})
	}
	rep.Forecasters = append(rep.Forecasters, Forecaster{ID: "50%", Label: "50% on every outcome", Kind: KindReference})
	withBase := opts.BaseRate != nil || len(res.BaseRates) > 0
	if withBase {
		label := "the base rates of the resolutions file"
		if opts.BaseRate != nil {
			label = fmt.Sprintf("base rate %g", *opts.BaseRate)
			if len(res.BaseRates) > 0 {
				label += " where the resolutions file gives none"
			}
		}
		rep.Forecasters = append(rep.Forecasters, Forecaster{ID: "base rate", Label: label, Kind: KindReference})
	}

	var missingBase []string
	for _, name := range outcomeNames(in) {
		row := Row{Resolution: res.Lookup(name), Cells: make([]Cell, len(rep.Forecasters))}
		for i, s := range in {
			row.Cells[i] = Cell{P: forecastOf(s.Result, name)}
		}
		row.Cells[len(in)] = Cell{P: 0.5}
		if withBase {
			p, ok := res.BaseRates[name]
			if !ok && opts.BaseRate != nil {
				p, ok = *opts.BaseRate, true
			}
			if !ok {
				p = math.NaN()
			}
			row.Cells[len(in)+1] = Cell{P: p}
		}
		st := row.Resolution.Status
		scored := st == Yes || st == No
		for j := range row.Cells {
			c := &row.Cells[j]
			c.Brier, c.Log = math.NaN(), math.NaN()
			if !scored {
				continue
			}
			if math.IsNaN(c.P) {
				if j == len(in)+1 {
					missingBase = append(missingBase, name)
				}
				continue
			}
			f := Forecast{P: c.P, Yes: st == Yes}
			c.Brier, c.Log = BrierOne(f), LogOne(f)
			fc := &rep.Forecasters[j]
			fc.Scored = append(fc.Scored, f)
			if Clipped(f) {
				fc.Clipped++
			}
		}
		rep.Rows = append(rep.Rows, row)
	}
	if len(missingBase) > 0 {
		return nil, &NoBaseRateError{Outcomes: missingBase}
	}
	for j := range rep.Forecasters {
		fc := &rep.Forecasters[j]
		d, err := Decompose(fc.Scored, bins)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fc.Label, err)
		}
		fc.Overall, fc.Log = d, Log(fc.Scored)
	}
	return rep, nil
}

// Label names a result for a report: its scenario, the date it was run
// (the manifest's start date if the run's time stamp is missing) and its
// seed.
func Label(r *results.Result) string {
	date := r.Manifest.Start
	if len(r.Run.Started) >= 10 {
		date = r.Run.Started[:10]
	}
	return fmt.Sprintf("%s %s seed %d", r.Manifest.Scenario, date, r.Manifest.Seed)
}

// Outcomes lists the outcomes of the results, for [ParseResolutions]: the
// first result's in order, then those only later results have. An outcome
// is conditional if it is conditional in any result.
func Outcomes(in []Scored) []Outcome {
	var out []Outcome
	for _, s := range in {
		for _, o := range s.Result.Layout.Outcomes {
			i := slices.IndexFunc(out, func(x Outcome) bool { return x.Name == o.Name })
			switch {
			case i < 0:
				out = append(out, Outcome{Name: o.Name, Given: o.Given})
			case out[i].Given == "":
				out[i].Given = o.Given
			}
		}
	}
	return out
}

func outcomeNames(in []Scored) []string {
	outs := Outcomes(in)
	names := make([]string, len(outs))
	for i, o := range outs {
		names[i] = o.Name
	}
	return names
}

// forecastOf is a result's estimate of an outcome, NaN if it has none.
func forecastOf(r *results.Result, name string) float64 {
	for _, o := range r.Outcomes {
		if o.Name == name {
			return o.Estimate.P
		}
	}
	return math.NaN()
}

// Counts of the report's rows by status.
func (r *Report) Counts() (scored, open, condFalse int) {
	for _, row := range r.Rows {
		switch row.Resolution.Status {
		case Yes, No:
			scored++
		case Open:
			open++
		case ConditionFalse:
			condFalse++
		}
	}
	return scored, open, condFalse
}
