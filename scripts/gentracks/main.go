// Command gentracks writes a synthetic scenario of N tracks to stdout, for
// measuring how the engine's cost grows with the size of a model. Each
// track has 10 states in a cycle (s0 → s1 → … → s9 → s0, so no track is
// ever absorbed and every trial walks every step); every third track's
// move out of s4 waits for the next track to be in s5 to s9, and every
// fifth track's move out of s2 is likelier while the previous track is in
// s0: transitions that read other tracks' states.
//
// Usage: go run ./scripts/gentracks N > sim/testdata/tracks-N.yaml
//
// sim/testdata holds the outputs for 10, 50 and 200 tracks, which
// BenchmarkTrackSteps (sim) runs.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// scenario returns the scenario of n tracks.
func scenario(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "scensim: 1\nname: tracks_%d\ntitle: %d synthetic tracks of 10 states\n", n, n)
	b.WriteString("time: {start: 2025-01-01, step: week, steps: 52}\ntracks:\n")
	for i := range n {
		fmt.Fprintf(&b, "  t%d:\n    initial: s0\n    states: [s0, s1, s2, s3, s4, s5, s6, s7, s8, s9]\n    transitions:\n", i)
		for s := range 10 {
			to := (s + 1) % 10
			p := fmt.Sprintf("%.2f", 0.10+0.01*float64((i+s)%7))
			switch {
			case s == 4 && i%3 == 0 && n > 1:
				next := (i + 1) % n
				fmt.Fprintf(&b, "      - {from: s%d, to: s%d, p: %s, when: \"t%d in [\\\"s5\\\", \\\"s6\\\", \\\"s7\\\", \\\"s8\\\", \\\"s9\\\"]\"}\n", s, to, p, next)
			case s == 2 && i%5 == 0 && n > 1:
				prev := (i + n - 1) % n
				fmt.Fprintf(&b, "      - {from: s%d, to: s%d, p: \"t%d.s0 ? 0.3 : %s\"}\n", s, to, prev, p)
			default:
				fmt.Fprintf(&b, "      - {from: s%d, to: s%d, p: %s}\n", s, to, p)
			}
		}
	}
	b.WriteString("outcomes:\n  first_round: reached(t0.s9)\n")
	if n > 1 {
		fmt.Fprintf(&b, "  last_round: reached(t%d.s9)\n", n-1)
	}
	return b.String()
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gentracks N (the number of tracks, 1 to 10000)")
		os.Exit(2)
	}
	n, err := strconv.Atoi(os.Args[1])
	if err != nil || n < 1 || n > 10000 {
		fmt.Fprintf(os.Stderr, "gentracks: %q is not a number of tracks from 1 to 10000\n", os.Args[1])
		os.Exit(2)
	}
	fmt.Print(scenario(n))
}
