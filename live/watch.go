package live

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"scensim/internal/fsread"
	"scensim/model"
)

// File watching is by polling, which needs no platform support: every Poll
// the watcher reads each file of the scenario's extends: chain and takes
// its size, modification time and SHA-256. A version is built once the
// files have changed and then stayed unchanged for Debounce (an editor
// that writes a file in several steps triggers one run, not several).

// Default polling period and debounce of the watcher.
const (
	DefaultPoll     = 200 * time.Millisecond
	DefaultDebounce = 200 * time.Millisecond
)

// Fingerprint identifies the state of a set of files: each file's size
// and content hash ("missing" for one that does not exist).
func Fingerprint(files []string) string {
	var b strings.Builder
	for _, f := range files {
		b.WriteString(f)
		b.WriteByte('\t')
		if _, err := os.Stat(f); err != nil {
			b.WriteString("missing\n")
			continue
		}
		data, err := fsread.ReadFile(f, model.MaxFileBytes, "scenario files")
		if err != nil {
			b.WriteString("unreadable\n")
			continue
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(&b, "%d %s\n", len(data), hex.EncodeToString(sum[:]))
	}
	return b.String()
}

// Watcher re-runs a preview whenever the scenario or a file it extends
// changes, and prints each version's table with its change from the last
// good version.
type Watcher struct {
	Src      Source
	Settings Settings
	MinDiff  float64
	Poll     time.Duration // DefaultPoll if 0
	Debounce time.Duration // DefaultDebounce if 0
	Out      io.Writer     // tables and errors

	version int
	last    *Preview // the last good preview
	lastTab string   // its table
	files   []string
}

// Watch builds the first version, then polls until ctx is done and
// returns ctx's error (a run under way stops at once when ctx ends).
func (w *Watcher) Watch(ctx context.Context) error {
	poll, debounce := w.Poll, w.Debounce
	if poll <= 0 {
		poll = DefaultPoll
	}
	if debounce <= 0 {
		debounce = DefaultDebounce
	}
	w.files = []string{w.Src.Path}
	built := Fingerprint(w.files)
	if err := w.build(ctx); err != nil {
		return err
	}
	built = Fingerprint(w.files) // the chain may have grown
	pending, since := built, time.Now()
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		fp := Fingerprint(w.files)
		switch {
		case fp == built:
			pending = fp
			continue
		case fp != pending:
			pending, since = fp, time.Now()
			continue
		case time.Since(since) < debounce:
			continue
		}
		if err := w.build(ctx); err != nil {
			return err
		}
		built = Fingerprint(w.files)
		pending = built
	}
}

// build compiles and runs the current version and prints its table, or
// its errors and the last good table. It returns an error only when ctx
// ends.
func (w *Watcher) build(ctx context.Context) error {
	w.version++
	plan, errs := w.Src.Compile(nil)
	if plan == nil {
		fmt.Fprintf(w.Out, "\n== version %d of %s: %d error(s); nothing run\n%s\n", w.version, w.Src.Path, len(errs.Errors()), errs.Snippets())
		w.keepLast()
		return nil
	}
	w.files = Files(plan)
	pv, err := Run(ctx, plan, w.Settings)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		fmt.Fprintf(w.Out, "\n== version %d of %s: the run failed\n%v\n", w.version, w.Src.Path, err)
		w.keepLast()
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n== version %d of %s (%s)\n", w.version, w.Src.Path, describe(pv))
	if w.last == nil {
		b.WriteString("(first version: no change to show)\n")
	}
	if err := WriteTable(&b, Diff(w.last, pv, w.MinDiff), w.MinDiff); err != nil {
		return err
	}
	w.last, w.lastTab = pv, b.String()
	_, err = io.WriteString(w.Out, w.lastTab)
	return err
}

// keepLast says which version's table still stands after a failed one.
func (w *Watcher) keepLast() {
	if w.last == nil {
		fmt.Fprintf(w.Out, "(no good version yet; fix the file and save it)\n")
		return
	}
	fmt.Fprintf(w.Out, "(the last good table stands:)\n%s", strings.TrimPrefix(w.lastTab, "\n"))
}

// describe says how a preview ran: trials, seed and draws.
func describe(pv *Preview) string {
	s := fmt.Sprintf("%d trials, seed %d", pv.Tally.Trials, pv.Seed)
	switch {
	case pv.Params.Fixed:
		s += ", params fixed at their values"
	case pv.Tally.Nested():
		s += fmt.Sprintf(", %d draws of %d trials", pv.Tally.Draws(), pv.Tally.PerDraw)
	}
	return s
}

// ErrInterrupted is returned when a watch or serve session ends on a
// signal.
var ErrInterrupted = errors.New("interrupted")
