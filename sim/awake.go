package sim

// awakeSet is the set of tracks that the step loop resolves at a step:
// those whose wake has come (wake ≤ step), as bits in track order, so
// that a sleeping track costs the loop nothing. It holds from one step to
// the next while no wake changes but by the loop's own doing: the loop
// takes out a track it puts to sleep (sleep), and collects the set again
// (collectAwake) when the earliest wake of a sleeping track comes (next)
// or after a step whose moves refreshed caches, which set wakes (stale).
type awakeSet struct {
	bits  []uint64 // bit k%64 of word k/64: track k is awake
	next  int32    // no sleeping track wakes before this step
	stale bool     // wakes may have changed since the set was collected
}

// collectAwake collects the tracks awake at step from their wakes.
func (r *runner) collectAwake(step int) {
	a := &r.awake
	clear(a.bits)
	now, next := int32(step), int32(r.p.Steps)
	for k, w := range r.wake {
		if w <= now {
			a.bits[k>>6] |= 1 << (k & 63)
		} else {
			next = min(next, w)
		}
	}
	a.next, a.stale = next, false
}

// sleep takes track k, which the step loop has just put to sleep until
// its wake (after the current step), out of the awake set.
func (r *runner) sleep(k int) {
	r.awake.bits[k>>6] &^= 1 << (k & 63)
	r.awake.next = min(r.awake.next, r.wake[k])
}
