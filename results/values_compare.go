package results

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"scensim/tally"
)

// Value outcomes in a comparison. For a value outcome both scenarios have
// (by name), the difference of means is paired trial by trial (common
// random numbers): D = mean of d = v_j − v_first over the trials where the
// value is defined in both, SE = sd(d)/√n, and the interval D ± 1.96·SE.
// IndepSE is the SE two independent runs of the same sizes would give,
// √(var_first/n_first + var_j/n_j), so SE/IndepSE shows what pairing
// gained. For two value outcomes A and B asked for as a ratio, the
// incremental ratio ΔA/ΔB (e.g. cost per QALY gained) comes with a
// delta-method interval over the trials where both are defined in both
// scenarios; it is unreliable when ΔB's interval includes 0, which is
// flagged.

// ValueCompareRow is one value outcome across the scenarios.
type ValueCompareRow struct {
	Name      string       `json:"name"`
	Unit      string       `json:"unit,omitempty"`
	Estimates []*ValueRow  `json:"estimates"` // per scenario; null where it lacks the outcome
	Diffs     []*ValueDiff `json:"diffs"`     // per scenario; null for the first and where either lacks it
}

// ValueDiff is a paired difference of means, scenario j minus the first.
type ValueDiff struct {
	N           int64     `json:"n"` // trials with the value defined in both
	D           JSONFloat `json:"d"`
	SE          JSONFloat `json:"se"`
	Lo          JSONFloat `json:"lo"`
	Hi          JSONFloat `json:"hi"`
	IndepSE     JSONFloat `json:"indep_se"`
	Significant bool      `json:"significant"` // the interval excludes 0
}

// RatioCompareRow is an incremental ratio ΔNum/ΔDen across the scenarios.
type RatioCompareRow struct {
	Num    string        `json:"num"`
	Den    string        `json:"den"`
	Ratios []*ValueRatio `json:"ratios"` // per scenario; null for the first and where either lacks an outcome
}

// ValueRatio is the incremental ratio of scenario j against the first.
type ValueRatio struct {
	N    int64     `json:"n"` // trials with both values defined in both scenarios
	DNum JSONFloat `json:"d_num"`
	DDen JSONFloat `json:"d_den"`
	R    JSONFloat `json:"ratio"`
	SE   JSONFloat `json:"se"`
	Lo   JSONFloat `json:"lo"`
	Hi   JSONFloat `json:"hi"`
	// DenSpansZero: ΔDen's own 95% interval includes 0, so the ratio's
	// interval cannot be trusted.
	DenSpansZero bool `json:"den_spans_zero"`
}

// meanSD returns the mean and sample SD of the defined values of v.
func meanSD(v *tally.Value) (mean, sd float64) {
	n := float64(v.Defined)
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	mean = v.SumFloat() / n
	if n < 2 {
		return mean, math.NaN()
	}
	return mean, math.Sqrt(max(v.SumSqFloat()-n*mean*mean, 0) / (n - 1))
}

// NewValueDiff summarises the paired differences d (a tally of v_j −
// v_first) with the margins first and other for the independent SE.
func NewValueDiff(d, first, other *tally.Value) *ValueDiff {
	m, sd := meanSD(d)
	out := &ValueDiff{N: d.Defined, D: JSONFloat(m), SE: JSONFloat(math.NaN()), Lo: JSONFloat(math.NaN()), Hi: JSONFloat(math.NaN()), IndepSE: JSONFloat(math.NaN())}
	if d.Defined > 1 {
		se := sd / math.Sqrt(float64(d.Defined))
		out.SE, out.Lo, out.Hi = JSONFloat(se), JSONFloat(m-Z95*se), JSONFloat(m+Z95*se)
		out.Significant = m-Z95*se > 0 || m+Z95*se < 0
	}
	_, s0 := meanSD(first)
	_, s1 := meanSD(other)
	if first.Defined > 1 && other.Defined > 1 {
		out.IndepSE = JSONFloat(math.Sqrt(s0*s0/float64(first.Defined) + s1*s1/float64(other.Defined)))
	}
	return out
}

