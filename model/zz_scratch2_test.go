package model

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

const probeTmpl = `scensim: 1
name: t
time:
  start: 2025-01-01
  steps: 10
dates:
  summer: 2025-06-01
params:
  p_deal: 0.1
  s:
    dist: uniform(0, 1)
vars:
  mood: 0.5
  angry: false
tracks:
  talks:
    initial: open
    states: [open, deal]
    transitions:
      - from: open
        to: deal
        p: 0.1
        when: %s
`

func TestScratchExpr(t *testing.T) {
	list := os.Getenv("EXPRS")
	if list == "" {
		t.Skip()
	}
	for _, e := range strings.Split(list, "\n") {
		if e == "" {
			continue
		}
		src := fmt.Sprintf(probeTmpl, strconv.Quote(e))
		p, errs := Compile("x.yaml", []byte(src), nil)
		fmt.Printf("== %s\n%s\n", e, errs.Snippets())
		if p != nil {
			x := p.Transitions[0].Guard
			fmt.Println("OK mode", x.Mode, "dep", x.Dep)
		}
	}
}
