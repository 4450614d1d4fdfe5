package results

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
)

// A comparison of scenarios run with common random numbers (sim.RunPaired):
// for every outcome and every (state, named date or horizon) reached-by
// cell, each scenario's probability with its Wilson interval and, for every
// scenario after the first, its difference from the first with a 95%
// interval.
//
// What is paired. An unconditional outcome or a reached-by cell is a yes/no
// answer of every trial in every scenario: its difference is paired, trial
// by trial, and its interval is Newcombe's paired interval
// ([NewcombePaired]) from the 2×2 table of answers (yes in both, yes only in
// the first, yes only in the other, no in both). A conditional outcome
// (given:) is a share of the trials where its given held, and those are not
// the same trials in two scenarios: its difference is compared unpaired,
// with Newcombe's hybrid score interval ([NewcombeUnpaired]) over each
// scenario's own given-trials, and marked as unpaired. Its interval is then
// conservative: it ignores the correlation that common random numbers still
// create.
//
// Rows are matched by name: outcomes by name, reached-by cells by
// "track.state" and date name, each scenario using its own date (so if a
// variant moves `summer`, "by summer" means its own summer; the assumption
// diff shows the move). A row one scenario lacks has no estimate there and no
// difference.

// CompareFormat identifies a compare.json file.
const CompareFormat = "scensim-compare/1"

// Comparison is the result of a paired comparison.
type Comparison struct {
	Format      string             `json:"format"`
	Seed        uint64             `json:"seed"`
	Trials      int64              `json:"trials"` // paired trials, the same in every scenario
	ToolVersion string             `json:"tool_version"`
	Scenarios   []ComparedScenario `json:"scenarios"`
	// Assumptions lists what differs between the scenarios (one value per
	// scenario; "" where a scenario lacks the element).
	Assumptions []AssumptionRow `json:"assumptions"`
	Rows        []CompareRow    `json:"rows"`
	Run         RunInfo         `json:"run"`
	// Values and Ratios compare the value outcomes (see values_compare.go).
	Values []ValueCompareRow `json:"values,omitempty"`
	Ratios []RatioCompareRow `json:"ratios,omitempty"`
	// Nested is the draw design of a nested comparison (nil: flat, params
	// drawn per trial or fixed).
	Nested *NestedInfo `json:"nested,omitempty"`
	// MinDiff, MinDiffValue, Material and NotMaterial: the material
	// changes and their thresholds (see compare_material.go).
	MinDiff      float64          `json:"min_diff"`
	MinDiffValue float64          `json:"min_diff_value"`
	Material     []MaterialChange `json:"material"`
	NotMaterial  int              `json:"not_material"`
}

// ComparedScenario identifies one scenario of a comparison.
type ComparedScenario struct {
	Label         string   `json:"label"` // as shown in tables: the scenario name, or e.g. "H8 off"
	Scenario      string   `json:"scenario"`
	Title         string   `json:"title"`
	File          string   `json:"file"`
	FileSHA256    string   `json:"file_sha256"`
	Bases         []string `json:"bases"` // "file sha256" of each base, nearest first
	Overrides     []string `json:"overrides"`
	Disabled      []string `json:"disabled"`
	DisabledNotes []string `json:"disabled_notes"`
	AsOf          string   `json:"as_of,omitempty"` // the scenario's as_of date, if it gives one
}

// AssumptionRow is one element that differs between the scenarios.
type AssumptionRow struct {
	What   string   `json:"what"`   // "param p_ground_force", "transition linkage: link_agendas", ...
	Values []string `json:"values"` // per scenario; "" if absent
}

// CompareRow is one outcome or reached-by cell across the scenarios.
type CompareRow struct {
	Kind        string        `json:"kind"`               // "outcome" or "reached"
	Name        string        `json:"name"`               // the outcome, or "track.state"
	By          string        `json:"by,omitempty"`       // reached: the named date, or "horizon"
	Conditional bool          `json:"conditional"`        // an outcome with a given in some scenario
	Headline    bool          `json:"headline,omitempty"` // an outcome the first scenario marks headline
	Estimates   []*Proportion `json:"estimates"`          // per scenario; null where it lacks the row
	Diffs       []*Difference `json:"diffs"`              // per scenario; null for the first and where either lacks the row
}

// Label is the row's name as tables show it: "outcome" or "track.state @ date".
func (r CompareRow) Label() string {
	if r.Kind == "reached" {
		return r.Name + " @ " + r.By
	}
	return r.Name
}

