package sim

// occRecord is a runner's record of occupancy, kept as changes: per
// point k and global state g, the entries into g at point k minus the
// exits, over the trials run since the last flush.
//
// A trial changes each entry by at most one: a global state belongs to one
// track, which starts in one state and makes at most one move per step
// (into one state, out of another), and a rejected trial takes back its
// own changes. The changes of the last few trials are therefore counted in
// bytes (moves), an eighth of the int64 record, so that a large model's
// record stays in the processor's caches while trials run; before the
// byte counters could overflow, they are settled into int64 totals, and a
// flush adds those to a tally. The result is the same, count for count, as
// an int64 record.
type occRecord struct {
	moves   []int8  // [k*S+g]: changes since the last settle
	settled []int64 // [k*S+g]: changes settled since the last flush (nil until the first settle)
	trials  int     // trials begun since the last settle
}

// settleEvery is the number of trials whose changes the byte counters can
// hold: at most one per trial and entry, within int8's range.
const settleEvery = 127

// newOccRecord returns an empty record of points × states entries.
func newOccRecord(points, states int) occRecord {
	return occRecord{moves: make([]int8, points*states)}
}

// beginTrial makes room for the changes of one more trial.
func (o *occRecord) beginTrial() {
	if o.trials == settleEvery {
		o.settle()
	}
	o.trials++
}

// settle moves the byte counters into the int64 totals.
func (o *occRecord) settle() {
	if o.settled == nil {
		o.settled = make([]int64, len(o.moves))
	}
	for i, m := range o.moves {
		o.settled[i] += int64(m)
	}
	clear(o.moves)
	o.trials = 0
}

// flush adds the occupancy of the trials recorded since the last flush to
// occupancy ([k*S+g]: trials in state g at point k, S states) and clears
// the record.
func (o *occRecord) flush(occupancy []int64, S int) {
	o.settle()
	s := o.settled
	for i := S; i < len(s); i++ {
		s[i] += s[i-S] // now the trials in state g at point k
	}
	for i, m := range s {
		occupancy[i] += m
	}
	clear(s)
}
