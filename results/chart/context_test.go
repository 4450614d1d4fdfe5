package chart_test

import (
	"context"
	"errors"
	"testing"

	"scensim/results/chart"
)

// A done context stops AllContext before it draws a chart: no charts and
// the context's error.
func TestAllContextStopsWhenDone(t *testing.T) {
	r := fixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	files, err := chart.AllContext(ctx, r, chart.Options{Format: "svg"})
	if !errors.Is(err, context.Canceled) || files != nil {
		t.Fatalf("AllContext with a cancelled context: %d files, %v", len(files), err)
	}
	files, err = chart.AllContext(context.Background(), r, chart.Options{Format: "svg"})
	if err != nil || len(files) == 0 {
		t.Fatalf("AllContext with a live context: %d files, %v", len(files), err)
	}
}
