package results

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// drawSplit is how the fixture's groups (A..E) share out among 4 draws of
// 250 trials: uneven, so that the draws differ.
var drawSplit = [4][5]int64{
	{150, 40, 30, 20, 10},
	{110, 60, 45, 25, 10},
	{82, 67, 58, 28, 15},
	{70, 70, 65, 28, 17},
}

// nestedFixture is the fixture's 1000 trials as 4 draws of 250 (split by
// drawSplit), with per-draw counts derived from the groups' paths as the
// fixture's totals are.
func nestedFixture(t *testing.T) *Result {
	t.Helper()
	l := fixtureLayout()
	c := fixtureCounts(&l)
	s, p, w := l.NumStates(), len(l.Points), len(l.NamedDates)+1
	c.SetNested(250, 4, s*w)
	for d, split := range drawSplit {
		for gi, m := range split {
			// outcomes: ceasefire (C, D, E); divided (B, C, E); divided given any deal (B, C, E of B..E)
			hit := [3]bool{gi >= 2, gi == 1 || gi == 2 || gi == 4, gi == 1 || gi == 2 || gi == 4}
			given := [3]bool{true, true, gi >= 1}
			for i := range 3 {
				if given[i] {
					c.DrawGiven[d*3+i] += m
					if hit[i] {
						c.DrawHits[d*3+i] += m
					}
				}
			}
			c.DrawTrials[d] += m
			one := countGroups(&l, []group{{m, fixtureGroups[gi].path}})
			for g := range s {
				for j := range w {
					point := p - 1
					if j < len(l.NamedDates) {
						point = l.NamedDates[j].Point
					}
					for k := 0; k <= point; k++ {
						c.DrawReached[(d*s+g)*w+j] += one.Entry[g*(p+1)+k]
					}
				}
			}
		}
	}
	r, err := NewResult(l, *c, fixtureManifest(), RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The nested fixture's renderings match testdata/nested_*.golden (rewrite
// with -update and review).
func TestNestedGolden(t *testing.T) {
	r := nestedFixture(t)
	for _, c := range renderers[:4] { // text, Markdown, outcomes and reached CSV
		got := render(t, c.write, r)
		path := filepath.Join("testdata", "nested_"+c.golden)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./results/ -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("output differs from %s:\n%s", path, lineDiff(string(want), string(got)))
		}
	}
	var b bytes.Buffer
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"simulation error (95%)", "range over assumptions", "4 parameter draws of 250 trials"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q", want)
		}
	}
}

// A nested result survives WriteJSON and ReadJSON byte for byte, with its
// per-draw counts, range and design.
func TestNestedJSONRoundTrip(t *testing.T) {
	r := nestedFixture(t)
	var a, b bytes.Buffer
	if err := WriteJSON(&a, r); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&b, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("nested result.json changes through ReadJSON")
	}
	if back.Nested == nil || back.Nested.Draws != 4 || back.Nested.PerDraw != 250 || back.Outcomes[0].Range == nil {
		t.Fatalf("read back %+v, range %v", back.Nested, back.Outcomes[0].Range)
	}
}

