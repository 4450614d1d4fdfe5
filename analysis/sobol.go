package analysis

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"scensim/model"
	"scensim/sim"
)

// sobolRows holds, for one model output, the per-row terms of the
// Saltelli (2010) design that the estimators average:
//
//	[π_AA, π_BB, f_A, f_B, s_1 … s_d, t_1 … t_d, e_1 … e_d]
//
// with π_XY an unbiased estimate of the product of the outputs of rows X and
// Y, s_i = π_{B,AB_i} − π_{B,A} and e_i = f_{AB_i} − f_A (Saltelli et al.
// 2010's first-order term f_B·(f_{AB_i} − f_A), which is computed with f_B
// centred on the mean output, c: s_i − c·e_i, as SALib does by normalising
// the outputs; E[e_i] = 0, so centring changes the estimator's variance,
// which shrinks by a factor of about (V + c²)/V, and not its expectation)
// and t_i = (π_AA − 2π_{A,AB_i} + π_{AB_i,AB_i})/2 (Jansen's total term,
// (f_A − f_{AB_i})²/2). For a deterministic output π_XY = f_X·f_Y.
type sobolRows struct {
	n, d int
	v    []float64
}

func newSobolRows(n, d int) *sobolRows {
	return &sobolRows{n: n, d: d, v: make([]float64, n*(4+3*d))}
}

func (s *sobolRows) row(r int) []float64 { w := 4 + 3*s.d; return s.v[r*w : (r+1)*w] }

// setDeterministic fills row r from the outputs fA, fB and fAB[i].
func (s *sobolRows) setDeterministic(r int, fA, fB float64, fAB []float64) {
	x := s.row(r)
	x[0], x[1], x[2], x[3] = fA*fA, fB*fB, fA, fB
	for i, f := range fAB {
		x[4+i] = fB*f - fB*fA
		x[4+s.d+i] = sq(fA-f) / 2
		x[4+2*s.d+i] = f - fA
	}
}

// fill sets row r from the inner means of K trials of each matrix's
// output (mean(m): 0 A, 1 B, 2+i AB_i) and the sums of products of two
// matrices' outputs over the row's trials (cross(m1, m2), asked with
// m1 == m2, (0, 1), or (2+i, 0) and (2+i, 1)): a product of two means is
// estimated without bias by (K·x̄·ȳ − Σxy/K)/(K − 1), which removes the
// inner noise that x̄·ȳ would carry (for yes/no outputs, Σxy is the count
// of trials where both happened).
func (s *sobolRows) fill(r int, kf float64, mean func(m int) float64, cross func(m1, m2 int) float64) {
	d := s.d
	prod := func(mx, my, sxy float64) float64 { return (kf*mx*my - sxy/kf) / (kf - 1) }
	pa, pb := mean(0), mean(1)
	x := s.row(r)
	aa, bb := prod(pa, pa, cross(0, 0)), prod(pb, pb, cross(1, 1))
	ab := prod(pa, pb, cross(0, 1))
	x[0], x[1], x[2], x[3] = aa, bb, pa, pb
	for i := range d {
		pi := mean(2 + i)
		x[4+i] = prod(pb, pi, cross(2+i, 1)) - ab
		x[4+d+i] = (aa - 2*prod(pa, pi, cross(2+i, 0)) + prod(pi, pi, cross(2+i, 2+i))) / 2
		x[4+2*d+i] = pi - pa
	}
}

// sobolEstimate is one evaluation of the estimators over rows idx.
func (s *sobolRows) estimate(idx []int, S, ST []float64) (v, mean float64) {
	d := s.d
	acc := make([]float64, 4+3*d)
	for _, r := range idx {
		for k, x := range s.row(r) {
			acc[k] += x
		}
	}
	n := float64(len(idx))
	mean = (acc[2] + acc[3]) / (2 * n)
	v = (acc[0]+acc[1])/(2*n) - mean*mean
	for i := range d {
		S[i], ST[i] = math.NaN(), math.NaN()
		if v > 0 {
			S[i] = (acc[4+i] - mean*acc[4+2*d+i]) / n / v
			ST[i] = acc[4+d+i] / n / v
		}
	}
	return v, mean
}

