package analysis

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"

	"scensim/model"
	"scensim/results"
	"scensim/sim"
)

// PSAOptions configure a probabilistic sensitivity analysis.
type PSAOptions struct {
	Outer     int    // draws of the sampled params (θ)
	Inner     int    // trials per draw
	Sampling  string // mc or lhs, for the outer draws
	Bootstrap int    // resamples of the outer draws for Monte Carlo errors
}

// Default sizes of a PSA.
const (
	DefaultOuter     = 1000
	DefaultInner     = 200
	DefaultBootstrap = 500
)

// PSA is the result of a probabilistic sensitivity analysis: for each
// outcome, the distribution over the sampled params θ of P(outcome | θ).
type PSA struct {
	Manifest  Manifest     `json:"manifest"`
	Run       RunInfo      `json:"run"`
	Outer     int          `json:"outer"`
	Inner     int          `json:"inner"`
	Sampling  string       `json:"sampling"`
	Bootstrap int          `json:"bootstrap"`
	Params    []PSAParam   `json:"params"`
	Outcomes  []PSAOutcome `json:"outcomes"`
	Values    []PSAValue   `json:"values,omitempty"` // value outcomes: the distribution of E[value | θ]
}

// PSAParam is a sampled param.
type PSAParam struct {
	Name string `json:"name"`
	Dist string `json:"dist"`
}

// PSAOutcome summarises the distribution of P(outcome | θ) over θ. Each
// statistic comes with its Monte Carlo standard error (bootstrap over the
// outer draws).
type PSAOutcome struct {
	Name   string             `json:"name"`
	Given  string             `json:"given,omitempty"`
	Pooled results.Proportion `json:"pooled"` // hits/given over all trials, as `run` would report
	PSASpread
}

// PSASpread is the distribution over θ of a per-draw quantity f(θ)
// (P(outcome | θ), or E[value | θ]), estimated from each draw's inner
// trials.
type PSASpread struct {
	Draws   int       `json:"draws"`  // outer draws where the quantity was defined
	Mean    Stat      `json:"mean"`   // mean of f(θ) over θ
	SD      Stat      `json:"sd"`     // its standard deviation over θ, inner noise removed
	P2_5    Stat      `json:"p2_5"`   // its 2.5% quantile
	Median  Stat      `json:"median"` //
	P97_5   Stat      `json:"p97_5"`  //
	RawSD   float64   `json:"raw_sd"` // SD of the per-draw estimates, inner noise included
	NoiseSD float64   `json:"noise_sd"`
	Shrink  float64   `json:"shrink"` // factor applied to the per-draw estimates
	PerDraw []float64 `json:"per_draw"`
}

// Stat is an estimate with its Monte Carlo standard error.
type Stat struct {
	V  float64 `json:"v"`
	SE float64 `json:"se"`
}

// MarshalJSON writes NaN as null.
func (s Stat) MarshalJSON() ([]byte, error) {
	return marshalNaN(map[string]float64{"v": s.V, "se": s.SE})
}

// psaDesign returns the outer draws θ_m (M × d) and their design.
func outerDraws(p *model.Plan, idx []int, seed uint64, m int, sampling string) [][]float64 {
	th := make([][]float64, m)
	for i := range th {
		th[i] = make([]float64, len(idx))
	}
	for j, pi := range idx {
		par := p.Params[pi]
		k := key(seed, "psa", sampling, par.Name)
		var st stratified
		if sampling == SamplingLHS {
			st = newStratified(uint64(m), k)
		}
		for i := range th {
			var u float64
			if sampling == SamplingLHS {
				u = st.at(uint64(i))
			} else {
				u = uniform(k, uint64(i))
			}
			th[i][j] = par.Dist.Quantile(u)
		}
	}
	return th
}

