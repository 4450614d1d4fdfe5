package sim

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// chunk is the number of trials a worker takes at a time.
const chunk = 512

// workersFor is the number of goroutines a run of opts uses: opts.Workers
// (GOMAXPROCS if 0), but no more than there are chunks, and at least one.
func workersFor(opts Options) int {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return int(min(int64(workers), max((opts.Trials+chunk-1)/chunk, 1)))
}

// InChunks runs trials first .. first+n-1 on workers goroutines, handing
// out chunks of size consecutive trial indices in order. Each goroutine
// first calls start(w), which must allocate worker w's state: made on the
// worker's own goroutine, it does not share cache lines with another
// worker's (allocated side by side, two workers' buffers slowed a run on 2
// cores by a third). Then run(w, lo, hi) runs trials lo..hi-1 on worker w
// and returns false to stop every worker (keeping its error itself). A
// cancelled context also stops them. The chunk counter is the only shared
// write. It returns how many trials completed. Run, RunPaired and
// the lockstep designs of package analysis are built on it.
func InChunks(ctx context.Context, first, n, size int64, workers int, start func(w int), run func(w int, lo, hi int64) bool) int64 {
	nchunks := (n + size - 1) / size
	var next, completed atomic.Int64
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start(w)
			for !stop.Load() {
				c := next.Add(1) - 1
				if c >= nchunks {
					return
				}
				if ctx.Err() != nil {
					stop.Store(true)
					return
				}
				lo := first + c*size
				hi := min(lo+size, first+n)
				if !run(w, lo, hi) {
					stop.Store(true)
					return
				}
				completed.Add(hi - lo)
			}
		}()
	}
	wg.Wait()
	return completed.Load()
}

// inChunks is InChunks over the trials of opts in chunks of chunk,
// advancing opts.Done as chunks finish.
func inChunks(ctx context.Context, opts Options, workers int, start func(w int), run func(w int, lo, hi int64) bool) int64 {
	return InChunks(ctx, opts.First, opts.Trials, chunk, workers, start, func(w int, lo, hi int64) bool {
		if !run(w, lo, hi) {
			return false
		}
		if opts.Done != nil {
			opts.Done.Add(hi - lo)
		}
		return true
	})
}
