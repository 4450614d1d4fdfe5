package sim

import "scensim/model"

// StepsWalked runs trials 0..trials-1 of p on one runner and returns the
// number of steps their step loops walked.
func StepsWalked(p *model.Plan, seed uint64, trials int64) (int64, error) {
	r := newRunner(p, seed)
	t := newTallyFor(p, Params{}, 0, trials)
	for i := range trials {
		if err := r.trial(i, t, nil); err != nil {
			return 0, err
		}
	}
	return r.walked, nil
}
