package analysis

import (
	"encoding/json"
	"math"

	"scensim/results"
)

// Pair counts the joint outcomes of one outcome in two runs over the same
// trials: Pair[3*(x+1)+(y+1)] is the number of trials whose outcome was x in
// the first run and y in the second, with 1 a hit, 0 a miss and −1 a trial
// where the outcome's given did not hold.
type Pair [9]int64

func (c *Pair) add(x, y int8) { c[3*(int(x)+1)+int(y)+1]++ }

func (c *Pair) merge(o *Pair) {
	for i := range c {
		c[i] += o[i]
	}
}

// at returns the count of (x, y).
func (c *Pair) at(x, y int) int64 { return c[3*(x+1)+y+1] }

// Diff is an estimated difference of two probabilities with its 95%
// interval.
type Diff struct {
	D      float64 `json:"d"`      // second minus first
	Lo     float64 `json:"lo"`     // 95% interval
	Hi     float64 `json:"hi"`     //
	Method string  `json:"method"` // "newcombe-paired" or "delta-ratio"
}

// MarshalJSON writes NaN as null.
func (d Diff) MarshalJSON() ([]byte, error) {
	type w struct {
		D      *float64 `json:"d"`
		Lo     *float64 `json:"lo"`
		Hi     *float64 `json:"hi"`
		Method string   `json:"method"`
	}
	return json.Marshal(w{nanNil(d.D), nanNil(d.Lo), nanNil(d.Hi), d.Method})
}

func nanNil(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

// Significant reports whether the interval excludes 0.
func (d Diff) Significant() bool { return d.Lo > 0 || d.Hi < 0 }

// PairedDiff estimates P(second) − P(first) from the joint counts of a pair
// of runs over the same trials, with a 95% interval. An unconditional
// outcome (no −1 counts) gets Newcombe's hybrid score interval for paired
// proportions; a conditional one the delta-method (Wald) interval of the
// difference of the two ratio estimators hits/given, computed from the
// paired per-trial linearised values.
func PairedDiff(c *Pair) Diff {
	cond := false
	for x := -1; x <= 1; x++ {
		cond = cond || c.at(-1, x) > 0 || c.at(x, -1) > 0
	}
	if !cond {
		// a: both hit; b: first hit, second miss; cc: first miss, second hit; d: both miss.
		a, b, cc, d := c.at(1, 1), c.at(1, 0), c.at(0, 1), c.at(0, 0)
		return newcombePaired(a+cc, a+b, a, cc, b, d)
	}
	return deltaRatio(c)
}

// newcombePaired is Newcombe's (1998) method 10 for the difference
// p1 − p2 of paired proportions (results.NewcombePaired, checked there
// against the paper's worked examples), p1 = k1/n the second run's and
// p2 = k2/n the first's; a trials hit in both, c1 in the second only, c2
// in the first only, d in neither.
func newcombePaired(k1, k2, a, c1, c2, d int64) Diff {
	n := a + c1 + c2 + d
	if n == 0 {
		return Diff{D: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Method: "newcombe-paired"}
	}
	lo, hi := results.NewcombePaired(a, c1, c2, d, results.Z95)
	return Diff{D: float64(k1-k2) / float64(n), Lo: lo, Hi: hi, Method: "newcombe-paired"}
}

func sq(x float64) float64 { return x * x }

// deltaRatio is the delta-method interval for r2 − r1, r = Σy/Σg over the
// trials (y: hit, g: given held), paired by trial: with z_i = (y_i − r·g_i)/ḡ
// the linearised value of trial i in each run, Var(r2 − r1) ≈ Σ(z2 − z1)²/n².
func deltaRatio(c *Pair) Diff {
	var n, y1, g1, y2, g2 int64
	for x := -1; x <= 1; x++ {
		for y := -1; y <= 1; y++ {
			k := c.at(x, y)
			n += k
			if x >= 0 {
				g1 += k
			}
			if x == 1 {
				y1 += k
			}
			if y >= 0 {
				g2 += k
			}
			if y == 1 {
				y2 += k
			}
		}
	}
	if g1 == 0 || g2 == 0 {
		return Diff{D: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Method: "delta-ratio"}
	}
	nf := float64(n)
	r1, r2 := float64(y1)/float64(g1), float64(y2)/float64(g2)
	gb1, gb2 := float64(g1)/nf, float64(g2)/nf
	z := func(s int, r, gb float64) float64 {
		switch s {
		case 1:
			return (1 - r) / gb
		case 0:
			return -r / gb
		}
		return 0
	}
	ss := 0.0
	for x := -1; x <= 1; x++ {
		for y := -1; y <= 1; y++ {
			if k := c.at(x, y); k > 0 {
				ss += float64(k) * sq(z(y, r2, gb2)-z(x, r1, gb1))
			}
		}
	}
	se := math.Sqrt(ss) / nf
	d := r2 - r1
	return Diff{D: d, Lo: math.Max(d-results.Z95*se, -1), Hi: math.Min(d+results.Z95*se, 1), Method: "delta-ratio"}
}
