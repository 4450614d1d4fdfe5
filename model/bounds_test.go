package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"scensim/model/kernel"
)

// Every op has an interval rule beside its entry in opInfos.
func TestOpSpanTable(t *testing.T) {
	for i, info := range opInfos {
		if info.name != "" && opSpans[i] == nil {
			t.Errorf("op %s (%d) has no rule in opSpans", info.name, i)
		}
	}
	names := opConstants(t)
	if len(opSpans) != len(names) {
		t.Errorf("opSpans has %d entries, the op enum %d", len(opSpans), len(names))
	}
	// An op past the table is unknown.
	c := &spanCtx{s: &spanner{p: &Plan{}}, step: 0}
	if s := c.span(&node{op: op(len(opSpans))}); s.ok {
		t.Errorf("an op without a rule gives %v", s)
	}
}

// edgeValues are the ends the per-op tests combine.
var edgeValues = []float64{
	0, math.Copysign(0, -1), 5e-324, -5e-324, 0x1p-1022, 1e-300, 0.1, 0.3, 1, 1 + 0x1p-52, 2, 3, 7, 1e300,
	math.MaxFloat64, -math.MaxFloat64, -1, -0.5, math.Inf(1), math.Inf(-1), math.NaN(),
}

// samples returns values of [lo, hi]: its ends and points between.
func samples(lo, hi float64, rng *rand.Rand) []float64 {
	out := []float64{lo, hi, lo + (hi-lo)/2, math.Nextafter(hi, lo), math.Nextafter(lo, hi)}
	out = append(out, lo+rng.Float64()*(hi-lo))
	var in []float64
	for _, v := range out {
		if v >= lo && v <= hi { // (hi−lo)/2 may overflow
			in = append(in, v)
		}
	}
	return in
}

