package sim

import (
	"scensim/model"
	"scensim/tally"
)

// Tally holds the integer counts of a run: the one counts type, shared
// with the results (see package tally for the layout of its slices and its
// Merge). Global state g runs over the tracks in order, then over each
// track's states; P = Steps+1 points; each sampled param has HistBins+2
// histogram counters (under, bins, over).
type Tally = tally.Counts

// NewTally returns a zero tally sized for plan.
func NewTally(p *model.Plan) *Tally {
	nd := 0
	for _, par := range p.Params {
		if par.Dist != nil {
			nd++
		}
	}
	t := tally.New(len(p.Outcomes), len(p.States), p.Steps+1, nd*(HistBins+2))
	t.Values = NewValueTallies(p)
	if len(p.Evidence) > 0 {
		t.Conditioned = true
		t.RejectedHist = make([]int64, len(t.ParamHist))
	}
	return t
}
