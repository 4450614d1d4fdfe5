package analysis

import (
	"context"
	"runtime"
	"sync/atomic"

	"scensim/model"
	"scensim/sim"
)

// lockstep runs trials first..first+n−1 of several plans side by side on
// all cores: a worker runs trial i of every plan (each with its design, if
// any) and passes their outcomes to visit, so that the runs are paired trial
// by trial. Work is handed out in chunks of whole blocks of block trials,
// aligned at first, so that all the trials of a block (a row of a design)
// are seen by one worker, in order. visit gets the worker's index w
// (0 ≤ w < nworkers(n)) and must only touch that worker's state or the
// block's. The outcome slices are reused by the next trial.
type lockstep struct {
	plans   []*model.Plan
	designs []sim.Design // per plan; nil entries (or a nil slice) for none
	names   []string     // per plan, for run-time errors
	seed    uint64
	block   int64
	workers int
	done    *atomic.Int64
	// visitValues, if not nil, gets after visit each plan's value outcome
	// values of the trial (sim.Trialer.Values, reused by the next trial),
	// under the same rules as visit.
	visitValues func(w int, trial int64, vals [][]float64)
}

// nworkers is the number of workers run will use for n trials.
func (l *lockstep) nworkers(n int64) int {
	w := l.workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	blocks := (n + l.block - 1) / max(l.block, 1)
	return int(max(min(int64(w), blocks), 1))
}

func (l *lockstep) run(ctx context.Context, first, n int64, visit func(w int, trial int64, outs [][]int8)) error {
	if l.block < 1 {
		l.block = 1
	}
	workers := l.nworkers(n)
	per := max(1, 1024/(l.block*int64(len(l.plans))))
	chunk := per * l.block
	type failure struct {
		trial int64
		err   error
	}
	fails := make([]*failure, workers)
	trials := make([][]*sim.Trialer, workers) // per worker, per plan
	outs := make([][][]int8, workers)
	vals := make([][][]float64, workers)
	start := func(w int) {
		trials[w] = make([]*sim.Trialer, len(l.plans))
		for i, p := range l.plans {
			trials[w][i] = sim.NewTrialer(p, l.seed)
			if i < len(l.designs) && l.designs[i] != nil {
				trials[w][i].SetDesign(l.designs[i])
			}
		}
		outs[w] = make([][]int8, len(l.plans))
		vals[w] = make([][]float64, len(l.plans))
	}
	completed := sim.InChunks(ctx, first, n, chunk, workers, start, func(w int, lo, hi int64) bool {
		trs, out := trials[w], outs[w]
		for trial := lo; trial < hi; trial++ {
			for i, tr := range trs {
				o, err := tr.Trial(trial)
				if err != nil {
					at := ""
					if i < len(l.names) {
						at = l.names[i]
					}
					fails[w] = &failure{trial, &RunError{At: at, Err: err}}
					return false
				}
				out[i] = o
			}
			visit(w, trial, out)
			if l.visitValues != nil {
				for i, tr := range trs {
					vals[w][i] = tr.Values()
				}
				l.visitValues(w, trial, vals[w])
			}
		}
		if l.done != nil {
			l.done.Add((hi - lo) * int64(len(l.plans)))
		}
		return true
	})
	var firstFail *failure
	for _, f := range fails {
		if f != nil && (firstFail == nil || f.trial < firstFail.trial) {
			firstFail = f
		}
	}
	if firstFail != nil {
		return firstFail.err
	}
	if completed < n {
		return &sim.Interrupted{Completed: completed * int64(len(l.plans)), Trials: n * int64(len(l.plans))}
	}
	return nil
}