// RunPSA runs the nested Monte Carlo: Outer draws θ_m of the sampled params
// (independent or Latin hypercube), each held for Inner trials (trials
// m·Inner … (m+1)·Inner − 1); the other random numbers of those trials are
// the run's own.
func RunPSA(ctx context.Context, base *model.Plan, opts PSAOptions, run Run) (*PSA, error) {
	started := time.Now()
	if err := CheckSampling(opts.Sampling); err != nil {
		return nil, err
	}
	switch {
	case opts.Outer < 2:
		return nil, optionErr("Outer", "%d: want at least 2 draws of the params", opts.Outer)
	case opts.Inner < 2:
		return nil, optionErr("Inner", "%d: want at least 2 trials per draw (the noise correction needs 2)", opts.Inner)
	case opts.Bootstrap < 0 || opts.Bootstrap > 100000:
		return nil, optionErr("Bootstrap", "%d: want 0 to 100000 resamples", opts.Bootstrap)
	}
	if err := checkTotal("the PSA", float64(opts.Outer)*float64(opts.Inner)); err != nil {
		return nil, err
	}
	if len(base.Outcomes) == 0 && len(base.Values) == 0 {
		return nil, inputErr("%s has no outcomes", base.Name)
	}
	var idx []int
	res := &PSA{Outer: opts.Outer, Inner: opts.Inner, Sampling: opts.Sampling, Bootstrap: opts.Bootstrap}
	for i, par := range base.Params {
		if par.Dist != nil {
			idx = append(idx, i)
			res.Params = append(res.Params, PSAParam{par.Name, par.Dist.Src})
		}
	}
	if len(idx) == 0 {
		return nil, inputErr("%s has no sampled params (no dist:), so there is no parameter uncertainty to analyse", base.Name)
	}
	M, K := int64(opts.Outer), int64(opts.Inner)
	run.Trials = M * K
	res.Manifest = manifestOf("psa", base, run)
	theta := outerDraws(base, idx, run.Seed, opts.Outer, opts.Sampling)
	design := func(trial int64, vals []float64) {
		m := trial / K
		if m < 0 || m >= M {
			return
		}
		for j, pi := range idx {
			vals[pi] = theta[m][j]
		}
	}
	no := len(base.Outcomes)
	hits := make([]int32, int(M)*no) // per draw and outcome
	given := make([]int32, int(M)*no)
	ls := &lockstep{plans: []*model.Plan{base}, designs: []sim.Design{design}, names: []string{""},
		seed: run.Seed, block: K, workers: run.Workers, done: run.Done}
	pv := newPSAValues(base, int(M), K)
	if pv != nil {
		ls.visitValues = pv.visit
	}
	err := ls.run(ctx, 0, M*K, func(_ int, trial int64, o [][]int8) {
		row := int(trial/K) * no
		for j, s := range o[0] {
			if s >= 0 {
				given[row+j]++
			}
			if s == 1 {
				hits[row+j]++
			}
		}
	})
	if err != nil {
		return nil, err
	}
	res.Outcomes = make([]PSAOutcome, no)
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(run.Workers, runtime.GOMAXPROCS(0)*boolInt(run.Workers <= 0), 1))
	for j, o := range base.Outcomes {
		po := &res.Outcomes[j]
		po.Name = o.Name
		if o.Given != nil {
			po.Given = o.Given.Src
		}
		var d psaDraws
		var th, tg int64
		for m := range int(M) {
			h, n := int64(hits[m*no+j]), int64(given[m*no+j])
			th, tg = th+h, tg+n
			if n > 0 {
				d.addProportion(h, n)
			}
		}
		po.Pooled = results.NewProportion(th, tg)
		po.Draws = len(d.est)
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			summarisePSA(&po.PSASpread, d, opts.Bootstrap, key(run.Seed, "psa-bootstrap", o.Name))
		}()
	}
	if pv != nil {
		res.Values = pv.result(base)
		for j := range res.Values {
			pv := &res.Values[j]
			d := pv.draws
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				summarisePSA(&pv.PSASpread, d, opts.Bootstrap, key(run.Seed, "psa-bootstrap", pv.Name))
			}()
		}
	}
	wg.Wait()
	res.Run = RunInfo{Workers: ls.nworkers(M * K), ElapsedSeconds: time.Since(started).Seconds(), TotalTrials: M * K}
	return res, nil
}

