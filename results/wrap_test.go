package results

import (
	"strings"
	"testing"
)

func TestWrapText(t *testing.T) {
	for _, c := range []struct {
		s     string
		width int
		want  []string
	}{
		{"short", 10, []string{"short"}},
		{"a b c d e f", 3, []string{"a b", "c d", "e f"}},
		{"0.5 * linkage_boost + max(0, pressure - 0.1)", 16, []string{"0.5 *", "linkage_boost +", "max(0, pressure", "- 0.1)"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
	} {
		got := wrapText(c.s, c.width)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrapText(%q, %d) = %q, want %q", c.s, c.width, got, c.want)
		}
		for _, l := range got {
			if len([]rune(l)) > c.width {
				t.Errorf("line %q longer than %d", l, c.width)
			}
		}
	}
	// An assumption longer than the column is wrapped, never cut.
	long := strings.Repeat("term + ", 20) + "end"
	tb := &table{}
	tb.addWrapped(30, "param x", long, "-")
	var b strings.Builder
	tb.write(&b)
	joined := ""
	for _, row := range tb.rows {
		joined += row[1] + " "
	}
	if strings.TrimSpace(joined) != long || strings.Contains(b.String(), "…") || len(tb.rows) < 5 {
		t.Errorf("wrapped rows %q lose text:\n%s", tb.rows, b.String())
	}
}