// TestOpSpansHoldValues checks each value op's rule against its closure
// for operands at every pair of edge values (and values between): a span
// that is known holds every value the closure computes, and its ends are
// finite; a NaN or infinite operand, or a result that could be NaN or
// infinite, gives unknown.
func TestOpSpansHoldValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	ops := []op{opNeg, opNot, opAdd, opSub, opMul, opDiv, opMod, opPow, opEq, opNe, opLt, opLe, opGt, opGe, opAnd, opOr, opMin, opMax, opCond, opClamp}
	funcs := []string{"abs", "exp", "log", "sqrt", "floor", "ceil", "round", "logistic", "logit"}
	c := &spanCtx{s: &spanner{p: &Plan{}}, step: 0}
	known, checked := 0, 0
	check := func(n *node, what string) {
		s := c.span(n)
		if !s.ok {
			return
		}
		known++
		if math.IsInf(s.lo, 0) || math.IsInf(s.hi, 0) || math.IsNaN(s.lo) || math.IsNaN(s.hi) || s.lo > s.hi {
			t.Fatalf("%s: span %v", what, s)
		}
		// Evaluate at points of the operands' spans.
		var vals [][]float64
		for _, k := range n.kids {
			vals = append(vals, samples(k.val, k.tbl[0], rng))
		}
		var walk func(i int, args []float64)
		walk = func(i int, args []float64) {
			if i == len(vals) {
				kids := make([]*node, len(args))
				for j, a := range args {
					kids[j] = cnst(a, TypeNum, 0)
				}
				m := *n
				m.kids = kids
				v := genNode(&m)(&Frame{})
				checked++
				if !(v >= s.lo && v <= s.hi) {
					t.Fatalf("%s at %v = %v, outside its span [%v, %v]", what, args, v, s.lo, s.hi)
				}
				return
			}
			for _, a := range vals[i] {
				walk(i+1, append(args, a))
			}
		}
		walk(0, nil)
	}
	// An operand is a node whose span is [val, tbl[0]]: a min of two
	// constants' hull, written as a cond on an unknown test.
	operand := func(lo, hi float64) *node {
		if lo == hi || math.IsNaN(lo) || math.IsNaN(hi) {
			n := cnst(lo, TypeNum, 0)
			n.tbl = []float64{lo}
			return n
		}
		n := &node{op: opCond, typ: TypeNum, kids: []*node{{op: opVar}, cnst(lo, TypeNum, 0), cnst(hi, TypeNum, 0)}, val: lo, tbl: []float64{hi}}
		return n
	}
	for _, a := range edgeValues {
		for _, b := range edgeValues {
			if math.IsNaN(a) != math.IsNaN(b) || a > b {
				continue // NaN only as [NaN, NaN]
			}
			x := operand(a, b)
			if s := c.span(x); s.ok != (!math.IsNaN(a) && !math.IsNaN(b) && !math.IsInf(a, 0) && !math.IsInf(b, 0)) {
				t.Fatalf("operand [%v, %v]: span %v", a, b, s)
			}
			for _, name := range funcs {
				check(&node{op: opFunc1, fn1: funcs1[name], name: name, kids: []*node{x}}, fmt.Sprintf("%s([%v, %v])", name, a, b))
			}
			check(&node{op: opNeg, kids: []*node{x}}, "neg")
			check(&node{op: opNot, kids: []*node{x}}, "not")
			for _, d := range []float64{-1, 0, 1e-300, 2, 1e300} {
				y := operand(d, d*2+1)
				if d*2+1 < d {
					y = operand(d*2+1, d)
				}
				for _, o := range ops {
					if o == opNeg || o == opNot || o == opCond || o == opClamp {
						continue
					}
					check(&node{op: o, kids: []*node{x, y}}, fmt.Sprintf("%s([%v, %v], %v)", o.info().name, a, b, d))
					check(&node{op: o, kids: []*node{y, x}}, fmt.Sprintf("%s(%v, [%v, %v])", o.info().name, d, a, b))
				}
				check(&node{op: opClamp, kids: []*node{x, y, operand(3, 4)}}, "clamp")
				check(&node{op: opCond, kids: []*node{y, x, operand(-1, 0)}}, "cond")
			}
		}
	}
	if known < 1000 || checked < 10000 {
		t.Errorf("only %d known spans, %d values checked", known, checked)
	}
	// NaN-producing operands give unknown.
	for _, n := range []*node{
		{op: opDiv, kids: []*node{operand(1, 2), operand(-1, 1)}},                                    // by a span holding 0
		{op: opDiv, kids: []*node{operand(0, 0), operand(0, 0)}},                                     // 0/0
		{op: opMul, kids: []*node{operand(0, 1), operand(1, math.Inf(1))}},                           // 0·∞
		{op: opSub, kids: []*node{operand(math.Inf(1), math.Inf(1)), operand(1, 2)}},                 // ∞ − ∞
		{op: opFunc1, fn1: math.Log, name: "log", kids: []*node{operand(0, 1)}},                      // log 0
		{op: opFunc1, fn1: math.Log, name: "log", kids: []*node{operand(-1, 1)}},                     // log < 0
		{op: opFunc1, fn1: math.Sqrt, name: "sqrt", kids: []*node{operand(-1, 1)}},                   // sqrt < 0
		{op: opFunc1, fn1: math.Exp, name: "exp", kids: []*node{operand(1, 1000)}},                   // overflow
		{op: opFunc1, fn1: math.Exp, name: "log", kids: []*node{operand(1, 2)}},                      // not the function named
		{op: opAdd, kids: []*node{operand(math.MaxFloat64, math.MaxFloat64), operand(1e300, 1e300)}}, // overflow
		{op: opPow, kids: []*node{operand(1, 2), operand(1, 2)}},
		{op: opMod, kids: []*node{operand(1, 2), operand(1, 2)}},
		{op: opVar},
	} {
		if s := c.span(n); s.ok {
			t.Errorf("%s: span %v, want unknown", n.op.info().name, s)
		}
	}
}

