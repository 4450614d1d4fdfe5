package main

import (
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressDelay is how long a run goes before it shows a progress bar.
const progressDelay = time.Second

// startProgress shows a progress bar on w for a run that takes longer than
// progressDelay, fed by done; silent when quiet or when w is not a
// terminal (a writer that is not an *os.File is never one). The returned
// function stops it and waits for it to clear.
func startProgress(w io.Writer, quiet bool, what string, total int64, done *atomic.Int64) (stop func()) {
	f, ok := w.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return func() {}
	}
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case <-quit:
			return
		case <-time.After(progressDelay):
		}
		bar := progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(what),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("trials"),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionFullWidth(),
		)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				_ = bar.Set64(done.Load())
				_ = bar.Exit()
				return
			case <-tick.C:
				_ = bar.Set64(done.Load())
			}
		}
	}()
	return func() {
		close(quit)
		wg.Wait()
	}
}
