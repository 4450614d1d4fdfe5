package chart

import (
	"encoding/binary"
	"math/bits"
)

// This file is a zlib (RFC 1950) stream writer specialised for the
// unfiltered scanlines of chart images, which are long runs of one colour
// (background, bars, bands) and rows repeating the row above. It looks for
// just two kinds of match: a run repeating the previous pixel (distance 3)
// and a run repeating the row above (distance one scanline), takes the
// longer of the two greedily, and codes everything in one block with
// deflate's fixed Huffman codes (RFC 1951 §3.2.6). That needs no hash
// table and no code tables built per block, which is where compress/flate
// spends most of its time on such images, for files about the size of
// compress/flate's fastest level. Any conforming decoder reads the result.

// fixedCode is a fixed Huffman code, bit-reversed for LSB-first output.
type fixedCode struct {
	bits uint16
	n    uint8
}

var (
	fixedLitLen [286]fixedCode // literal/length symbols 0..285
	fixedDist   [30]fixedCode  // distance symbols 0..29
	// lengthSym[l-3] is the symbol, extra bits and extra value of length l.
	lengthSym [256]struct {
		code      fixedCode
		extraBits uint8
		extra     uint16
	}
)

// The base lengths and distances of RFC 1951 §3.2.5, with their extra bits.
var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

func init() {
	rev := func(code uint16, n uint8) fixedCode {
		return fixedCode{bits: bits.Reverse16(code) >> (16 - n), n: n}
	}
	for s := range fixedLitLen {
		switch {
		case s < 144:
			fixedLitLen[s] = rev(uint16(0x30+s), 8)
		case s < 256:
			fixedLitLen[s] = rev(uint16(0x190+s-144), 9)
		case s < 280:
			fixedLitLen[s] = rev(uint16(s-256), 7)
		default:
			fixedLitLen[s] = rev(uint16(0xC0+s-280), 8)
		}
	}
	for s := range fixedDist {
		fixedDist[s] = rev(uint16(s), 5)
	}
	for l := 3; l <= 258; l++ {
		s := len(lengthBase) - 1
		for lengthBase[s] > uint16(l) {
			s--
		}
		e := &lengthSym[l-3]
		e.code, e.extraBits, e.extra = fixedLitLen[257+s], lengthExtra[s], uint16(l)-lengthBase[s]
	}
}

// maxMatch and maxDistance are deflate's limits on a match.
const (
	maxMatch    = 258
	maxDistance = 32768
)

// bitWriter appends LSB-first bits to a byte slice.
type bitWriter struct {
	out  []byte
	acc  uint64
	nacc uint
}

func (w *bitWriter) put(v uint32, n uint8) {
	w.acc |= uint64(v) << w.nacc
	w.nacc += uint(n)
	if w.nacc >= 32 {
		w.out = binary.LittleEndian.AppendUint32(w.out, uint32(w.acc))
		w.acc >>= 32
		w.nacc -= 32
	}
}

func (w *bitWriter) code(c fixedCode) { w.put(uint32(c.bits), c.n) }

// flush writes the remaining bits, padded with zeros to a whole byte.
func (w *bitWriter) flush() {
	for n := int(w.nacc); n > 0; n -= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
	}
	w.acc, w.nacc = 0, 0
}

// distCode holds the symbol and extra bits of one distance.
type distCode struct {
	code      fixedCode
	extraBits uint8
	extra     uint16
}

func newDistCode(d int) distCode {
	s := len(distBase) - 1
	for int(distBase[s]) > d {
		s--
	}
	return distCode{code: fixedDist[s], extraBits: distExtra[s], extra: uint16(d - int(distBase[s]))}
}

// match writes a match of length l (3..258) at distance dc.
func (w *bitWriter) match(l int, dc *distCode) {
	ls := &lengthSym[l-3]
	w.code(ls.code)
	if ls.extraBits > 0 {
		w.put(uint32(ls.extra), ls.extraBits)
	}
	w.code(dc.code)
	if dc.extraBits > 0 {
		w.put(uint32(dc.extra), dc.extraBits)
	}
}

// runLength returns how many bytes from i on repeat those d bytes
// earlier, at most maxMatch.
func runLength(data []byte, i, d int) int {
	end := min(len(data), i+maxMatch)
	n := i
	for n+8 <= end && binary.LittleEndian.Uint64(data[n:]) == binary.LittleEndian.Uint64(data[n-d:]) {
		n += 8
	}
	for n < end && data[n] == data[n-d] {
		n++
	}
	return n - i
}

// deflater codes one zlib stream in one fixed-Huffman block, fed in
// pieces by [deflater.code]: it looks for repeats of the previous pixel
// (pixel bytes back) and of the row above (row bytes back; not looked for
// if row exceeds deflate's window).
type deflater struct {
	w                bitWriter
	pixel, row       int
	runDist, rowDist distCode
	useRow           bool
}

// newDeflater starts a zlib stream appended to out.
func newDeflater(out []byte, pixel, row int) *deflater {
	out = append(out, 0x78, 0x01) // deflate, 32 KiB window, no dictionary, fastest
	d := &deflater{w: bitWriter{out: out}, pixel: pixel, row: row,
		runDist: newDistCode(pixel), rowDist: newDistCode(max(row, 1)),
		useRow: row > 0 && row <= maxDistance}
	d.w.put(1|1<<1, 3) // the final block, fixed Huffman codes
	return d
}

// code codes the stream's bytes from data[from] on, until it reaches or
// passes data[to], and returns where it stopped (a match may run past
// to). data[0] is the stream's byte at offset base, and data must hold
// every byte a match may look at: those from row bytes before from (or
// from the stream's start), and those up to maxMatch − 1 past to (or to
// the stream's end, which must then be data's end). Fed so, the stream
// does not depend on how it is cut into pieces.
func (d *deflater) code(data []byte, from, to, base int) int {
	pixel, row := d.pixel, d.row
	i := from
	for i < to {
		lr := 0
		if base+i >= pixel {
			lr = runLength(data, i, pixel)
		}
		lu := 0
		if d.useRow && base+i >= row && lr < maxMatch {
			lu = runLength(data, i, row)
		}
		switch {
		case lr >= 3 && lr >= lu:
			d.w.match(lr, &d.runDist)
			i += lr
		case lu >= 4:
			d.w.match(lu, &d.rowDist)
			i += lu
		default:
			d.w.code(fixedLitLen[data[i]])
			i++
		}
	}
	return i
}

// finish ends the stream, whose bytes have the Adler-32 checksum adler,
// and returns out with the stream appended.
func (d *deflater) finish(adler uint32) []byte {
	d.w.code(fixedLitLen[256]) // end of block
	d.w.flush()
	return binary.BigEndian.AppendUint32(d.w.out, adler)
}
