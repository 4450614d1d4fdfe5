package model

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// productValues are the numbers the product oracle draws from: ordinary
// values, and those whose rounding or propagation differs most easily.
var productValues = []float64{
	0, math.Copysign(0, -1), 1, -1, 0.1, 0.15, 1e-300, 1e300, 5e-324, 364, 7,
	math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, 1.0000000000000002,
}

func productValue(rng *rand.Rand) float64 {
	if rng.IntN(3) == 0 {
		return productValues[rng.IntN(len(productValues))]
	}
	return (rng.Float64()*2 - 1) * math.Pow(10, float64(rng.IntN(12)-6))
}

// randomProduct builds a left-deep product of the shape genProduct
// handles (a head of one or two leaves, perhaps a trend, a tail of state
// factors), over tables of steps points, slots and tracks of the given
// sizes.
func randomProduct(rng *rand.Rand, steps, slots, tracks, states int) *node {
	table := func() *node {
		t := make([]float64, steps)
		for i := range t {
			t[i] = productValue(rng)
		}
		return &node{op: opTable, tbl: t}
	}
	slot := func() *node { return &node{op: opSlot, idx: rng.IntN(slots)} }
	leaf := func() *node {
		switch rng.IntN(3) {
		case 0:
			return table()
		case 1:
			return slot()
		}
		return cnst(productValue(rng), TypeNum, 0)
	}
	var terms []*node
	for range 1 + rng.IntN(2) {
		terms = append(terms, leaf())
	}
	if rng.IntN(3) != 0 {
		pair := &node{op: opMul, kids: []*node{slot(), table()}}
		if rng.IntN(2) == 0 {
			pair.kids[0], pair.kids[1] = pair.kids[1], pair.kids[0]
		}
		rest := pair
		if rng.IntN(3) != 0 {
			rest = &node{op: opDiv, kids: []*node{pair, cnst(productValue(rng), TypeNum, 0)}}
		}
		sum := &node{op: opAdd, kids: []*node{cnst(productValue(rng), TypeNum, 0), rest}}
		if rng.IntN(2) == 0 {
			sum.kids[0], sum.kids[1] = sum.kids[1], sum.kids[0]
		}
		terms = append(terms, sum)
	}
	for i := range 1 + rng.IntN(4) {
		if i > 0 && len(terms) >= 3 && rng.IntN(2) == 0 {
			break // a chain has three operands at least
		}
		k := rng.IntN(tracks)
		if rng.IntN(2) == 0 {
			t := make([]float64, states)
			for i := range t {
				t[i] = productValue(rng)
			}
			terms = append(terms, &node{op: opStateTbl, idx: k, tbl: t})
		} else {
			terms = append(terms, &node{op: opSlotStateTbl, idx: k, idx2: rng.IntN(slots - states + 1)})
		}
	}
	n := terms[0]
	for _, t := range terms[1:] {
		n = &node{op: opMul, kids: []*node{n, t}}
	}
	return n
}

// TestProductMatchesChainLoop checks genProduct against the generic chain
// loop bit for bit, on random products and frames with special values
// (NaN compares by being NaN: its payload is not a result).
func TestProductMatchesChainLoop(t *testing.T) {
	const steps, slots, tracks, states = 9, 12, 3, 5
	rng := rand.New(rand.NewPCG(3, 11))
	fused := 0
	for range 3000 {
		n := randomProduct(rng, steps, slots, tracks, states)
		terms := chainTerms(n)
		got := genProduct(terms)
		if got == nil {
			t.Fatalf("genProduct refused a product of its shape (%d terms)", len(terms))
		}
		fused++
		want := genChainLoop(n, terms)
		for range 10 {
			f := productFrame(rng, steps, slots, tracks, states)
			g, w := got(f), want(f)
			if math.Float64bits(g) != math.Float64bits(w) && !(math.IsNaN(g) && math.IsNaN(w)) {
				t.Fatalf("fused product %v, chain loop %v (step %d, slots %v, states %v)", g, w, f.Step, f.Slots, f.State)
			}
		}
	}
	if fused < 3000 {
		t.Fatalf("only %d products fused", fused)
	}
}