// SobolIndex is a param's first-order (S1) and total (ST) Sobol index for
// one outcome, each with its bootstrap standard error and 95% percentile
// interval.
type SobolIndex struct {
	Param string  `json:"param"`
	S1    float64 `json:"s1"`
	S1SE  float64 `json:"s1_se"`
	S1Lo  float64 `json:"s1_lo95"`
	S1Hi  float64 `json:"s1_hi95"`
	ST    float64 `json:"st"`
	STSE  float64 `json:"st_se"`
	STLo  float64 `json:"st_lo95"`
	STHi  float64 `json:"st_hi95"`
}

// MarshalJSON writes NaN as null.
func (x SobolIndex) MarshalJSON() ([]byte, error) {
	type w struct {
		Param string   `json:"param"`
		S1    *float64 `json:"s1"`
		S1SE  *float64 `json:"s1_se"`
		S1Lo  *float64 `json:"s1_lo95"`
		S1Hi  *float64 `json:"s1_hi95"`
		ST    *float64 `json:"st"`
		STSE  *float64 `json:"st_se"`
		STLo  *float64 `json:"st_lo95"`
		STHi  *float64 `json:"st_hi95"`
	}
	return json.Marshal(w{x.Param, nanNil(x.S1), nanNil(x.S1SE), nanNil(x.S1Lo), nanNil(x.S1Hi),
		nanNil(x.ST), nanNil(x.STSE), nanNil(x.STLo), nanNil(x.STHi)})
}

// indices computes the indices over all rows and their bootstrap errors
// (boots resamples of the rows, keyed by k).
func (s *sobolRows) indices(names []string, boots int, k uint64) (out []SobolIndex, v, mean float64) {
	d := s.d
	all := make([]int, s.n)
	for i := range all {
		all[i] = i
	}
	S, ST := make([]float64, d), make([]float64, d)
	v, mean = s.estimate(all, S, ST)
	out = make([]SobolIndex, d)
	for i := range out {
		out[i] = SobolIndex{Param: names[i], S1: S[i], ST: ST[i],
			S1SE: math.NaN(), S1Lo: math.NaN(), S1Hi: math.NaN(), STSE: math.NaN(), STLo: math.NaN(), STHi: math.NaN()}
	}
	if boots < 2 || s.n < 2 {
		return out, v, mean
	}
	bs1, bst := make([][]float64, d), make([][]float64, d)
	idx := make([]int, s.n)
	bS, bST := make([]float64, d), make([]float64, d)
	for b := range boots {
		bk := mix(k ^ uint64(b+1)*golden)
		for i := range idx {
			idx[i] = int(uniform(bk, uint64(i)) * float64(s.n))
		}
		s.estimate(idx, bS, bST)
		for i := range d {
			bs1[i] = append(bs1[i], bS[i])
			bst[i] = append(bst[i], bST[i])
		}
	}
	for i := range out {
		out[i].S1SE, out[i].S1Lo, out[i].S1Hi = bootSummary(bs1[i])
		out[i].STSE, out[i].STLo, out[i].STHi = bootSummary(bst[i])
	}
	return out, v, mean
}

// bootSummary returns the standard deviation and the 2.5% and 97.5%
// quantiles of bootstrap replicates. Replicates where the indices are
// undefined (no variance in the resample) are left out, unless they are more
// than 5% of them: then the result is NaN.
func bootSummary(all []float64) (se, lo, hi float64) {
	var xs []float64
	for _, x := range all {
		if !math.IsNaN(x) {
			xs = append(xs, x)
		}
	}
	if len(xs) < 2 || float64(len(all)-len(xs)) > 0.05*float64(len(all)) {
		return math.NaN(), math.NaN(), math.NaN()
	}
	sum, ss := 0.0, 0.0
	for _, x := range xs {
		sum += x
	}
	m := sum / float64(len(xs))
	for _, x := range xs {
		ss += sq(x - m)
	}
	se = math.Sqrt(ss / float64(len(xs)-1))
	sort.Float64s(xs)
	return se, quantile7(xs, 0.025), quantile7(xs, 0.975)
}

