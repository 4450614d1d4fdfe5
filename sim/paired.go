package sim

import (
	"context"
	"errors"
	"fmt"

	"scensim/model"
)

// Paired runs (common random numbers).
//
// RunPaired runs trial i of every plan with the same seed and index. Since
// every random number is a pure function of (seed, trial, the name of the
// param or track that draws, step), trial i of two plans draws the same
// number for every param and track of the same name: the plans differ in a
// trial only where their assumptions make the same numbers lead elsewhere.
// For each question asked of every trial (a Probe), RunPaired counts the
// joint answers of plan 0 and plan j, from which paired differences and
// their intervals follow (results.Compare).

// Probe is one yes/no question asked of each trial of one plan: an outcome
// (Outcome ≥ 0: 1 hit, 0 miss, -1 its given did not hold), or whether a state
// was entered at a point on or before a point (Outcome < 0, State ≥ 0:
// reached by Point; Point -1 is never). A probe with Outcome < 0 and State
// < 0 is absent: the plan has no such question.
type Probe struct {
	Outcome int
	State   int
	Point   int
}

// Absent is the probe of a plan that lacks a question.
var Absent = Probe{Outcome: -1, State: -1, Point: -1}

// IsAbsent reports whether the probe asks nothing.
func (q Probe) IsAbsent() bool { return q.Outcome < 0 && q.State < 0 }

// Joint counts a question's joint answers in plan 0 and plan j over the
// trials: Joint[(a+1)*3 + (b+1)] trials answered a in plan 0 and b in plan j,
// with a, b in {-1 (given false), 0 (no), 1 (yes)}.
type Joint [9]int64

// At returns the count of trials answered a in plan 0 and b in plan j.
func (c *Joint) At(a, b int) int64 { return c[(a+1)*3+b+1] }

// PairedTally is the result of a paired run.
type PairedTally struct {
	Trials  int64
	Tallies []*Tally // per plan: exactly the tally sim.Run gives for the same trials
	// Joint[r][j] counts row r's answers in plan 0 against plan j (for j
	// = 0, against itself). It is zero where either probe is absent.
	Joint [][]Joint
	// Values[j] and Ratios[j] compare plan 0's value outcomes with plan
	// j's (empty for j = 0; see paired_values.go).
	Values [][]PairedValue
	Ratios [][]PairedRatio
	// Draws holds the per-draw counts of a nested run (nil when flat; see
	// paired_draws.go).
	Draws *PairedDraws
}

