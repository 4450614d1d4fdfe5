package analysis

import (
	"math"
	"testing"
)

// The Ishigami function (Ishigami & Homma 1990) with a = 7, b = 0.1 on
// x ~ U(−π, π)³ has known indices (Saltelli et al. 2008, Global Sensitivity
// Analysis: The Primer, §4.9; Sobol' & Levitan 1999):
// S1 = 0.3139, S2 = 0.4424, S3 = 0; ST1 = 0.5576, ST2 = 0.4424, ST3 = 0.2437.
func TestSobolIshigami(t *testing.T) {
	const a, b = 7.0, 0.1
	f := func(u []float64) float64 {
		x1, x2, x3 := math.Pi*(2*u[0]-1), math.Pi*(2*u[1]-1), math.Pi*(2*u[2]-1)
		return math.Sin(x1) + a*math.Sin(x2)*math.Sin(x2) + b*math.Pow(x3, 4)*math.Sin(x1)
	}
	// Exact values from the closed form of the variance decomposition.
	V1 := 0.5 * sq(1+b*math.Pow(math.Pi, 4)/5)
	V2 := a * a / 8
	V13 := b * b * math.Pow(math.Pi, 8) * (1.0/18 - 1.0/50)
	V := V1 + V2 + V13
	wantS := []float64{V1 / V, V2 / V, 0}
	wantT := []float64{(V1 + V13) / V, V2 / V, V13 / V}
	for i, w := range []float64{0.3139, 0.4424, 0} {
		if math.Abs(wantS[i]-w) > 5e-4 {
			t.Fatalf("closed form S%d = %.4f, want %.4f", i+1, wantS[i], w)
		}
	}
	for i, w := range []float64{0.5576, 0.4424, 0.2437} {
		if math.Abs(wantT[i]-w) > 5e-4 {
			t.Fatalf("closed form ST%d = %.4f, want %.4f", i+1, wantT[i], w)
		}
	}
	idx := SobolFunc(f, 3, 1<<14, 20250319, 500)
	for i, x := range idx {
		t.Logf("x%d: S1 %.4f ±%.4f [%.4f, %.4f] (%.4f)  ST %.4f ±%.4f [%.4f, %.4f] (%.4f)", i+1,
			x.S1, x.S1SE, x.S1Lo, x.S1Hi, wantS[i], x.ST, x.STSE, x.STLo, x.STHi, wantT[i])
		if d := math.Abs(x.S1 - wantS[i]); d > 4*x.S1SE {
			t.Errorf("S1 of x%d = %.4f, want %.4f within 4 SE (%.4f)", i+1, x.S1, wantS[i], x.S1SE)
		}
		if d := math.Abs(x.ST - wantT[i]); d > 4*x.STSE {
			t.Errorf("ST of x%d = %.4f, want %.4f within 4 SE (%.4f)", i+1, x.ST, wantT[i], x.STSE)
		}
		if x.S1SE > 0.03 || x.STSE > 0.03 {
			t.Errorf("x%d: standard errors %.4f, %.4f are too large to test anything", i+1, x.S1SE, x.STSE)
		}
	}
}
