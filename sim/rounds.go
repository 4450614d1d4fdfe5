package sim

import (
	"context"

	"scensim/model"
)

// RunRounds runs trials in rounds, for precision-targeted runs. The first
// round runs opts.Trials trials (from opts.First); after each round, next
// is given the tally so far and returns the total number of trials wanted
// (run, counting those evidence rejected); the rounds stop when it returns
// no more than the trials already run.
// Since every trial is a pure function of (seed, index) and tallies merge
// exactly, the result equals one Run of the final number of trials.
func RunRounds(ctx context.Context, p *model.Plan, opts Options, next func(*Tally) int64) (*Tally, error) {
	total := NewTally(p)
	first, n := opts.First, opts.Trials
	for n > 0 {
		o := opts
		o.First, o.Trials = first+total.Ran(), n // Ran: with evidence, the kept and the rejected trials
		t, err := Run(ctx, p, o)
		if err != nil {
			if intr, ok := err.(*Interrupted); ok {
				intr.Completed += total.Ran()
				intr.Trials = total.Ran() + n
			}
			return nil, err
		}
		total.Merge(t)
		want := next(total)
		if want > model.MaxTrials {
			want = model.MaxTrials
		}
		n = want - total.Ran()
	}
	return total, nil
}
