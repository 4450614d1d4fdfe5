package chart

import (
	"bytes"
	"hash/adler32"
	"math/rand/v2"
	"testing"
)

// adler gives hash/adler32's checksum for inputs of every length up to
// 100 bytes, long runs of 0xff (the largest sums, past a reduction
// block) and random inputs fed in random pieces.
func TestAdlerMatchesHashAdler32(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var inputs [][]byte
	for n := range 101 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		inputs = append(inputs, b)
	}
	inputs = append(inputs, bytes.Repeat([]byte{0xff}, 3*adlerBlock+13), bytes.Repeat([]byte{0xff}, 5552*8+7))
	for range 20 {
		b := make([]byte, rng.IntN(3*adlerBlock))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		inputs = append(inputs, b)
	}
	for k, in := range inputs {
		a := newAdler()
		for rest := in; len(rest) > 0; {
			n := min(len(rest), rng.IntN(20000))
			a.update(rest[:n])
			rest = rest[n:]
		}
		if got, want := a.sum32(), adler32.Checksum(in); got != want {
			t.Fatalf("input %d (%d bytes): %08x, want %08x", k, len(in), got, want)
		}
	}
}
