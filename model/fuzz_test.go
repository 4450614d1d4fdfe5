package model

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// allExprs returns every expression of a plan (none nil).
func allExprs(p *Plan) []*Expr {
	var exprs []*Expr
	for _, v := range p.Vars {
		exprs = append(exprs, v.Init)
	}
	for _, x := range p.Transitions {
		exprs = append(exprs, x.Prob, x.Rate, x.Guard)
		for _, e := range x.Effects {
			exprs = append(exprs, e.Value)
		}
	}
	for _, o := range p.Outcomes {
		exprs = append(exprs, o.When, o.Given)
	}
	return slices.DeleteFunc(exprs, func(e *Expr) bool { return e == nil })
}

// checkPlan evaluates every expression of a compiled plan on a zeroed frame
// of the plan's sizes, at the first and the last point: none may panic.
func checkPlan(t *testing.T, p *Plan) {
	t.Helper()
	f := &Frame{
		Slots:   make([]float64, p.Kernel.Slots()),
		Vars:    make([]float64, len(p.Vars)),
		State:   make([]int32, len(p.Tracks)),
		Since:   make([]int32, len(p.Tracks)),
		Entry:   make([]int32, len(p.States)),
		Entries: make([]int32, len(p.States)),
	}
	for i, tr := range p.Tracks {
		f.State[i] = int32(tr.Initial)
	}
	for i := range f.Entry {
		f.Entry[i] = -1
	}
	p.Kernel.FillSlots(f)
	exprs := allExprs(p)
	for _, step := range []int{0, p.Steps} {
		f.Step = step
		for _, e := range exprs {
			if e != nil {
				e.Eval(f)
			}
		}
	}
	if len(p.PointDay) != p.Steps+1 || len(p.Points) != p.Steps+1 {
		t.Fatalf("%d steps but %d points", p.Steps, len(p.Points))
	}
}

// seedFiles returns the scenario files of testdata, as fuzz seeds.
func seedFiles(f *testing.F) [][]byte {
	var seeds [][]byte
	for _, pat := range []string{"testdata/valid/*.yaml", "testdata/errors/*.yaml"} {
		files, err := filepath.Glob(pat)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			if len(data) > 8<<10 {
				continue // large files are slow to compile, which stalls the fuzzer
			}
			seeds = append(seeds, data)
		}
	}
	return seeds
}

// FuzzCompile compiles arbitrary scenario files; for those that compile,
// every expression is evaluated and checked against the reference
// evaluator.
func FuzzCompile(f *testing.F) {
	for _, data := range seedFiles(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, errs, exprs := compileObserved(data)
		if p == nil {
			if len(errs.Errors()) == 0 {
				t.Fatal("no plan and no error")
			}
			errs.Snippets()
			return
		}
		checkPlan(t, p)
		checkAgainstOracle(t, p, exprs, uint64(len(data)))
	})
}

// fuzzExprScenario holds one arbitrary expression as a probability, in a
// scenario with every kind of name an expression can refer to.
const fuzzExprScenario = `scensim: 1
name: fuzz
time:
  start: 2025-01-01
  step: week
  steps: 30
dates:
  d0: 2025-02-01
  d1: d0 + 4w
params:
  k: 0.25
  s:
    value: 0.3
    dist: beta(2, 5)
vars:
  mood: 0.5
  angry: false
tracks:
  talks:
    initial: open
    states: [open, deal, broken]
    transitions:
      - from: open
        to: deal
        p: %s
  war:
    initial: hot
    states: [hot, cold]
outcomes:
  deal: reached(talks.deal)
`

// FuzzExpr compiles an arbitrary expression as a probability and checks
// that every compiled expression of the plan agrees with the reference
// evaluator (evalTree) in random frames.
func FuzzExpr(f *testing.F) {
	for _, s := range []string{
		"0.1", "k * (1 + 0.5 * mood)", "s * ramp(d0, d1)", "talks.open ? 0.1 : 0",
		`talks in ["open", "deal"] ? k : 0`, "clamp(logistic(mood - 0.5), 0, 1)",
		"let x = dwell / 10; min(x, 1)", "if angry { 0 } else { 0.2 }",
		"reached_by(war.cold, d1) ? 0.3 : 0.1", "min(1, entry(war.cold) / 1000)",
		"until(d1) > 0 ? 0.1 : 0.2", "weeks(2) / days(140)", "logit(0.5) + 0.1",
		"1 - exp(-s * dwell(war))", "(((0.1)))", "0.1 +", "talks.nosuch", "p_dael",
		"step / 30", "date / 1000", `talks == "open" && !angry ? 0.5 : 0`, "max(0, sqrt(k) - 0.4)",
		"a.b.c", "[1]", "nil", "1 ?? 2", "0.1 // comment", "\"str\"", "x => x", "#",
		"talks in []", `talks in [""]`, "min()", "max()", "let x = talks; 0.1", "reached_by(talks.deal, talks)",
		"dwell()", "dwell(1)", "clamp()", "1 ? 2 : 3", "if true { 0.1 }", "talks.deal == talks.open ? 1 : 0",
		`"a" in talks`, "talks[0]", "talks.deal.x", "war?.cold", "-talks", "!0.1", "0.1 in [1]",
		"let step = 2; step / 10", "let dwell = 0.1; dwell", "let talks = 0.1; talks", "k.k",
		"d0 + d1 > 0 ? 0 : 1", "1e400", "0x10 / 100", "1_000 / 10000", "map([1], #)", "len(\"abc\") / 10",
		"0.1 ?: 0", "step |> max(0)", "0.1; 0.2", "(0.1", "0.1)", "reached(talks.deal, talks.open)",
		"entry(talks)", "entry(1)", "ramp(step, step)", "ramp(d1, d1) / 2", "logit(1)", "log(0) * 0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		src := fmt.Sprintf(fuzzExprScenario, strconv.QuoteToASCII(expr))
		p, errs, exprs := compileObserved([]byte(src))
		if p == nil {
			if len(errs.Errors()) == 0 {
				t.Fatal("no plan and no error")
			}
			errs.Snippets()
			return
		}
		checkPlan(t, p)
		// Every compiled expression (the fuzzed one, and the rest of the
		// scenario) must agree with the reference evaluator.
		checkAgainstOracle(t, p, exprs, uint64(len(expr)))
	})
}
