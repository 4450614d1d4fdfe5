package analysis

import (
	"math"
	"strings"

	"scensim/model"
)

// Value outcomes in a Sobol analysis: the indices of E[value | θ], the
// mean of the value over a row's K trials, with the same estimators as for
// P(outcome | θ) (see sobolRows.fill): the products of two matrices' means
// are estimated from the row's sums of cross products, which removes the
// inner noise. Each row's sums are float sums over its trials in trial
// order, all added by the one worker that runs the row, so the result does
// not depend on the workers. A value outcome undefined in some trial of the
// design (an entry date never reached) gets no indices: the estimators need
// a value in every trial.

// sobolValues accumulates, per row and value outcome, the sums of a
// Saltelli design's outputs: [Σa, Σb, Σc_1 … Σc_d, Σa², Σb², Σab, then per
// param i: Σc_i², Σa·c_i, Σb·c_i, and last the count of trials with an
// undefined value] (a: matrix A, b: B, c_i: AB_i).
type sobolValues struct {
	nv, d int
	k     int64
	sums  []float64
}

func newSobolValues(p *model.Plan, rows int, k int64, d int) *sobolValues {
	if len(p.Values) == 0 {
		return nil
	}
	return &sobolValues{nv: len(p.Values), d: d, k: k, sums: make([]float64, rows*len(p.Values)*(6+4*d))}
}

func (sv *sobolValues) width() int { return 6 + 4*sv.d }

func (sv *sobolValues) row(r, j int) []float64 {
	w := sv.width()
	return sv.sums[(r*sv.nv+j)*w : (r*sv.nv+j+1)*w]
}

// visit adds one trial of every matrix (vals[m], m = 0 A, 1 B, 2+i AB_i).
func (sv *sobolValues) visit(_ int, trial int64, vals [][]float64) {
	d, r := sv.d, int(trial/sv.k)
	for j := range sv.nv {
		s := sv.row(r, j)
		defined := true
		for _, v := range vals {
			defined = defined && finite(v[j]) && math.Abs(v[j]) <= 1<<42
		}
		if !defined {
			s[len(s)-1]++
			continue
		}
		a, b := vals[0][j], vals[1][j]
		s[0] += a
		s[1] += b
		s[d+2] += a * a
		s[d+3] += b * b
		s[d+4] += a * b
		for i := range d {
			c := vals[2+i][j]
			s[2+i] += c
			q := s[d+5+3*i:]
			q[0] += c * c
			q[1] += a * c
			q[2] += b * c
		}
	}
}

// outcome computes the indices of value outcome j.
func (sv *sobolValues) outcome(j int, name, unit string, pnames []string, boots int, seed uint64) SobolOutcome {
	d := sv.d
	n := len(sv.sums) / (sv.nv * sv.width())
	so := SobolOutcome{Name: name, Unit: unit, Mean: math.NaN(), Var: math.NaN(), Indices: []SobolIndex{}}
	rows := newSobolRows(n, d)
	kf := float64(sv.k)
	noise := 0.0
	for r := range n {
		s := sv.row(r, j)
		if s[len(s)-1] > 0 {
			so.Skipped = "undefined in some trials: Sobol indices need a value in every trial"
			return so
		}
		rows.fill(r, kf, func(m int) float64 { return s[m] / kf }, func(m1, m2 int) float64 {
			switch {
			case m1 == m2 && m1 < 2:
				return s[d+2+m1]
			case m1 == m2:
				return s[d+5+3*(m1-2)]
			case m1 == 0 && m2 == 1:
				return s[d+4]
			default: // (2+i, 0) or (2+i, 1)
				return s[d+5+3*(m1-2)+1+m2]
			}
		})
		for m := range 2 {
			mean := s[m] / kf
			noise += math.Max(s[d+2+m]-kf*mean*mean, 0) / (kf - 1) / kf / 2
		}
	}
	idx, v, mean := rows.indices(pnames, boots, seed)
	so.Indices, so.Var, so.Mean, so.Noise = idx, v, mean, noise/float64(n)
	if !(v > 0) {
		so.Skipped = "E[value | θ] does not vary with the params (no variance to apportion)"
		so.Var = math.Max(v, 0)
	}
	return so
}

// valueTables renders the value outcomes' indices: sobol_values.csv (long)
// and, in text and Markdown, the total-order indices of each.
func (s *Sobol) valueTables() []*Table {
	if len(s.Values) == 0 {
		return nil
	}
	long := &Table{Name: "sobol_values", NoText: true, Columns: []string{"value_outcome", "unit", "param", "s1", "s1_se", "s1_lo95", "s1_hi95", "st", "st_se", "st_lo95", "st_hi95", "mean", "var", "noise"}}
	sum := &Table{NoCSV: true, Title: "Value outcomes: total-order indices ST (share of the variance of E[value | θ] that involves the param)",
		Columns: []string{"value outcome", "mean", "sd", "noise"}}
	for _, p := range s.Params {
		sum.Columns = append(sum.Columns, p.Name)
	}
	var skipped []string
	for _, o := range s.Values {
		if o.Skipped != "" {
			skipped = append(skipped, o.Name+" ("+o.Skipped+")")
			continue
		}
		name := o.Name
		if o.Unit != "" {
			name += " (" + o.Unit + ")"
		}
		row := []string{name, sig4(o.Mean), sig4(math.Sqrt(o.Var)), pct0(o.NoiseShare())}
		for _, x := range o.Indices {
			row = append(row, fix(x.ST, 2))
			long.add(o.Name, o.Unit, x.Param, f6(x.S1), f6(x.S1SE), f6(x.S1Lo), f6(x.S1Hi), f6(x.ST), f6(x.STSE), f6(x.STLo), f6(x.STHi), f6(o.Mean), f6(o.Var), f6(o.Noise))
		}
		sum.add(row...)
	}
	sum.Notes = append(sum.Notes, "E[value | θ]: the mean of the value over a row's trials; noise: the share of its variance that is inner noise (see sobol_values.csv for S1 and the intervals)")
	if len(skipped) > 0 {
		sum.Notes = append(sum.Notes, "no indices: "+strings.Join(skipped, "; "))
	}
	return []*Table{long, sum}
}
