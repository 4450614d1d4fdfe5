package live

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"strings"
	"time"

	"scensim/internal/fsread"
	"scensim/model"
)

// File watching is by polling, which needs no platform support: every Poll
// the watcher reads each file of the scenario's extends: chain and takes
// its SHA-256 (a save that leaves the bytes as they were starts no run).
// A version is built once the files have changed and then stayed
// unchanged for Debounce (an editor that writes a file in several steps
// triggers one run, not several). What a version was built from is the
// hashes its plan records for the files it read, so a save made while it
// compiles is seen as a change.

// Default polling period and debounce of the watcher.
const (
	DefaultPoll     = 200 * time.Millisecond
	DefaultDebounce = 200 * time.Millisecond
)

// Fingerprint maps each file to the SHA-256 of its bytes ("missing" for
// a file that cannot be read).
func Fingerprint(files []string) map[string]string {
	fp := make(map[string]string, len(files))
	for _, f := range files {
		data, err := fsread.ReadFile(f, model.MaxFileBytes, "scenario files")
		if err != nil {
			fp[f] = "missing"
			continue
		}
		sum := sha256.Sum256(data)
		fp[f] = hex.EncodeToString(sum[:])
	}
	return fp
}

// PlanFingerprint is the Fingerprint of the files a compiled plan read,
// as they were when it read them (from the hashes the plan records), so
// that a save made while a version compiles is not taken as built.
func PlanFingerprint(p *model.Plan) map[string]string {
	fp := map[string]string{p.File: p.SHA256}
	for _, b := range p.Bases {
		if !isEmbeddedName(b.File) {
			fp[b.File] = b.SHA256
		}
	}
	return fp
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
	built, err := w.build(ctx, Fingerprint(w.files))
	if err != nil {
		return err
	}
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
		case maps.Equal(fp, built):
			pending = fp
			continue
		case !maps.Equal(fp, pending):
			pending, since = fp, time.Now()
			continue
		case time.Since(since) < debounce:
			continue
		}
		if built, err = w.build(ctx, fp); err != nil {
			return err
		}
		pending = built
	}
}

// build compiles and runs the current version and prints its table, or
// its errors and the last good table. seen is the fingerprint of the
// files taken before compiling; it returns the fingerprint of what was
// built: the plan's, or seen when the version does not compile. The
// error is ctx's, or one writing the table.
func (w *Watcher) build(ctx context.Context, seen map[string]string) (map[string]string, error) {
	w.version++
	plan, errs := w.Src.Compile(nil)
	if plan == nil {
		fmt.Fprintf(w.Out, "\n== version %d of %s: %d error(s); nothing run\n%s\n", w.version, w.Src.Path, len(errs.Errors()), errs.Snippets())
		w.keepLast()
		return seen, nil
	}
	w.files = Files(plan)
	built := PlanFingerprint(plan)
	pv, err := Run(ctx, plan, w.Settings)
	if err != nil {
		if ctx.Err() != nil {
			return built, ctx.Err()
		}
		fmt.Fprintf(w.Out, "\n== version %d of %s: the run failed\n%v\n", w.version, w.Src.Path, err)
		w.keepLast()
		return built, nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n== version %d of %s (%s)\n", w.version, w.Src.Path, describe(pv))
	if w.last == nil {
		b.WriteString("(first version: no change to show)\n")
	}
	if err := WriteTable(&b, Diff(w.last, pv, w.MinDiff), w.MinDiff); err != nil {
		return built, err
	}
	w.last, w.lastTab = pv, b.String()
	_, err = io.WriteString(w.Out, w.lastTab)
	return built, err
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
