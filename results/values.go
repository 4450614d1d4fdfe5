package results

import (
	"fmt"
	"math"
	"strconv"

	"scensim/tally"
)

// ValueLayout describes one value outcome: a number per trial, summarised
// by a mean, a spread and quantiles. Kind is "value" (an expression at the
// horizon) or "accumulate" (a per-step expression summed over the trial,
// with an annual Discount rate and optional half-cycle correction).
// Bins equal histogram bins cover [Lo, Hi); values outside are counted in
// an underflow and an overflow counter.
type ValueLayout struct {
	Name      string   `json:"name"`
	Why       string   `json:"why"`
	Source    []string `json:"source"`
	Unit      string   `json:"unit,omitempty"`
	Kind      string   `json:"kind"`
	Expr      string   `json:"expr"`
	Discount  float64  `json:"discount,omitempty"`
	HalfCycle bool     `json:"half_cycle,omitempty"`
	Bins      int      `json:"bins"`
	Lo        float64  `json:"lo"`
	Hi        float64  `json:"hi"`
	OutcomeMeta
}

// ValueQuantiles are the probabilities of the quantiles a value row reports.
var ValueQuantiles = [...]float64{0.05, 0.25, 0.5, 0.75, 0.95}

// Quantile is a quantile estimated from a value outcome's histogram. The
// true sample quantile (the smallest defined value v with at least a share
// P of the defined values ≤ v) lies in [Lo, Hi], the part of its histogram
// bin between the sample's exact minimum and maximum; Value is the bin's
// centre moved into [Lo, Hi], so its error is at most half a bin width
// inside the declared range, and nothing when the values sit at the bins'
// centres (e.g. whole weeks with `range: [-0.5, 52.5]` and 53 bins).
// Outside is true when the quantile falls below or above the declared
// range, where the bound is as wide as the gap to the minimum or maximum.
type Quantile struct {
	P       float64 `json:"p"`
	Value   float64 `json:"value"`
	Lo      float64 `json:"lo"`
	Hi      float64 `json:"hi"`
	Outside bool    `json:"outside,omitempty"`
}

// ValueRow is the summary of one value outcome over the defined trials:
// Mean with its Monte Carlo standard error SE = SD/√Defined and the normal
// 95% interval Mean ± 1.96·SE, the sample standard deviation SD (n − 1
// denominator), exact Min and Max, the quantiles, and the share of trials
// whose value was undefined. With no defined trial, the statistics are NaN
// in memory and null in JSON.
type ValueRow struct {
	Name           string     `json:"name"`
	Unit           string     `json:"unit,omitempty"`
	Trials         int64      `json:"trials"`
	Defined        int64      `json:"defined"`
	UndefinedShare float64    `json:"undefined_share"`
	Mean           JSONFloat  `json:"mean"`
	SE             JSONFloat  `json:"se"`
	Lo95           JSONFloat  `json:"lo95"`
	Hi95           JSONFloat  `json:"hi95"`
	SD             JSONFloat  `json:"sd"`
	Min            JSONFloat  `json:"min"`
	Max            JSONFloat  `json:"max"`
	Quantiles      []Quantile `json:"quantiles"`
	BinWidth       float64    `json:"bin_width"`
	// Range is the range over the assumptions of E[value | params] in a
	// nested run (nil for a flat run), and SE, Lo95 and Hi95 are then the
	// simulation error for the clustered design (see [ClusterMean],
	// [DrawMeanRange]).
	Range *Spread `json:"range,omitempty"`
}

// JSONFloat is a float64 that encodes NaN and infinities as null.
type JSONFloat float64

// MarshalJSON encodes f, or null if it is not finite.
func (f JSONFloat) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, x, 'g', -1, 64), nil
}

// UnmarshalJSON decodes a number, or null as NaN.
func (f *JSONFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = JSONFloat(math.NaN())
		return nil
	}
	x, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("results: %s is not a number", b)
	}
	*f = JSONFloat(x)
	return nil
}

// NewValueRow summarises the value tally v of an outcome laid out as l
// among trials trials.
func NewValueRow(l *ValueLayout, v *tally.Value, trials int64) ValueRow {
	nan := JSONFloat(math.NaN())
	row := ValueRow{Name: l.Name, Unit: l.Unit, Trials: trials, Defined: v.Defined,
		Mean: nan, SE: nan, Lo95: nan, Hi95: nan, SD: nan, Min: nan, Max: nan,
		BinWidth: (l.Hi - l.Lo) / float64(l.Bins)}
	if trials > 0 {
		row.UndefinedShare = float64(v.Undefined) / float64(trials)
	}
	n := float64(v.Defined)
	if v.Defined == 0 {
		return row
	}
	mean := v.SumFloat() / n
	row.Mean = JSONFloat(mean)
	row.Min, row.Max = JSONFloat(float64(v.Min)*tally.ValueQuantum), JSONFloat(float64(v.Max)*tally.ValueQuantum)
	if v.Defined > 1 {
		ss := v.SumSqFloat() - n*mean*mean
		sd := math.Sqrt(max(ss, 0) / (n - 1))
		se := sd / math.Sqrt(n)
		row.SD, row.SE = JSONFloat(sd), JSONFloat(se)
		row.Lo95, row.Hi95 = JSONFloat(mean-1.96*se), JSONFloat(mean+1.96*se)
	}
	for _, p := range ValueQuantiles {
		row.Quantiles = append(row.Quantiles, histQuantile(l, v, p))
	}
	return row
}

