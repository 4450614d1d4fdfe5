// Package dist is the registry of the probability distributions a scenario's
// params can be drawn from. Each distribution is described once, as a
// [Family] entry: its name and argument names, its argument check, its
// support, mean, CDF, quantile, density and sampler. The model compiler, the
// simulator, the charts and the documentation all read this registry, so a
// new distribution is one new entry (one file with an init function that
// calls register).
//
// The package imports only the standard library and gonum.
package dist

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Family is one registry entry: a parametric family of distributions.
type Family struct {
	Name  string   // as written in a scenario, e.g. "beta"
	Args  []string // argument names, in order, e.g. {"a", "b"}
	About string   // one sentence for the documentation: parametrisation and support
	// Example is a typical argument list, for the documentation and tests.
	Example []float64

	// Check refuses arguments that do not define a distribution of the
	// family, saying which argument is wrong. It is called with the right
	// number of finite arguments; [New] adds the checks common to all
	// families (see there).
	Check func(a []float64) error

	// Build returns the distribution's functions for arguments Check
	// accepted.
	Build func(a []float64) Shape
}

// Shape is what a family builds for one set of arguments.
type Shape struct {
	// Support is the closed interval [Lo, Hi] that holds every draw and every
	// quantile; Lo may be -Inf and Hi +Inf.
	Lo, Hi float64
	// ViewLo, ViewHi is a finite range holding nearly all of the mass, used
	// for histograms of the draws.
	ViewLo, ViewHi float64
	Mean           float64
	CDF            func(x float64) float64
	Quantile       func(u float64) float64 // u in (0, 1)
	Density        func(x float64) float64
	// Sample draws one value, a pure function of src's stream.
	Sample func(src rand.Source) float64
}

// Dist is one distribution: a family and its arguments.
type Dist struct {
	Kind   string    // the family's name
	Args   []float64 // the arguments, in the family's order
	Lo, Hi float64   // a finite range holding nearly all of the mass (for histograms)
	shape  Shape
}

// Sample draws one value using src; the value is a pure function of src's
// stream, and lies in the support.
func (d *Dist) Sample(src rand.Source) float64 { return d.shape.Sample(src) }

// Quantile returns the u-quantile, for u in (0, 1).
func (d *Dist) Quantile(u float64) float64 { return d.shape.Quantile(u) }

// Mean returns the distribution's mean.
func (d *Dist) Mean() float64 { return d.shape.Mean }

// Density returns the probability density at x (0 outside the support).
func (d *Dist) Density(x float64) float64 { return d.shape.Density(x) }

// CDF returns P(X ≤ x).
func (d *Dist) CDF(x float64) float64 { return d.shape.CDF(x) }

// Support returns the closed interval that holds every draw.
func (d *Dist) Support() (lo, hi float64) { return d.shape.Lo, d.shape.Hi }

// String returns the distribution with its arguments, e.g. "beta(2, 8)".
func (d *Dist) String() string { return d.Kind + "(" + formatArgs(d.Args) + ")" }