// TestTrendProductMatchesChainLoop checks the unrolled closures of
// genTrendProduct against the generic chain loop bit for bit: a table
// times a slot, a trend with a division (operands in either order), and
// one to three constant tables by state, on frames with special values;
// and that a tail of four, or with a table made per trial, is refused.
func TestTrendProductMatchesChainLoop(t *testing.T) {
	const steps, slots, tracks, states = 9, 6, 3, 5
	rng := rand.New(rand.NewPCG(17, 4))
	table := func(n int) []float64 {
		tb := make([]float64, n)
		for i := range tb {
			tb[i] = productValue(rng)
		}
		return tb
	}
	trendNode := func() *node {
		pair := &node{op: opMul, kids: []*node{{op: opSlot, idx: rng.IntN(slots)}, {op: opTable, tbl: table(steps)}}}
		if rng.IntN(2) == 0 {
			pair.kids[0], pair.kids[1] = pair.kids[1], pair.kids[0]
		}
		sum := &node{op: opAdd, kids: []*node{cnst(productValue(rng), TypeNum, 0), {op: opDiv, kids: []*node{pair, cnst(productValue(rng), TypeNum, 0)}}}}
		if rng.IntN(2) == 0 {
			sum.kids[0], sum.kids[1] = sum.kids[1], sum.kids[0]
		}
		return sum
	}
	for tail := 1; tail <= 3; tail++ {
		for range 1000 {
			terms := []*node{{op: opTable, tbl: table(steps)}, {op: opSlot, idx: rng.IntN(slots)}, trendNode()}
			for range tail {
				terms = append(terms, &node{op: opStateTbl, idx: rng.IntN(tracks), tbl: table(states)})
			}
			n := terms[0]
			for _, x := range terms[1:] {
				n = &node{op: opMul, kids: []*node{n, x}}
			}
			terms = chainTerms(n)
			tr, _ := trendOf(terms[2])
			var sf []stateFactor
			for _, x := range terms[3:] {
				s, _ := stateFactorOf(x)
				sf = append(sf, s)
			}
			got := genTrendProduct(terms[0].tbl, terms[1].idx, tr, sf)
			if got == nil {
				t.Fatalf("tail of %d: not unrolled", tail)
			}
			viaProduct, want := genProduct(terms), genChainLoop(n, terms)
			for range 10 {
				f := productFrame(rng, steps, slots, tracks, states)
				g, p, w := got(f), viaProduct(f), want(f)
				for _, v := range []float64{g, p} {
					if math.Float64bits(v) != math.Float64bits(w) && !(math.IsNaN(v) && math.IsNaN(w)) {
						t.Fatalf("tail of %d: unrolled %v, via genProduct %v, chain loop %v", tail, g, p, w)
					}
				}
			}
		}
	}
	st := stateFactor{track: 0, tbl: []float64{1, 2}}
	tr := trend{c0: 1, c1: 364, div: true, tbl: []float64{1, 2}}
	if genTrendProduct([]float64{1, 2}, 0, tr, []stateFactor{st, st, st, st}) != nil {
		t.Error("a tail of four was unrolled")
	}
	if genTrendProduct([]float64{1, 2}, 0, tr, []stateFactor{st, {track: 0, base: 1}}) != nil {
		t.Error("a tail with a table made per trial was unrolled")
	}
	if genTrendProduct([]float64{1, 2}, 0, tr, nil) != nil {
		t.Error("an empty tail was unrolled")
	}
}

