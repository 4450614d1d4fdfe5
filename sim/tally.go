package sim

import (
	"scensim/model"
)

// Tally holds the integer counts of a run. Global state g runs over the
// tracks in order, then over each track's states; P = Steps+1 points.
type Tally struct {
	Trials    int64
	Hits      []int64 // per outcome: trials where when (and given) held
	Given     []int64 // per outcome: trials where given held (Trials if none)
	Entry     []int64 // [g*(P+1)+k]: first entry into g at point k; k == P: never
	Occupancy []int64 // [k*S+g]: trials in state g at point k
	ParamHist []int64 // per sampled param: HistBins+2 counts (under, bins, over)
}

// NewTally returns a zero tally sized for plan.
func NewTally(p *model.Plan) *Tally {
	P, S := p.Steps+1, len(p.States)
	nd := 0
	for _, par := range p.Params {
		if par.Dist != nil {
			nd++
		}
	}
	return &Tally{
		Hits:      make([]int64, len(p.Outcomes)),
		Given:     make([]int64, len(p.Outcomes)),
		Entry:     make([]int64, S*(P+1)),
		Occupancy: make([]int64, P*S),
		ParamHist: make([]int64, nd*(HistBins+2)),
	}
}

// Merge adds o into t. Both must come from the same plan.
func (t *Tally) Merge(o *Tally) {
	t.Trials += o.Trials
	add := func(a, b []int64) {
		for i := range a {
			a[i] += b[i]
		}
	}
	add(t.Hits, o.Hits)
	add(t.Given, o.Given)
	add(t.Entry, o.Entry)
	add(t.Occupancy, o.Occupancy)
	add(t.ParamHist, o.ParamHist)
}
