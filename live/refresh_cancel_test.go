package live

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"
	"time"
)

// TestCancelledRefreshBuildsAgain checks that a request stopped while the
// saved files' own values run leaves the next request to build them again.
func TestCancelledRefreshBuildsAgain(t *testing.T) {
	s := &Server{Src: writeToy(t), Settings: Settings{Trials: 2000}, MinDiff: DefaultMinDiff}
	st, _, _, err := s.Compute(context.Background(), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("v%d title %q", st.Version, st.Title)
	time.Sleep(20 * time.Millisecond)
	src := strings.Replace(toyScenario, "title: A toy for live tests", "title: Saved again", 1)
	if err := os.WriteFile(s.Src.Path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the page aborted its request (fullRequest.abort()) right after the save
	_, _, _, err = s.Compute(ctx, []string{"rate=0.2"}, false)
	t.Logf("aborted request: %v", err)
	st, _, _, err = s.Compute(context.Background(), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("after: v%d title %q", st.Version, st.Title)
	if st.Title != "Saved again" {
		t.Errorf("version %d shows the title %q of the files before the save", st.Version, st.Title)
	}
}

// TestCancelledRefreshComparesWithSavedFiles checks that after such a
// stopped request, a change is compared with the saved files' own values,
// as a fresh server compares it.
func TestCancelledRefreshComparesWithSavedFiles(t *testing.T) {
	s := &Server{Src: writeToy(t), Settings: Settings{Trials: 2000}, MinDiff: DefaultMinDiff}
	if _, _, _, err := s.Compute(context.Background(), nil, false); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	// The save doubles the chance of b -> c.
	src := strings.Replace(toyScenario, "p: p_c,", "p: 2 * p_c,", 1)
	if err := os.WriteFile(s.Src.Path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, _, _ = s.Compute(ctx, []string{"rate=0.2"}, false) // stopped: its error is the context's
	// Ask for the file's own value of rate: the answer should show no change.
	st, _, _, err := s.Compute(context.Background(), []string{"rate=0.1"}, false)
	if err != nil {
		t.Fatal(err)
	}
	fresh := &Server{Src: s.Src, Settings: Settings{Trials: 2000}, MinDiff: DefaultMinDiff}
	want, _, _, err := fresh.Compute(context.Background(), []string{"rate=0.1"}, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range st.Rows {
		w := want.Rows[i]
		t.Logf("%s: stale server prev %.3f now %.3f d %+.3f; fresh server prev %.3f now %.3f d %+.3f", r.Name, r.Prev, r.P, r.D, w.Prev, w.P, w.D)
		if math.Abs(r.D-w.D) > 1e-9 {
			t.Errorf("%s: the change shown differs from a fresh server's on the same files", r.Name)
		}
	}
}
