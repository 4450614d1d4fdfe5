package comparechart

import (
	"context"
	"errors"
	"testing"
)

// A done context stops AllContext between its charts: no charts and the
// context's error.
func TestAllContextStopsWhenDone(t *testing.T) {
	c := fixture()
	if len(c.Scenarios) < 2 {
		t.Fatal("the fixture compares fewer than two scenarios")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	files, err := AllContext(ctx, c, "svg")
	if !errors.Is(err, context.Canceled) || files != nil {
		t.Fatalf("AllContext with a cancelled context: %d files, %v", len(files), err)
	}
}
