package results

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestT975 checks the cached quantile against distuv, bit for bit, twice
// (computed, then cached), and against published values (Student's t
// table: 12.706 at 1 df, 2.228 at 10, 1.984 at 100).
func TestT975(t *testing.T) {
	for range 2 {
		for _, df := range []int{1, 2, 10, 39, 100, 1999} {
			want := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
			if got := T975(df); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("T975(%d) = %v, distuv gives %v", df, got, want)
			}
		}
	}
	for df, want := range map[int]float64{1: 12.706, 10: 2.228, 100: 1.984} {
		if got := T975(df); math.Abs(got-want) > 0.0005 {
			t.Errorf("T975(%d) = %.4f, tables give %.3f", df, got, want)
		}
	}
}
