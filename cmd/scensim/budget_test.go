package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bigChain writes a chain of n states over steps daily steps, each left by
// a probability guarded by the step and by a 12-state track: per-state
// tables of n × steps × 12 cells of 20 bytes (what scripts/gen-big writes).
func bigChain(n, steps int) string {
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
		fmt.Fprintf(&b, "      - {from: s%d, to: s%d, p: 0.001, when: \"step %% %d != 0 and not phase.p%d\"}\n", i, i+1, 2+i%11, i%12)
	}
	fmt.Fprintf(&b, "outcomes:\n  far: \"reached(chain.s%d)\"\n", n-1)
	return b.String()
}

// validate of a model whose tables exceed the budget succeeds and says
// which tables are evaluated at each step instead; --tables takes auto or
// full only.
func TestValidateSaysTablesFellBack(t *testing.T) {
	bin := needBinary(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(file, []byte(bigChain(150, 5200)), 0o644); err != nil { // ~187 MiB of per-state tables
		t.Fatal(err)
	}
	stderr, code := runBinary(t, bin, dir, "validate", file)
	if code != 0 || !strings.Contains(stderr, "of a 128.0 MiB budget; over it,") || !strings.Contains(stderr, "per-state tables") ||
		!strings.Contains(stderr, "evaluated at each step instead") {
		t.Errorf("validate: exit %d, stderr:\n%s", code, stderr)
	}
	small := filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(small, []byte(bigChain(5, 50)), 0o644); err != nil {
		t.Fatal(err)
	}
	if stderr, code := runBinary(t, bin, dir, "validate", small); code != 0 || strings.Contains(stderr, "budget") {
		t.Errorf("validate of a small model: exit %d, stderr:\n%s", code, stderr)
	}
	if stderr, code := runBinary(t, bin, dir, "run", small, "-n", "10", "--tables", "some", "-q", "--no-charts"); code != ExitInput || !strings.Contains(stderr, "want auto or full") {
		t.Errorf("--tables some: exit %d, stderr:\n%s", code, stderr)
	}
}