// NewValueRatio computes ΔA/ΔB from the paired tallies of dA and dB over
// the same trials and their cross-product sum (see tally.AddProduct).
func NewValueRatio(da, db *tally.Value, cross [3]uint64) *ValueRatio {
	nan := JSONFloat(math.NaN())
	n := float64(da.Defined)
	out := &ValueRatio{N: da.Defined, DNum: nan, DDen: nan, R: nan, SE: nan, Lo: nan, Hi: nan}
	if da.Defined < 2 || db.Defined != da.Defined {
		return out
	}
	ma, sa := meanSD(da)
	mb, sb := meanSD(db)
	sab := (tally.Signed192Float(cross) - n*ma*mb) / (n - 1)
	r := ma / mb
	out.DNum, out.DDen, out.R = JSONFloat(ma), JSONFloat(mb), JSONFloat(r)
	seB := sb / math.Sqrt(n)
	out.DenSpansZero = !(mb-Z95*seB > 0 || mb+Z95*seB < 0)
	if v := (sa*sa - 2*r*sab + r*r*sb*sb) / (n * mb * mb); v >= 0 && !math.IsInf(v, 0) {
		se := math.Sqrt(v)
		out.SE, out.Lo, out.Hi = JSONFloat(se), JSONFloat(r-Z95*se), JSONFloat(r+Z95*se)
	}
	return out
}

// fmtValueDiff formats "+1.234 [0.9, 1.5]*", the star marking significance.
func fmtValueDiff(d *ValueDiff) string {
	if d == nil || math.IsNaN(float64(d.D)) {
		return "-"
	}
	s := fmtValue(float64(d.D))
	if d.D > 0 {
		s = "+" + s
	}
	if !math.IsNaN(float64(d.Lo)) {
		s += " [" + fmtValue(float64(d.Lo)) + ", " + fmtValue(float64(d.Hi)) + "]"
	}
	if d.Significant {
		s += "*"
	}
	return s
}

func fmtValueSEs(d *ValueDiff) string {
	if d == nil || math.IsNaN(float64(d.SE)) {
		return "-"
	}
	s := "±" + fmtValue(float64(d.SE))
	if !math.IsNaN(float64(d.IndepSE)) && d.IndepSE > 0 {
		s += fmt.Sprintf(" (%.2f)", float64(d.SE/d.IndepSE))
	}
	return s
}

func fmtValueMean(v *ValueRow) string {
	if v == nil {
		return "-"
	}
	s := fmtValue(float64(v.Mean))
	if v.UndefinedShare > 0 {
		s += " (" + fmtPct(v.UndefinedShare) + " undef.)"
	}
	return s
}

func fmtValueRatio(r *ValueRatio) string {
	if r == nil || math.IsNaN(float64(r.R)) {
		return "-"
	}
	s := fmtValue(float64(r.R))
	if !math.IsNaN(float64(r.Lo)) {
		s += " [" + fmtValue(float64(r.Lo)) + ", " + fmtValue(float64(r.Hi)) + "]"
	}
	if r.DenSpansZero {
		s += " (denominator's interval includes 0: unreliable)"
	}
	return s
}

const valueCompareNote = "value outcomes: mean in each scenario; paired difference of means with its 95% CI (* excludes 0) " +
	"and SE, in brackets the SE's ratio to that of independent runs"

