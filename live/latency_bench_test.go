//go:build unix

package live

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// processCPU is the CPU time (user and system) the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSliderChange drives the page's API as the page does for one
// slider change of the baseline scenario: the quick pass, then the full
// preview, each a GET /api/state with the moved param set. Every
// iteration moves the first slider to a new value (20 values, as the
// latency script does), so no compiled plan or run is reused across
// changes unless the server reuses it by design. It reports the process's
// CPU time per change (cpu-ms/change), steadier than the wall time on a
// shared machine.
func BenchmarkSliderChange(b *testing.B) {
	src := Source{Path: filepath.Join("..", "scenarios", "baseline.yaml"), Resolve: dirResolver}
	s := &Server{Src: src, MinDiff: DefaultMinDiff, Token: "0123456789abcdef0123456789abcdef"}
	h := s.Handler()
	get := func(query string) {
		req := httptest.NewRequest("GET", "/api/state?token="+s.Token+query, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", query, rec.Code, rec.Body.String())
		}
	}
	get("&quick=1") // the page's first load
	b.ResetTimer()
	c0 := processCPU()
	for i := range b.N {
		v := 0.02 * (float64((i*7)%20) + 0.5) / 20
		set := fmt.Sprintf("&set=snap_ceasefire_rate=%g", v)
		get(set + "&quick=1")
		get(set)
	}
	b.ReportMetric(float64((processCPU()-c0).Microseconds())/1000/float64(b.N), "cpu-ms/change")
}