// SobolFunc estimates the Sobol indices of a deterministic function of d
// independent uniform(0, 1) inputs with the Saltelli design of n rows
// (n·(d+2) evaluations of f), drawing A and B from seed, and bootstrap
// intervals from boots resamples. It is the estimator RunSobol uses, with
// no inner noise; it serves to check the estimator against functions whose
// indices are known (Ishigami).
func SobolFunc(f func(x []float64) float64, d, n int, seed uint64, boots int) []SobolIndex {
	rows := newSobolRows(n, d)
	ka, kb := key(seed, "sobol-A"), key(seed, "sobol-B")
	a, b, x := make([]float64, d), make([]float64, d), make([]float64, d)
	fAB := make([]float64, d)
	for r := range n {
		for i := range d {
			a[i] = uniform(ka, uint64(r*d+i))
			b[i] = uniform(kb, uint64(r*d+i))
		}
		fA, fB := f(a), f(b)
		for i := range d {
			copy(x, a)
			x[i] = b[i]
			fAB[i] = f(x)
		}
		rows.setDeterministic(r, fA, fB, fAB)
	}
	names := make([]string, d)
	for i := range names {
		names[i] = fmt.Sprintf("x%d", i+1)
	}
	out, _, _ := rows.indices(names, boots, key(seed, "sobol-bootstrap"))
	return out
}

// SobolOptions configure a global sensitivity analysis.
type SobolOptions struct {
	Params    []string // varied params; nil: those with a dist:
	Samples   int      // rows N of the Saltelli design
	Inner     int      // trials per row and matrix (K)
	Sampling  string   // mc or lhs, for the columns of A and B
	Bootstrap int      // resamples for the intervals
	Outcomes  []string // outcomes charted as bars, value outcomes included (default: the 3 with most variance)
}

// Defaults of a Sobol analysis.
const (
	DefaultSobolSamples = 1000
	DefaultSobolInner   = 50
	DefaultSobolBoots   = 1000
)

// Sobol is the result of a global sensitivity analysis.
type Sobol struct {
	Manifest  Manifest       `json:"manifest"`
	Run       RunInfo        `json:"run"`
	Samples   int            `json:"samples"`
	Inner     int            `json:"inner"`
	Sampling  string         `json:"sampling"`
	Bootstrap int            `json:"bootstrap"`
	Params    []SobolParam   `json:"params"`
	Outcomes  []SobolOutcome `json:"outcomes"`
	Values    []SobolOutcome `json:"values,omitempty"` // value outcomes: indices of E[value | θ]
	Charted   []string       `json:"charted"`
}

// SobolParam is a varied param and the distribution it is varied over.
type SobolParam struct {
	Name string `json:"name"`
	Dist string `json:"dist"` // its dist:, or uniform(range)
}

// SobolOutcome holds one outcome's indices. Var is the variance of
// P(outcome | θ) over the varied params, Mean its mean.
type SobolOutcome struct {
	Name    string  `json:"name"`
	Unit    string  `json:"unit,omitempty"`    // a value outcome's unit, of Mean (and of Var, squared)
	Skipped string  `json:"skipped,omitempty"` // why there are no indices
	Mean    float64 `json:"mean"`
	Var     float64 `json:"var"`
	// Noise is the variance of a row's estimate of P(outcome | θ) from its K
	// trials (the mean of p̂(1 − p̂)/(K − 1)); when it dwarfs Var the indices
	// are imprecise: raise the inner trials or the samples.
	Noise   float64      `json:"noise"`
	Indices []SobolIndex `json:"indices"`
}

