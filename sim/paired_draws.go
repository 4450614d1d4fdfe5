package sim

import (
	"scensim/model"
	"scensim/tally"
)

// Paired runs under uncertainty.
//
// With opts.Params nested (PerDraw m > 0), RunPaired runs every plan on the
// same parameter draws: trial i belongs to draw d = ⌊i/m⌋ in every plan,
// and the draw's value of a param is keyed by (seed, d, param name), so a
// param that two plans share (same name, same dist) takes the same value in
// draw d of both, while a param one plan changes takes its own. Common
// random numbers then extend from trials to draws, and the run keeps, per
// draw, the counts from which the per-draw paired differences follow
// (PairedDraws); results.DrawDifference summarises them.

// PairedDraws are the per-draw counts of a nested paired run. With R rows
// and J plans, for draw d, row r and plan j, at index (d·R + r)·J + j:
//
//   - Hits: trials of draw d that answered yes in plan j;
//   - Given: trials of draw d that gave an answer (yes or no) in plan j:
//     all of the draw's trials for a reached-by row or an unconditional
//     outcome, those whose given held for a conditional one;
//   - Disc: trials of draw d whose answer differs between plan 0 and plan
//     j (discordant pairs: yes in one, not yes in the other; 0 for j = 0).
//
// Trials[d] is the number of trials of draw d. A row absent from plan j (or
// from plan 0, for Disc) counts nothing there. The counters are int32: a
// draw holds at most model.MaxTrials < 2³¹ trials. The memory is 12·K·R·J
// bytes per worker (about 31 MB for 200 draws, 323 rows and 20 plans).
//
// Values[(d·V + v)·J + j] tallies, for plan 0's value outcome v (V of
// them) and plan j ≥ 1 that shares it, the paired differences v_j − v_0
// of draw d's trials (as PairedTally.Values does over all trials).
type PairedDraws struct {
	PerDraw     int64
	Rows, Plans int
	Trials      []int64
	Hits        []int32
	Given       []int32
	Disc        []int32
	NumValues   int
	Values      []tally.Value
}

// ValueAt is the index of (draw d, value outcome v, plan j) in Values.
func (p *PairedDraws) ValueAt(d, v, j int) int { return (d*p.NumValues+v)*p.Plans + j }

// At is the index of (draw d, row r, plan j) in Hits, Given and Disc.
func (p *PairedDraws) At(d, r, j int) int { return (d*p.Rows+r)*p.Plans + j }

// Draws is the number of draws counted.
func (p *PairedDraws) Draws() int { return len(p.Trials) }

func newPairedDraws(ps Params, first, n int64, rows, plans, values int) *PairedDraws {
	if !ps.nested() {
		return nil
	}
	k := int(DrawsOf(first+n, ps.PerDraw))
	size := k * rows * plans
	return &PairedDraws{PerDraw: ps.PerDraw, Rows: rows, Plans: plans, Trials: make([]int64, k),
		Hits: make([]int32, size), Given: make([]int32, size), Disc: make([]int32, size),
		NumValues: values, Values: make([]tally.Value, k*values*plans)}
}

// recordValues counts one trial's paired value differences in its draw.
func (p *PairedDraws) recordValues(trial int64, pv *pairedValues) {
	d := int(trial / p.PerDraw)
	v0 := pv.vals[0]
	for j := 1; j < len(pv.vals); j++ {
		for v, i := range pv.idx[j] {
			if i < 0 {
				continue
			}
			t := &p.Values[p.ValueAt(d, v, j)]
			if q, ok := diffQuanta(v0[v], pv.vals[j][v]); ok {
				t.Add(q, 0)
			} else {
				t.Undefined++
			}
		}
	}
}

// record counts one trial's answers vals[j][r] (1 yes, 0 no, -1 no answer)
// in its draw.
func (p *PairedDraws) record(trial int64, vals [][]int8, rows [][]Probe) {
	d := int(trial / p.PerDraw)
	p.Trials[d]++
	for r, row := range rows {
		base := p.At(d, r, 0)
		for j, q := range row {
			if q.IsAbsent() {
				continue
			}
			v := vals[j][r]
			if v >= 0 {
				p.Given[base+j]++
			}
			if v > 0 {
				p.Hits[base+j]++
			}
			if j > 0 && !row[0].IsAbsent() && (v > 0) != (vals[0][r] > 0) {
				p.Disc[base+j]++
			}
		}
	}
}

// merge adds o into p (both sized for the same run).
func (p *PairedDraws) merge(o *PairedDraws) {
	for i, v := range o.Trials {
		p.Trials[i] += v
	}
	for i := range o.Hits {
		p.Hits[i] += o.Hits[i]
		p.Given[i] += o.Given[i]
		p.Disc[i] += o.Disc[i]
	}
	for i := range o.Values {
		p.Values[i].Merge(&o.Values[i])
	}
}

// newPairedTrialer is a Trialer whose params are drawn as ps says, with a
// tally sized for trials first..first+n−1.
func newPairedTrialer(p *model.Plan, seed uint64, ps Params, first, n int64) *Trialer {
	tr := &Trialer{r: newRunner(p, seed), t: newTallyFor(p, ps, first, n)}
	tr.r.nest.params = ps
	return tr
}