// TestProductRefusesOtherShapes checks that a chain genProduct does not
// handle is left to the loop: a var factor, a closure after the trend,
// a trend with a var, or a sum.
func TestProductRefusesOtherShapes(t *testing.T) {
	tbl := &node{op: opTable, tbl: []float64{1, 2}}
	s := &node{op: opSlot, idx: 0}
	v := &node{op: opVar, idx: 0}
	st := &node{op: opStateTbl, idx: 0, tbl: []float64{1, 2}}
	cases := map[string][]*node{
		"var in the head":     {v, s, st},
		"var in the tail":     {tbl, s, v},
		"trend with a var":    {tbl, s, {op: opAdd, kids: []*node{cnst(1, TypeNum, 0), {op: opMul, kids: []*node{v, tbl}}}}},
		"two trends":          {tbl, {op: opAdd, kids: []*node{cnst(1, TypeNum, 0), {op: opMul, kids: []*node{s, tbl}}}}, {op: opAdd, kids: []*node{cnst(1, TypeNum, 0), {op: opMul, kids: []*node{s, tbl}}}}},
		"head of three":       {tbl, s, s, st},
		"trend with no const": {tbl, {op: opAdd, kids: []*node{s, {op: opMul, kids: []*node{s, tbl}}}}, st},
	}
	for name, terms := range cases {
		if genProduct(terms) != nil {
			t.Errorf("%s: fused", name)
		}
	}
}

// TestReferenceAgreementHazardIsFused checks that the reference model's
// agreement hazards compile to fused products (their cost is what the
// fusion is for) and agree with the chain loop bit for bit.
func TestReferenceAgreementHazardIsFused(t *testing.T) {
	data, err := os.ReadFile("../sim/testdata/reference_model.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, errs := Compile("reference_model.yaml", data, nil)
	if p == nil {
		t.Fatal(errs.Snippets())
	}
	rng := rand.New(rand.NewPCG(5, 1))
	for _, name := range []string{"preliminary_deal", "comprehensive_ceasefire"} {
		var x *Transition
		for _, tr := range p.Transitions {
			if tr.Name == name {
				x = tr
			}
		}
		if x == nil || x.Rate == nil || x.Rate.tree == nil || x.Rate.tree.op != opMul {
			t.Fatalf("%s: not a product", name)
		}
		terms := chainTerms(x.Rate.tree)
		if genProduct(terms) == nil {
			t.Fatalf("%s: not fused", name)
		}
		loop := genChainLoop(x.Rate.tree, terms)
		for range 200 {
			f := p.Kernel.NewFrame(len(p.Vars), len(p.Tracks), len(p.States))
			drawParamsInRange(p, &f, rng)
			f.NextTrial()
			f.Step = rng.IntN(p.Steps)
			for k, tr := range p.Tracks {
				f.State[k] = int32(tr.First + rng.IntN(tr.NStates))
			}
			got := x.Rate.Eval(&f)
			eager := &Frame{Step: f.Step, Slots: append([]float64(nil), f.Slots...), State: f.State}
			p.Kernel.FillSlots(eager)
			if want := loop(eager); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("%s at step %d: compiled %v, chain loop %v", name, f.Step, got, want)
			}
		}
	}
}

// TestElapsedMatchesPostOps checks genElapsed against genPostOps' loop bit
// for bit, on the shapes it handles (operands in either order, with and
// without the division) and frames with special values and entries never
// made.
func TestElapsedMatchesPostOps(t *testing.T) {
	const steps, slots, states = 9, 4, 3
	rng := rand.New(rand.NewPCG(9, 2))
	for range 2000 {
		tbl, days := make([]float64, steps), make([]float64, steps)
		for i := range tbl {
			tbl[i], days[i] = productValue(rng), productValue(rng)
		}
		sub := &node{op: opSub, kids: []*node{{op: opTable, tbl: tbl}, {op: opEntry, idx: rng.IntN(states), tbl: days}}}
		n := &node{op: opMul, kids: []*node{{op: opSlot, idx: rng.IntN(slots)}, sub}}
		if rng.IntN(2) == 0 {
			n.kids[0], n.kids[1] = n.kids[1], n.kids[0]
		}
		if rng.IntN(3) != 0 {
			n = &node{op: opDiv, kids: []*node{n, cnst(productValue(rng), TypeNum, 0)}}
		}
		got, want := genElapsed(n), genPostOpsLoop(n)
		if got == nil || want == nil {
			t.Fatalf("not generated: elapsed %v, loop %v", got != nil, want != nil)
		}
		for range 10 {
			f := &Frame{Step: rng.IntN(steps), Slots: make([]float64, slots), Entry: make([]int32, states)}
			for i := range f.Slots {
				f.Slots[i] = productValue(rng)
			}
			for g := range f.Entry {
				f.Entry[g] = int32(rng.IntN(steps+1) - 1)
			}
			g, w := got(f), want(f)
			if math.Float64bits(g) != math.Float64bits(w) && !(math.IsNaN(g) && math.IsNaN(w)) {
				t.Fatalf("elapsed %v, loop %v (step %d, slots %v, entries %v)", g, w, f.Step, f.Slots, f.Entry)
			}
		}
	}
	// Other shapes are left to the loop.
	tb := &node{op: opTable, tbl: []float64{1}}
	v := &node{op: opVar}
	for _, n := range []*node{
		{op: opMul, kids: []*node{v, {op: opSub, kids: []*node{tb, {op: opEntry, tbl: []float64{1}}}}}},
		{op: opDiv, kids: []*node{{op: opMul, kids: []*node{{op: opSlot}, {op: opSub, kids: []*node{tb, tb}}}}, cnst(7, TypeNum, 0)}},
	} {
		if genElapsed(n) != nil {
			t.Errorf("op %d: generated", n.op)
		}
	}
}

