package results

import (
	"math"
	"testing"
)

// With every trial counted in both runs, the ratio estimator's variance is
// the paired (Wald) variance of a difference of proportions,
// (g + l − n·D²)/(n(n−1)) with g, l the discordant counts; a run counting
// no trial gives NaN; all answers alike give se 0.
func TestRatioPairedDifference(t *testing.T) {
	var cells [3][3]int64
	cells[1][1], cells[1][2], cells[2][1], cells[2][2] = 500, 120, 40, 340 // no/no, no/yes, yes/no, yes/yes
	n, g, l := 1000.0, 120.0, 40.0
	d, lo, hi, se := RatioPairedDifference(cells, Z95)
	wantD := (g - l) / n
	wantSE := math.Sqrt((g + l - n*wantD*wantD) / (n * (n - 1)))
	if math.Abs(d-wantD) > 1e-15 || math.Abs(se-wantSE) > 1e-15 || math.Abs(lo-(d-Z95*se)) > 1e-15 || math.Abs(hi-(d+Z95*se)) > 1e-15 {
		t.Errorf("got d %v [%v, %v] se %v, want d %v se %v", d, lo, hi, se, wantD, wantSE)
	}
	// Evidence rejects 300 trials in the second run, all of them "no" in
	// the first: the second run counts 700 trials, 460 of them yes.
	cells[1][0], cells[1][1] = 300, 200
	d, _, _, se = RatioPairedDifference(cells, Z95)
	if want := 460.0/700 - 380.0/1000; math.Abs(d-want) > 1e-15 || !(se > 0) {
		t.Errorf("with rejections: d %v se %v, want d %v and se > 0", d, se, want)
	}
	var none [3][3]int64
	none[1][0] = 10 // counted in the first run only
	if d, _, _, _ := RatioPairedDifference(none, Z95); !math.IsNaN(d) {
		t.Errorf("no trial counted in the second run: d %v, want NaN", d)
	}
	var same [3][3]int64
	same[2][2], same[2][0] = 50, 50
	if d, _, _, se := RatioPairedDifference(same, Z95); d != 0 || se != 0 {
		t.Errorf("all yes in both: d %v se %v, want 0 and 0", d, se)
	}
}
