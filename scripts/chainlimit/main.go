// Command chainlimit measures the engine against the speed limit of a plain
// cohort chain: an independent hand-written Go program that runs the same
// 4-state, 20-step chain with its own random numbers (math/rand/v2 PCG, one
// stream per goroutine), integer counts and two goroutines, as a careful
// programmer would write it for this one chain. Both must agree with the
// chain's exact occupancy (a cohort calculation with gonum/mat) within
// five standard errors at every point and state, and their counts must
// agree with each other; the program then prints the trials per second of
// each (median of rounds in which the two take turns to go first) and the
// engine's share of the limit. The hand-written program counts what the
// engine counts for this plan: occupancy, first entries and the outcome.
//
// Usage: go run ./scripts/chainlimit [-n trials] [-rounds r] [-cpuprofile file]
//
// It exits 1 if either side disagrees with the exact answer.
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"gonum.org/v1/gonum/mat"

	"scensim/model"
	"scensim/sim"
)

// chainScenario is the chain in the scenario format; chainRows below is the
// same chain written by hand.
const chainScenario = `
scensim: 1
name: chain
time: {start: 2025-01-01, step: week, steps: 20}
tracks:
  t:
    initial: a
    states: [a, b, c, d]
    transitions:
      - {from: a, to: b, p: 0.3}
      - {from: a, to: d, p: 0.05}
      - {from: b, to: c, p: 0.3}
      - {from: c, to: d, p: 0.4}
outcomes:
  done: reached(t.d)
`

const (
	nStates = 4
	nSteps  = 20
	points  = nSteps + 1
	workers = 2
)

// move is one way out of a state: to a state with a probability.
type move struct {
	to int
	p  float64
}

// chainRows are the moves out of each state, taken in this order against
// one uniform number per step; the rest of the chance is to stay.
var chainRows = [nStates][]move{
	{{1, 0.3}, {3, 0.05}},
	{{2, 0.3}},
	{{3, 0.4}},
	nil, // absorbing
}

// exactOccupancy returns occ[k][s], the probability of being in state s at
// point k, from π_{k+1} = π_k P.
func exactOccupancy() [][]float64 {
	P := mat.NewDense(nStates, nStates, nil)
	for s, row := range chainRows {
		stay := 1.0
		for _, m := range row {
			P.Set(s, m.to, P.At(s, m.to)+m.p)
			stay -= m.p
		}
		P.Set(s, s, P.At(s, s)+stay)
	}
	pi := mat.NewVecDense(nStates, []float64{1, 0, 0, 0})
	occ := make([][]float64, points)
	for k := range points {
		occ[k] = slices.Clone(pi.RawVector().Data)
		next := mat.NewVecDense(nStates, nil)
		next.MulVec(P.T(), pi)
		pi = next
	}
	return occ
}

// counts are what a run of the chain counts, as integers: occupancy
// [k*nStates+s], first entries [s*(points+1)+k] (k = points: never) and
// the trials that reach d (the outcome), the counts the engine keeps for
// this plan.
type counts struct {
	occupancy, entry []int64
	reachedD         int64
}

func newCounts() *counts {
	return &counts{occupancy: make([]int64, points*nStates), entry: make([]int64, nStates*(points+1))}
}

func (c *counts) add(o *counts) {
	for i, v := range o.occupancy {
		c.occupancy[i] += v
	}
	for i, v := range o.entry {
		c.entry[i] += v
	}
	c.reachedD += o.reachedD
}

// limitRun runs trials of the chain by hand on two goroutines. Occupancy
// is counted as changes (entries minus exits at each point) and a trial
// stops once absorbed.
func limitRun(trials int64, seed uint64) *counts {
	parts := make([]*counts, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(w)))
			c := newCounts()
			moves := c.occupancy
			n := trials / workers
			if w == workers-1 {
				n = trials - n*(workers-1)
			}
			for range n {
				entry := [nStates]int{0, points, points, points}
				s := 0
				moves[0]++
				for step := 0; step < nSteps && chainRows[s] != nil; step++ {
					u := rng.Float64()
					cum := 0.0
					for _, m := range chainRows[s] {
						cum += m.p
						if u < cum {
							at := (step + 1) * nStates
							moves[at+s]--
							moves[at+m.to]++
							s = m.to
							entry[s] = min(entry[s], step+1)
							break
						}
					}
				}
				for g, e := range entry {
					c.entry[g*(points+1)+e]++
				}
				if entry[3] < points {
					c.reachedD++
				}
			}
			for i := nStates; i < len(moves); i++ {
				moves[i] += moves[i-nStates]
			}
			parts[w] = c
		}()
	}
	wg.Wait()
	total := newCounts()
	for _, c := range parts {
		total.add(c)
	}
	return total
}

