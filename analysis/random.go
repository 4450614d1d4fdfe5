package analysis

import (
	"hash/fnv"
	"math"
	"math/bits"

	"scensim/model"
	"scensim/sim"
)

// Randomness of the designs is counter-based, like the engine's: every
// number is a pure function of (seed, a key naming its use, an index), so a
// design does not depend on workers or on the order of evaluation.

const golden = 0x9e3779b97f4a7c15

// mix is the SplitMix64 output function (Stafford's variant 13).
func mix(z uint64) uint64 {
	z ^= z >> 30
	z *= 0xbf58476d1ce4e5b9
	z ^= z >> 27
	z *= 0x94d049bb133111eb
	z ^= z >> 31
	return z
}

// key derives a stream key from a seed and names.
func key(seed uint64, names ...string) uint64 {
	h := fnv.New64a()
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte{0})
	}
	return mix(mix(seed+golden) ^ h.Sum64())
}

// uniform returns the i-th uniform number in (0, 1) of stream k.
func uniform(k uint64, i uint64) float64 {
	return (float64(mix(k+(i+1)*golden)>>11) + 0.5) * 0x1p-53
}

// permutation is a pseudo-random permutation of 0..n−1: a balanced Feistel
// network on the smallest even number of bits that holds n−1, restricted to
// 0..n−1 by cycle walking (Black & Rogaway 2002): the network is applied
// again until the value falls below n, which gives a bijection of 0..n−1
// because the network is a bijection of the larger domain. With at most
// four times as many values as n, fewer than four rounds of walking are
// needed on average.
type permutation struct {
	n    uint64
	half uint
	mask uint64
	keys [6]uint64
}

func newPermutation(n uint64, k uint64) *permutation {
	p := &permutation{n: n}
	if n > 1 {
		b := uint(bits.Len64(n - 1))
		b += b & 1
		p.half = max(b/2, 1)
		p.mask = 1<<p.half - 1
	}
	for r := range p.keys {
		p.keys[r] = mix(k ^ uint64(r+1)*golden)
	}
	return p
}

// At returns π(i) for i < n.
func (p *permutation) At(i uint64) uint64 {
	if p.n <= 1 {
		return 0
	}
	x := i
	for {
		l, r := x>>p.half, x&p.mask
		for _, k := range p.keys {
			l, r = r, l^(mix(k^r)&p.mask)
		}
		x = l<<p.half | r
		if x < p.n {
			return x
		}
	}
}

// stratified returns n uniform numbers' generator for one dimension of a
// Latin hypercube: u(i) = (π(i) + v_i)/n, so that each of the n strata
// [j/n, (j+1)/n) holds exactly one of u(0..n−1).
type stratified struct {
	perm   *permutation
	jitter uint64
	n      float64
}

func newStratified(n uint64, k uint64) stratified {
	return stratified{perm: newPermutation(n, mix(k^0x5bd1e995)), jitter: mix(k ^ 0x27d4eb2f165667c5), n: float64(n)}
}

func (s stratified) at(i uint64) float64 {
	u := (float64(s.perm.At(i)) + uniform(s.jitter, i)) / s.n
	return math.Min(math.Max(u, 0x1p-53), 1-0x1p-53)
}

// Sampling is how values of sampled params are drawn: "mc" (independent
// draws) or "lhs" (Latin hypercube).
const (
	SamplingMC  = "mc"
	SamplingLHS = "lhs"
)

// CheckSampling checks the name of a sampling design.
func CheckSampling(s string) error {
	if s != SamplingMC && s != SamplingLHS {
		return optionErr("Sampling", "%q: want mc (independent draws) or lhs (Latin hypercube)", s)
	}
	return nil
}

// LatinHypercube returns a design that draws the sampled params (those with
// a dist:) of p for trials 0..n−1 by Latin hypercube sampling: for each
// param, trial i takes the quantile of its distribution at (π(i) + v)/n,
// with π a pseudo-random permutation of 0..n−1 and v a uniform jitter, both
// pure functions of (seed, param name, n, i). Each param's n values then
// hold exactly one draw in each n-quantile of its distribution, and the
// pairing between params is random. Trials outside 0..n−1 are left to the
// plan's draws. The design is a pure function of the trial index.
func LatinHypercube(p *model.Plan, seed uint64, n int64) sim.Design {
	type dim struct {
		i    int
		dist *model.Dist
		s    stratified
	}
	var dims []dim
	for i, par := range p.Params {
		if par.Dist != nil {
			dims = append(dims, dim{i, par.Dist, newStratified(uint64(n), key(seed, "lhs", par.Name))})
		}
	}
	if len(dims) == 0 || n < 1 {
		return nil
	}
	return func(trial int64, vals []float64) {
		if trial < 0 || trial >= n {
			return
		}
		for _, d := range dims {
			vals[d.i] = d.dist.Quantile(d.s.at(uint64(trial)))
		}
	}
}
