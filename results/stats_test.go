package results

import (
	"encoding/json"
	"math"
	"testing"
)

// Reference values: R. G. Newcombe (1998), "Two-sided confidence intervals for
// the single proportion: comparison of seven methods", Statistics in Medicine
// 17:857–872, Table I, method 3 (Wilson score interval without continuity
// correction), 95% limits printed to 4 decimals, for the paper's four worked
// examples.
func TestWilsonNewcombe1998(t *testing.T) {
	for _, c := range []struct {
		k, n   int64
		lo, hi float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0.0000, 0.1611},
		{1, 29, 0.0061, 0.1718},
	} {
		lo, hi := Wilson(c.k, c.n, Z95)
		// The table is rounded to 4 decimals: the exact limit is within 5e-5.
		if math.Abs(lo-c.lo) > 5e-5 || math.Abs(hi-c.hi) > 5e-5 {
			t.Errorf("Wilson(%d, %d) = [%.6f, %.6f], Newcombe 1998: [%.4f, %.4f]", c.k, c.n, lo, hi, c.lo, c.hi)
		}
		// The same examples through NewProportion.
		p := NewProportion(c.k, c.n)
		if p.Lo != lo || p.Hi != hi {
			t.Errorf("NewProportion(%d, %d) interval [%v, %v] != Wilson [%v, %v]", c.k, c.n, p.Lo, p.Hi, lo, hi)
		}
	}
}

// For k = 0 the Wilson upper limit has the closed form z²/(n+z²) (Wilson 1927;
// Agresti & Coull 1998, section 2), and by symmetry the limits of n−k are the
// complements of those of k.
func TestWilsonClosedFormAndSymmetry(t *testing.T) {
	for _, n := range []int64{1, 2, 10, 20, 1000, 1e9} {
		lo, hi := Wilson(0, n, Z95)
		want := Z95 * Z95 / (float64(n) + Z95*Z95)
		if lo != 0 || math.Abs(hi-want) > 1e-15 {
			t.Errorf("Wilson(0, %d) = [%v, %v], want [0, %v]", n, lo, hi, want)
		}
		lo, hi = Wilson(n, n, Z95)
		if hi != 1 || math.Abs(lo-(1-want)) > 1e-15 {
			t.Errorf("Wilson(%d, %d) = [%v, %v], want [%v, 1]", n, n, lo, hi, 1-want)
		}
	}
	for _, c := range [][2]int64{{3, 10}, {81, 263}, {12345, 100000}} {
		lo1, hi1 := Wilson(c[0], c[1], Z95)
		lo2, hi2 := Wilson(c[1]-c[0], c[1], Z95)
		if math.Abs(lo1-(1-hi2)) > 1e-14 || math.Abs(hi1-(1-lo2)) > 1e-14 {
			t.Errorf("Wilson(%d, %d) = [%v, %v] not symmetric with [%v, %v]", c[0], c[1], lo1, hi1, lo2, hi2)
		}
		p := float64(c[0]) / float64(c[1])
		if !(lo1 < p && p < hi1) {
			t.Errorf("Wilson(%d, %d) = [%v, %v] does not contain %v", c[0], c[1], lo1, hi1, p)
		}
	}
	// z = 0 degenerates to the point estimate.
	if lo, hi := Wilson(3, 10, 0); math.Abs(lo-0.3) > 1e-15 || math.Abs(hi-0.3) > 1e-15 {
		t.Errorf("Wilson(3, 10, 0) = [%v, %v], want [0.3, 0.3]", lo, hi)
	}
}

func TestWilsonEdgeCases(t *testing.T) {
	if lo, hi := Wilson(0, 0, Z95); lo != 0 || hi != 1 {
		t.Errorf("Wilson(0, 0) = [%v, %v], want [0, 1]", lo, hi)
	}
	for _, c := range []struct {
		k, n int64
		z    float64
	}{{-1, 10, Z95}, {11, 10, Z95}, {0, -1, Z95}, {1, 10, -1}, {1, 10, math.NaN()}, {1, 10, math.Inf(1)}} {
		if lo, hi := Wilson(c.k, c.n, c.z); !math.IsNaN(lo) || !math.IsNaN(hi) {
			t.Errorf("Wilson(%d, %d, %v) = [%v, %v], want NaN", c.k, c.n, c.z, lo, hi)
		}
	}
}

// Monte Carlo standard error of a proportion, sqrt(p(1−p)/n), against values
// computed by hand: 81/263: p = 0.30798479, p(1−p) = 81·182/263² = 0.21313016,
// /263 = 8.1038e-4, sqrt = 0.02846719; 15/148: sqrt(15·133/148³) = 0.02480726;
// 1/29: sqrt(28/29³) = 0.03388301; 500/1000: sqrt(0.25/1000) = 0.01581139.
func TestProportionSE(t *testing.T) {
	for _, c := range []struct {
		k, n  int64
		p, se float64
	}{
		{81, 263, 0.30798479, 0.02846719},
		{15, 148, 0.10135135, 0.02480726},
		{1, 29, 0.03448276, 0.03388301},
		{500, 1000, 0.5, 0.01581139},
		{0, 20, 0, 0},
		{20, 20, 1, 0},
	} {
		p := NewProportion(c.k, c.n)
		if p.K != c.k || p.N != c.n || math.Abs(p.P-c.p) > 5e-9 || math.Abs(p.SE-c.se) > 5e-9 {
			t.Errorf("NewProportion(%d, %d) = %+v, want P %.8f SE %.8f", c.k, c.n, p, c.p, c.se)
		}
	}
	p := NewProportion(0, 0)
	if !math.IsNaN(p.P) || !math.IsNaN(p.SE) || p.Lo != 0 || p.Hi != 1 || p.Defined() {
		t.Errorf("NewProportion(0, 0) = %+v, want P, SE NaN and [0, 1]", p)
	}
}

func TestProportionJSONNaN(t *testing.T) {
	for _, p := range []Proportion{NewProportion(0, 0), NewProportion(81, 263)} {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var q Proportion
		if err := json.Unmarshal(b, &q); err != nil {
			t.Fatal(err)
		}
		same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
		if q.K != p.K || q.N != p.N || !same(q.P, p.P) || !same(q.SE, p.SE) || !same(q.Lo, p.Lo) || !same(q.Hi, p.Hi) {
			t.Errorf("round trip of %+v via %s gave %+v", p, b, q)
		}
	}
	b, _ := json.Marshal(NewProportion(0, 0))
	if want := `{"k":0,"n":0,"p":null,"se":null,"lo":0,"hi":1}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
}
