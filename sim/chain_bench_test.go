package sim

import (
	"testing"

	"scensim/model"
)

// BenchmarkTrialChain measures one worker's trials of a plain absorbing
// 4-state chain (scripts/chainlimit runs the same chain against a
// hand-written program): one op is one trial.
func BenchmarkTrialChain(b *testing.B) {
	src := `
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
	p, errs := model.Compile("chain.yaml", []byte(src), nil)
	if p == nil {
		b.Fatal(errs.Snippets())
	}
	r := newRunner(p, 1)
	t := newTallyFor(p, Params{}, 0, 1)
	b.ReportAllocs()
	i := int64(0)
	for b.Loop() {
		if err := r.trial(i, t, nil); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
