package report

import "scensim/results"

// materialOf returns the material changes of a comparison and the
// threshold (probability units) its outcomes were judged by. They are the
// comparison's own list (compare.json's "material", chosen by
// [results.Comparison.SetMaterial] with its min_diff), so the report lists
// exactly what compare lists. A comparison written without that list is
// judged here by the same function, with its min_diff or, when it has none,
// [results.DefaultMinDiff] and [results.DefaultMinDiffValue].
func materialOf(c *results.Comparison) ([]results.MaterialChange, float64) {
	if c.Material != nil {
		return c.Material, c.MinDiff
	}
	cp := *c // SetMaterial sets fields of the comparison: judge a copy
	minDiff, minDiffValue := c.MinDiff, c.MinDiffValue
	if minDiff == 0 && minDiffValue == 0 {
		minDiff, minDiffValue = results.DefaultMinDiff, results.DefaultMinDiffValue
	}
	cp.SetMaterial(minDiff, minDiffValue)
	return cp.Material, minDiff
}

// outcomeChanges are the material changes of scenario j that are outcome
// rows, in the list's order (largest first).
func outcomeChanges(ms []results.MaterialChange, j int) []results.MaterialChange {
	var out []results.MaterialChange
	for _, m := range ms {
		if m.Scenario == j && m.Kind == "outcome" {
			out = append(out, m)
		}
	}
	return out
}
