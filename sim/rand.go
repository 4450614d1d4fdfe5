package sim

// Randomness is counter-based: every uniform number is a pure function of
// (seed, trial, stream, counter), so a trial does not depend on which worker
// runs it or on what other trials drew, and can be replayed alone. Each
// (trial, stream) pair is a SplitMix64 sequence (Steele, Lea & Flood, "Fast
// splittable pseudorandom number generators", OOPSLA 2014) whose state is
// a mix of the seed, the trial index and the stream's key (a hash of the
// name of the track or param that draws).

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

// trialKey is the random state shared by all streams of one trial.
func trialKey(seed uint64, trial int64) uint64 {
	return trialKeyOf(seedKey(seed), trial)
}

// seedKey is the part of trialKey that reads the seed alone, for a caller
// that computes it once per run (see trialKeyOf).
func seedKey(seed uint64) uint64 { return mix(seed + golden) }

// trialKeyOf is trialKey(seed, trial) for sk = seedKey(seed).
func trialKeyOf(sk uint64, trial int64) uint64 {
	return mix(sk ^ (uint64(trial) * 0xd1342543de82ef95))
}

// streamKey is the state of the stream named by key in one trial.
func streamKey(tk, key uint64) uint64 { return mix(tk ^ key) }

// uniform returns the n-th uniform number in [0, 1) of a stream.
func uniform(stream uint64, n int) float64 {
	return float64(mix(stream+uint64(n+1)*golden)>>11) * 0x1p-53
}

// source is a SplitMix64 stream as a math/rand/v2 Source, for samplers that
// need several numbers (gamma variates).
type source struct{ state uint64 }

func (s *source) Uint64() uint64 {
	s.state += golden
	return mix(s.state)
}
