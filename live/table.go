package live

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// MaterialMark flags a material change in the text table.
const MaterialMark = "<<"

// WriteTable prints the outcome table of a preview with each outcome's
// change from the previous preview: P and its 95% simulation-error
// interval, then the change in points with its 95% interval, "paired" or
// "unpaired", and MaterialMark when the change is material. Outcomes are
// grouped as in the result's headline table (group headers in brackets).
func WriteTable(w io.Writer, changes []Change, minDiff float64) error {
	width := len("outcome")
	for _, c := range changes {
		width = max(width, len(c.Name))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s  %6s  %-14s  %-30s\n", width, "outcome", "P", "95%", "change from previous (95%)")
	group := "\x00"
	for _, c := range changes {
		if c.Group != group {
			group = c.Group
			if group != "" {
				fmt.Fprintf(&b, "[%s]\n", group)
			}
		}
		fmt.Fprintf(&b, "%-*s  %6s  %-14s  %s\n", width, c.Name, pct(c.P), interval(c.Lo, c.Hi), changeText(c))
	}
	fmt.Fprintf(&b, "%s: the change's 95%% interval lies beyond ±%s points\n", MaterialMark, trimFloat(100*minDiff))
	_, err := io.WriteString(w, b.String())
	return err
}

// changeText is the change column of one row.
func changeText(c Change) string {
	switch {
	case math.IsNaN(c.Prev) && math.IsNaN(c.D):
		return "(new)"
	case math.IsNaN(c.D):
		return "(undefined)"
	}
	kind := "unpaired"
	if c.Paired {
		kind = "paired"
	}
	s := fmt.Sprintf("%+.1f pt [%+.1f, %+.1f] %s", 100*c.D, 100*c.DLo, 100*c.DHi, kind)
	if c.Material {
		s += " " + MaterialMark
	}
	return s
}

func pct(p float64) string {
	if math.IsNaN(p) {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100*p)
}

func interval(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return ""
	}
	return fmt.Sprintf("[%.1f, %.1f]", 100*lo, 100*hi)
}

func trimFloat(v float64) string { return FormatValue(v) }
