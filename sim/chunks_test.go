package sim_test

import (
	"context"
	"sync/atomic"
	"testing"

	"scensim/sim"
)

// InChunks hands out every trial of the range exactly once, in chunks of
// the given size aligned at first, whatever the number of workers; a run
// that returns false stops the others.
func TestInChunks(t *testing.T) {
	const first, n, size = 7, 1000, 64
	for _, workers := range []int{1, 2, 5} {
		seen := make([]atomic.Int32, n)
		done := sim.InChunks(context.Background(), first, n, size, workers, func(int) {}, func(w int, lo, hi int64) bool {
			if (lo-first)%size != 0 || hi-lo > size || hi > first+n {
				t.Errorf("chunk [%d, %d) not aligned or too long", lo, hi)
			}
			for i := lo; i < hi; i++ {
				seen[i-first].Add(1)
			}
			return true
		})
		if done != n {
			t.Errorf("%d workers: %d trials completed, want %d", workers, done, n)
		}
		for i := range seen {
			if c := seen[i].Load(); c != 1 {
				t.Fatalf("%d workers: trial %d run %d times", workers, first+i, c)
			}
		}
	}
	var chunks atomic.Int32
	done := sim.InChunks(context.Background(), 0, n, size, 2, func(int) {}, func(w int, lo, hi int64) bool {
		return chunks.Add(1) < 3 // the third chunk fails
	})
	if done >= n || done%size != 0 || chunks.Load() > 4 {
		t.Errorf("after a failure: %d trials completed in %d chunks", done, chunks.Load())
	}
}
