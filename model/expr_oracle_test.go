package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// evalTree is the reference evaluator: a plain walk over a lowered tree,
// one case per op, with none of the compiler's folding, regrouping,
// hoisting or closure specialisations. Bools are 0 or 1.
func evalTree(n *node, f *Frame) float64 {
	k := func(i int) float64 { return evalTree(n.kids[i], f) }
	switch n.op {
	case opConst:
		return n.val
	case opSlot:
		return f.Slots[n.idx]
	case opVar:
		return f.Vars[n.idx]
	case opTable:
		return n.tbl[f.Step]
	case opInState:
		return b2f(f.State[n.idx] == int32(n.idx2))
	case opInStates:
		for _, g := range n.set {
			if f.State[n.idx] == g {
				return 1
			}
		}
		return 0
	case opDwell: // regular steps since the track entered its state
		if pos := n.tbl; pos != nil { // an irregular grid: by position
			return pos[f.Step] - pos[f.Since[n.idx]]
		}
		return float64(int32(f.Step) - f.Since[n.idx])
	case opReached:
		return b2f(f.Entry[n.idx] >= 0)
	case opEntries:
		return float64(f.Entries[n.idx])
	case opEntry:
		if e := f.Entry[n.idx]; e >= 0 {
			return n.tbl[e]
		}
		return math.Inf(1)
	case opReachedBy:
		e := f.Entry[n.idx]
		return b2f(e >= 0 && n.tbl[e] <= k(0))
	case opNeg:
		return -k(0)
	case opNot:
		return 1 - k(0)
	case opAdd:
		return k(0) + k(1)
	case opSub:
		return k(0) - k(1)
	case opMul:
		return k(0) * k(1)
	case opDiv:
		return k(0) / k(1)
	case opMod:
		return math.Mod(k(0), k(1))
	case opPow:
		return math.Pow(k(0), k(1))
	case opEq:
		return b2f(k(0) == k(1))
	case opNe:
		return b2f(k(0) != k(1))
	case opLt:
		return b2f(k(0) < k(1))
	case opLe:
		return b2f(k(0) <= k(1))
	case opGt:
		return b2f(k(0) > k(1))
	case opGe:
		return b2f(k(0) >= k(1))
	case opAnd:
		if k(0) == 0 {
			return 0
		}
		return k(1)
	case opOr:
		if k(0) != 0 {
			return 1
		}
		return k(1)
	case opCond:
		if k(0) != 0 {
			return k(1)
		}
		return k(2)
	case opMin:
		return math.Min(k(0), k(1))
	case opMax:
		return math.Max(k(0), k(1))
	case opClamp:
		return math.Min(math.Max(k(0), k(1)), k(2))
	case opFunc1:
		return n.fn1(k(0))
	case opStateTbl:
		return n.tbl[f.State[n.idx]]
	case opSlotStateTbl:
		return f.Slots[n.idx2+int(f.State[n.idx])]
	}
	panic(fmt.Sprintf("evalTree: op %d (%s) is not a value", n.op, n.op.info().name))
}

// loweredExpr is a compiled expression and its tree as lowered.
type loweredExpr struct {
	e    *Expr
	tree *node
}

// compileObserved compiles a scenario, recording every expression with its
// lowered tree.
func compileObserved(src []byte) (*Plan, ErrorList, []loweredExpr) {
	var got []loweredExpr
	loweredHook = func(e *Expr, n *node) { got = append(got, loweredExpr{e, n}) }
	defer func() { loweredHook = nil }()
	p, errs := Compile("oracle.yaml", src, nil)
	return p, errs, got
}

// sameValue compares a compiled value with the reference's: NaN matches
// NaN, infinities match exactly, bools exactly, and numbers within a
// relative 1e-9 (regrouping reorders sums and products).
func sameValue(got, want float64, typ Type) bool {
	switch {
	case math.IsNaN(want) || math.IsNaN(got):
		return math.IsNaN(want) && math.IsNaN(got)
	case math.IsInf(want, 0) || math.IsInf(got, 0) || typ == TypeBool:
		return got == want
	}
	return math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want))
}