// Difference is one scenario's difference from the first, P − P(first).
type Difference struct {
	D      float64 `json:"d"`
	Lo     float64 `json:"lo"`
	Hi     float64 `json:"hi"`
	Paired bool    `json:"paired"` // false: a conditional outcome, compared unpaired
	// Paired: the discordant trials, yes here and no in the first (Gain)
	// and the other way round (Loss); D = (Gain − Loss)/Trials.
	Gain int64 `json:"gain"`
	Loss int64 `json:"loss"`
	// IndepLo, IndepHi: the interval that independent runs of the same
	// sizes would give (Newcombe's hybrid score interval of the two
	// margins); for an unpaired row, the interval itself.
	IndepLo float64 `json:"indep_lo"`
	IndepHi float64 `json:"indep_hi"`
	// WidthRatio = (Hi − Lo)/(IndepHi − IndepLo): how much common random
	// numbers narrowed the interval (1 when unpaired; NaN if undefined).
	WidthRatio  float64 `json:"width_ratio"`
	Significant bool    `json:"significant"` // the interval excludes 0
	// OverDraws describes the difference over the parameter draws of a
	// nested comparison (nil when flat; see compare_draws.go). Lo and Hi
	// are then the simulation error's interval, and IndepLo, IndepHi
	// those of independent nested runs on draws of their own.
	OverDraws *DrawDifference `json:"over_draws,omitempty"`
	// RatioPaired: a row where a run with evidence counts a subset of the
	// shared trials, compared by the paired ratio estimator (see
	// RatioPairedDifference); Paired is false.
	RatioPaired bool `json:"ratio_paired,omitempty"`
}

// differenceJSON is the wire form of Difference: NaN becomes null.
type differenceJSON struct {
	D           *float64        `json:"d"`
	Lo          *float64        `json:"lo"`
	Hi          *float64        `json:"hi"`
	Paired      bool            `json:"paired"`
	Gain        int64           `json:"gain"`
	Loss        int64           `json:"loss"`
	IndepLo     *float64        `json:"indep_lo"`
	IndepHi     *float64        `json:"indep_hi"`
	WidthRatio  *float64        `json:"width_ratio"`
	Significant bool            `json:"significant"`
	OverDraws   *DrawDifference `json:"over_draws,omitempty"`
	RatioPaired bool            `json:"ratio_paired,omitempty"`
}

// MarshalJSON writes d with null for NaN.
func (d Difference) MarshalJSON() ([]byte, error) {
	return json.Marshal(differenceJSON{nanToNil(d.D), nanToNil(d.Lo), nanToNil(d.Hi), d.Paired, d.Gain, d.Loss,
		nanToNil(d.IndepLo), nanToNil(d.IndepHi), nanToNil(d.WidthRatio), d.Significant, d.OverDraws, d.RatioPaired})
}

// UnmarshalJSON reads the form MarshalJSON writes.
func (d *Difference) UnmarshalJSON(b []byte) error {
	var w differenceJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*d = Difference{nilToNaN(w.D), nilToNaN(w.Lo), nilToNaN(w.Hi), w.Paired, w.Gain, w.Loss,
		nilToNaN(w.IndepLo), nilToNaN(w.IndepHi), nilToNaN(w.WidthRatio), w.Significant, w.OverDraws, w.RatioPaired}
	return nil
}

// Defined reports whether the difference has a value.
func (d *Difference) Defined() bool { return d != nil && !math.IsNaN(d.D) }

// CRNGain summarises how much common random numbers narrowed the intervals
// of scenario j's differences from the first: the median width ratio over
// the paired rows of the given kind ("outcome" or "reached") whose
// independent interval has a width, and how many rows that is.
func (c *Comparison) CRNGain(j int, kind string) (median float64, rows int) {
	var ratios []float64
	for _, r := range c.Rows {
		if r.Kind != kind {
			continue
		}
		if d := r.Diffs[j]; d.Defined() && d.Paired && !math.IsNaN(d.WidthRatio) {
			ratios = append(ratios, d.WidthRatio)
		}
	}
	if len(ratios) == 0 {
		return math.NaN(), 0
	}
	sort.Float64s(ratios)
	m := len(ratios) / 2
	if len(ratios)%2 == 1 {
		return ratios[m], len(ratios)
	}
	return (ratios[m-1] + ratios[m]) / 2, len(ratios)
}

// HypothesisLess orders hypothesis IDs naturally: H2 before H10.
func HypothesisLess(a, b string) bool {
	var na, nb int
	_, ea := fmt.Sscanf(a, "H%d", &na)
	_, eb := fmt.Sscanf(b, "H%d", &nb)
	if ea == nil && eb == nil && na != nb {
		return na < nb
	}
	return a < b
}
