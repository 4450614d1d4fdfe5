package model

import (
	"fmt"
	"strings"
	"testing"
)

// Inputs too big for testdata: each must be refused with one clear error
// and without a crash (a stack overflow cannot be recovered). The work
// budgets that refuse them (MaxTableWork, the let expansion limit) are
// counted, not timed; the time each took is logged. Tables over the byte
// budget are not refused but evaluated at each step (budget_test.go).

const limitsHead = `scensim: 1
name: limits
time:
  start: 2025-01-01
  step: day
  steps: %d
vars:
  mood: 0.5
tracks:
  talks:
    initial: open
    states: [open, deal]
    transitions:
`

func compileLimit(t *testing.T, src string) ErrorList {
	t.Helper()
	p, errs := Compile("limits.yaml", []byte(src), nil)
	if p != nil {
		t.Fatal("compiled; want an error")
	}
	if s := errs.Snippets(); len(s) > 50000 {
		t.Errorf("%d bytes of error messages", len(s))
	}
	return errs
}

func wantMsg(t *testing.T, errs ErrorList, substr string) {
	t.Helper()
	for _, e := range errs {
		if strings.Contains(e.Msg, substr) {
			return
		}
	}
	t.Errorf("no error mentions %q:\n%s", substr, errs.Snippets())
}

func TestLimitLetDoubling(t *testing.T) {
	// v40 is v0 summed 2^40 times: 60 bytes of let must not cost 2^40 steps.
	var b strings.Builder
	b.WriteString("let v0 = dwell + 1; ")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "let v%d = v%d + v%d; ", i, i-1, i-1)
	}
	b.WriteString("min(0.1, v40)")
	src := fmt.Sprintf(limitsHead, 10) + "      - from: open\n        to: deal\n        p: " + yamlQuote(b.String()) + "\n"
	wantMsg(t, compileLimit(t, src), "once its let variables are expanded")
}

func TestLimitTableWork(t *testing.T) {
	// 40 time-only expressions of ~9600 nodes at 20001 points each: 7.7e9
	// node evaluations (over a minute) to fill the tables, from 700 kB.
	terms := make([]string, 2400)
	for i := range terms {
		terms[i] = fmt.Sprintf("step*%d", i%7)
	}
	expr := "min(0.001, " + strings.Join(terms, "+") + ")"
	var b strings.Builder
	fmt.Fprintf(&b, limitsHead, 20000)
	for range 40 {
		b.WriteString("      - from: open\n        to: open\n        p: " + expr + "\n")
	}
	wantMsg(t, compileLimit(t, b.String()), "too many or too large to precompute")
}

func TestLimitDeepNesting(t *testing.T) {
	// A million brackets used to overflow the parser's stack (fatal).
	n := 1000000
	for _, expr := range []string{
		strings.Repeat("(", n) + "0.1" + strings.Repeat(")", n),
		strings.Repeat("[", n),
		"min(" + strings.Repeat("abs(", n) + "0.1",
	} {
		src := fmt.Sprintf(limitsHead, 10) + "      - from: open\n        to: deal\n        p: " + yamlQuote(expr) + "\n"
		wantMsg(t, compileLimit(t, src), "brackets nest more than 100 deep")
	}
	// Brackets in strings do not count.
	src := fmt.Sprintf(limitsHead, 10) + "      - from: open\n        to: deal\n        p: 0.1\n        when: " +
		yamlQuote(`talks in ["`+strings.Repeat("(", 200)+`"]`) + "\n"
	errs := compileLimit(t, src)
	wantMsg(t, errs, "has no state")
}

func TestLimitManyErrors(t *testing.T) {
	// 300000 aliases of a list where a state name is expected: one error
	// each, all at the same place. Reported once, and at most MaxErrors.
	src := fmt.Sprintf(limitsHead, 10) + "      - from: [" + strings.Repeat("*s, ", 300000) + "]\n        to: deal\n        p: 0.1\n"
	src = strings.Replace(src, "states: [open, deal]", "states: &s [open, deal]", 1)
	errs := compileLimit(t, src)
	if len(errs) > MaxErrors+1 {
		t.Errorf("%d errors", len(errs))
	}

	// 150 distinct errors: the first MaxErrors, then a count of the rest.
	var b strings.Builder
	fmt.Fprintf(&b, limitsHead, 10)
	for i := range 150 {
		fmt.Fprintf(&b, "      - {from: s%d, to: deal, p: 0.1}\n", i)
	}
	errs = compileLimit(t, b.String())
	if len(errs) != MaxErrors+1 || errs[MaxErrors].Msg != "too many errors: 50 more not shown" {
		t.Errorf("%d errors, last %q", len(errs), errs[len(errs)-1].Msg)
	}
}

func TestLimitFileSize(t *testing.T) {
	src := fmt.Sprintf(limitsHead, 10) + "# " + strings.Repeat("x", MaxFileBytes) + "\n"
	wantMsg(t, compileLimit(t, src), "scenario files are limited to")
}

func TestLimitLongLine(t *testing.T) {
	// An error on a line of a megabyte shows a clipped line, with the caret
	// under the offending character.
	expr := strings.Repeat("0.0001 + ", 100000) + ")"
	src := fmt.Sprintf(limitsHead, 10) + "      - from: open\n        to: deal\n        p: " + expr + "\n"
	errs := compileLimit(t, src)
	lines := strings.Split(errs.Snippets(), "\n")
	if len(lines) != 3 {
		t.Fatalf("want one error with a snippet, got:\n%s", errs.Snippets())
	}
	src2, caret := lines[1][4:], lines[2][4:]
	if len([]rune(src2)) > snippetWidth+6 {
		t.Errorf("snippet line of %d runes", len([]rune(src2)))
	}
	col := len(caret) - 1
	if col >= len(src2) || !strings.HasSuffix(caret, "^") {
		t.Errorf("caret at %d beyond the line %q", col, src2)
	}
}
