package model

import "scensim/dist"

// Dist is the probability distribution of a param, sampled once per trial:
// an entry of the registry in package dist with its arguments (Kind, Args,
// the histogram range Lo, Hi, and Sample, Quantile, Mean, Density, CDF,
// Support), and the text as written.
type Dist struct {
	Src string // as written, e.g. "beta(2, 8)"
	dist.Dist
}

// String returns the distribution as written.
func (d *Dist) String() string { return d.Src }
