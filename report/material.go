package report

import (
	"math"
	"sort"

	"scensim/results"
)

// summaryMinDiff is the materiality threshold of the summary: a change is
// material when its 95% interval lies wholly beyond ±1 percentage point.
const summaryMinDiff = 0.01

// materialChange is one outcome whose difference from the reference
// scenario is material.
type materialChange struct {
	Outcome string
	D       *results.Difference
}

// materialChanges selects, from a comparison's outcome rows, those whose
// difference for scenario j (vs the first) is material at threshold
// minDiff (the interval wholly beyond ±minDiff), largest |difference|
// first (ties in row order). It reads only the difference table, so a
// materiality list computed elsewhere can replace it.
func materialChanges(c *results.Comparison, j int, minDiff float64) []materialChange {
	var out []materialChange
	for _, r := range c.Rows {
		if r.Kind != "outcome" || j >= len(r.Diffs) {
			continue
		}
		d := r.Diffs[j]
		if !d.Defined() || !(d.Lo > minDiff || d.Hi < -minDiff) {
			continue
		}
		out = append(out, materialChange{Outcome: r.Name, D: d})
	}
	sort.SliceStable(out, func(a, b int) bool { return math.Abs(out[a].D.D) > math.Abs(out[b].D.D) })
	return out
}