// checkAgainstOracle evaluates every recorded expression of p, compiled
// (in a frame computing per-trial values on demand) and by evalTree (in a
// frame filled in advance), in frames drawn from seed, and fails on any
// difference.
func checkAgainstOracle(t *testing.T, p *Plan, exprs []loweredExpr, seed uint64) (compared int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	for range 20 {
		lazy := p.Kernel.NewFrame(len(p.Vars), len(p.Tracks), len(p.States))
		lazy.NextTrial()
		lazy.Step = rng.IntN(p.Steps + 1)
		drawParamsInRange(p, &lazy, rng)
		for i, v := range p.Vars {
			lazy.Vars[i] = rng.Float64()*3 - 1
			if v.Type == TypeBool {
				lazy.Vars[i] = float64(rng.IntN(2))
			}
		}
		for k, tr := range p.Tracks {
			lazy.State[k] = int32(tr.First + rng.IntN(tr.NStates))
			lazy.Since[k] = int32(rng.IntN(lazy.Step + 1)) // entered at a step of the trial so far
		}
		for g := range lazy.Entry {
			lazy.Entry[g] = int32(rng.IntN(p.Steps+2) - 1)
			lazy.Entries[g] = int32(rng.IntN(4))
		}
		eager := &Frame{
			Step: lazy.Step, Slots: append([]float64(nil), lazy.Slots...),
			Vars: lazy.Vars, State: lazy.State, Since: lazy.Since, Entry: lazy.Entry, Entries: lazy.Entries,
		}
		p.Kernel.FillSlots(eager)
		for _, x := range exprs {
			got, want := x.e.Eval(&lazy), evalTree(x.tree, eager)
			compared++
			if !sameValue(got, want, x.e.Type) {
				t.Fatalf("%q at step %d: compiled %v, reference %v (mode %d)", x.e.Src, lazy.Step, got, want, x.e.Mode)
			}
		}
	}
	return compared
}

// TestCompiledMatchesReference compares every expression of the test
// scenarios, compiled, with the reference evaluator.
func TestCompiledMatchesReference(t *testing.T) {
	sources := map[string]string{"cells": cellsScenario, "lazy": exprScenarioLazy}
	for _, s := range []string{
		"k * (1 + 0.5 * mood)", "s * ramp(d0, d1)", `talks in ["open", "deal"] ? k * s : 0`,
		"min(1, s * step / 30 + (war.cold ? k : 0) * mood)", "clamp(s * 2 + k + step / 100 + (talks.deal ? 0.1 : 0), 0, 1)",
		"reached_by(war.cold, d1) ? s : 0.1", "min(1, entry(war.cold) / 1000)", "1 - exp(-s * dwell(war))",
		"min(1, entries(war.cold) / 10 + s)",
		"min(1, max(0, s - mood * dwell(war) / 100))", "min(1, max(0, mood * dwell(war) / 100 - s))",
		"min(1, max(0, step / 30 - mood * k))", "min(1, max(0, mood * k - step / 30))",
		"min(1, max(0, s + mood * dwell(war) / 100))", "min(1, max(0, step / 30 + mood * k))",
		"min(1, max(0, (mood + 1) / 4 - 0.1, mood - 0.2, 0.3 - mood, mood / 4))",
		"min(1, s * mood * (talks.open ? 1 : 0.5) * (step + 1) / 31)",
		"min(1, s + mood + k + (war.cold ? 0.1 : 0) + step / 100) / 3",
		"angry or mood > 0.5 ? 0.1 : 0", "angry and not talks.deal ? 0.2 : 0.1",
		"min(1, abs(mood - s) ** 2 + mood % 0.3)", "mood >= s && mood <= 1 && mood != k ? 0.1 : 0.05",
	} {
		sources[s] = fmt.Sprintf(fuzzExprScenario, fmt.Sprintf("%q", s))
	}
	total := 0
	for name, src := range sources {
		p, errs, exprs := compileObserved([]byte(src))
		if p == nil {
			t.Fatalf("%s: %s", name, errs.Snippets())
		}
		if len(exprs) == 0 {
			t.Fatalf("%s: no expression recorded", name)
		}
		total += checkAgainstOracle(t, p, exprs, 1)
	}
	if total < 1000 {
		t.Errorf("only %d comparisons", total)
	}
}
