package chart

import (
	"bytes"
	"compress/zlib"
	"io"
	"math/rand/v2"
	"testing"
)

// appendZlib's stream inflates to its input, for inputs made of runs,
// repeated rows and noise, with rows longer than deflate's window (no row
// matches then), matches reaching the end, and empty or tiny inputs.
func TestAppendZlibRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	inputs := [][]byte{nil, {1}, {1, 2, 3}, bytes.Repeat([]byte{9}, 1000)}
	for range 60 {
		n := rng.IntN(200000)
		b := make([]byte, n)
		for i := 0; i < n; {
			k := min(n-i, 1+rng.IntN(600))
			switch rng.IntN(4) {
			case 0: // noise
				for j := range k {
					b[i+j] = byte(rng.IntN(256))
				}
			case 1: // one value
				v := byte(rng.IntN(256))
				for j := range k {
					b[i+j] = v
				}
			default: // a copy from earlier
				if d := 1 + rng.IntN(40000); d <= i {
					for j := range k {
						b[i+j] = b[i+j-d]
					}
				}
			}
			i += k
		}
		inputs = append(inputs, b)
	}
	for k, in := range inputs {
		for _, row := range []int{1 + 3*900, 7, 40000, 0} {
			z := appendZlib([]byte("prefix"), in, 3, row)
			if !bytes.HasPrefix(z, []byte("prefix")) {
				t.Fatal("appendZlib did not append")
			}
			r, err := zlib.NewReader(bytes.NewReader(z[len("prefix"):]))
			if err != nil {
				t.Fatalf("input %d, row %d: %v", k, row, err)
			}
			out, err := io.ReadAll(r)
			if err != nil {
				t.Fatalf("input %d (%d bytes), row %d: %v", k, len(in), row, err)
			}
			if !bytes.Equal(out, in) {
				t.Fatalf("input %d (%d bytes), row %d: inflates to %d different bytes", k, len(in), row, len(out))
			}
		}
	}
}
