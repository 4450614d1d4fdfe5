package model

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// bigScenario is what scripts/gen-big writes: a chain of n states over
// steps daily steps, each left by a probability guarded by the step and by
// the state of a 12-state track (tabled per step and per state of that
// track), and by a rate; the tables it asks for grow as n × steps × 12.
func bigScenario(n, steps int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "scensim: 1\nname: big\ntime:\n  start: 2025-01-01\n  step: day\n  steps: %d\n", steps)
	b.WriteString("tracks:\n  phase:\n    initial: p0\n    states: [p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11]\n    transitions:\n")
	for j := range 11 {
		fmt.Fprintf(&b, "      - {from: p%d, to: p%d, p: 0.002}\n", j, j+1)
	}
	b.WriteString("  chain:\n    initial: s0\n    states: [s0")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, ", s%d", i)
	}
	b.WriteString("]\n    transitions:\n")
	for i := range n - 1 {
		fmt.Fprintf(&b, "      - {from: s%d, to: s%d, p: 0.00%d, when: \"step %% %d != 0 and not phase.p%d\"}\n", i, i+1, 1+i%9, 2+i%11, i%12)
		fmt.Fprintf(&b, "      - {from: s%d, to: s%d, rate: 0.00%d}\n", i, min(i+2, n-1), 1+i%7)
	}
	b.WriteString("outcomes:\n  far: \"reached(chain.s10)\"\n")
	return b.String()
}

// compileAlloc compiles src with a table budget and returns the plan and
// the bytes Compile allocated.
func compileAlloc(t *testing.T, src string, budget int64) (*Plan, uint64) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	p, errs := CompileWith("big.yaml", []byte(src), Options{TableBudget: budget})
	runtime.ReadMemStats(&after)
	if p == nil {
		t.Fatal(errs)
	}
	return p, after.TotalAlloc - before.TotalAlloc
}

// A model whose tables would take far more than the budget compiles
// within it: what does not fit is left out (and said so), and Compile's
// allocations stay near the budget rather than growing with the tables
// the model asks for. Bytes are counted, not time.
func TestTableBudgetBoundsCompile(t *testing.T) {
	const budget = 2 << 20
	src := bigScenario(200, 2000) // ~96 MiB of per-state tables wanted
	p, alloc := compileAlloc(t, src, budget)
	u := p.TableUse
	t.Logf("%d bytes of source; %d bytes allocated; %v", len(src), alloc, u)
	if u.Used > budget || u.Over[TableCells] == 0 {
		t.Errorf("want per-state tables left out within %d bytes: %v", budget, u)
	}
	// About 96 MiB of per-state tables would not fit: the first cells of
	// each count towards Wanted.
	if u.Wanted < 64<<20 {
		t.Errorf("Wanted %d bytes; the tables left out need about 96 MiB", u.Wanted)
	}
	// Source, parse trees, closures and the tables within the budget: a
	// margin of 16 MiB over it, against ~100 MiB without the budget.
	if limit := uint64(budget + 16<<20); alloc > limit {
		t.Errorf("Compile allocated %d bytes, over %d", alloc, limit)
	}
	if !strings.Contains(u.String(), "per-state tables") || !strings.Contains(u.String(), "evaluated at each step instead") {
		t.Errorf("description %q does not say which tables fell back", u.String())
	}

	// The same model with room for every table allocates more than the
	// bound above: the bound is what the budget buys.
	if testing.Short() {
		return
	}
	full, fullAlloc := compileAlloc(t, bigScenario(200, 2000), 1<<30)
	t.Logf("budget 1 GiB: %d bytes allocated; %v", fullAlloc, full.TableUse)
	if full.TableUse.FellBack() || fullAlloc <= uint64(budget+16<<20) {
		t.Errorf("with room for every table: %d bytes allocated, %v", fullAlloc, full.TableUse)
	}
}

// Many large time tables (each term of the sum is tabled over 20000
// steps) no longer refuse the file: the tables past the budget are
// evaluated at each step, and the work of filling the others stays within
// MaxTableWork.
func TestTableBudgetTimeTables(t *testing.T) {
	terms := make([]string, 900)
	for i := range terms {
		terms[i] = fmt.Sprintf("dwell*(step+%d)", i)
	}
	src := fmt.Sprintf(limitsHead, 20000) + "      - from: open\n        to: deal\n        p: min(0.01, " + strings.Join(terms, "+") + ")\n"
	work := -1
	tableWorkHook = func(w int) { work = w }
	defer func() { tableWorkHook = nil }()
	p, errs := Compile("time.yaml", []byte(src), nil)
	if p == nil {
		t.Fatal(errs)
	}
	u := p.TableUse
	if u.Used > DefaultTableBudget || u.Over[TableTime] == 0 || work <= 0 || work > MaxTableWork {
		t.Errorf("work %d, %v", work, u)
	}
	// 900 tables of 20001 values would take 137 MiB.
	if tables := int64(900-u.Over[TableTime]) * 8 * 20001; tables > DefaultTableBudget {
		t.Errorf("%d time tables made: %d bytes", 900-u.Over[TableTime], tables)
	}
}
