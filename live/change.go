package live

import (
	"context"
	"errors"
	"time"

	"scensim/model"
)

// ErrSuperseded is the answer to a request for the preview of a change
// that a newer change replaced before the preview was done: its run was
// stopped, since the page no longer wants it. Ask again to have it run.
var ErrSuperseded = errors.New("a newer change replaced this one before its preview was done; ask again to run it")

// change is the previews of one set of param values of one version of
// the files. It is compiled once; its quick pass runs first and the full
// preview continues from it (as Extend does) at once, in the background,
// so that the page's request for the full preview, which follows the
// quick pass's, finds it under way or done. A newer change cancels it.
type change struct {
	key    string             // the version of the files and the set params
	cancel context.CancelFunc // stops the runs (a newer change replaced this one)

	quickDone chan struct{} // closed once errs, tables, quick and quickErr are final
	errs      string        // the positioned errors of a compile that failed
	tables    int64         // bytes of the compiled plan's precomputed tables
	quick     *Preview      // nil when the preview has no quick pass
	quickErr  error

	fullDone chan struct{} // closed once full, fullErr and marks are final
	full     *Preview
	fullErr  error

	started time.Time // when the change was asked for
	timed   bool      // its timing was recorded (guarded by the server's mu)
	// marks are the times since started at which each stage ended (zero
	// for a stage not reached): see stageNames.
	marks [numStages]time.Duration
}

// The stages of a change, in the order they end.
const (
	stageCompile     = iota // the scenario compiled with the set values
	stageQuickRun           // the quick pass's trials run
	stageQuickResult        // its result document built: the quick pass can be shown
	stageFullRun            // the continuation's trials run and merged
	stageFullResult         // the full preview's result document built
	numStages
)

// stageNames names the stages for the timing log.
var stageNames = [numStages]string{"compile", "quick pass run", "quick pass result", "continuation run", "full preview result"}

// mark records that stage ended now.
func (c *change) mark(stage int) { c.marks[stage] = time.Since(c.started) }

// recentChanges is how many finished changes a server keeps besides the
// latest, so that moving a slider back to a value it had shows that
// value's previews without running them again; recentTables bounds the
// bytes of precomputed tables their plans hold together (a plan may hold
// up to model.DefaultTableBudget).
const (
	recentChanges = 8
	recentTables  = 256 << 20
)

// finished reports whether c's runs are over and were not stopped: its
// answers are final.
func (c *change) finished() bool {
	select {
	case <-c.fullDone:
		return !errors.Is(c.fullErr, ErrSuperseded)
	default:
		return false
	}
}

// startChange compiles the scenario with set and runs its previews in the
// background: the quick pass under the file plan's QuickSettings (so that
// it pairs with the file's own quick pass), then the full preview.
// Its runs stop when parent ends or c.cancel is called.
func startChange(parent context.Context, src Source, key string, set map[string]float64, file *model.Plan, st Settings) *change {
	ctx, cancel := context.WithCancel(parent)
	c := &change{key: key, cancel: cancel, quickDone: make(chan struct{}), fullDone: make(chan struct{}), started: time.Now()}
	go func() {
		defer close(c.fullDone)
		quickOpen := true
		defer func() {
			if quickOpen {
				close(c.quickDone)
			}
		}()
		plan, errs := src.Compile(set)
		c.mark(stageCompile)
		if plan == nil {
			c.errs = errs.Snippets()
			return
		}
		c.tables = plan.TableUse.Used
		qs, ok := QuickSettings(file, st)
		if !ok {
			quickOpen = false
			close(c.quickDone)
			c.full, c.fullErr = Run(ctx, plan, st)
			c.fullErr = superseded(ctx, c.fullErr)
			c.mark(stageFullResult)
			return
		}
		q, err := runCounts(ctx, plan, qs)
		c.mark(stageQuickRun)
		if err != nil {
			c.quickErr = superseded(ctx, err)
			c.fullErr = c.quickErr
			return
		}
		c.quick, c.quickErr = q.finish(plan, qs)
		c.mark(stageQuickResult)
		quickOpen = false
		close(c.quickDone)
		if c.quickErr != nil {
			c.fullErr = c.quickErr
			return
		}
		full, err := extendCounts(ctx, plan, q, st)
		c.mark(stageFullRun)
		if err != nil {
			c.fullErr = superseded(ctx, err)
			return
		}
		c.full, c.fullErr = full.finish(plan, st)
		c.mark(stageFullResult)
	}()
	return c
}

// wait waits for the change's quick pass (quick) or full preview, or for
// ctx to end. It returns the preview (nil if the compile failed: see
// c.errs, or if the change has no quick pass and quick was asked), the
// run's error, or ErrSuperseded if a newer change stopped the run.
func (c *change) wait(ctx context.Context, quick bool) (*Preview, error) {
	done := c.fullDone
	if quick {
		done = c.quickDone
	}
	select {
	case <-done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if quick {
		return c.quick, c.quickErr
	}
	return c.full, c.fullErr
}

// superseded turns the error of a run stopped by its change's cancellation
// into ErrSuperseded.
func superseded(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil {
		return ErrSuperseded
	}
	return err
}