// psaStats computes, from per-draw hits h and trials n, the mean of P(θ),
// its SD with the inner noise removed, the shrink factor and the shrunk
// per-draw values' quantiles.
type psaStats struct {
	mean, sd, raw, noise, shrink float64
	q                            [3]float64
	vals                         []float64
}

var psaQuantiles = [3]float64{0.025, 0.5, 0.975}

// psaDraws holds, per outer draw where the quantity is defined, its
// estimate from the draw's inner trials and the variance of that estimate
// (NaN when it cannot be estimated, from fewer than 2 trials).
type psaDraws struct {
	est, noise []float64
}

// addProportion adds a draw with h hits in n trials: p̂ = h/n, with the
// unbiased variance p̂(1 − p̂)/(n − 1).
func (d *psaDraws) addProportion(h, n int64) {
	p, v := float64(h)/float64(n), math.NaN()
	if n >= 2 {
		v = p * (1 - p) / float64(n-1)
	}
	d.est, d.noise = append(d.est, p), append(d.noise, v)
}

func psaCompute(d psaDraws, idx []int, keep bool) psaStats {
	var st psaStats
	m := len(idx)
	if m == 0 {
		st.mean, st.sd, st.raw, st.noise, st.shrink = math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()
		st.q = [3]float64{math.NaN(), math.NaN(), math.NaN()}
		return st
	}
	ps := make([]float64, m)
	sum, noise, nn := 0.0, 0.0, 0
	for k, i := range idx {
		p := d.est[i]
		ps[k] = p
		sum += p
		if v := d.noise[i]; !math.IsNaN(v) {
			noise += v
			nn++
		}
	}
	st.mean = sum / float64(m)
	ss := 0.0
	for _, p := range ps {
		ss += sq(p - st.mean)
	}
	s2 := 0.0
	if m > 1 {
		s2 = ss / float64(m-1)
	}
	if nn > 0 {
		noise /= float64(nn)
	}
	v := math.Max(s2-noise, 0)
	st.sd, st.raw, st.noise = math.Sqrt(v), math.Sqrt(s2), math.Sqrt(noise)
	st.shrink = 0
	if s2 > 0 {
		st.shrink = math.Sqrt(v / s2)
	}
	for k, p := range ps {
		ps[k] = st.mean + st.shrink*(p-st.mean)
	}
	if keep {
		st.vals = slices.Clone(ps)
	}
	sort.Float64s(ps)
	for k, q := range psaQuantiles {
		st.q[k] = quantile7(ps, q)
	}
	return st
}

// quantile7 is the q-quantile of sorted xs with linear interpolation
// (Hyndman & Fan 1996, type 7, R's default).
func quantile7(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	h := q * float64(len(xs)-1)
	lo := int(math.Floor(h))
	if lo >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	return xs[lo] + (h-float64(lo))*(xs[lo+1]-xs[lo])
}

func summarisePSA(po *PSASpread, d psaDraws, boots int, k uint64) {
	all := make([]int, len(d.est))
	for i := range all {
		all[i] = i
	}
	st := psaCompute(d, all, true)
	po.Mean.V, po.SD.V, po.RawSD, po.NoiseSD, po.Shrink = st.mean, st.sd, st.raw, st.noise, st.shrink
	po.P2_5.V, po.Median.V, po.P97_5.V = st.q[0], st.q[1], st.q[2]
	po.PerDraw = st.vals
	nanSE := func() {
		for _, s := range []*Stat{&po.Mean, &po.SD, &po.P2_5, &po.Median, &po.P97_5} {
			s.SE = math.NaN()
		}
	}
	if boots < 2 || len(d.est) < 2 {
		nanSE()
		return
	}
	var acc [5][2]float64 // sum, sum of squares
	idx := make([]int, len(d.est))
	for b := range boots {
		bk := mix(k ^ uint64(b+1)*golden)
		for i := range idx {
			idx[i] = int(uniform(bk, uint64(i)) * float64(len(d.est)))
		}
		s := psaCompute(d, idx, false)
		for i, v := range []float64{s.mean, s.sd, s.q[0], s.q[1], s.q[2]} {
			acc[i][0] += v
			acc[i][1] += v * v
		}
	}
	for i, s := range []*Stat{&po.Mean, &po.SD, &po.P2_5, &po.Median, &po.P97_5} {
		B := float64(boots)
		s.SE = math.Sqrt(math.Max(acc[i][1]/B-sq(acc[i][0]/B), 0) * B / (B - 1))
	}
}