// Per-draw counts that disagree with the totals are refused.
func TestNestedCountsChecked(t *testing.T) {
	l := fixtureLayout()
	for name, spoil := range map[string]func(c *Counts){
		"draw trials sum":   func(c *Counts) { c.DrawTrials[0]-- },
		"hits above given":  func(c *Counts) { c.DrawHits[2] += 200; c.DrawHits[5] -= 200 },
		"hits sum":          func(c *Counts) { c.DrawHits[0]++ },
		"draw too big":      func(c *Counts) { c.PerDraw = 200 },
		"slices, no design": func(c *Counts) { c.PerDraw = 0 },
		"short given":       func(c *Counts) { c.DrawGiven = c.DrawGiven[:11] },
		"reached sum":       func(c *Counts) { c.DrawReached[7]++ },
		"short reached":     func(c *Counts) { c.DrawReached = c.DrawReached[1:] },
	} {
		c := nestedFixture(t).Counts.Clone()
		spoil(c)
		if _, err := NewResult(l, *c, fixtureManifest(), RunInfo{}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestClusterProportion(t *testing.T) {
	// Three draws of 10: P = 15/30, deviations −3, 0, 3, SE² = 3/2·18/30².
	e := ClusterProportion([]int64{2, 5, 8}, []int64{10, 10, 10})
	if e.P != 0.5 || math.Abs(e.SE-math.Sqrt(1.5*18/900)) > 1e-15 {
		t.Fatalf("P %v SE %v", e.P, e.SE)
	}
	tq := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 2}.Quantile(0.975)
	if lo := max(0, 0.5-tq*e.SE); e.Lo != lo || e.Hi != min(1, 0.5+tq*e.SE) {
		t.Fatalf("interval [%v, %v], want P ± t₂·SE = [%v, %v]", e.Lo, e.Hi, lo, 0.5+tq*e.SE)
	}
	// Identical draws: the between-draw SE is 0; the interval is Wilson's.
	e = ClusterProportion([]int64{5, 5, 5, 5}, []int64{10, 10, 10, 10})
	w := NewProportion(20, 40)
	if e.SE != 0 || e.Lo != w.Lo || e.Hi != w.Hi {
		t.Fatalf("identical draws: %+v, want the Wilson interval %v..%v", e, w.Lo, w.Hi)
	}
	// One draw with data: Wilson on the totals.
	if e := ClusterProportion([]int64{3, 0}, []int64{10, 0}); e != NewProportion(3, 10) {
		t.Fatalf("one draw: %+v", e)
	}
}

// DrawRange on beta-binomial counts (θ_k ~ Beta(2, 5), n = 40 per draw,
// 20 000 draws, fixed seed) recovers the Beta quantiles within 0.006 (4
// standard errors of a sample quantile of 20 000 exact values is at most
// 0.0045 here, plus what the moment matching leaves of the shape), while
// the raw quantiles of the noisy estimates miss the 5% and 95% ones by at
// least 0.01.
func TestDrawRangeRemovesNoise(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	beta := distuv.Beta{Alpha: 2, Beta: 5, Src: rng}
	const K, n = 20000, 40
	h, m := make([]int64, K), make([]int64, K)
	for k := range K {
		th := beta.Rand()
		for range n {
			if rng.Float64() < th {
				h[k]++
			}
		}
		m[k] = n
	}
	sp := DrawRange(h, m)
	xs := make([]float64, K)
	for k := range xs {
		xs[k] = float64(h[k]) / n
	}
	slices.Sort(xs)
	b := distuv.Beta{Alpha: 2, Beta: 5}
	for _, c := range []struct{ q, got float64 }{{0.05, sp.P5}, {0.5, sp.P50}, {0.95, sp.P95}} {
		want, raw := b.Quantile(c.q), quantile7(xs, c.q)
		t.Logf("q=%.2f exact %.4f noise removed %.4f raw %.4f (noise share %.3f)", c.q, want, c.got, raw, sp.NoiseShare)
		if math.Abs(c.got-want) > 0.006 {
			t.Errorf("q=%.2f: %.4f, exact %.4f", c.q, c.got, want)
		}
		if c.q != 0.5 && math.Abs(raw-want) < 0.01 {
			t.Errorf("q=%.2f: raw %.4f already within 0.01 of %.4f: the test does not show the noise", c.q, raw, want)
		}
	}
	if sp.Draws != K || !(sp.NoiseShare > 0.1 && sp.NoiseShare < 0.5) {
		t.Errorf("draws %d, noise share %v", sp.Draws, sp.NoiseShare)
	}
	// All draws alike: the range collapses to the common value.
	sp = DrawRange([]int64{4, 4, 4}, []int64{10, 10, 10})
	if sp.P5 != 0.4 || sp.P95 != 0.4 || sp.NoiseShare != 1 {
		t.Errorf("identical draws: %+v", sp)
	}
	// Fewer than two draws with at least 2 trials: undefined.
	if sp := DrawRange([]int64{1, 1}, []int64{1, 5}); sp.Defined() {
		t.Errorf("one usable draw gave %+v", sp)
	}
}

// quantile7 is the q-quantile of sorted xs by linear interpolation between
// order statistics (Hyndman & Fan 1996, type 7).
func quantile7(xs []float64, q float64) float64 {
	h := q * float64(len(xs)-1)
	i := int(h)
	if i >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	return xs[i] + (h-float64(i))*(xs[i+1]-xs[i])
}
