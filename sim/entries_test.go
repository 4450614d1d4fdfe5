package sim

import (
	"math/rand/v2"
	"testing"
)

// TestEntryRecordDrainsWhenFull counts more trials than a 16-bit counter
// holds, each entering random states at random points, and requires the
// tally's first-entry counts to equal the counts kept in int64s.
func TestEntryRecordDrainsWhenFull(t *testing.T) {
	const states, points, trials = 3, 4, 1<<16 + 300
	rng := rand.New(rand.NewPCG(3, 9))
	rec := newEntryRecord(points, states)
	tl := &Tally{Entry: make([]int64, states*(points+1))}
	want := make([]int64, states*(points+1))
	entry := make([]int32, states)
	for range trials {
		var reached []int32
		for g := range states {
			if g == 0 || rng.IntN(3) != 0 { // state 0 in every trial at point 0: its counter overflows without a drain
				entry[g] = int32(rng.IntN(points))
				if g == 0 {
					entry[g] = 0
				}
				reached = append(reached, int32(g))
				want[g*(points+1)+int(entry[g])]++
			}
		}
		rec.count(reached, entry, points, tl)
	}
	rec.drain(tl)
	for i := range want {
		if tl.Entry[i] != want[i] {
			t.Fatalf("count %d (state %d, point %d): %d, want %d", i, i/(points+1), i%(points+1), tl.Entry[i], want[i])
		}
	}
	rec.drain(tl) // a second drain adds nothing
	if tl.Entry[0] != want[0] {
		t.Fatalf("a second drain changed count 0 to %d, want %d", tl.Entry[0], want[0])
	}
}