// NoiseShare is Noise / (Var + Noise).
func (o SobolOutcome) NoiseShare() float64 {
	if !(o.Var+o.Noise > 0) {
		return math.NaN()
	}
	return o.Noise / (math.Max(o.Var, 0) + o.Noise)
}

// MarshalJSON writes NaN as null.
func (o SobolOutcome) MarshalJSON() ([]byte, error) {
	type plain SobolOutcome
	type w struct {
		plain
		Mean *float64 `json:"mean"`
		Var  *float64 `json:"var"`
	}
	return json.Marshal(w{plain(o), nanNil(o.Mean), nanNil(o.Var)})
}

// RunSobol estimates first-order and total Sobol indices of every
// unconditional outcome's probability with respect to the varied params.
// Row r of each matrix (A, B, AB_i) runs trials r·K … r·K + K − 1, so the
// row's matrices share their random numbers.
func RunSobol(ctx context.Context, src *Source, base *model.Plan, opts SobolOptions, run Run) (*Sobol, error) {
	started := time.Now()
	if err := CheckSampling(opts.Sampling); err != nil {
		return nil, err
	}
	switch {
	case opts.Samples < 10:
		return nil, optionErr("Samples", "%d: want at least 10 rows", opts.Samples)
	case opts.Inner < 2:
		return nil, optionErr("Inner", "%d: want at least 2 trials per row (the noise correction needs 2)", opts.Inner)
	case opts.Bootstrap < 0 || opts.Bootstrap > 100000:
		return nil, optionErr("Bootstrap", "%d: want 0 to 100000 resamples", opts.Bootstrap)
	}
	set := map[string]bool{}
	for _, o := range src.Options.Overrides {
		set[o.Name] = true
	}
	type varied struct {
		i      int
		dist   *model.Dist
		lo, hi float64
	}
	var vs []varied
	res := &Sobol{Samples: opts.Samples, Inner: opts.Inner, Sampling: opts.Sampling, Bootstrap: opts.Bootstrap}
	if opts.Params == nil {
		for i, par := range base.Params {
			if par.Dist != nil {
				vs = append(vs, varied{i: i, dist: par.Dist})
			}
		}
		if len(vs) == 0 {
			return nil, optionErr("Params", "%s has no sampled params (no dist:); name the params to vary over their range:", base.Name)
		}
	} else {
		for _, s := range opts.Params {
			for _, n := range strings.Split(s, ",") {
				if n = strings.TrimSpace(n); n == "" {
					continue
				}
				i, err := FindParam(base, n)
				if err != nil {
					return nil, err
				}
				for _, v := range vs {
					if v.i == i {
						return nil, inputErr("param %s is named twice", n)
					}
				}
				par := base.Params[i]
				switch {
				case set[n]:
					return nil, optionErr("Overrides", "param %s is fixed by an override; it cannot also be varied", n)
				case par.Dist != nil:
					vs = append(vs, varied{i: i, dist: par.Dist})
				case par.HasRange:
					vs = append(vs, varied{i: i, lo: par.Lo, hi: par.Hi})
				default:
					return nil, inputErr("param %s has neither dist: nor range:, so there is nothing to vary it over", n)
				}
			}
		}
		if len(vs) == 0 {
			return nil, optionErr("Params", "names no param")
		}
	}
	d, N, K := len(vs), int64(opts.Samples), int64(opts.Inner)
	if err := checkTotal("the Sobol design", float64(d+2)*float64(N)*float64(K)); err != nil {
		return nil, err
	}
	var unc []int
	for j, o := range base.Outcomes {
		if o.Given == nil {
			unc = append(unc, j)
		}
	}
	if len(unc) == 0 && len(base.Values) == 0 {
		return nil, inputErr("%s has no unconditional outcomes; Sobol indices are computed for unconditional outcomes only", base.Name)
	}
	no := len(unc)
	width := 3 + 3*d
	if mem := float64(N) * float64(no) * float64(width) * 4; mem > 2e9 {
		return nil, optionErr("Samples", "the Sobol design would hold %.3g GB of counts; use fewer samples or params", mem/1e9)
	}
	var freeNames []string
	var freeLo, freeHi []float64
	for _, v := range vs {
		par := base.Params[v.i]
		sp := SobolParam{Name: par.Name}
		if v.dist != nil {
			sp.Dist = v.dist.Src
		} else {
			sp.Dist = fmt.Sprintf("uniform(%s, %s)", g(v.lo), g(v.hi))
			freeNames, freeLo, freeHi = append(freeNames, par.Name), append(freeLo, v.lo), append(freeHi, v.hi)
		}
		res.Params = append(res.Params, sp)
	}
	plan, err := src.compileFree(base, freeNames, freeLo, freeHi)
	if err != nil {
		return nil, err
	}
	run.Trials = N * K
	res.Manifest = manifestOf("sobol", base, run)

	// The matrices A and B of param values, N × d.
	A, B := make([][]float64, N), make([][]float64, N)
	for _, m := range []struct {
		x    [][]float64
		name string
	}{{A, "sobol-A"}, {B, "sobol-B"}} {
		for r := range m.x {
			m.x[r] = make([]float64, d)
		}
		for c, v := range vs {
			k := key(run.Seed, m.name, opts.Sampling, base.Params[v.i].Name)
			var st stratified
			if opts.Sampling == SamplingLHS {
				st = newStratified(uint64(N), k)
			}
			for r := range m.x {
				u := uniform(k, uint64(r))
				if opts.Sampling == SamplingLHS {
					u = st.at(uint64(r))
				}
				if v.dist != nil {
					m.x[r][c] = v.dist.Quantile(u)
				} else {
					m.x[r][c] = v.lo + (v.hi-v.lo)*u
				}
			}
		}
	}
	designs := make([]sim.Design, d+2)
	names := make([]string, d+2)
	for mi := range designs {
		names[mi] = "Sobol matrix " + [...]string{"A", "B"}[min(mi, 1)]
		if mi >= 2 {
			names[mi] = "Sobol matrix AB_" + base.Params[vs[mi-2].i].Name
		}
		designs[mi] = func(trial int64, vals []float64) {
			r := trial / K
			if r < 0 || r >= N {
				return
			}
			for c, v := range vs {
				x := A[r][c]
				if mi == 1 || mi == 2+c {
					x = B[r][c]
				}
				vals[v.i] = x
			}
		}
	}
	plans := make([]*model.Plan, d+2)
	for i := range plans {
		plans[i] = plan
	}
	// cnt[(r*no+j)*width + …]: n_A, n_B, n_{A∧B}, then per param i:
	// n_{AB_i}, n_{A∧AB_i}, n_{B∧AB_i}.
	cnt := make([]int32, int(N)*no*width)
	ls := &lockstep{plans: plans, designs: designs, names: names, seed: run.Seed, block: K, workers: run.Workers, done: run.Done}
	sv := newSobolValues(plan, int(N), K, d)
	if sv != nil {
		ls.visitValues = sv.visit
	}
	err = ls.run(ctx, 0, N*K, func(_ int, trial int64, o [][]int8) {
		row := int(trial/K) * no
		for j, oi := range unc {
			c := cnt[(row+j)*width : (row+j+1)*width]
			a, b := o[0][oi] == 1, o[1][oi] == 1
			if a {
				c[0]++
			}
			if b {
				c[1]++
			}
			if a && b {
				c[2]++
			}
			for i := range d {
				if o[2+i][oi] != 1 {
					continue
				}
				c[3+3*i]++
				if a {
					c[4+3*i]++
				}
				if b {
					c[5+3*i]++
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	pnames := make([]string, d)
	for i, v := range vs {
		pnames[i] = base.Params[v.i].Name
	}
	res.Outcomes = make([]SobolOutcome, len(base.Outcomes))
	var wg sync.WaitGroup
	for j, o := range base.Outcomes {
		res.Outcomes[j] = SobolOutcome{Name: o.Name, Mean: math.NaN(), Var: math.NaN(), Indices: []SobolIndex{}}
		if o.Given != nil {
			res.Outcomes[j].Skipped = "conditional outcome: Sobol indices are computed for unconditional outcomes only"
		}
	}
	for jj, oi := range unc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rows := newSobolRows(int(N), d)
			kf := float64(K)
			noise := 0.0
			for r := range int(N) {
				c := cnt[(r*no+jj)*width : (r*no+jj+1)*width]
				// Matrix m's count: 0 A, 1 B, 2+i AB_i; both: the joint count
				// (a yes/no output's square is itself).
				single := func(m int) int32 {
					if m < 2 {
						return c[m]
					}
					return c[3+3*(m-2)]
				}
				pa, pb := float64(c[0])/kf, float64(c[1])/kf
				rows.fill(r, kf, func(m int) float64 { return float64(single(m)) / kf }, func(m1, m2 int) float64 {
					switch {
					case m1 == m2:
						return float64(single(m1))
					case m1 == 0 && m2 == 1:
						return float64(c[2])
					case m2 == 0:
						return float64(c[4+3*(m1-2)])
					default: // m2 == 1
						return float64(c[5+3*(m1-2)])
					}
				})
				noise += (pa*(1-pa) + pb*(1-pb)) / (2 * (kf - 1))
			}
			idx, v, mean := rows.indices(pnames, opts.Bootstrap, key(run.Seed, "sobol-bootstrap", base.Outcomes[oi].Name))
			so := &res.Outcomes[oi]
			so.Indices, so.Var, so.Mean, so.Noise = idx, v, mean, noise/float64(N)
			if !(v > 0) {
				so.Skipped = "P(outcome | θ) does not vary with the params (no variance to apportion)"
				so.Var = math.Max(v, 0)
			}
		}()
	}
	if sv != nil {
		res.Values = make([]SobolOutcome, len(plan.Values))
		for j, vo := range plan.Values {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res.Values[j] = sv.outcome(j, vo.Name, vo.Unit, pnames, opts.Bootstrap, key(run.Seed, "sobol-bootstrap", vo.Name))
			}()
		}
	}
	wg.Wait()
	res.Charted, err = sobolCharted(res, base, opts.Outcomes)
	if err != nil {
		return nil, err
	}
	res.Run = RunInfo{Workers: ls.nworkers(N * K), ElapsedSeconds: time.Since(started).Seconds(), TotalTrials: int64(d+2) * N * K}
	return res, nil
}

// sobolCharted picks the outcomes drawn as bar charts: those named (value
// outcomes included, see sobolChartedNamed), or the three whose
// probability varies most with the params.
func sobolCharted(s *Sobol, base *model.Plan, names []string) ([]string, error) {
	if len(names) > 0 {
		return sobolChartedNamed(s, base, names)
	}
	var cand []int
	for i, o := range s.Outcomes {
		if o.Skipped == "" {
			cand = append(cand, i)
		}
	}
	sort.SliceStable(cand, func(a, b int) bool { return s.Outcomes[cand[a]].Var > s.Outcomes[cand[b]].Var })
	out := []string{}
	for _, i := range cand[:min(3, len(cand))] {
		out = append(out, s.Outcomes[i].Name)
	}
	return out, nil
}

// Report renders the Sobol analysis.
func (s *Sobol) Report(chartFormat string) (*Report, error) {
	r := &Report{Stem: "sobol", Manifest: s.Manifest, JSON: s}
	var ps []string
	for _, p := range s.Params {
		ps = append(ps, p.Name+" ~ "+p.Dist)
	}
	how := "independent draws"
	if s.Sampling == SamplingLHS {
		how = "Latin hypercube columns"
	}
	d := len(s.Params)
	r.Heading = append(r.Heading,
		fmt.Sprintf("design          Saltelli: N = %s rows (%s) × %d matrices (A, B, AB_i) × %s trials each = %s trials", thousands(int64(s.Samples)), how, d+2, thousands(int64(s.Inner)), thousands(int64(d+2)*int64(s.Samples)*int64(s.Inner))),
		"varied          "+joinWrap(ps, "\n                "),
		"estimators      S1: Saltelli et al. (2010); ST: Jansen (1999); inner noise removed from every product; 95% bootstrap percentile intervals")
	long := &Table{Name: "sobol", NoText: true, Columns: []string{"outcome", "param", "s1", "s1_se", "s1_lo95", "s1_hi95", "st", "st_se", "st_lo95", "st_hi95", "mean", "var", "noise"}}
	r.Tables = append(r.Tables, long)
	summary := &Table{NoCSV: true, Title: "Total-order indices ST (share of the variance of P(outcome | θ) that involves the param)", Columns: []string{"outcome", "mean P", "sd P", "noise"}}
	for _, p := range s.Params {
		summary.Columns = append(summary.Columns, p.Name)
	}
	for _, o := range s.Outcomes {
		if o.Skipped != "" {
			continue
		}
		row := []string{o.Name, pct(o.Mean), pct(math.Sqrt(o.Var)), pct0(o.NoiseShare())}
		for _, x := range o.Indices {
			row = append(row, fix(x.ST, 2))
			long.add(o.Name, x.Param, f6(x.S1), f6(x.S1SE), f6(x.S1Lo), f6(x.S1Hi), f6(x.ST), f6(x.STSE), f6(x.STLo), f6(x.STHi), f6(o.Mean), f6(o.Var), f6(o.Noise))
		}
		summary.add(row...)
	}
	var skipped []string
	for _, o := range s.Outcomes {
		if o.Skipped != "" {
			skipped = append(skipped, o.Name)
		}
	}
	summary.Notes = append(summary.Notes,
		"noise: the share of a row's output variance that is inner binomial noise; above about 80% the indices are imprecise (see their intervals in sobol.csv): raise the inner trials or the samples",
		"the noise is removed from every estimate, so an index of a param with no effect can come out slightly negative")
	if len(skipped) > 0 {
		summary.Notes = append(summary.Notes, "no indices (conditional, or no variance): "+strings.Join(skipped, ", "))
	}
	r.Tables = append(r.Tables, summary)
	r.Tables = append(r.Tables, s.valueTables()...)
	for _, name := range s.Charted {
		for _, o := range s.Outcomes {
			if o.Name != name {
				continue
			}
			t := &Table{NoCSV: true, Title: fmt.Sprintf("%s: mean %s, sd %s over the params", o.Name, pct(o.Mean), pct(math.Sqrt(o.Var))),
				Columns: []string{"param", "S1", "95% CI", "ST", "95% CI"}}
			for _, x := range o.Indices {
				t.add(x.Param, fix(x.S1, 3), ci3(x.S1Lo, x.S1Hi), fix(x.ST, 3), ci3(x.STLo, x.STHi))
			}
			r.Tables = append(r.Tables, t)
		}
	}
	if chartFormat != "" {
		charts, err := s.Charts(chartFormat)
		if err != nil {
			return nil, err
		}
		r.Charts = charts
	}
	return r, nil
}

func ci3(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "n/a"
	}
	return "[" + fix(lo, 3) + ", " + fix(hi, 3) + "]"
}

// fix formats x with prec decimals, without a negative zero.
func fix(x float64, prec int) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	s := strconv.FormatFloat(x, 'f', prec, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return s
}

// pct0 is pct with no decimals.
func pct0(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return strconv.FormatFloat(100*x, 'f', 0, 64) + "%"
}
