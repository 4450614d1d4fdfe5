package results

import (
	"math"
	"sort"
)

// Material changes.
//
// A comparison lists a change as material only when its 95% interval lies
// wholly beyond a threshold: above +t or below −t. For a probability (an
// outcome or a reached-by cell) t is MinDiff, in probability units (0.01
// is 1 percentage point). For a value outcome t is MinDiffValue times the
// absolute mean of the first scenario (a share of the reference, since
// value outcomes have units of their own: 0.05 is 5% of the first
// scenario's mean); a value outcome whose reference mean is 0 or undefined
// is never material. Material lists the material changes of every
// scenario against the first, largest |difference| (in its own unit, as a
// share of the threshold) first; NotMaterial counts the rest of the rows
// with a difference: changes smaller than the threshold or within noise.

// Default thresholds of materiality.
const (
	DefaultMinDiff      = 0.01 // 1 percentage point
	DefaultMinDiffValue = 0.05 // 5% of the first scenario's mean
)

// MaterialChange is one material change of scenario Scenario (its index
// in Scenarios) against the first. Kind is "outcome", "reached" or
// "value"; D, Lo, Hi are the difference and its 95% interval (probability
// units, or the value's unit), Threshold the t it lies beyond. RangeP5,
// RangeP95 and SignShare come from the draws of a nested comparison (null
// otherwise, and for value outcomes).
type MaterialChange struct {
	Scenario      int       `json:"scenario"`
	ScenarioLabel string    `json:"scenario_label"`
	Kind          string    `json:"kind"`
	Name          string    `json:"name"`
	By            string    `json:"by,omitempty"`
	Unit          string    `json:"unit,omitempty"`
	D             JSONFloat `json:"d"`
	Lo            JSONFloat `json:"lo"`
	Hi            JSONFloat `json:"hi"`
	Threshold     JSONFloat `json:"threshold"`
	RangeP5       JSONFloat `json:"range_p5"`
	RangeP95      JSONFloat `json:"range_p95"`
	// RangeNoiseShare is the range's noise share (see [Spread]): near 1,
	// the draws do not differ beyond their noise and the range is a point.
	RangeNoiseShare JSONFloat `json:"range_noise_share"`
	SignShare       JSONFloat `json:"sign_share"`
}

// Label is the change's row as tables show it: "outcome" or "track.state @ date".
func (m MaterialChange) Label() string {
	if m.Kind == "reached" {
		return m.Name + " @ " + m.By
	}
	return m.Name
}

// Beyond reports whether [lo, hi] lies wholly beyond ±t (t ≥ 0).
func Beyond(lo, hi, t float64) bool { return lo > t || hi < -t }

// SetMaterial sets the thresholds and recomputes Material and NotMaterial.
func (c *Comparison) SetMaterial(minDiff, minDiffValue float64) {
	c.MinDiff, c.MinDiffValue = minDiff, minDiffValue
	c.Material, c.NotMaterial = []MaterialChange{}, 0
	nan := JSONFloat(math.NaN())
	for j := 1; j < len(c.Scenarios); j++ {
		for _, r := range c.Rows {
			d := r.Diffs[j]
			if !d.Defined() {
				continue
			}
			if math.IsNaN(d.Lo) || !Beyond(d.Lo, d.Hi, minDiff) {
				c.NotMaterial++
				continue
			}
			m := MaterialChange{Scenario: j, ScenarioLabel: c.Scenarios[j].Label, Kind: r.Kind, Name: r.Name, By: r.By,
				D: JSONFloat(d.D), Lo: JSONFloat(d.Lo), Hi: JSONFloat(d.Hi), Threshold: JSONFloat(minDiff), RangeP5: nan, RangeP95: nan, RangeNoiseShare: nan, SignShare: nan}
			if o := d.OverDraws; o != nil {
				m.RangeP5, m.RangeP95, m.RangeNoiseShare, m.SignShare = JSONFloat(o.P5), JSONFloat(o.P95), JSONFloat(o.NoiseShare), JSONFloat(o.SignShare)
			}
			c.Material = append(c.Material, m)
		}
		for _, v := range c.Values {
			d := v.Diffs[j]
			if d == nil || math.IsNaN(float64(d.D)) {
				continue
			}
			var ref float64 = math.NaN()
			if e := v.Estimates[0]; e != nil {
				ref = math.Abs(float64(e.Mean))
			}
			t := minDiffValue * ref
			if math.IsNaN(t) || ref == 0 || math.IsNaN(float64(d.Lo)) || !Beyond(float64(d.Lo), float64(d.Hi), t) {
				c.NotMaterial++
				continue
			}
			c.Material = append(c.Material, MaterialChange{Scenario: j, ScenarioLabel: c.Scenarios[j].Label, Kind: "value", Name: v.Name, Unit: v.Unit,
				D: d.D, Lo: d.Lo, Hi: d.Hi, Threshold: JSONFloat(t), RangeP5: nan, RangeP95: nan, RangeNoiseShare: nan, SignShare: nan})
		}
	}
	size := func(m MaterialChange) float64 {
		if m.Threshold > 0 {
			return math.Abs(float64(m.D)) / float64(m.Threshold)
		}
		return math.Abs(float64(m.D))
	}
	sort.SliceStable(c.Material, func(a, b int) bool {
		if sa, sb := size(c.Material[a]), size(c.Material[b]); sa != sb {
			return sa > sb
		}
		return c.Material[a].Scenario < c.Material[b].Scenario
	})
}
