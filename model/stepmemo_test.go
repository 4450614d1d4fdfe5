package model

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestStepMemoMatchesReference compiles expressions whose time-and-params
// parts are kept in step memos, and evaluates them in one frame over
// several sets of param values (a new generation for each), at every step
// in a shuffled order, twice: each value, computed or reused from the
// memo, must be the reference evaluator's; and so must the values of a
// frame that keeps no memos.
func TestStepMemoMatchesReference(t *testing.T) {
	for _, s := range []string{
		"min(1, s * (1 - exp(-date / 30)) * (talks.open ? 1 : 0.5) * (1 + mood))",
		"min(1, (1 + s * (1 - exp(-step / (10 * s + 1)))) * mood * (war.cold ? 0.1 : 0.2))",
		"min(1, abs(mood) * s ** (step / 30) + (angry ? 0.1 : 0))",
	} {
		p, errs, exprs := compileObserved([]byte(fmt.Sprintf(fuzzExprScenario, fmt.Sprintf("%q", s))))
		if p == nil {
			t.Fatalf("%s: %s", s, errs.Snippets())
		}
		memoed := 0
		for _, x := range exprs {
			if hasOp(x.e.tree, opStepMemo) {
				memoed++
			}
		}
		if memoed == 0 {
			t.Fatalf("%s: no step memo compiled", s)
		}
		for _, keep := range []bool{true, false} {
			rng := rand.New(rand.NewPCG(3, 9))
			f := p.Kernel.NewFrame(len(p.Vars), len(p.Tracks), len(p.States))
			f.KeepStepMemos(keep) // false: the closures without memos
			for k, tr := range p.Tracks {
				f.State[k] = int32(tr.First + rng.IntN(tr.NStates))
			}
			for g := range f.Entry {
				f.Entry[g] = -1
			}
			compared := 0
			for range 3 {
				drawParamsInRange(p, &f, rng)
				f.NextTrial()
				eager := &Frame{Slots: append([]float64(nil), f.Slots...), Vars: f.Vars, State: f.State, Since: f.Since, Entry: f.Entry, Entries: f.Entries}
				p.Kernel.FillSlots(eager)
				for range 2 {
					for _, step := range rng.Perm(p.Steps + 1) {
						f.Step, eager.Step = step, step
						f.Vars[0] = rng.Float64()*3 - 1 // mood: the state-dependent part changes at will
						f.VarsChanged()
						for _, x := range exprs {
							got, want := x.e.Eval(&f), evalTree(x.tree, eager)
							compared++
							if !sameValue(got, want, x.e.Type) {
								t.Fatalf("%q at step %d: compiled %v, reference %v", x.e.Src, step, got, want)
							}
						}
					}
				}
			}
			if compared < 100 {
				t.Errorf("%s: only %d comparisons", s, compared)
			}
		}
	}
}

// TestVarMemoMatchesReference compiles expressions with a costly part of
// vars and params only, kept in a var memo, and evaluates them in one
// frame over several sets of param values and many changes of the vars,
// each expression several times between changes: every value, computed
// or reused from the memo, must be the reference evaluator's, and a frame
// without var memos (Tables.Evaluated) must give the same values.
func TestVarMemoMatchesReference(t *testing.T) {
	for _, s := range []string{
		"min(1, s * exp(k * (mood - 0.5)) * (talks.open ? 1 : 0.5) * date / 1000)",
		"min(1, 0.1 * abs(mood) ** s + (angry ? 0.1 : 0) + dwell / 100)",
	} {
		p, errs, exprs := compileObserved([]byte(fmt.Sprintf(fuzzExprScenario, fmt.Sprintf("%q", s))))
		if p == nil {
			t.Fatalf("%s: %s", s, errs.Snippets())
		}
		memoed := 0
		for _, x := range exprs {
			if hasOp(x.e.tree, opVarMemo) {
				memoed++
			}
		}
		if memoed == 0 {
			t.Fatalf("%s: no var memo compiled", s)
		}
		rng := rand.New(rand.NewPCG(5, 11))
		f := p.Kernel.NewFrame(len(p.Vars), len(p.Tracks), len(p.States))
		plain := p.Kernel.Evaluated().NewFrame(len(p.Vars), len(p.Tracks), len(p.States))
		for g := range f.Entry {
			f.Entry[g] = -1
		}
		compared := 0
		for range 3 {
			drawParamsInRange(p, &f, rng)
			f.NextTrial()
			for range 20 {
				f.Vars[0] = rng.Float64()*3 - 1
				f.Vars[1] = float64(rng.IntN(2))
				f.VarsChanged()
				for range 3 {
					f.Step = rng.IntN(p.Steps + 1)
					for k, tr := range p.Tracks {
						f.State[k] = int32(tr.First + rng.IntN(tr.NStates))
						f.Since[k] = int32(rng.IntN(f.Step + 1))
					}
					eager := &Frame{Step: f.Step, Slots: append([]float64(nil), f.Slots...), Vars: f.Vars, State: f.State, Since: f.Since, Entry: f.Entry, Entries: f.Entries}
					p.Kernel.FillSlots(eager)
					copy(plain.Slots, eager.Slots)
					plain.Step, plain.Vars, plain.State, plain.Since, plain.Entry, plain.Entries = f.Step, f.Vars, f.State, f.Since, f.Entry, f.Entries
					for _, x := range exprs {
						got, want := x.e.Eval(&f), evalTree(x.tree, eager)
						compared++
						if !sameValue(got, want, x.e.Type) {
							t.Fatalf("%q at step %d: compiled %v, reference %v", x.e.Src, f.Step, got, want)
						}
						if other := x.e.Eval(&plain); !sameValue(other, want, x.e.Type) {
							t.Fatalf("%q at step %d: without var memos %v, reference %v", x.e.Src, f.Step, other, want)
						}
					}
				}
			}
		}
		if compared < 100 {
			t.Errorf("%s: only %d comparisons", s, compared)
		}
	}
}
