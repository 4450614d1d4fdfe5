package chart

import (
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// The labels of DateLines never overlap, and no line runs through another
// date's label, for dense dates at the widths charts are drawn at.
func TestDateLinesLayout(t *testing.T) {
	// The baseline's named dates, as days since 2025-03-19.
	xs := []float64{7, 21, 32, 42, 46, 74, 81, 109, 182}
	labels := []string{"one_week", "three_weeks", "deadline_run_in", "end_of_april", "summer_minus_4w",
		"summer", "summer_plus_1w", "summer_plus_5w", "six_months_left"}
	p := plot.New()
	p.X.Min, p.X.Max = 0, 364
	d := NewDateLines(xs, labels)
	for _, width := range []vg.Length{5 * vg.Inch, 7 * vg.Inch, 10 * vg.Inch, 30 * vg.Inch} {
		d.Fit(p, width)
		if d.Rows() < 1 || d.Rows() > len(xs) {
			t.Fatalf("width %v: %d rows", width, d.Rows())
		}
		type extent struct{ lo, hi, x vg.Length }
		ext := make([]extent, len(xs))
		for i := range xs {
			x := vg.Length(p.X.Norm(xs[i])) * width
			w := d.TextStyle.Width(labels[i])
			ext[i] = extent{x + vg.Points(3), x + vg.Points(3) + w, x}
			if d.flip[i] {
				ext[i] = extent{x - vg.Points(3) - w, x - vg.Points(3), x}
			}
			if ext[i].hi > width+1e-9 {
				t.Errorf("width %v: label %s ends right of the data area", width, labels[i])
			}
		}
		for i := range xs {
			for j := range xs {
				if i == j {
					continue
				}
				a, b := ext[i], ext[j]
				if d.row[i] == d.row[j] && a.lo < b.hi && b.lo < a.hi {
					t.Errorf("width %v: labels %s and %s overlap in row %d", width, labels[i], labels[j], d.row[i])
				}
				if d.row[j] > d.row[i] && b.x >= a.lo && b.x <= a.hi {
					t.Errorf("width %v: the line of %s runs through the label %s", width, labels[j], labels[i])
				}
			}
		}
	}
	// At 10 inches the labels fit in a staircase no higher than the dates.
	d.Fit(p, 10*vg.Inch)
	if d.Rows() > 8 {
		t.Errorf("10 in: %d rows", d.Rows())
	}
}

// A stacked area's tops are the running sums of its layers.
func TestStackedAreaTops(t *testing.T) {
	s, err := NewStackedArea([]float64{0, 1}, [][]float64{{0.2, 0.5}, {0.3, 0.25}, {0.5, 0.25}})
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range []float64{1, 1} {
		if got := s.Tops[2][k]; got != want {
			t.Errorf("top at %d = %v, want %v", k, got, want)
		}
	}
	if _, err := NewStackedArea([]float64{0, 1}, [][]float64{{0.2}}); err == nil {
		t.Error("a short layer was accepted")
	}
	if _, err := NewStackedArea([]float64{0}, [][]float64{{-1}}); err == nil {
		t.Error("a negative layer was accepted")
	}
	if _, err := NewBand([]float64{0}, []float64{0.5}, []float64{0.4}, nil); err == nil {
		t.Error("a band with lo > hi was accepted")
	}
}