// boundPlans are the plans the span oracle runs over: the shipped
// scenarios, the reference model, two sums whose closures add in another
// order than written, and the expression corpus.
func boundPlans(t *testing.T) map[string]*Plan {
	t.Helper()
	plans := map[string]*Plan{}
	files, _ := filepath.Glob(filepath.Join("..", "scenarios", "*.yaml"))
	for _, name := range []string{"reference_model", "reassociated_sum", "reassociated_competing"} {
		files = append(files, filepath.Join("..", "sim", "testdata", name+".yaml"))
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		p, errs := CompileWith(file, data, Options{Resolve: func(name, from string) (string, []byte, error) {
			path := filepath.Join(filepath.Dir(from), name+".yaml")
			b, err := os.ReadFile(path)
			return path, b, err
		}})
		if p == nil {
			t.Fatalf("%s: %s", file, errs.Snippets())
		}
		plans[filepath.Base(file)] = p
	}
	sources := map[string]string{"cells": cellsScenario, "lazy": exprScenarioLazy}
	for _, s := range []string{
		"s * ramp(d0, d1)", `talks in ["open", "deal"] ? k * s : 0`, "1 - exp(-s * dwell(war))",
		"min(1, s * step / 30 + (war.cold ? k : 0))", "clamp(s * 2 + k + step / 100 + (talks.deal ? 0.1 : 0), 0, 1)",
		"reached_by(war.cold, d1) ? s : 0.1", "min(1, entries(war.cold) / 10 + s)", "min(1, entry(talks.open) / 1000)",
		"s * (date - entry(talks.open)) / weeks(30)", "logistic(s - 3) * (war.hot ? 0.5 : 0.2)", "sqrt(s) / 4 + log(1 + s) / 8",
		"abs(s - 0.5) * step / 60", "entries(war.cold) / 100 * s", "dwell(war) / 40 * s", "s / (1 + step)", "min(1, s ** 2 + k % 0.3)",
	} {
		sources[s] = fmt.Sprintf(fuzzExprScenario, fmt.Sprintf("%q", s))
	}
	for name, src := range sources {
		p, errs := Compile(name, []byte(src), nil)
		if p == nil {
			t.Fatalf("%s: %s", name, errs.Snippets())
		}
		plans[name] = p
	}
	return plans
}

