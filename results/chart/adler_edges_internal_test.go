package chart

import (
	"bytes"
	"hash/adler32"
	"testing"
)

// adler agrees with hash/adler32 on the inputs with the largest sums (all
// 0xff) at lengths around multiples of 8 and of the reduction block,
// whether fed whole or in pieces of every size from 1 to 17 bytes and
// pieces that end just short of, at and just past a block.
func TestAdlerEdges(t *testing.T) {
	ones := bytes.Repeat([]byte{0xff}, 2*adlerBlock+64)
	var lengths []int
	for _, base := range []int{0, 8, 5552, 5552 * 8, adlerBlock, 2 * adlerBlock} {
		for d := -9; d <= 9; d++ {
			if n := base + d; n >= 0 && n <= len(ones) {
				lengths = append(lengths, n)
			}
		}
	}
	for _, n := range lengths {
		in := ones[:n]
		want := adler32.Checksum(in)
		whole := newAdler()
		whole.update(in)
		if got := whole.sum32(); got != want {
			t.Fatalf("%d bytes of 0xff whole: %08x, want %08x", n, got, want)
		}
		pieces := []int{adlerBlock - 1, adlerBlock, adlerBlock + 1, 7, 9}
		if n < 1<<12 {
			pieces = append(pieces, 1, 2, 3, 4, 5, 6, 8, 10, 11, 12, 13, 14, 15, 16, 17)
		}
		for _, p := range pieces {
			a := newAdler()
			for rest := in; len(rest) > 0; {
				k := min(p, len(rest))
				a.update(rest[:k])
				rest = rest[k:]
			}
			if got := a.sum32(); got != want {
				t.Fatalf("%d bytes of 0xff in pieces of %d: %08x, want %08x", n, p, got, want)
			}
		}
	}
}