// TestPostOpsMatchesTree checks genPostOps (and so genElapsed, which it
// tries first) against the reference evaluator walking the same tree, bit
// for bit: nests of +, −, * and / with a constant, a table, a slot or a
// var at each level, on either side, around an innermost table, slot,
// var, entry, constant or other node.
func TestPostOpsMatchesTree(t *testing.T) {
	const steps, slots, vars, states = 7, 4, 3, 3
	rng := rand.New(rand.NewPCG(12, 5))
	table := func() []float64 {
		tb := make([]float64, steps)
		for i := range tb {
			tb[i] = productValue(rng)
		}
		return tb
	}
	side := func() *node {
		switch rng.IntN(4) {
		case 0:
			return cnst(productValue(rng), TypeNum, 0)
		case 1:
			return &node{op: opTable, tbl: table()}
		case 2:
			return &node{op: opSlot, idx: rng.IntN(slots)}
		}
		return &node{op: opVar, idx: rng.IntN(vars)}
	}
	inner := func() *node {
		switch rng.IntN(6) {
		case 0:
			return &node{op: opEntry, idx: rng.IntN(states), tbl: table()}
		case 1:
			return &node{op: opSub, kids: []*node{{op: opTable, tbl: table()}, {op: opEntry, idx: rng.IntN(states), tbl: table()}}}
		case 2: // not a leaf: a closure
			return &node{op: opFunc1, fn1: math.Sqrt, kids: []*node{side()}}
		}
		return side()
	}
	ops := []op{opAdd, opSub, opMul, opDiv}
	for range 3000 {
		n := inner()
		for range 2 + rng.IntN(3) {
			s := side()
			n = &node{op: ops[rng.IntN(len(ops))], kids: []*node{n, s}}
			if rng.IntN(2) == 0 {
				n.kids[0], n.kids[1] = s, n.kids[0]
			}
		}
		fn := genPostOps(n)
		if fn == nil {
			t.Fatal("a nest of two or more levels was not fused")
		}
		for range 10 {
			f := &Frame{Step: rng.IntN(steps), Slots: make([]float64, slots), Vars: make([]float64, vars), Entry: make([]int32, states)}
			for i := range f.Slots {
				f.Slots[i] = productValue(rng)
			}
			for i := range f.Vars {
				f.Vars[i] = productValue(rng)
			}
			for g := range f.Entry {
				f.Entry[g] = int32(rng.IntN(steps+1) - 1)
			}
			got, want := fn(f), evalTree(n, f)
			if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Fatalf("fused nest %v, tree %v", got, want)
			}
		}
	}
}

// productFrame returns a frame at a random step, with random slot values
// (see productValue) and random track states.
func productFrame(rng *rand.Rand, steps, slots, tracks, states int) *Frame {
	f := &Frame{Step: rng.IntN(steps), Slots: make([]float64, slots), State: make([]int32, tracks)}
	for i := range f.Slots {
		f.Slots[i] = productValue(rng)
	}
	for k := range f.State {
		f.State[k] = int32(rng.IntN(states))
	}
	return f
}
