package sim

import "math/bits"

// planeCount is the number of bit planes of a planeCounter: it counts up
// to 2^planeCount − 1 trials between drains.
const planeCount = 8

// planeCounter counts, for each bit of a word, the trials whose word had
// that bit set, as binary numbers held across planes: bit i of plane j is
// bit j of bit i's count since the last drain. Adding a trial's word is a
// fixed sequence of word operations (a ripple-carry add of the word to 64
// counters at once), with no branch on the word's bits and no store to the
// counts themselves; drain adds the counts to an []int64 and clears them.
// A counter must be drained at least every 2^planeCount − 1 additions.
type planeCounter [planeCount]uint64

// add adds 1 to the count of every bit set in b.
func (p *planeCounter) add(b uint64) {
	// Written out: the compiler does not unroll loops.
	c := b
	x := p[0]
	p[0], c = x^c, x&c
	x = p[1]
	p[1], c = x^c, x&c
	x = p[2]
	p[2], c = x^c, x&c
	x = p[3]
	p[3], c = x^c, x&c
	x = p[4]
	p[4], c = x^c, x&c
	x = p[5]
	p[5], c = x^c, x&c
	x = p[6]
	p[6], c = x^c, x&c
	p[7] ^= c
}

// drain adds bit i's count to n[i] (n holds at least as many counts as
// bits that may be set) and clears the counter.
func (p *planeCounter) drain(n []int64) {
	for j, b := range p {
		for ; b != 0; b &= b - 1 {
			n[bits.TrailingZeros64(b)] += 1 << j
		}
	}
	*p = planeCounter{}
}

// outcomeCounts holds the per-trial counts of a horizonState's outcomes
// (hits, and givens of the outcomes with a given condition) until they
// are drained into a tally: per word of outcome bits, a counter of the
// givens and one of the hits.
type outcomeCounts struct {
	given, hits []planeCounter
	added       int // trials added since the last drain
}

// init sizes c for words words of outcome bits.
func (c *outcomeCounts) init(words int) {
	c.given = make([]planeCounter, words)
	c.hits = make([]planeCounter, words)
}

// full reports whether c must be drained before the next trial is added.
func (c *outcomeCounts) full() bool { return c.added == 1<<planeCount-1 }

// drain adds c's counts to t's counts of givens and hits, and clears c.
func (c *outcomeCounts) drain(t *Tally) {
	for w := range c.given {
		c.given[w].drain(t.Given[w*64:])
		c.hits[w].drain(t.Hits[w*64:])
	}
	c.added = 0
}