// Report renders the PSA.
func (p *PSA) Report(chartFormat string) (*Report, error) {
	r := &Report{Stem: "psa", Manifest: p.Manifest, JSON: p}
	var ps []string
	for _, par := range p.Params {
		ps = append(ps, par.Name+" ~ "+par.Dist)
	}
	how := "independent draws"
	if p.Sampling == SamplingLHS {
		how = "Latin hypercube"
	}
	r.Heading = append(r.Heading,
		fmt.Sprintf("design          %s draws of the sampled params (%s) × %s trials each = %s trials", thousands(int64(p.Outer)), how, thousands(int64(p.Inner)), thousands(int64(p.Outer)*int64(p.Inner))),
		"sampled         "+joinWrap(ps, "\n                "),
		"method          P(outcome | θ) per draw; SD and quantiles with the inner binomial noise removed (O'Hagan et al. 2007); ± is the bootstrap Monte Carlo error")
	tbl := &Table{Name: "psa", Columns: []string{"outcome", "mean", "±", "sd", "±", "2.5%", "±", "median", "97.5%", "±", "noise share"}}
	long := &Table{Name: "psa", NoText: true, Columns: []string{"outcome", "given", "draws", "pooled_p", "pooled_lo95", "pooled_hi95",
		"mean", "mean_se", "sd", "sd_se", "p2_5", "p2_5_se", "median", "median_se", "p97_5", "p97_5_se", "raw_sd", "noise_sd", "shrink"}}
	tbl.NoCSV = true
	for _, o := range p.Outcomes {
		name := o.Name
		if o.Given != "" {
			name += " |"
		}
		share := math.NaN()
		if o.RawSD > 0 {
			share = math.Min(sq(o.NoiseSD)/sq(o.RawSD), 1)
		}
		tbl.add(name, pct(o.Mean.V), ptsAbs(o.Mean.SE), pct(o.SD.V), ptsAbs(o.SD.SE), pct(o.P2_5.V), ptsAbs(o.P2_5.SE), pct(o.Median.V), pct(o.P97_5.V), ptsAbs(o.P97_5.SE), pct(share))
		long.add(o.Name, o.Given, fmt.Sprint(o.Draws), f6(o.Pooled.P), f6(o.Pooled.Lo), f6(o.Pooled.Hi),
			f6(o.Mean.V), f6(o.Mean.SE), f6(o.SD.V), f6(o.SD.SE), f6(o.P2_5.V), f6(o.P2_5.SE), f6(o.Median.V), f6(o.Median.SE),
			f6(o.P97_5.V), f6(o.P97_5.SE), f6(o.RawSD), f6(o.NoiseSD), f6(o.Shrink))
	}
	tbl.Notes = append(tbl.Notes,
		"mean, sd and quantiles are of P(outcome | θ) over the params' distributions; ± columns are Monte Carlo standard errors in points",
		"noise share: the part of the per-draw estimates' variance that is inner binomial noise; near 100% the spread is not resolved (raise the inner trials per draw)",
		"| marks a conditional outcome: P(when | given, θ), over the draws where given held at least once")
	r.Tables = append([]*Table{long, tbl}, p.valueTables()...)
	if chartFormat != "" {
		charts, err := p.Charts(chartFormat)
		if err != nil {
			return nil, err
		}
		r.Charts = charts
	}
	return r, nil
}

// ptsAbs formats a standard error in points.
func ptsAbs(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", 100*x)
}

func joinWrap(items []string, sep string) string {
	var lines []string
	line := ""
	for _, it := range items {
		if line != "" && len(line)+len(it) > 90 {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += ", "
		}
		line += it
	}
	if line != "" {
		lines = append(lines, line)
	}
	out := ""
	for i, l := range lines {
		if i > 0 {
			out += "," + sep
		}
		out += l
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
