package dist

import (
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

var update = flag.Bool("update", false, "rewrite docs/distributions.md from the registry")

// reference is a distribution computed independently of the registry: from
// gonum's distuv types directly, or from a cited closed form.
type reference struct {
	mean, sd float64
	quantile func(p float64) float64
	density  func(x float64) float64
}

type samplerCase struct {
	args []float64
	ref  reference
}

// samplerCases holds, per family, the argument sets the sampler test draws
// from and their references. Every registered family must have at least one
// (TestEveryFamilyHasSamplerCases); a family's test file adds its cases in an
// init function.
var samplerCases = map[string][]samplerCase{}

func fromDistuv(d interface {
	Mean() float64
	StdDev() float64
	Quantile(float64) float64
	Prob(float64) float64
}) reference {
	return reference{d.Mean(), d.StdDev(), d.Quantile, d.Prob}
}

// pertRef is PERT(lo, mode, hi) as lo + (hi−lo)·Beta(α, β) with
// α = 1 + 4(mode−lo)/(hi−lo), β = 1 + 4(hi−mode)/(hi−lo)
// (Vose, Risk Analysis, 3rd ed., 2008, §III.7.2).
func pertRef(lo, mode, hi float64) reference {
	w := hi - lo
	b := distuv.Beta{Alpha: 1 + 4*(mode-lo)/w, Beta: 1 + 4*(hi-mode)/w}
	return reference{
		mean:     lo + w*b.Mean(),
		sd:       w * b.StdDev(),
		quantile: func(p float64) float64 { return lo + w*b.Quantile(p) },
		density:  func(x float64) float64 { return b.Prob((x-lo)/w) / w },
	}
}

// truncNormalRef is the normal(mu, sd) truncated to [lo, hi], with the
// closed forms of Johnson, Kotz & Balakrishnan, Continuous Univariate
// Distributions vol. 1, 2nd ed., §13.10: with α = (lo−μ)/σ, β = (hi−μ)/σ,
// Z = Φ(β) − Φ(α), the mean is μ + σ(φ(α) − φ(β))/Z and the variance
// σ²[1 + (αφ(α) − βφ(β))/Z − ((φ(α) − φ(β))/Z)²].
func truncNormalRef(mu, sd, lo, hi float64) reference {
	std := distuv.UnitNormal
	al, be := (lo-mu)/sd, (hi-mu)/sd
	z := std.CDF(be) - std.CDF(al)
	m := (std.Prob(al) - std.Prob(be)) / z
	v := 1 + (al*std.Prob(al)-be*std.Prob(be))/z - m*m
	return reference{
		mean: mu + sd*m,
		sd:   sd * math.Sqrt(v),
		quantile: func(p float64) float64 {
			return mu + sd*std.Quantile(std.CDF(al)+p*z)
		},
		density: func(x float64) float64 {
			if x < lo || x > hi {
				return 0
			}
			return std.Prob((x-mu)/sd) / sd / z
		},
	}
}

func init() {
	samplerCases["beta"] = []samplerCase{
		{[]float64{2, 8}, fromDistuv(distuv.Beta{Alpha: 2, Beta: 8})},
		{[]float64{0.5, 0.5}, fromDistuv(distuv.Beta{Alpha: 0.5, Beta: 0.5})},
		{[]float64{40, 3}, fromDistuv(distuv.Beta{Alpha: 40, Beta: 3})},
	}
	samplerCases["uniform"] = []samplerCase{
		{[]float64{0.2, 1}, fromDistuv(distuv.Uniform{Min: 0.2, Max: 1})},
		{[]float64{-3, 5e4}, fromDistuv(distuv.Uniform{Min: -3, Max: 5e4})},
	}
	samplerCases["triangular"] = []samplerCase{
		{[]float64{0, 0.2, 1}, fromDistuv(distuv.NewTriangle(0, 1, 0.2, nil))},
		{[]float64{2, 5, 5}, fromDistuv(distuv.NewTriangle(2, 5, 5, nil))},
	}
	samplerCases["pert"] = []samplerCase{
		{[]float64{0.09, 0.15, 0.24}, pertRef(0.09, 0.15, 0.24)},
		{[]float64{0, 0, 10}, pertRef(0, 0, 10)},
	}
	samplerCases["normal"] = []samplerCase{
		{[]float64{0.5, 0.2, 0, 1}, truncNormalRef(0.5, 0.2, 0, 1)},
		{[]float64{10, 3, 11, 30}, truncNormalRef(10, 3, 11, 30)},
	}
	samplerCases["lognormal"] = []samplerCase{
		{[]float64{-2, 0.5}, fromDistuv(distuv.LogNormal{Mu: -2, Sigma: 0.5})},
		{[]float64{3, 1.2}, fromDistuv(distuv.LogNormal{Mu: 3, Sigma: 1.2})},
	}
}

func TestEveryFamilyHasSamplerCases(t *testing.T) {
	for _, f := range Families() {
		if len(samplerCases[f.Name]) == 0 {
			t.Errorf("family %s has no sampler test case", f.Name)
		}
	}
	for name := range samplerCases {
		if _, ok := Lookup(name); !ok {
			t.Errorf("sampler cases for %s, which is not registered", name)
		}
	}
}

// TestSampler draws n = 200,000 values of each case with a fixed seed and
// compares them with the reference: every draw in the support; the sample
// mean within 4 standard errors (σ/√n) of the mean; and, at the reference's
// p-quantiles q for p in 0.01 … 0.99, the share of draws ≤ q within 4
// standard errors (√(p(1−p)/n)) of p.
func TestSampler(t *testing.T) {
	const n = 200_000
	ps := []float64{0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99}
	names := make([]string, 0, len(samplerCases))
	for name := range samplerCases {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for ci, c := range samplerCases[name] {
			d, err := New(name, c.args)
			if err != nil {
				t.Errorf("%s%v: %v", name, c.args, err)
				continue
			}
			src := rand.NewPCG(uint64(ci+1), 20260101)
			lo, hi := d.Support()
			xs := make([]float64, n)
			sum := 0.0
			for i := range xs {
				x := d.Sample(src)
				if !(lo <= x && x <= hi) {
					t.Fatalf("%s: draw %d = %v outside the support [%v, %v]", d, i, x, lo, hi)
				}
				xs[i] = x
				sum += x
			}
			if se, got := c.ref.sd/math.Sqrt(n), sum/n; math.Abs(got-c.ref.mean) > 4*se {
				t.Errorf("%s: sample mean %v, want %v ± 4·%.3g", d, got, c.ref.mean, se)
			}
			sort.Float64s(xs)
			for _, p := range ps {
				q := c.ref.quantile(p)
				share := float64(sort.SearchFloat64s(xs, math.Nextafter(q, math.Inf(1)))) / n
				if se := math.Sqrt(p * (1 - p) / n); math.Abs(share-p) > 4*se {
					t.Errorf("%s: share of draws ≤ the %v-quantile %v is %v, want %v ± 4·%.3g", d, p, q, share, p, se)
				}
			}
		}
	}
}

// TestFunctionsMatchReference checks the registry's mean, quantile and
// density against the references to a relative 1e-9, and that the quantile
// inverts the CDF.
func TestFunctionsMatchReference(t *testing.T) {
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b))) }
	for name, cases := range samplerCases {
		for _, c := range cases {
			d, err := New(name, c.args)
			if err != nil {
				t.Errorf("%s%v: %v", name, c.args, err)
				continue
			}
			if !close(d.Mean(), c.ref.mean) {
				t.Errorf("%s: mean %v, want %v", d, d.Mean(), c.ref.mean)
			}
			for _, p := range []float64{0.001, 0.05, 0.3, 0.5, 0.8, 0.999} {
				q := d.Quantile(p)
				if want := c.ref.quantile(p); !close(q, want) {
					t.Errorf("%s: %v-quantile %v, want %v", d, p, q, want)
				}
				if got := d.CDF(q); math.Abs(got-p) > 1e-9 {
					t.Errorf("%s: CDF of the %v-quantile is %v", d, p, got)
				}
				if got, want := d.Density(q), c.ref.density(q); !close(got, want) {
					t.Errorf("%s: density at %v is %v, want %v", d, q, got, want)
				}
			}
			if !(d.Lo < d.Hi) || d.CDF(d.Hi)-d.CDF(d.Lo) < 0.99 {
				t.Errorf("%s: histogram range [%v, %v] holds %v of the mass", d, d.Lo, d.Hi, d.CDF(d.Hi)-d.CDF(d.Lo))
			}
		}
	}
}

