package live

import (
	"encoding/json"
	"math"
	"slices"
	"sort"

	"scensim/results"
	"scensim/scenarios"
	"scensim/sim"
)

// DefaultMinDiff is the change below which a difference is not material:
// one percentage point.
const DefaultMinDiff = 0.01

// Change is one outcome of a preview beside the same outcome of the
// preview it is compared with.
type Change struct {
	Name     string  `json:"name"`
	Group    string  `json:"group"`
	Headline bool    `json:"headline"`
	P        float64 `json:"p"`  // the new estimate
	Lo       float64 `json:"lo"` // its 95% simulation-error interval
	Hi       float64 `json:"hi"`
	N        int64   `json:"n"`
	// Prev is the outcome's estimate in the other preview (NaN when it
	// lacks the outcome or the outcome is undefined there).
	Prev float64 `json:"prev"`
	// D is P − Prev, with its 95% interval [DLo, DHi] (NaN if undefined).
	D   float64 `json:"d"`
	DLo float64 `json:"d_lo"`
	DHi float64 `json:"d_hi"`
	// Paired says the interval is that of a paired difference: the two
	// previews drew the same params in each draw from the same seed, so
	// the interval is computed from the per-draw differences. Otherwise
	// the two estimates' errors are taken as independent.
	Paired bool `json:"paired"`
	// Material: the whole interval lies beyond ±min-diff, so the change is
	// larger than min-diff with 95% confidence.
	Material bool `json:"material"`
}

// MarshalJSON writes c with null for every undefined (NaN) number, which
// JSON cannot carry.
func (c Change) MarshalJSON() ([]byte, error) {
	num := func(v float64) any {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return v
	}
	return json.Marshal(map[string]any{
		"name": c.Name, "group": c.Group, "headline": c.Headline,
		"p": num(c.P), "lo": num(c.Lo), "hi": num(c.Hi), "n": c.N,
		"prev": num(c.Prev), "d": num(c.D), "d_lo": num(c.DLo), "d_hi": num(c.DHi),
		"paired": c.Paired, "material": c.Material,
	})
}

// Diff compares every outcome of cur with the outcome of the same name in
// prev (nil prev: no comparison; every D is NaN).
//
// Two nested previews with the same seed, trials and draws are paired by
// draw: draw k of both ran the same trials with the same values of every
// param the two versions share (keyed by seed, draw and name). With per
// draw hits h and given counts g (g = trials for an unconditional outcome)
// and pooled P = Σh/Σg in each preview, the per-draw contributions
// e_k = (h1_k − P1·g1_k)/G1 − (h0_k − P0·g0_k)/G0 give
//
//	SE² = K/(K−1) · Σ_k e_k²
//
// (the cluster-robust variance of the difference of two ratio estimators,
// as in results.ClusterProportion) and the interval is D ± t·SE, with t the
// 97.5% quantile of Student's t with K−1 degrees of freedom. Otherwise
// (flat previews, or designs that differ) the difference is unpaired: the
// Newcombe interval for two flat previews, else D ± 1.96·√(SE1² + SE0²)
// from each preview's own simulation error.
func Diff(prev, cur *Preview, minDiff float64) []Change {
	var out []Change
	for i, row := range cur.Result.Outcomes {
		c := Change{Name: row.Name, Group: row.Group, Headline: row.Headline,
			P: row.Estimate.P, Lo: row.Estimate.Lo, Hi: row.Estimate.Hi, N: row.Estimate.N,
			Prev: math.NaN(), D: math.NaN(), DLo: math.NaN(), DHi: math.NaN()}
		j := -1
		if prev != nil {
			j = slices.IndexFunc(prev.Result.Outcomes, func(o results.OutcomeRow) bool { return o.Name == row.Name })
		}
		if j >= 0 {
			old := prev.Result.Outcomes[j].Estimate
			c.Prev = old.P
			if old.N > 0 && row.Estimate.N > 0 {
				c.D = row.Estimate.P - old.P
				switch {
				case pairedDesign(prev, cur):
					c.Paired = true
					c.DLo, c.DHi = pairedInterval(prev.Tally, j, cur.Tally, i, c.D)
				case !prev.Tally.Nested() && !cur.Tally.Nested():
					c.DLo, c.DHi = results.NewcombeUnpaired(row.Estimate.K, row.Estimate.N, old.K, old.N, results.Z95)
				default:
					se := math.Hypot(row.Estimate.SE, old.SE)
					c.DLo, c.DHi = c.D-results.Z95*se, c.D+results.Z95*se
				}
				c.Material = c.DLo > minDiff || c.DHi < -minDiff
			}
		}
		out = append(out, c)
	}
	return out
}

// pairedDesign reports whether two previews drew their params in the same
// draws from the same seed, so that draw k of one pairs with draw k of the
// other.
func pairedDesign(a, b *Preview) bool {
	return a.Tally.Nested() && b.Tally.Nested() && a.Seed == b.Seed &&
		a.Tally.Trials == b.Tally.Trials && a.Tally.PerDraw == b.Tally.PerDraw &&
		a.Tally.Draws() == b.Tally.Draws() && slices.Equal(a.Tally.DrawTrials, b.Tally.DrawTrials)
}

// pairedInterval is the 95% interval of d = P1 − P0 for outcome o1 of t1
// against outcome o0 of t0, paired by draw (see Diff).
func pairedInterval(t0 *sim.Tally, o0 int, t1 *sim.Tally, o1 int, d float64) (lo, hi float64) {
	n0, n1 := len(t0.Hits), len(t1.Hits)
	var G0, G1, H0, H1 float64
	for k := range t0.DrawTrials {
		H0 += float64(t0.DrawHits[k*n0+o0])
		G0 += float64(t0.DrawGiven[k*n0+o0])
		H1 += float64(t1.DrawHits[k*n1+o1])
		G1 += float64(t1.DrawGiven[k*n1+o1])
	}
	if G0 == 0 || G1 == 0 {
		return math.NaN(), math.NaN()
	}
	P0, P1 := H0/G0, H1/G1
	var ss float64
	K := 0
	for k, n := range t0.DrawTrials {
		if n == 0 {
			continue
		}
		K++
		e := (float64(t1.DrawHits[k*n1+o1])-P1*float64(t1.DrawGiven[k*n1+o1]))/G1 -
			(float64(t0.DrawHits[k*n0+o0])-P0*float64(t0.DrawGiven[k*n0+o0]))/G0
		ss += e * e
	}
	if K < 2 {
		return math.NaN(), math.NaN()
	}
	se := math.Sqrt(float64(K) / float64(K-1) * ss)
	t := results.T975(K - 1)
	return d - t*se, d + t*se
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// isEmbeddedName reports whether a base file name names an embedded
// scenario rather than a file.
func isEmbeddedName(file string) bool {
	_, ok := scenarios.FromSource(file)
	return ok
}