// engineRun runs trials of the compiled chain with the engine on two
// workers and returns its counts.
func engineRun(p *model.Plan, trials int64, seed uint64) (*counts, error) {
	t, err := sim.Run(context.Background(), p, sim.Options{Trials: trials, Seed: seed, Workers: workers})
	if err != nil {
		return nil, err
	}
	return &counts{occupancy: t.Occupancy, entry: t.Entry, reachedD: t.Hits[0]}, nil
}

// check compares the counts of trials with the exact chain and returns
// the largest |z| of the occupancies, and whether every one is within 5
// and the counts agree with each other: d is absorbing, so the trials
// that reach d are those in d at the horizon, and the first entries into
// d up to point k are the trials in d at k.
func check(c *counts, trials int64, occ [][]float64) (float64, bool) {
	worst := 0.0
	n := float64(trials)
	ok := c.reachedD == c.occupancy[nSteps*nStates+3]
	var enteredD int64
	for k := range points {
		enteredD += c.entry[3*(points+1)+k]
		ok = ok && enteredD == c.occupancy[k*nStates+3]
		for s := range nStates {
			est, want := float64(c.occupancy[k*nStates+s])/n, occ[k][s]
			se := math.Sqrt(want * (1 - want) / n)
			if se < 1e-12 {
				if math.Abs(est-want) > 1e-12 {
					return math.Inf(1), false
				}
				continue
			}
			worst = max(worst, math.Abs(est-want)/se)
		}
	}
	return worst, ok && worst <= 5
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs f and returns its trials per second of wall time and per
// second of CPU time (which a machine shared with other work disturbs
// less).
func measure(trials int64, f func()) (wall, cpu float64) {
	t0, c0 := time.Now(), cpuTime()
	f()
	return float64(trials) / time.Since(t0).Seconds(), float64(trials) / (cpuTime() - c0).Seconds()
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func main() {
	trials := flag.Int64("n", 1_000_000, "trials per round and side")
	rounds := flag.Int("rounds", 9, "rounds; the two sides alternate")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the rounds (both sides) to this file")
	flag.Parse()
	var prof *os.File
	if *profile != "" {
		var err error
		if prof, err = os.Create(*profile); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	p, errs := model.Compile("chain.yaml", []byte(chainScenario), nil)
	if p == nil {
		fmt.Fprintln(os.Stderr, errs.Snippets())
		os.Exit(2)
	}
	occ := exactOccupancy()
	if prof != nil {
		pprof.StartCPUProfile(prof)
	}
	var limit, engine, limitCPU, engineCPU []float64
	worstL, worstE := 0.0, 0.0
	ok := true
	for r := range *rounds {
		seed := uint64(r + 1)
		var lc, ec *counts
		var err error
		// The two sides take turns to go first, so that neither is always
		// measured right after the other.
		limitSide := func() {
			w, c := measure(*trials, func() { lc = limitRun(*trials, seed) })
			limit, limitCPU = append(limit, w), append(limitCPU, c)
		}
		engineSide := func() {
			w, c := measure(*trials, func() { ec, err = engineRun(p, *trials, seed) })
			engine, engineCPU = append(engine, w), append(engineCPU, c)
		}
		if r%2 == 0 {
			limitSide()
			engineSide()
		} else {
			engineSide()
			limitSide()
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		zl, okL := check(lc, *trials, occ)
		ze, okE := check(ec, *trials, occ)
		worstL, worstE = max(worstL, zl), max(worstE, ze)
		ok = ok && okL && okE
	}
	if prof != nil {
		pprof.StopCPUProfile()
	}
	l, e := median(limit), median(engine)
	lc, ec := median(limitCPU), median(engineCPU)
	fmt.Printf("%-56s %12s\n", "simple chain (4 states, 20 steps, 2 goroutines)", "value")
	fmt.Printf("%-56s %12.0f\n", "hand-written limit, trials/s", l)
	fmt.Printf("%-56s %12.0f\n", "engine, trials/s", e)
	fmt.Printf("%-56s %11.1f%%\n", "engine / limit (target ≥70%)", 100*e/l)
	fmt.Printf("%-56s %12.0f\n", "hand-written limit, trials per CPU-second", lc)
	fmt.Printf("%-56s %12.0f\n", "engine, trials per CPU-second", ec)
	fmt.Printf("%-56s %11.1f%%\n", "engine / limit by CPU time", 100*ec/lc)
	fmt.Printf("%-56s %12.1f\n", "hand-written limit, CPU ns per trial", 1e9/lc)
	fmt.Printf("%-56s %12.1f\n", "engine, CPU ns per trial", 1e9/ec)
	fmt.Printf("%-56s %12.2f\n", "largest |z| vs exact occupancy, limit", worstL)
	fmt.Printf("%-56s %12.2f\n", "largest |z| vs exact occupancy, engine", worstE)
	if load, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Printf("%-56s %12s\n", "load average (1 min) at the end", strings.Fields(string(load))[0])
	}
	if !ok {
		fmt.Fprintln(os.Stderr, "chainlimit: counts disagree with the exact occupancy (|z| > 5) or with each other")
		os.Exit(1)
	}
}