// TestSpansHoldCompiledValues is the oracle of the static chance bounds:
// for every state of every plan, at random steps and key combinations of
// its table (if any), the span of each transition's rate and probability,
// when known, holds the compiled expression's value in random frames
// within what the span assumed: params in their dists' ranges, the key
// tracks and the state's own track fixed, other tracks in any of their
// states, dwell, entries and vars anywhere they can be.
func TestSpansHoldCompiledValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	total, known := 0, 0
	for name, p := range boundPlans(t) {
		sp := newSpanner(p)
		for g, st := range p.States {
			tbl := p.Kernel.State(g)
			for range 8 {
				step := rng.IntN(p.Steps)
				var keys []kernel.Key
				combo := 0
				if tbl != nil {
					keys, combo = tbl.Keys(), rng.IntN(tbl.Combos())
				}
				f0 := &Frame{State: make([]int32, len(p.Tracks)), Entry: make([]int32, len(p.States))}
				kernel.SetCombo(f0, keys, combo)
				c := sp.cellCtx(g, step, keys, f0)
				for _, id := range st.Out {
					x := p.Transitions[id]
					for _, e := range []*Expr{x.Rate, x.Prob} {
						if e == nil {
							continue
						}
						s := c.exprSpan(e)
						total++
						if !s.ok {
							continue
						}
						known++
						for range 8 {
							f := randomFrame(p, c, keys, combo, rng)
							if v := e.Eval(&f); !(v >= s.lo && v <= s.hi) {
								t.Fatalf("%s: %s: %q at step %d, combination %d: %v outside its span [%v, %v]", name, p.FullName(g), e.Src, step, combo, v, s.lo, s.hi)
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d of %d spans known", known, total)
	if known < total/3 {
		t.Errorf("only %d of %d spans known", known, total)
	}
}

// randomFrame returns a frame of p at c's step within what c assumes.
func randomFrame(p *Plan, c *spanCtx, keys []kernel.Key, combo int, rng *rand.Rand) Frame {
	f := p.Kernel.NewFrame(len(p.Vars), len(p.Tracks), len(p.States))
	extreme := func(n int) int32 { // 0 .. n−1, its ends one time in two
		switch rng.IntN(4) {
		case 0:
			return 0
		case 1:
			return int32(n - 1)
		}
		return int32(rng.IntN(n))
	}
	for i, par := range p.Params {
		f.Slots[i] = par.Value
		if d := par.Dist; d != nil {
			switch rng.IntN(4) {
			case 0:
				f.Slots[i] = d.Lo
			case 1:
				f.Slots[i] = math.Nextafter(d.Hi, d.Lo)
			default:
				f.Slots[i] = d.Lo + rng.Float64()*(d.Hi-d.Lo)
			}
		}
	}
	f.NextTrial()
	f.Step = c.step
	for i := range p.Vars {
		f.Vars[i] = rng.Float64()*4 - 2
	}
	f.VarsChanged()
	for k, tr := range p.Tracks {
		f.State[k] = int32(tr.First + rng.IntN(tr.NStates))
		f.Since[k] = extreme(c.step + 1)
	}
	for g := range f.Entry {
		f.Entry[g] = extreme(c.step+2) - 1
		f.Entries[g] = extreme(c.step + 2)
	}
	kernel.SetCombo(&f, keys, combo)
	for k, g := range c.state {
		if g >= 0 {
			f.State[k] = g
		}
	}
	for g := range f.Entry { // what the span takes as entered was entered by now
		if c.entered(g) {
			f.Entry[g] = extreme(c.step + 1)
			f.Entries[g] = max(f.Entries[g], 1)
		}
	}
	return f
}

// The spans of exp and logistic are cut at the most they compute (see
// monotone.most): math.Exp(x) ≤ 1 for x ≤ 0, sampled at every power of two
// down to the smallest subnormal, its neighbours, and random arguments of
// every magnitude; and a lone rate's chance 1 − exp(−r·d) over r ≥ 0
// then starts at 0 exactly, so that a state whose rate may be 0 gets a
// bound.
//
// On amd64 math.Exp has a path with fused multiply-adds and one without;
// the test runs itself again with FMA off (GODEBUG=cpu.fma=off), so that
// both are sampled whichever the machine takes.
func TestExpAtMostOne(t *testing.T) {
	if runtime.GOARCH == "amd64" && os.Getenv("SCENSIM_EXP_RERUN") == "" {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestExpAtMostOne$")
		cmd.Env = append(os.Environ(), "SCENSIM_EXP_RERUN=1", "GODEBUG=cpu.fma=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("with FMA off: %v\n%s", err, out)
		}
	}
	check := func(x float64) {
		if v := math.Exp(x); !(v <= 1) {
			t.Fatalf("math.Exp(%v) = %v, above 1", x, v)
		}
		if v := funcs1["logistic"](-x); !(v <= 1) { // from 1/2 at 0 towards 1
			t.Fatalf("logistic(%v) = %v, above 1", -x, v)
		}
	}
	check(0)
	check(math.Copysign(0, -1))
	for x := -1.0; x != 0; x /= 2 {
		for _, y := range []float64{x, math.Nextafter(x, 0), math.Nextafter(x, -1), x * 1.5, x * 0.75} {
			check(y)
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 1_000_000 {
		check(-math.Exp2(-1100*rng.Float64()) * (1 + rng.Float64()))
		check(-40 * rng.Float64())
	}
	c := &spanCtx{s: &spanner{p: &Plan{}}, step: 0}
	for _, hi := range []float64{0, 1e-300, 1e-9, 0.5, 3, 800} {
		r := &node{op: opCond, typ: TypeNum, kids: []*node{{op: opVar}, cnst(0, TypeNum, 0), cnst(hi, TypeNum, 0)}}
		chance := &node{op: opSub, typ: TypeNum, kids: []*node{cnst(1, TypeNum, 0),
			{op: opFunc1, typ: TypeNum, name: "exp", fn1: math.Exp, kids: []*node{{op: opNeg, typ: TypeNum, kids: []*node{r}}}}}}
		s := c.span(chance)
		if !s.ok || s.lo != 0 || s.hi < -math.Expm1(-hi) || s.hi > 1 {
			t.Errorf("1 − exp(−r) over r in [0, %v]: span %+v, want [0, ≥ %v] within [0, 1]", hi, s, -math.Expm1(-hi))
		}
		lg := &node{op: opFunc1, typ: TypeNum, name: "logistic", fn1: funcs1["logistic"], kids: []*node{r}}
		if s := c.span(lg); !s.ok || s.hi != 1 && hi >= 40 || s.hi > 1 {
			t.Errorf("logistic over [0, %v]: span %+v, want its upper end at most 1 (1 from 40 on)", hi, s)
		}
	}
}
