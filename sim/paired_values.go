package sim

import (
	"math"

	"scensim/model"
	"scensim/tally"
)

// Paired value outcomes. A paired run also compares the value outcomes
// that plan 0 and plan j share by name: trial by trial, the difference
// d = v_j − v_0 over the trials where the value is defined in both, so
// that the common random numbers cancel what the plans share. For each
// pair of shared value outcomes (A, B) it also keeps what the incremental
// ratio ΔA/ΔB and its delta-method interval need: the sums of dA, dB,
// dA², dB² and dA·dB over the trials where both are defined in both
// plans. All sums are exact integers in tally.ValueQuantum units, so they
// merge exactly, whatever the workers.

// PairedValue is the paired difference of one value outcome of plan 0
// against plan j.
type PairedValue struct {
	Name string
	// Diff tallies d = v_j − v_0: Defined counts the trials where both are
	// defined, Undefined the others (no histogram).
	Diff tally.Value
}

// PairedRatio holds the paired sums of value outcomes A and B (by their
// index among plan 0's value outcomes) over the trials where both are
// defined in plan 0 and in plan j.
type PairedRatio struct {
	A, B   int
	DA, DB tally.Value // dA and dB over those trials (no histogram)
	Cross  [3]uint64   // Σ dA·dB in quanta², signed 192-bit (see tally.AddProduct)
}

// pairedValues is a worker's record of the value comparisons of a paired
// run: for plan j (j ≥ 1), idx[j][v] is the index in plan j of plan 0's
// value outcome v, or -1.
type pairedValues struct {
	idx    [][]int
	diffs  [][]PairedValue // [j][v]
	ratios [][]PairedRatio // [j][pair]
	vals   [][]float64     // [j]: the current trial's values of plan j, by plan 0's index
}

func newPairedValues(plans []*model.Plan) *pairedValues {
	pv := &pairedValues{}
	p0 := plans[0]
	for _, p := range plans {
		idx := make([]int, len(p0.Values))
		diffs := make([]PairedValue, len(p0.Values))
		for v, vo := range p0.Values {
			idx[v] = -1
			for i, w := range p.Values {
				if w.Name == vo.Name {
					idx[v] = i
				}
			}
			diffs[v] = PairedValue{Name: vo.Name}
		}
		var ratios []PairedRatio
		for a := range p0.Values {
			for b := range p0.Values {
				if a != b && idx[a] >= 0 && idx[b] >= 0 {
					ratios = append(ratios, PairedRatio{A: a, B: b})
				}
			}
		}
		pv.idx = append(pv.idx, idx)
		pv.diffs = append(pv.diffs, diffs)
		pv.ratios = append(pv.ratios, ratios)
		pv.vals = append(pv.vals, make([]float64, len(p0.Values)))
	}
	return pv
}

// record keeps plan j's values of the trial just run on tr.
func (pv *pairedValues) record(j int, tr *Trialer) {
	last := tr.Values()
	for v, i := range pv.idx[j] {
		pv.vals[j][v] = math.NaN()
		if i >= 0 {
			pv.vals[j][v] = last[i]
		}
	}
}

// count adds the trial's differences of every plan against plan 0.
func (pv *pairedValues) count() {
	v0 := pv.vals[0]
	for j := 1; j < len(pv.vals); j++ {
		vj := pv.vals[j]
		for v := range pv.diffs[j] {
			if pv.idx[j][v] < 0 {
				continue
			}
			d := &pv.diffs[j][v].Diff
			if q, ok := diffQuanta(v0[v], vj[v]); ok {
				d.Add(q, 0)
			} else {
				d.Undefined++
			}
		}
		for k := range pv.ratios[j] {
			r := &pv.ratios[j][k]
			qa, okA := diffQuanta(v0[r.A], vj[r.A])
			qb, okB := diffQuanta(v0[r.B], vj[r.B])
			if !okA || !okB {
				r.DA.Undefined++
				r.DB.Undefined++
				continue
			}
			r.DA.Add(qa, 0)
			r.DB.Add(qb, 0)
			tally.AddProduct(&r.Cross, qa, qb)
		}
	}
}

// diffQuanta returns b − a in quanta, each rounded first (so that the
// difference is exact), and false if either is undefined.
func diffQuanta(a, b float64) (int64, bool) {
	qa, okA := tally.Quantise(a)
	qb, okB := tally.Quantise(b)
	return qb - qa, okA && okB
}

// merge adds o into pv.
func (pv *pairedValues) merge(o *pairedValues) {
	for j := range pv.diffs {
		for v := range pv.diffs[j] {
			pv.diffs[j][v].Diff.Merge(&o.diffs[j][v].Diff)
		}
		for k := range pv.ratios[j] {
			r, s := &pv.ratios[j][k], &o.ratios[j][k]
			r.DA.Merge(&s.DA)
			r.DB.Merge(&s.DB)
			tally.MergeSigned192(&r.Cross, s.Cross)
		}
	}
}