// writeValueCompare writes the value outcome and ratio tables of scenario j
// against the first (nothing without value outcomes).
func (c *Comparison) writeValueCompare(b *strings.Builder, j int, labels []string, markdown bool) {
	if len(c.Values) == 0 {
		return
	}
	head := []string{"value outcome", labels[0], labels[j], "difference [95% CI]", "se (vs indep.)"}
	var rows [][]string
	for _, r := range c.Values {
		name := r.Name
		if r.Unit != "" {
			name += " (" + r.Unit + ")"
		}
		rows = append(rows, []string{name, fmtValueMean(r.Estimates[0]), fmtValueMean(r.Estimates[j]), fmtValueDiff(r.Diffs[j]), fmtValueSEs(r.Diffs[j])})
	}
	var ratioRows [][]string
	for _, r := range c.Ratios {
		ratioRows = append(ratioRows, []string{"Δ" + r.Num + " / Δ" + r.Den, fmtValueRatio(r.Ratios[j])})
	}
	if markdown {
		fmt.Fprintf(b, "\n#### Value outcomes: %s vs %s\n\n", mdCell(labels[j]), mdCell(labels[0]))
		mdRow(b, head...)
		mdRow(b, ":--", "--:", "--:", "--:", "--:")
		for _, r := range rows {
			mdRow(b, mdCell(r[0]), r[1], r[2], r[3], r[4])
		}
		if len(ratioRows) > 0 {
			b.WriteString("\n")
			mdRow(b, "incremental ratio", "estimate [95% CI]")
			mdRow(b, ":--", "--:")
			for _, r := range ratioRows {
				mdRow(b, mdCell(r[0]), mdCell(r[1]))
			}
		}
		b.WriteString("\n" + strings.ToUpper(valueCompareNote[:1]) + valueCompareNote[1:] + ".\n")
		return
	}
	fmt.Fprintf(b, "\nVALUE OUTCOMES: %s vs %s\n", labels[j], labels[0])
	t := &table{align: "lrrll"}
	t.add(head...)
	for _, r := range rows {
		t.add(r...)
	}
	t.write(b)
	if len(ratioRows) > 0 {
		t := &table{align: "ll"}
		t.add("incremental ratio", "estimate [95% CI]")
		for _, r := range ratioRows {
			t.add(r...)
		}
		t.write(b)
	}
	b.WriteString("note: " + valueCompareNote + "\n")
}

// CompareValuesCSVName is the file a comparison with value outcomes adds.
const CompareValuesCSVName = "compare_values.csv"

// WriteCompareValuesCSV writes one line per value outcome (kind "value")
// or ratio (kind "ratio") and scenario: kind, name, scenario, then for a
// value: defined, undefined_share, mean, se, lo95, hi95 and, for scenarios
// after the first, the paired difference n, diff, diff_se, diff_lo95,
// diff_hi95, indep_se, significant; for a ratio (scenarios after the
// first) only n, then the ratio, its se, lo95 and hi95 in the diff
// columns, significant (its interval excludes 0) and den_spans_zero (the
// denominator's interval includes 0: unreliable). An undefined number is
// empty.
func WriteCompareValuesCSV(w io.Writer, c *Comparison) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write([]string{"kind", "name", "scenario", "defined", "undefined_share", "mean", "se", "lo95", "hi95",
		"n", "diff", "diff_se", "diff_lo95", "diff_hi95", "indep_se", "significant", "den_spans_zero"})
	f := func(x JSONFloat) string { return csvFloat(float64(x)) }
	for _, r := range c.Values {
		for j, e := range r.Estimates {
			if e == nil {
				continue
			}
			rec := []string{"value", r.Name, c.Scenarios[j].Label, csvInt(e.Defined), csvFloat(e.UndefinedShare), f(e.Mean), f(e.SE), f(e.Lo95), f(e.Hi95)}
			if d := r.Diffs[j]; d != nil {
				rec = append(rec, csvInt(d.N), f(d.D), f(d.SE), f(d.Lo), f(d.Hi), f(d.IndepSE), strconv.FormatBool(d.Significant), "")
			} else {
				rec = append(rec, "", "", "", "", "", "", "", "")
			}
			_ = cw.Write(rec)
		}
	}
	for _, r := range c.Ratios {
		for j, x := range r.Ratios {
			if x == nil {
				continue
			}
			_ = cw.Write([]string{"ratio", r.Num + "/" + r.Den, c.Scenarios[j].Label, "", "", "", "", "", "",
				csvInt(x.N), f(x.R), f(x.SE), f(x.Lo), f(x.Hi), "", strconv.FormatBool(x.Lo > 0 || x.Hi < 0), strconv.FormatBool(x.DenSpansZero)})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