// histQuantile estimates the p-quantile of the defined values of v from
// its histogram (see Quantile).
func histQuantile(l *ValueLayout, v *tally.Value, p float64) Quantile {
	mn, mx := float64(v.Min)*tally.ValueQuantum, float64(v.Max)*tally.ValueQuantum
	target := math.Max(1, math.Ceil(p*float64(v.Defined))) // rank of the quantile, 1-based
	w := (l.Hi - l.Lo) / float64(l.Bins)
	var before int64
	for b, c := range v.Hist {
		if c == 0 || float64(before+c) < target {
			before += c
			continue
		}
		var lo, hi float64
		switch b {
		case 0:
			lo, hi = mn, math.Min(l.Lo, mx)
		case l.Bins + 1:
			lo, hi = math.Max(l.Hi, mn), mx
		default:
			lo, hi = l.Lo+float64(b-1)*w, l.Lo+float64(b)*w
		}
		mid := lo + (hi-lo)/2
		lo, hi = math.Max(lo, mn), math.Min(hi, mx)
		return Quantile{P: p, Value: math.Min(math.Max(mid, lo), hi), Lo: lo, Hi: hi, Outside: b == 0 || b == l.Bins+1}
	}
	return Quantile{P: p, Value: mx, Lo: mx, Hi: mx}
}

// computeValues derives the value rows of a result.
func computeValues(l *Layout, c *Counts) []ValueRow {
	if len(l.Values) == 0 {
		return nil
	}
	rows := make([]ValueRow, len(l.Values))
	for i := range l.Values {
		rows[i] = NewValueRow(&l.Values[i], &c.Values[i], c.Trials)
		if hasDrawValues(c) {
			nestValueRow(&rows[i], c, i)
		}
	}
	return rows
}

// checkValueCounts reports whether the value tallies of c fit l: one per
// value outcome, Bins+2 histogram counters each summing to Defined, and
// Defined+Undefined == Trials.
func (l *Layout) checkValueCounts(c *Counts) error {
	if len(c.Values) != len(l.Values) {
		return fmt.Errorf("counts: values has %d entries, layout implies %d", len(c.Values), len(l.Values))
	}
	for i, vl := range l.Values {
		v := &c.Values[i]
		if len(v.Hist) != vl.Bins+2 {
			return fmt.Errorf("counts: values[%d] (%s) has %d histogram counters, layout implies %d", i, vl.Name, len(v.Hist), vl.Bins+2)
		}
		var sum int64
		for _, h := range v.Hist {
			if h < 0 {
				return fmt.Errorf("counts: values[%d] (%s) has a negative histogram counter", i, vl.Name)
			}
			sum += h
		}
		if v.Defined < 0 || v.Undefined < 0 || sum != v.Defined || v.Defined+v.Undefined != c.Trials {
			return fmt.Errorf("counts: values[%d] (%s): defined %d, undefined %d and histogram total %d do not fit %d trials",
				i, vl.Name, v.Defined, v.Undefined, sum, c.Trials)
		}
	}
	return nil
}

// validateValues checks the value outcomes of l.
func (l *Layout) validateValues() error {
	for i, v := range l.Values {
		if v.Name == "" || v.Bins < 1 || !(v.Lo < v.Hi) || math.IsInf(v.Lo, 0) || math.IsInf(v.Hi, 0) {
			return fmt.Errorf("layout: value outcome %d (%q) needs a name, bins ≥ 1 and a finite range lo < hi", i, v.Name)
		}
	}
	return nil
}

// newValueTallies returns zero value tallies sized for l.
func (l *Layout) newValueTallies() []tally.Value {
	if len(l.Values) == 0 {
		return nil
	}
	out := make([]tally.Value, len(l.Values))
	for i, v := range l.Values {
		out[i] = tally.NewValue(v.Bins)
	}
	return out
}

func cloneValueLayouts(vs []ValueLayout) []ValueLayout {
	if vs == nil {
		return nil
	}
	out := make([]ValueLayout, len(vs))
	for i, v := range vs {
		v.Source = cloneSlice(v.Source)
		out[i] = v
	}
	return out
}
