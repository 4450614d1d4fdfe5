package tally

import (
	"fmt"
	"math"
	"math/bits"
)

// ValueQuantum is the resolution at which a value outcome's per-trial
// values are summed: each value is rounded to the nearest multiple of
// 2^-20 (about 9.5e-7) and its sums are kept as exact integers. Integer
// sums do not depend on the order in which trials are added, so merging
// the tallies of any split of the trials among workers or shards gives the
// same bits; a float sum would not. The rounding changes a mean by at most
// half a quantum.
const ValueQuantum = 1.0 / (1 << 20)

// MaxValue is the largest magnitude a value outcome's per-trial value may
// have (2^42, about 4.4e12), so that its quantised form fits in an int64
// and the exact sums cannot overflow for up to 2^62 trials.
const MaxValue = 1 << 42

// Value is the mergeable tally of one value outcome (a number per trial).
//
//   - Defined: trials whose value was a finite number; Undefined: trials
//     whose value was NaN or infinite (e.g. the entry date of a state never
//     entered). Defined+Undefined == Counts.Trials.
//   - Sum: the exact sum of the defined values in quanta, as a signed
//     128-bit integer (Sum[0] the high word, two's complement; Sum[1] low).
//   - SumSq: the exact sum of squared quanta, unsigned 192-bit (high first).
//   - Min, Max: the smallest and largest defined value in quanta (0 when
//     Defined == 0).
//   - Hist: Bins+2 counters of the defined values: below Lo, Bins equal
//     bins over [Lo, Hi), at or above Hi (the outcome's declared range).
type Value struct {
	Defined   int64     `json:"defined"`
	Undefined int64     `json:"undefined"`
	Sum       [2]uint64 `json:"sum"`
	SumSq     [3]uint64 `json:"sum_sq"`
	Min       int64     `json:"min"`
	Max       int64     `json:"max"`
	Hist      []int64   `json:"hist"`
}

// NewValue returns a zero tally with a histogram of bins equal bins (plus
// the two out-of-range counters).
func NewValue(bins int) Value { return Value{Hist: make([]int64, bins+2)} }

// Quantise returns v in quanta, and false if v is NaN, infinite or beyond
// ±MaxValue.
func Quantise(v float64) (int64, bool) {
	if !(v >= -MaxValue && v <= MaxValue) {
		return 0, false
	}
	return int64(math.RoundToEven(v / ValueQuantum)), true
}

// Add counts one defined value q (in quanta) that falls in histogram
// counter bin (0..Bins+1); a tally without a histogram (Hist nil, as for
// paired differences) ignores bin.
func (v *Value) Add(q int64, bin int) {
	if v.Defined == 0 || q < v.Min {
		v.Min = q
	}
	if v.Defined == 0 || q > v.Max {
		v.Max = q
	}
	v.Defined++
	if v.Hist != nil {
		v.Hist[bin]++
	}
	add128(&v.Sum, q)
	a := uint64(q)
	if q < 0 {
		a = uint64(-q)
	}
	hi, lo := bits.Mul64(a, a)
	var c uint64
	v.SumSq[2], c = bits.Add64(v.SumSq[2], lo, 0)
	v.SumSq[1], c = bits.Add64(v.SumSq[1], hi, c)
	v.SumSq[0] += c
}

// add128 adds the signed q to the two's complement 128-bit s.
func add128(s *[2]uint64, q int64) {
	ext := uint64(0)
	if q < 0 {
		ext = ^uint64(0)
	}
	var c uint64
	s[1], c = bits.Add64(s[1], uint64(q), 0)
	s[0], _ = bits.Add64(s[0], ext, c)
}

