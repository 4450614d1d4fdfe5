package sim

// entryRecord counts the first entries of the trials run since its last
// drain, as the tally does (count [g*(P+1)+e]: trials that first entered
// state g at point e), in 16-bit counters: a sixth of the int64 counts'
// memory, so that the counts a trial adds to stay in the first-level
// cache through the trial's steps. It must be drained at least every
// 2^16 − 1 trials (see count).
type entryRecord struct {
	counts []uint16
	added  int // trials counted since the last drain
}

// newEntryRecord returns a record for a plan of S states and P points.
func newEntryRecord(points, states int) entryRecord {
	return entryRecord{counts: make([]uint16, states*(points+1))}
}

// count adds the first entries of the trial in f.Entry (the states in
// reached, the others never entered) to the record, having drained it
// into t first if it is full. t must be the tally every trial since the
// last drain was counted into.
func (e *entryRecord) count(reached []int32, entry []int32, points int, t *Tally) {
	if e.added == 1<<16-1 {
		e.drain(t)
	}
	for _, g := range reached {
		e.counts[int(g)*(points+1)+int(entry[g])]++
	}
	e.added++
}

// drain adds the record's counts to t.Entry and clears them.
func (e *entryRecord) drain(t *Tally) {
	if e.added == 0 {
		return
	}
	for i, n := range e.counts {
		t.Entry[i] += int64(n)
	}
	clear(e.counts)
	e.added = 0
}
