package model

import (
	"fmt"
	"math"
	"strconv"
)

func (b *builder) buildOutcomes() {
	for _, ro := range b.raw.outcomes {
		if !b.declare(ro.name, "outcome") {
			continue
		}
		outcomeKinds[outcomeKindOf(ro)].build(b, ro)
	}
}

// buildProbabilityOutcome compiles a yes/no outcome into Plan.Outcomes.
func (b *builder) buildProbabilityOutcome(ro *rawOutcome) {
	p := b.plan
	sc := scope{track: -1, allowState: true, allowTime: true, allowTrial: true, want: TypeBool}
	o := &Outcome{Name: ro.name.S, Why: ro.why.S, Source: texts(ro.source), Pos: ro.name.Pos}
	b.outcomeMeta(o, ro)
	if !ro.when.ok() {
		return // the reader reported the missing or unreadable when:
	}
	b.valueFieldsUnused(ro)
	sc.what = "outcome " + o.Name
	o.When = b.c.compile(ro.when, sc)
	if ro.given.ok() {
		sc.what = "the given of outcome " + o.Name
		o.Given = b.c.compile(ro.given, sc)
	}
	p.Outcomes = append(p.Outcomes, o)
}

func (b *builder) buildRun() {
	p, r := b.plan, b.raw
	p.Trials, p.Seed = 10000, 1
	if r.trials.ok() {
		n, err := parseCount(r.trials.S)
		if err != nil || n < 1 || n > MaxTrials {
			b.errorf(r.trials, "run.trials must be a whole number from 1 to %d, not %q", int64(MaxTrials), r.trials.S)
		} else {
			p.Trials = n
		}
	}
	if r.seed.ok() {
		s, err := strconv.ParseUint(r.seed.S, 10, 64)
		if err != nil {
			b.errorf(r.seed, "run.seed must be a whole number from 0 to 2^64-1, not %q", r.seed.S)
		} else {
			p.Seed = s
		}
	}
}

// parseCount parses a trial count: 100000, 1e5 or 100_000 (see ParseWhole).
func parseCount(s string) (int64, error) {
	n, err := ParseWhole(s, 0, math.MaxInt64)
	return int64(n), err
}

// ParseTrials parses and checks a trial count given on the command line.
func ParseTrials(s string) (int64, error) {
	n, err := parseCount(s)
	if err != nil || n < 1 || n > MaxTrials {
		return 0, fmt.Errorf("trials must be a whole number from 1 to %d, not %q", int64(MaxTrials), s)
	}
	return n, nil
}