// RunPaired runs opts.Trials trials (from opts.First) of every plan, trial
// i of each with the same seed and index, and counts the joint answers to
// rows[r][j], the probe of row r in plan j. opts.Params says how params are
// drawn, the same way in every plan; a nested run also counts per draw
// (PairedTally.Draws). Like [Run], the result depends only on the plans,
// rows, Seed, First, Trials and Params, never on Workers.
func RunPaired(ctx context.Context, plans []*model.Plan, rows [][]Probe, opts Options) (*PairedTally, error) {
	if len(plans) == 0 {
		return nil, errors.New("sim: RunPaired needs at least one plan")
	}
	if opts.Trials < 0 || opts.Trials > model.MaxTrials {
		return nil, fmt.Errorf("trials must be from 0 to %d", int64(model.MaxTrials))
	}
	for r, row := range rows {
		if len(row) != len(plans) {
			return nil, fmt.Errorf("sim: row %d has %d probes for %d plans", r, len(row), len(plans))
		}
		for j, q := range row {
			p := plans[j]
			switch {
			case q.IsAbsent():
			case q.Outcome >= len(p.Outcomes):
				return nil, fmt.Errorf("sim: row %d: %s has no outcome %d", r, p.Name, q.Outcome)
			case q.Outcome < 0 && (q.State >= len(p.States) || q.Point < -1 || q.Point > p.Steps):
				return nil, fmt.Errorf("sim: row %d: %s has no state %d or point %d", r, p.Name, q.State, q.Point)
			}
		}
	}
	workers := workersFor(opts)
	type part struct {
		trialers []*Trialer
		joint    [][]Joint
		vals     [][]int8 // per plan: the answer to each row
		values   *pairedValues
		draws    *PairedDraws
	}
	parts := make([]*part, workers)
	errs := make([]error, workers)
	errTrial := make([]int64, workers)
	start := func(w int) {
		pt := &part{joint: newJoint(len(rows), len(plans)), vals: make([][]int8, len(plans)), values: newPairedValues(plans),
			draws: newPairedDraws(opts.Params, opts.First, opts.Trials, len(rows), len(plans), len(plans[0].Values))}
		for j, p := range plans {
			pt.trialers = append(pt.trialers, newPairedTrialer(p, opts.Seed, opts.Params, opts.First, opts.Trials))
			pt.vals[j] = make([]int8, len(rows))
		}
		parts[w] = pt
	}
	completed := inChunks(ctx, opts, workers, start, func(w int, lo, hi int64) bool {
		pt := parts[w]
		vals := pt.vals
		for trial := lo; trial < hi; trial++ {
			for j, tr := range pt.trialers {
				out, err := tr.Trial(trial)
				if err != nil {
					errs[w], errTrial[w] = fmt.Errorf("%s: %w", plans[j].Name, err), trial
					return false
				}
				pt.values.record(j, tr)
				entry := tr.Entry()
				for r, row := range rows {
					q := row[j]
					switch {
					case q.IsAbsent():
					case !tr.Accepted():
						vals[j][r] = -1 // rejected by the plan's evidence
					case q.Outcome >= 0:
						vals[j][r] = out[q.Outcome]
					default:
						e := entry[q.State]
						if e >= 0 && int(e) <= q.Point {
							vals[j][r] = 1
						} else {
							vals[j][r] = 0
						}
					}
				}
			}
			pt.values.count()
			if pt.draws != nil {
				pt.draws.record(trial, vals, rows)
				pt.draws.recordValues(trial, pt.values)
			}
			for r, row := range rows {
				if row[0].IsAbsent() {
					continue
				}
				a := int(vals[0][r]+1) * 3
				for j := range plans {
					if !row[j].IsAbsent() {
						pt.joint[r][j][a+int(vals[j][r]+1)]++
					}
				}
			}
		}
		return true
	})
	var first error
	firstTrial := int64(-1)
	for w, e := range errs {
		if e != nil && (first == nil || errTrial[w] < firstTrial) {
			first, firstTrial = e, errTrial[w]
		}
	}
	if first != nil {
		return nil, first
	}
	if ctx.Err() != nil && completed < opts.Trials {
		return nil, &Interrupted{Completed: completed, Trials: opts.Trials}
	}
	res := &PairedTally{Trials: opts.Trials, Joint: newJoint(len(rows), len(plans))}
	res.Draws = newPairedDraws(opts.Params, opts.First, opts.Trials, len(rows), len(plans), len(plans[0].Values))
	for j, p := range plans {
		t := newTallyFor(p, opts.Params, opts.First, opts.Trials)
		for _, pt := range parts {
			if pt == nil {
				continue
			}
			t.Merge(pt.trialers[j].Tally())
			if j == 0 && res.Draws != nil {
				res.Draws.merge(pt.draws)
			}
		}
		res.Tallies = append(res.Tallies, t)
	}
	values := newPairedValues(plans)
	for _, pt := range parts {
		if pt != nil {
			values.merge(pt.values)
		}
	}
	res.Values, res.Ratios = values.diffs, values.ratios
	res.Values[0], res.Ratios[0] = nil, nil
	for _, pt := range parts {
		for r := range rows {
			for j := range plans {
				for k := range pt.joint[r][j] {
					res.Joint[r][j][k] += pt.joint[r][j][k]
				}
			}
		}
	}
	return res, nil
}

func newJoint(rows, plans int) [][]Joint {
	j := make([][]Joint, rows)
	for r := range j {
		j[r] = make([]Joint, plans)
	}
	return j
}