// formatArgs writes arguments as a scenario would: "2, 8".
func formatArgs(a []float64) string {
	s := make([]string, len(a))
	for i, v := range a {
		s[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strings.Join(s, ", ")
}

var registry = map[string]Family{}

// register adds f to the registry; it panics on a malformed or duplicate
// entry, which is a programming error caught at start-up.
func register(f Family) {
	if f.Name == "" || len(f.Args) == 0 || len(f.Example) != len(f.Args) || f.About == "" || f.Check == nil || f.Build == nil {
		panic(fmt.Sprintf("dist: incomplete registry entry %q", f.Name))
	}
	if _, dup := registry[f.Name]; dup {
		panic(fmt.Sprintf("dist: %q registered twice", f.Name))
	}
	registry[f.Name] = f
}

// Lookup returns the family called name.
func Lookup(name string) (Family, bool) {
	f, ok := registry[name]
	return f, ok
}

// Families returns every registered family, sorted by name.
func Families() []Family {
	out := make([]Family, 0, len(registry))
	for _, f := range registry {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Signature returns the family as written with its argument names, e.g.
// "beta(a, b)".
func (f Family) Signature() string { return f.Name + "(" + strings.Join(f.Args, ", ") + ")" }

// Signatures lists every family's signature, sorted by name and joined by
// ", ", for error messages.
func Signatures() string {
	var s []string
	for _, f := range Families() {
		s = append(s, f.Signature())
	}
	return strings.Join(s, ", ")
}

// Limit bounds the magnitude of every draw and of the histogram range, so
// that draws stay finite and expressions built on them keep headroom before
// overflow.
const Limit = 1e300

// The smallest and largest uniform numbers an inverse-CDF sampler uses (see
// uniform): every such draw lies between their quantiles.
const (
	uMin = 0x1p-53
	uMax = 1 - 0x1p-53
)

// checkProbs are the probabilities at which New checks that the quantile
// function inverts the CDF.
var checkProbs = []float64{1e-6, 1e-3, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1 - 1e-6}

// quantileTol is the largest |CDF(Quantile(p)) − p| New accepts.
const quantileTol = 1e-6

// New returns the distribution kind(args...). The error says what is wrong
// (it does not repeat the distribution's text). Beyond the family's own
// check, New refuses arguments
//   - that are not finite, or of the wrong number;
//   - whose draws or mean would exceed ±[Limit] (e.g. overflow to Inf);
//   - whose histogram range is not finite or is too narrow to be told apart
//     from a single value (use a fixed value instead);
//   - whose quantile function does not invert the CDF to within 1e-6 in
//     probability, which happens when float64 cannot represent the
//     distribution (e.g. beta shapes so small that draws pile up at exactly
//     0 and 1).
func New(kind string, args []float64) (*Dist, error) {
	key := newKey(kind, args)
	if v, ok := built.Load(key); ok {
		b := v.(builtDist)
		if b.err != nil {
			return nil, b.err
		}
		d := *b.d
		d.Args = append([]float64(nil), d.Args...)
		return &d, nil
	}
	d, err := build(kind, args)
	if builtCount.Load() < maxBuilt {
		if _, loaded := built.LoadOrStore(key, builtDist{d, err}); !loaded {
			builtCount.Add(1)
		}
	}
	if d != nil {
		c := *d
		c.Args = append([]float64(nil), d.Args...)
		d = &c
	}
	return d, err
}

// New is a pure function of its arguments, and its checks cost
// milliseconds for some families (beta quantiles), so it remembers the
// first maxBuilt answers: reading a result, charting it and analysing it
// build the same distributions again and again.
var (
	built      sync.Map // newKey → builtDist
	builtCount atomic.Int64
)

const maxBuilt = 4096

type builtDist struct {
	d   *Dist
	err error
}

// newKey is kind and the bits of args.
func newKey(kind string, args []float64) string {
	b := make([]byte, 0, len(kind)+1+8*len(args))
	b = append(append(b, kind...), 0)
	for _, v := range args {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return string(b)
}

// build is New without the memory.
func build(kind string, args []float64) (*Dist, error) {
	f, ok := registry[kind]
	if !ok {
		return nil, fmt.Errorf("unknown distribution %q; want one of %s", kind, Signatures())
	}
	if len(args) != len(f.Args) {
		return nil, fmt.Errorf("%s takes %d arguments (%s), not %d", kind, len(f.Args), strings.Join(f.Args, ", "), len(args))
	}
	for i, v := range args {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: argument %s is not a finite number", kind, f.Args[i])
		}
	}
	if err := f.Check(args); err != nil {
		return nil, err
	}
	s := f.Build(args)
	if err := s.usable(); err != nil {
		return nil, fmt.Errorf("%s: %v", f.Signature(), err)
	}
	return &Dist{Kind: kind, Args: append([]float64(nil), args...), Lo: s.ViewLo, Hi: s.ViewHi, shape: s}, nil
}

// usable holds the checks New applies to every family.
func (s Shape) usable() error {
	if !(math.Abs(s.Mean) <= Limit) {
		return fmt.Errorf("the mean %g is beyond ±%g", s.Mean, Limit)
	}
	for _, u := range []float64{uMin, uMax} {
		q := s.Quantile(u)
		if !(math.Abs(q) <= Limit) {
			return fmt.Errorf("draws would reach %g, beyond ±%g", q, Limit)
		}
		if !(s.Lo <= q && q <= s.Hi) {
			return fmt.Errorf("draws would reach %g, outside the support [%g, %g]", q, s.Lo, s.Hi)
		}
	}
	lo, hi := s.ViewLo, s.ViewHi
	if !(math.Abs(lo) <= Limit && math.Abs(hi) <= Limit && lo < hi) {
		return fmt.Errorf("the range of the draws [%g, %g] is not usable for a histogram", lo, hi)
	}
	if hi-lo < 1e-300 || hi-lo < 1e-9*math.Max(math.Abs(lo), math.Abs(hi)) {
		return fmt.Errorf("nearly all draws lie in [%g, %g], too narrow to tell apart from one value; use a fixed value", lo, hi)
	}
	for _, p := range checkProbs {
		x := s.Quantile(p)
		if got := s.CDF(x); !(math.Abs(got-p) <= quantileTol) {
			return fmt.Errorf("float64 cannot represent this distribution faithfully: its %g-quantile computes as %g, where the CDF is %.3g, not %g (arguments this extreme pile the draws up at the ends of the support)", p, x, got, p)
		}
	}
	return nil
}

// uniform returns a uniform number in (0, 1) from one 64-bit word of src:
// (k + 0.5)·2⁻⁵² for the top 52 bits k, so never 0 or 1.
func uniform(src rand.Source) float64 {
	return (float64(src.Uint64()>>12) + 0.5) * 0x1p-52
}

// inverse returns a sampler that draws one uniform number from src and
// returns its quantile.
func inverse(quantile func(float64) float64) func(rand.Source) float64 {
	return func(src rand.Source) float64 { return quantile(uniform(src)) }
}
