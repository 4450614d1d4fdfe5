package analysis

import (
	"fmt"
	"math"
	"strconv"

	"scensim/model"
	"scensim/results"
	"scensim/tally"
)

// Value outcomes in a PSA. For each value outcome the PSA reports the
// distribution over the sampled params θ of E[value | θ], the mean over
// the trials of a draw where the value is defined, exactly as it does for
// P(outcome | θ): mean, SD and 2.5/50/97.5% quantiles over the draws, with
// each draw's inner noise removed by shrinking the per-draw means towards
// their mean by sqrt(1 − noise/raw variance), where the noise is the
// average of the per-draw means' squared standard errors sd²/n (O'Hagan et
// al. 2007; for a proportion sd²/n is p̂(1 − p̂)/(n − 1)). Each draw's sums
// are exact integers (tally.Value) and a draw's trials are all seen by one
// worker, so the result does not depend on the workers.

// PSAValue is the distribution over θ of a value outcome's mean.
type PSAValue struct {
	Name string `json:"name"`
	Unit string `json:"unit,omitempty"`
	// Pooled is the mean over all trials where the value is defined, as
	// `run` would report it, with its SE and normal 95% interval.
	Pooled         results.ValueDiff `json:"pooled"`
	UndefinedShare float64           `json:"undefined_share"` // of all trials
	PSASpread

	draws psaDraws
}

// psaValues holds the per-draw tallies of the value outcomes.
type psaValues struct {
	nv   int
	k    int64
	vals []tally.Value // [draw*nv + j]; written by the one worker that runs the draw
}

func newPSAValues(p *model.Plan, draws int, inner int64) *psaValues {
	if len(p.Values) == 0 {
		return nil
	}
	return &psaValues{nv: len(p.Values), k: inner, vals: make([]tally.Value, draws*len(p.Values))}
}

// visit adds one trial's values to its draw's tallies.
func (pv *psaValues) visit(_ int, trial int64, vals [][]float64) {
	row := pv.vals[int(trial/pv.k)*pv.nv:]
	for j, x := range vals[0][:pv.nv] {
		if q, ok := tally.Quantise(x); ok {
			row[j].Add(q, 0)
		} else {
			row[j].Undefined++
		}
	}
}

// result returns the value rows, their spreads not yet summarised.
func (pv *psaValues) result(p *model.Plan) []PSAValue {
	out := make([]PSAValue, pv.nv)
	for j, vo := range p.Values {
		var all tally.Value
		d := &out[j].draws
		for m := 0; m*pv.nv < len(pv.vals); m++ {
			v := &pv.vals[m*pv.nv+j]
			all.Merge(v)
			if v.Defined == 0 {
				continue
			}
			s := meanOf(v)
			d.est, d.noise = append(d.est, float64(s.D)), append(d.noise, sq(float64(s.SE)))
		}
		out[j].Name, out[j].Unit, out[j].Pooled = vo.Name, vo.Unit, meanOf(&all)
		out[j].UndefinedShare = float64(all.Undefined) / float64(max(all.Defined+all.Undefined, 1))
		out[j].Draws = len(d.est)
	}
	return out
}

// valueTables renders the value outcomes of the PSA.
func (p *PSA) valueTables() []*Table {
	if len(p.Values) == 0 {
		return nil
	}
	long := &Table{Name: "psa_values", NoText: true, Columns: []string{"value_outcome", "unit", "draws", "undefined_share", "pooled_mean", "pooled_lo95", "pooled_hi95",
		"mean", "mean_se", "sd", "sd_se", "p2_5", "p2_5_se", "median", "median_se", "p97_5", "p97_5_se", "raw_sd", "noise_sd", "shrink"}}
	tbl := &Table{NoCSV: true, Title: "Value outcomes: E[value | θ] over the params' draws",
		Columns: []string{"value outcome", "mean", "±", "sd", "±", "2.5%", "±", "median", "97.5%", "±", "noise share"}}
	for _, v := range p.Values {
		name := v.Name
		if v.Unit != "" {
			name += " (" + v.Unit + ")"
		}
		share := math.NaN()
		if v.RawSD > 0 {
			share = math.Min(sq(v.NoiseSD)/sq(v.RawSD), 1)
		}
		se := func(x float64) string {
			if math.IsNaN(x) {
				return "n/a"
			}
			return sig4(x)
		}
		tbl.add(name, sig4(v.Mean.V), se(v.Mean.SE), sig4(v.SD.V), se(v.SD.SE), sig4(v.P2_5.V), se(v.P2_5.SE), sig4(v.Median.V), sig4(v.P97_5.V), se(v.P97_5.SE), pct(share))
		long.add(v.Name, v.Unit, strconv.Itoa(v.Draws), f6(v.UndefinedShare), f6(float64(v.Pooled.D)), f6(float64(v.Pooled.Lo)), f6(float64(v.Pooled.Hi)),
			f6(v.Mean.V), f6(v.Mean.SE), f6(v.SD.V), f6(v.SD.SE), f6(v.P2_5.V), f6(v.P2_5.SE), f6(v.Median.V), f6(v.Median.SE),
			f6(v.P97_5.V), f6(v.P97_5.SE), f6(v.RawSD), f6(v.NoiseSD), f6(v.Shrink))
	}
	tbl.Notes = append(tbl.Notes,
		"E[value | θ]: the mean over a draw's trials where the value is defined; mean, sd and quantiles over the draws with the inner noise (the per-draw means' sd²/n) removed; ± columns are bootstrap Monte Carlo errors, in the outcome's unit",
		fmt.Sprintf("noise share: the part of the per-draw means' variance that is inner noise; near 100%% the spread is not resolved (raise the inner trials per draw, now %s)", thousands(int64(p.Inner))))
	return []*Table{long, tbl}
}
