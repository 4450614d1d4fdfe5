package tally

import (
	"encoding/json"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// signed returns the two's complement words (high first) as a big.Int.
func signed(words []uint64) *big.Int {
	x := new(big.Int)
	for _, w := range words {
		x.Lsh(x, 64)
		x.Or(x, new(big.Int).SetUint64(w))
	}
	if int64(words[0]) < 0 {
		x.Sub(x, new(big.Int).Lsh(big.NewInt(1), uint(64*len(words))))
	}
	return x
}

// The exact sums agree with big-integer arithmetic, including negative
// values, extreme magnitudes and products of mixed signs.
func TestValueSumsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	v := NewValue(4)
	var cross [3]uint64
	sum, sumSq, sumAB := new(big.Int), new(big.Int), new(big.Int)
	for i := range 5000 {
		var a, b int64
		switch i % 4 {
		case 0:
			a, b = rng.Int64N(maxQuanta)-rng.Int64N(maxQuanta), -rng.Int64N(1000)
		case 1:
			a, b = -maxQuanta, maxQuanta // the extremes
		default:
			a, b = rng.Int64N(1<<40)-(1<<39), rng.Int64N(1<<50)-(1<<49)
		}
		v.Add(a, i%6)
		AddProduct(&cross, a, b)
		sum.Add(sum, big.NewInt(a))
		sumSq.Add(sumSq, new(big.Int).Mul(big.NewInt(a), big.NewInt(a)))
		sumAB.Add(sumAB, new(big.Int).Mul(big.NewInt(a), big.NewInt(b)))
	}
	if signed(v.Sum[:]).Cmp(sum) != 0 {
		t.Errorf("sum %v, want %v", signed(v.Sum[:]), sum)
	}
	if got := new(big.Int).SetBytes(wordsBytes(v.SumSq[:])); got.Cmp(sumSq) != 0 {
		t.Errorf("sum of squares %v, want %v", got, sumSq)
	}
	if signed(cross[:]).Cmp(sumAB) != 0 {
		t.Errorf("cross sum %v, want %v", signed(cross[:]), sumAB)
	}
	f, _ := new(big.Float).SetInt(sum).Float64()
	if got, want := v.SumFloat(), f*ValueQuantum; math.Abs(got-want) > 1e-12*math.Abs(want) {
		t.Errorf("SumFloat %v, want %v", got, want)
	}
	g, _ := new(big.Float).SetInt(sumAB).Float64()
	if got, want := Signed192Float(cross), g*ValueQuantum*ValueQuantum; math.Abs(got-want) > 1e-12*math.Abs(want) {
		t.Errorf("Signed192Float %v, want %v", got, want)
	}
}

// maxQuanta is MaxValue in quanta (2^62), the largest magnitude Add sees.
const maxQuanta = MaxValue * (1 << 20)

func wordsBytes(ws []uint64) []byte {
	var b []byte
	for _, w := range ws {
		for s := 56; s >= 0; s -= 8 {
			b = append(b, byte(w>>s))
		}
	}
	return b
}

// Merging the tallies of any split of the values, in any order, gives the
// same bytes as adding them all to one tally.
func TestValueMergeIndependentOfSplit(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	xs := make([]float64, 3000)
	for i := range xs {
		xs[i] = rng.NormFloat64() * 1e3
	}
	add := func(v *Value, ys []float64) {
		for _, x := range ys {
			q, ok := Quantise(x)
			if !ok {
				t.Fatal("in range")
			}
			v.Add(q, int(math.Abs(x))%5)
		}
	}
	whole := NewValue(3)
	add(&whole, xs)
	parts := []Value{NewValue(3), NewValue(3), NewValue(3)}
	add(&parts[0], xs[:1000])
	add(&parts[1], xs[1000:2222])
	add(&parts[2], xs[2222:])
	merged := NewValue(3)
	for _, i := range []int{2, 0, 1} {
		merged.Merge(&parts[i])
	}
	a, _ := json.Marshal(whole)
	b, _ := json.Marshal(merged)
	if string(a) != string(b) {
		t.Errorf("merged %s\nwhole  %s", b, a)
	}
	if _, ok := Quantise(math.NaN()); ok {
		t.Error("NaN quantised")
	}
	if _, ok := Quantise(2 * MaxValue); ok {
		t.Error("a value beyond MaxValue quantised")
	}
}
