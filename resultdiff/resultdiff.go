// Package resultdiff compares two saved results of a scenario, a reviewer's
// "what changed between these runs": the assumptions that changed (from
// the scenario snapshot each result keeps, see package snapshot), then
// every outcome whose change is material, with a 95% interval for the
// difference of two independent runs, then what did not change.
package resultdiff

import (
	"fmt"
	"math"
	"sort"

	"scensim/results"
	"scensim/snapshot"
)

// DefaultMinDiff is the default materiality threshold: 1 percentage point.
const DefaultMinDiff = 0.01

// Side describes one of the two results.
type Side struct {
	Path     string `json:"path"`
	Scenario string `json:"scenario"`
	AsOf     string `json:"as_of,omitempty"`
	Seed     uint64 `json:"seed"`
	Trials   int64  `json:"trials"`
	// Snapshot says whether the result keeps its scenario snapshot (results
	// written before snapshots were kept do not).
	Snapshot bool `json:"snapshot"`
}

// Estimate is one side's estimate of an outcome: the probability P with
// its 95% simulation-error interval [Lo, Hi], and for a nested run the
// range over the assumptions (5%, 95% quantiles across param draws).
type Estimate struct {
	P       float64  `json:"p"`
	Lo      float64  `json:"lo"`
	Hi      float64  `json:"hi"`
	N       int64    `json:"n"`
	RangeLo *float64 `json:"range_p5,omitempty"`
	RangeHi *float64 `json:"range_p95,omitempty"`
}

// OutcomeChange is one outcome present in both results: New − Old with its
// 95% interval for independent runs [Lo, Hi] (Newcombe's method: the two
// sides' own intervals combined, so a nested side's clustered simulation
// error is carried). Material: the interval lies wholly beyond ±MinDiff.
type OutcomeChange struct {
	Outcome     string   `json:"outcome"`
	Given       string   `json:"given,omitempty"`
	Headline    bool     `json:"headline,omitempty"`
	Old         Estimate `json:"old"`
	New         Estimate `json:"new"`
	D           float64  `json:"d"`
	Lo          float64  `json:"lo"`
	Hi          float64  `json:"hi"`
	Material    bool     `json:"material"`
	Significant bool     `json:"significant"` // the interval excludes 0
}

// Diff is the comparison of two results.
type Diff struct {
	Old Side `json:"old"`
	New Side `json:"new"`
	// Assumptions are the changed assumptions, nil when either side lacks
	// a snapshot (AssumptionsKnown is then false).
	Assumptions      []snapshot.Change `json:"assumptions"`
	AssumptionsKnown bool              `json:"assumptions_known"`
	MinDiff          float64           `json:"min_diff"`
	// Material are the outcomes whose change is material, largest first;
	// Unchanged the others present on both sides (in the new result's
	// order); Undefined those that cannot be compared (no trials where
	// their given held on a side); OnlyOld / OnlyNew the outcomes one side
	// lacks.
	Material  []OutcomeChange `json:"material"`
	Unchanged []OutcomeChange `json:"not_material"`
	Undefined []string        `json:"undefined,omitempty"`
	OnlyOld   []string        `json:"only_old,omitempty"`
	OnlyNew   []string        `json:"only_new,omitempty"`
}

// NoChange reports whether the two results differ in nothing a reviewer
// would act on: no changed assumption (when known), no material outcome
// change and the same outcomes.
func (d *Diff) NoChange() bool {
	return len(d.Assumptions) == 0 && len(d.Material) == 0 && len(d.OnlyOld) == 0 && len(d.OnlyNew) == 0
}

func sideOf(path string, r *results.Result) Side {
	return Side{Path: path, Scenario: r.Layout.Scenario, AsOf: r.Manifest.AsOf, Seed: r.Manifest.Seed,
		Trials: r.Counts.Trials, Snapshot: r.Manifest.Snapshot != nil}
}

func estimateOf(o *results.OutcomeRow) Estimate {
	e := Estimate{P: o.Estimate.P, Lo: o.Estimate.Lo, Hi: o.Estimate.Hi, N: o.Estimate.N}
	if o.Range.Defined() {
		lo, hi := o.Range.P5, o.Range.P95
		e.RangeLo, e.RangeHi = &lo, &hi
	}
	return e
}

// Compare compares result old (read from oldPath) with new. minDiff is the
// materiality threshold (a probability, 0.01 for 1 point); it must be in
// [0, 1).
func Compare(oldPath string, old *results.Result, newPath string, new *results.Result, minDiff float64) (*Diff, error) {
	if math.IsNaN(minDiff) || minDiff < 0 || minDiff >= 1 {
		return nil, fmt.Errorf("materiality threshold %g: want a probability in [0, 1)", minDiff)
	}
	d := &Diff{Old: sideOf(oldPath, old), New: sideOf(newPath, new), MinDiff: minDiff}
	if os, ns := old.Manifest.Snapshot, new.Manifest.Snapshot; os != nil && ns != nil {
		d.AssumptionsKnown = true
		d.Assumptions = snapshot.Diff(os, ns)
	}
	oldByName := map[string]*results.OutcomeRow{}
	for i := range old.Outcomes {
		oldByName[old.Outcomes[i].Name] = &old.Outcomes[i]
	}
	seen := map[string]bool{}
	for i := range new.Outcomes {
		n := &new.Outcomes[i]
		seen[n.Name] = true
		o, ok := oldByName[n.Name]
		if !ok {
			d.OnlyNew = append(d.OnlyNew, n.Name)
			continue
		}
		if !o.Estimate.Defined() || !n.Estimate.Defined() {
			d.Undefined = append(d.Undefined, n.Name)
			continue
		}
		c := OutcomeChange{Outcome: n.Name, Given: n.Given, Headline: n.Headline, Old: estimateOf(o), New: estimateOf(n)}
		c.D, c.Lo, c.Hi = Independent(o.Estimate, n.Estimate)
		c.Material = c.Lo > minDiff || c.Hi < -minDiff
		c.Significant = c.Lo > 0 || c.Hi < 0
		if c.Material {
			d.Material = append(d.Material, c)
		} else {
			d.Unchanged = append(d.Unchanged, c)
		}
	}
	for _, o := range old.Outcomes {
		if !seen[o.Name] {
			d.OnlyOld = append(d.OnlyOld, o.Name)
		}
	}
	sort.SliceStable(d.Material, func(i, j int) bool { return math.Abs(d.Material[i].D) > math.Abs(d.Material[j].D) })
	return d, nil
}

// Independent is the difference b − a of two proportions from independent
// runs with its 95% interval by Newcombe's square-and-add method (MOVER):
// lo = d − √((pb−lb)² + (ua−pa)²), hi = d + √((ub−pb)² + (pa−la)²), from
// each side's own 95% interval (Wilson for a flat run, clustered for a
// nested one).
func Independent(a, b results.Proportion) (d, lo, hi float64) {
	d = b.P - a.P
	lo = d - math.Hypot(b.P-b.Lo, a.Hi-a.P)
	hi = d + math.Hypot(b.Hi-b.P, a.P-a.Lo)
	return d, lo, hi
}
