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

// inChunks runs the trials of opts on workers goroutines, handing out
// chunks of consecutive trial indices: run(w, lo, hi) runs trials lo..hi-1
// on worker w and returns false to stop every worker (an error it keeps).
// A cancelled context also stops them. Each worker's state belongs to it
// alone, so there are no shared writes but the chunk counter and the
// progress counts. It returns how many trials completed.
func inChunks(ctx context.Context, opts Options, workers int, run func(w int, lo, hi int64) bool) int64 {
	nchunks := (opts.Trials + chunk - 1) / chunk
	var next, completed atomic.Int64
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				c := next.Add(1) - 1
				if c >= nchunks {
					return
				}
				if ctx.Err() != nil {
					stop.Store(true)
					return
				}
				lo := opts.First + c*chunk
				hi := min(lo+chunk, opts.First+opts.Trials)
				if !run(w, lo, hi) {
					stop.Store(true)
					return
				}
				completed.Add(hi - lo)
				if opts.Done != nil {
					opts.Done.Add(hi - lo)
				}
			}
		}()
	}
	wg.Wait()
	return completed.Load()
}
