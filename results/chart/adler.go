package chart

import "encoding/binary"

// adler is a running Adler-32 checksum (RFC 1950 §9), the checksum that
// ends a zlib stream: [hash/adler32]'s, eight bytes at a time.
type adler struct{ s1, s2 uint32 }

func newAdler() adler { return adler{s1: 1} }

// adlerMod is the prime modulus of Adler-32.
const adlerMod = 65521

// adlerBlock is how many bytes are summed between reductions: s1 stays
// below 65521 + 255·2²⁰ and s2 below 65521 + 2²⁰ · that, far from 2⁶⁴.
const adlerBlock = 1 << 20

// update adds p to the checksum. Eight bytes b0…b7 add b0 + … + b7 to s1
// and 8·s1 + 8·b0 + 7·b1 + … + 1·b7 to s2; both sums are taken in
// 16-bit lanes of one word (the even bytes in one, the odd in another)
// by multiplying by a constant whose lanes are the weights, so that the
// top lane of the product holds the sum. No lane exceeds 16 bits: a byte
// is at most 255 and the weights of a lane's partial sums add to at most
// 20.
func (a *adler) update(p []byte) {
	s1, s2 := uint64(a.s1), uint64(a.s2)
	for len(p) > 0 {
		q := p[:min(len(p), adlerBlock)]
		p = p[len(q):]
		for len(q) >= 8 {
			x := binary.LittleEndian.Uint64(q)
			even := x & 0x00ff00ff_00ff00ff     // b0, b2, b4, b6
			odd := x >> 8 & 0x00ff00ff_00ff00ff // b1, b3, b5, b7
			sum := (even + odd) * 0x0001_0001_0001_0001 >> 48
			weighted := (even*0x0008_0006_0004_0002 + odd*0x0007_0005_0003_0001) >> 48
			s2 += 8*s1 + weighted
			s1 += sum
			q = q[8:]
		}
		for _, b := range q {
			s1 += uint64(b)
			s2 += s1
		}
		s1 %= adlerMod
		s2 %= adlerMod
	}
	a.s1, a.s2 = uint32(s1), uint32(s2)
}

// sum32 is the checksum of the bytes added so far.
func (a adler) sum32() uint32 { return a.s2<<16 | a.s1 }