// TestSameDrawsAsBefore pins the random-number consumption: beta and PERT
// draw exactly what gonum's distuv.Beta.Rand draws from the same stream, and
// the inverse-CDF families take one 64-bit word per draw.
func TestSameDrawsAsBefore(t *testing.T) {
	for _, ab := range [][2]float64{{2, 8}, {0.5, 0.5}, {0.15, 3}, {1, 1}, {40, 3}} {
		d, err := New("beta", ab[:])
		if err != nil {
			t.Fatal(err)
		}
		s1, s2 := rand.NewPCG(1, 2), rand.NewPCG(1, 2)
		for i := range 10_000 {
			got := d.Sample(s1)
			want := distuv.Beta{Alpha: ab[0], Beta: ab[1], Src: s2}.Rand()
			if got != want {
				t.Fatalf("%s draw %d: %v, distuv.Beta.Rand %v", d, i, got, want)
			}
		}
	}
	d, err := New("pert", []float64{1, 2, 5})
	if err != nil {
		t.Fatal(err)
	}
	s1, s2 := rand.NewPCG(3, 4), rand.NewPCG(3, 4)
	for i := range 10_000 {
		want := 1 + 4*distuv.Beta{Alpha: 2, Beta: 4, Src: s2}.Rand()
		if got := d.Sample(s1); got != want {
			t.Fatalf("%s draw %d: %v, want %v", d, i, got, want)
		}
	}
	d, err = New("lognormal", []float64{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	s1, s2 = rand.NewPCG(5, 6), rand.NewPCG(5, 6)
	for i := range 1000 {
		u := (float64(s2.Uint64()>>12) + 0.5) * 0x1p-52
		if got, want := d.Sample(s1), math.Exp(distuv.UnitNormal.Quantile(u)); got != want {
			t.Fatalf("%s draw %d: %v, want %v", d, i, got, want)
		}
	}
}

// TestBetaVariateTinyShapes: with shapes far below what New accepts, most
// gamma variates underflow to 0; betaVariate still returns a value in [0, 1]
// and never NaN (X/(X+Y) with X = Y = 0 is 0/0).
func TestBetaVariateTinyShapes(t *testing.T) {
	src := rand.NewPCG(9, 9)
	undefined := 0
	for range 200_000 {
		x := betaVariate(0.001, 0.001, src)
		if !(0 <= x && x <= 1) {
			t.Fatalf("betaVariate(0.001, 0.001) = %v", x)
		}
		if x == 0.5 {
			undefined++
		}
	}
	// P(both gamma variates underflow) ≈ 0.49² ≈ 0.24: the guard is exercised.
	if undefined < 1000 {
		t.Errorf("only %d draws hit the 0/0 guard; the test does not exercise it", undefined)
	}
}

func TestRefused(t *testing.T) {
	for _, c := range []struct {
		kind string
		args []float64
		want string
	}{
		{"gauss", []float64{0, 1}, `unknown distribution "gauss"; want one of beta(a, b),`},
		{"beta", []float64{1}, "beta takes 2 arguments (a, b), not 1"},
		{"beta", []float64{math.NaN(), 1}, "argument a is not a finite number"},
		{"uniform", []float64{0, math.Inf(1)}, "argument hi is not a finite number"},
		{"beta", []float64{0, 1}, "needs a > 0 and b > 0"},
		{"beta", []float64{0.001, 0.001}, "cannot represent this distribution faithfully"},
		{"beta", []float64{0.01, 0.01}, "cannot represent this distribution faithfully"},
		{"beta", []float64{1e7, 2}, "needs a ≤ 1e6"},
		{"lognormal", []float64{1000, 1}, "larger draws overflow"},
		{"lognormal", []float64{-1000, 1}, "too close to 0"},
		{"lognormal", []float64{0, 100}, "larger draws overflow"},
		{"uniform", []float64{-1e308, 1e308}, "beyond ±1e+300"},
		{"uniform", []float64{1, 1 + 1e-12}, "too narrow"},
		{"uniform", []float64{0, 1e-305}, "too narrow"},
		{"triangular", []float64{0, 2, 1}, "lo ≤ mode ≤ hi"},
		{"pert", []float64{1, 1, 1}, "lo < hi"},
		{"normal", []float64{0, 1, 50, 60}, "almost none of the distribution's mass"},
		{"normal", []float64{0, 1e305, -1e305, 1e305}, "beyond ±1e+300"},
	} {
		_, err := New(c.kind, c.args)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%s, %v) = %v, want an error containing %q", c.kind, c.args, err, c.want)
		}
	}
}

// TestDocsList checks that docs/distributions.md is the registry's list.
func TestDocsList(t *testing.T) {
	path := filepath.Join("..", "docs", "distributions.md")
	want := Markdown()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./dist -update)", err)
	}
	if string(got) != want {
		t.Errorf("%s is not the registry's list; run go test ./dist -update", path)
	}
	for _, f := range Families() {
		if !strings.Contains(string(got), "`"+f.Signature()+"`") {
			t.Errorf("%s does not list %s", path, f.Signature())
		}
	}
}

func TestExamplesAccepted(t *testing.T) {
	for _, f := range Families() {
		d, err := New(f.Name, f.Example)
		if err != nil {
			t.Errorf("%s: example %v refused: %v", f.Name, f.Example, err)
			continue
		}
		if got, want := d.String(), f.Name+"("+formatArgs(f.Example)+")"; got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
}
