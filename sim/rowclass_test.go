package sim_test

import (
	"slices"
	"testing"

	"scensim/sim"
)

func TestStepClasses(t *testing.T) {
	for _, c := range []struct {
		days    []float64
		class   []int32
		classes int
	}{
		{nil, []int32{}, 1},
		{[]float64{7, 7, 7}, []int32{0, 0, 0}, 1},
		{[]float64{7, 1, 6, 7, 1, 6, 3.5}, []int32{0, 1, 2, 0, 1, 2, 3}, 4},
		// More lengths than classes: the ninth and later share the last class.
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1}, []int32{0, 1, 2, 3, 4, 5, 6, 7, 7, 7, 0}, 8},
	} {
		class, classes := sim.StepClasses(c.days)
		if !slices.Equal(class, c.class) || classes != c.classes {
			t.Errorf("stepClasses(%v) = %v, %d; want %v, %d", c.days, class, classes, c.class, c.classes)
		}
	}
}

// TestTrialRowsFilledOncePerLength counts the per-trial rows the baseline
// fills: trials that share their params (fixed params, or the trials of a
// nested run's draw) fill each row at most once per step length, however
// often the calendar grid alternates full and split steps.
func TestTrialRowsFilledOncePerLength(t *testing.T) {
	p := baselinePlan(t)
	_, classes := sim.StepClasses(p.StepDays)
	if classes < 2 {
		t.Fatalf("the baseline's grid has %d step length(s); the test needs split steps", classes)
	}
	rows := 0
	for g := range p.States {
		if tbl := p.Kernel.State(g); tbl != nil {
			rows += tbl.TrialRows()
		}
	}
	if rows == 0 {
		t.Fatal("the baseline has no per-trial rows")
	}
	bound := int64(rows * classes) // fills per set of param values
	const trials = 400
	for _, c := range []struct {
		name string
		ps   sim.Params
		sets int64 // distinct sets of param values
	}{
		{"fixed", sim.Params{Fixed: true}, 1},
		{"nested", sim.Params{PerDraw: 100}, trials / 100},
	} {
		w, err := sim.WorkWith(p, 1, trials, c.ps)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d rows filled in %d trials (bound %d = %d sets × %d rows × %d lengths)", c.name, w.Fills, trials, c.sets*bound, c.sets, rows, classes)
		if w.Fills == 0 || w.Fills > c.sets*bound {
			t.Errorf("%s: %d rows filled, want 1 to %d", c.name, w.Fills, c.sets*bound)
		}
	}
}