// Merge adds o into v. It is exact and independent of order.
func (v *Value) Merge(o *Value) {
	if o.Defined > 0 {
		if v.Defined == 0 || o.Min < v.Min {
			v.Min = o.Min
		}
		if v.Defined == 0 || o.Max > v.Max {
			v.Max = o.Max
		}
	}
	v.Defined += o.Defined
	v.Undefined += o.Undefined
	var c uint64
	v.Sum[1], c = bits.Add64(v.Sum[1], o.Sum[1], 0)
	v.Sum[0], _ = bits.Add64(v.Sum[0], o.Sum[0], c)
	v.SumSq[2], c = bits.Add64(v.SumSq[2], o.SumSq[2], 0)
	v.SumSq[1], c = bits.Add64(v.SumSq[1], o.SumSq[1], c)
	v.SumSq[0] += o.SumSq[0] + c
	for i, n := range o.Hist {
		v.Hist[i] += n
	}
}

// SumFloat returns the sum of the defined values (in the outcome's units),
// rounded once to a float64.
func (v *Value) SumFloat() float64 {
	hi, lo := v.Sum[0], v.Sum[1]
	neg := int64(hi) < 0
	if neg { // negate the 128-bit two's complement
		lo, hi = ^lo, ^hi
		var c uint64
		lo, c = bits.Add64(lo, 1, 0)
		hi += c
	}
	s := (float64(hi)*0x1p64 + float64(lo)) * ValueQuantum
	if neg {
		s = -s
	}
	return s
}

// SumSqFloat returns the sum of the squared defined values (in the
// outcome's units squared), rounded to a float64.
func (v *Value) SumSqFloat() float64 {
	return (float64(v.SumSq[0])*0x1p128 + float64(v.SumSq[1])*0x1p64 + float64(v.SumSq[2])) * ValueQuantum * ValueQuantum
}

// cloneValues returns a deep copy of vs.
func cloneValues(vs []Value) []Value {
	if vs == nil {
		return nil
	}
	out := make([]Value, len(vs))
	for i := range vs {
		out[i] = vs[i]
		out[i].Hist = cloneDraws(vs[i].Hist) // nil stays nil (per-draw tallies have no histogram)
	}
	return out
}

// checkValues reports whether the value tallies of c and o can be merged.
func checkValues(c, o []Value) error {
	if len(c) != len(o) {
		return fmt.Errorf("values has length %d, other has %d", len(c), len(o))
	}
	for i := range c {
		if len(c[i].Hist) != len(o[i].Hist) {
			return fmt.Errorf("values[%d].hist has length %d, other has %d", i, len(c[i].Hist), len(o[i].Hist))
		}
	}
	return nil
}

// AddProduct adds a·b (both in quanta) to the signed 192-bit two's
// complement sum s (high word first): the exact cross-product sum of a
// paired ratio's covariance.
func AddProduct(s *[3]uint64, a, b int64) {
	neg := (a < 0) != (b < 0)
	ua, ub := uint64(a), uint64(b)
	if a < 0 {
		ua = uint64(-a)
	}
	if b < 0 {
		ub = uint64(-b)
	}
	hi, lo := bits.Mul64(ua, ub)
	top := uint64(0)
	if neg && (hi|lo) != 0 { // negate the 192-bit (0, hi, lo)
		var c uint64
		lo, c = bits.Add64(^lo, 1, 0)
		hi, c = bits.Add64(^hi, 0, c)
		top = ^uint64(0) + c
	}
	var c uint64
	s[2], c = bits.Add64(s[2], lo, 0)
	s[1], c = bits.Add64(s[1], hi, c)
	s[0] += top + c
}

// MergeSigned192 adds the signed 192-bit o into s.
func MergeSigned192(s *[3]uint64, o [3]uint64) {
	var c uint64
	s[2], c = bits.Add64(s[2], o[2], 0)
	s[1], c = bits.Add64(s[1], o[1], c)
	s[0] += o[0] + c
}

// Signed192Float returns the signed 192-bit s times ValueQuantum², rounded
// to a float64.
func Signed192Float(s [3]uint64) float64 {
	neg := int64(s[0]) < 0
	if neg {
		var c uint64
		s[2], c = bits.Add64(^s[2], 1, 0)
		s[1], c = bits.Add64(^s[1], 0, c)
		s[0] = ^s[0] + c
	}
	x := (float64(s[0])*0x1p128 + float64(s[1])*0x1p64 + float64(s[2])) * ValueQuantum * ValueQuantum
	if neg {
		x = -x
	}
	return x
}
