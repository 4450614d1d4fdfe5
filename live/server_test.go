package live

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func newTestServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	s := &Server{Src: writeToy(t), Settings: Settings{Trials: 2000}, MinDiff: DefaultMinDiff, Token: "0123456789abcdef0123456789abcdef"}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return s, hs
}

func do(t *testing.T, method, u string, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// Every route refuses a request without the token, or with a wrong one.
func TestServerNeedsToken(t *testing.T) {
	s, hs := newTestServer(t)
	routes := []struct{ method, path string }{
		{"GET", "/"}, {"GET", "/api/state"}, {"GET", "/api/version"}, {"GET", "/api/source?path=toy.yaml"},
		{"POST", "/api/overlay?file=x.yaml"}, {"POST", "/api/timing?ms=1"}, {"GET", "/nope"},
	}
	for _, r := range routes {
		sep := "?"
		if strings.Contains(r.path, "?") {
			sep = "&"
		}
		for _, tok := range []string{"", sep + "token=", sep + "token=wrong", sep + "token=" + s.Token[:31]} {
			if code, _ := do(t, r.method, hs.URL+r.path+tok, nil); code != http.StatusForbidden {
				t.Errorf("%s %s%s: %d, want 403", r.method, r.path, tok, code)
			}
		}
		if code, _ := do(t, r.method, hs.URL+r.path, map[string]string{"X-Scensim-Token": "wrong"}); code != http.StatusForbidden {
			t.Errorf("%s %s with a wrong header token: %d, want 403", r.method, r.path, code)
		}
	}
	if _, err := os.Stat(filepath.Join(s.Src.Dir(), "x.yaml")); err == nil {
		t.Error("a request without the token wrote an overlay")
	}
	if code, body := do(t, "GET", hs.URL+"/api/version", map[string]string{"X-Scensim-Token": s.Token}); code != 200 {
		t.Errorf("the header token was refused: %d %s", code, body)
	}
}

// Reads and writes outside the scenario's folder are refused; so is an
// overlay named like the scenario itself.
func TestServerRefusesOutsidePaths(t *testing.T) {
	s, hs := newTestServer(t)
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.yaml"), []byte("secret"), 0o644)
	os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(s.Src.Dir(), "link.yaml"))
	tok := "&token=" + s.Token
	for _, p := range []string{"../secret.yaml", filepath.Join(outside, "secret.yaml"), "link.yaml", "%2e%2e/secret.yaml"} {
		code, body := do(t, "GET", hs.URL+"/api/source?path="+p+tok, nil)
		if code != http.StatusForbidden || strings.Contains(body, "secret\n") || body == "secret" {
			t.Errorf("source %q: %d %q, want 403", p, code, body)
		}
	}
	if code, body := do(t, "GET", hs.URL+"/api/source?path=toy.yaml"+tok, nil); code != 200 || !strings.Contains(body, "name: toy") {
		t.Errorf("source toy.yaml: %d %q", code, body)
	}
	for _, f := range []string{"../out.yaml", url.QueryEscape(filepath.Join(outside, "o.yaml")), "link.yaml", "toy.yaml", "sub/o.yaml", "o.txt"} {
		code, body := do(t, "POST", hs.URL+"/api/overlay?file="+f+tok+"&set=rate=0.2", nil)
		if code != http.StatusForbidden {
			t.Errorf("overlay %q: %d %s, want 403", f, code, body)
		}
	}
	other := filepath.Join(s.Src.Dir(), "other.yaml")
	os.WriteFile(other, []byte("scensim: 1\nname: other\n"), 0o644)
	if code, body := do(t, "POST", hs.URL+"/api/overlay?file=other.yaml"+tok+"&set=rate=0.2", nil); code != http.StatusForbidden {
		t.Errorf("overwriting a file the page did not write: %d %s, want 403", code, body)
	}
	if data, _ := os.ReadFile(other); string(data) != "scensim: 1\nname: other\n" {
		t.Error("a file the page did not write was overwritten")
	}
	for range 2 { // the page may overwrite its own overlay
		if code, body := do(t, "POST", hs.URL+"/api/overlay?file=mine.yaml"+tok+"&set=rate=0.2", nil); code != 200 {
			t.Errorf("writing mine.yaml: %d %s", code, body)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(outside, "secret.yaml")); string(data) != "secret" {
		t.Error("a file outside the folder was overwritten")
	}
	if data, _ := os.ReadFile(s.Src.Path); string(data) != toyScenario {
		t.Error("the scenario file was overwritten")
	}
	if code, body := do(t, "GET", hs.URL+"/api/state?set=nope=1"+tok, nil); code != http.StatusBadRequest || !strings.Contains(body, "no param") {
		t.Errorf("unknown param: %d %s, want 400", code, body)
	}
}

// The page is self-contained: no address of another site, no resource
// loaded from elsewhere.
func TestPageSelfContained(t *testing.T) {
	s, hs := newTestServer(t)
	code, page := do(t, "GET", hs.URL+"/?token="+s.Token, nil)
	if code != 200 || !strings.Contains(page, "<script>") {
		t.Fatalf("page: %d", code)
	}
	if strings.Contains(strings.ToLower(page), "http") {
		t.Error("the page names an http(s) address")
	}
	if m := regexp.MustCompile(`(?i)(src|href)\s*=|@import|url\(`).FindString(page); m != "" {
		t.Errorf("the page loads a resource: %q", m)
	}
}

// The state's rows change when a param moves, and the overlay written
// carries only the moved param.
func TestServerStateAndOverlay(t *testing.T) {
	s, hs := newTestServer(t)
	tok := "&token=" + s.Token
	get := func(q string) State {
		code, body := do(t, "GET", hs.URL+"/api/state?x=1"+q+tok, nil)
		if code != 200 {
			t.Fatalf("state %s: %d %s", q, code, body)
		}
		var st State
		if err := json.Unmarshal([]byte(body), &st); err != nil {
			t.Fatal(err)
		}
		return st
	}
	base, moved := get(""), get("&set=rate=0.25")
	if base.Rows[0].D != 0 || moved.Rows[0].P <= base.Rows[0].P || !moved.Rows[0].Material || len(moved.Set) != 1 {
		t.Errorf("base %+v, moved %+v", base.Rows[0], moved.Rows[0])
	}
	if len(base.DrawP) != 2 || len(base.DrawP[0]) != base.Draws || len(base.Reached) != 3 {
		t.Errorf("chart data: %d outcomes of draws, %d draws, %d reached series", len(base.DrawP), base.Draws, len(base.Reached))
	}
	code, body := do(t, "POST", hs.URL+"/api/overlay?file=mine.yaml&set=rate=0.25"+tok, nil)
	if code != 200 {
		t.Fatalf("overlay: %d %s", code, body)
	}
	data, err := os.ReadFile(filepath.Join(s.Src.Dir(), "mine.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "  rate:\n    value: 0.25\n") || strings.Contains(string(data), "p_c:") || !strings.Contains(string(data), "name: mine\n") {
		t.Errorf("overlay:\n%s", data)
	}
}

// A save of the scenario file shows in the page's state: a new version
// with the file's new values.
func TestServerFollowsSaves(t *testing.T) {
	s, hs := newTestServer(t)
	tok := "&token=" + s.Token
	state := func() State {
		code, body := do(t, "GET", hs.URL+"/api/state?x=1"+tok, nil)
		if code != 200 {
			t.Fatalf("state: %d %s", code, body)
		}
		var st State
		if err := json.Unmarshal([]byte(body), &st); err != nil {
			t.Fatal(err)
		}
		return st
	}
	v1 := state()
	if err := os.WriteFile(s.Src.Path, []byte(strings.Replace(toyScenario, "uniform(0.05, 0.15)", "uniform(0.25, 0.35)", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	changed, err := s.Refresh(t.Context())
	if err != nil || !changed {
		t.Fatalf("Refresh after a save: %v, %v", changed, err)
	}
	v2 := state()
	if v2.Version != v1.Version+1 || !(v2.Rows[0].P > v1.Rows[0].P) || v2.Params[0].Dist != "uniform(0.25, 0.35)" {
		t.Errorf("after the save: version %d -> %d, got_b %v -> %v, rate's dist %q", v1.Version, v2.Version, v1.Rows[0].P, v2.Rows[0].P, v2.Params[0].Dist)
	}
	if changed, _ := s.Refresh(t.Context()); changed {
		t.Error("Refresh without a save saw a change")
	}
	os.WriteFile(s.Src.Path, []byte("scensim: 1\nname: toy\nparams: [\n"), 0o644)
	s.Refresh(t.Context())
	if v3 := state(); v3.Errors == "" || !strings.Contains(v3.Errors, "toy.yaml:") || v3.Rows != nil {
		t.Errorf("a broken save: %+v, want its positioned errors and no rows", v3)
	}
}

// The quick pass is the full preview cut short: its draws are the full
// preview's first draws, count for count.
func TestQuickPassIsPrefix(t *testing.T) {
	s := &Server{Src: writeToy(t), Settings: Settings{Trials: 8000}, MinDiff: DefaultMinDiff, Token: "x"}
	set := []string{"rate=0.2"}
	_, full, _, err := s.Compute(t.Context(), set, false)
	if err != nil || full == nil {
		t.Fatal(err)
	}
	st, quick, _, err := s.Compute(t.Context(), set, true)
	if err != nil || quick == nil {
		t.Fatal(err)
	}
	// 8000 trials: 16 draws of 500; the quick pass: the first 10.
	if !st.Quick || st.FullTrials != 8000 || quick.Tally.Trials != 5000 || quick.Tally.Draws() != 10 || full.Tally.Draws() != 16 {
		t.Fatalf("quick %v of %d: %d trials in %d draws; full %d draws", st.Quick, st.FullTrials, quick.Tally.Trials, quick.Tally.Draws(), full.Tally.Draws())
	}
	no := len(full.Tally.Hits)
	if !reflect.DeepEqual(quick.Tally.DrawHits, full.Tally.DrawHits[:10*no]) || !reflect.DeepEqual(quick.Tally.DrawGiven, full.Tally.DrawGiven[:10*no]) {
		t.Error("the quick pass's draws differ from the full preview's first draws")
	}
	if !st.Rows[0].Paired {
		t.Error("the quick pass is not paired with the file's quick pass")
	}
}

// The page's timings are printed one line per kind; a value that is not a
// non-negative number is refused.
func TestServerLogsTimings(t *testing.T) {
	s, hs := newTestServer(t)
	var log strings.Builder
	s.Log = &log
	tok := "&token=" + s.Token
	if code, body := do(t, "POST", hs.URL+"/api/timing?ms=10,20.25&full=30&render=4.5"+tok, nil); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	want := "page timing, first display (ms from a slider's change): 10.0 20.2\n" +
		"page timing, full preview (ms from a slider's change): 30.0\n" +
		"page timing, rendering of the full preview (ms): 4.5\n"
	if log.String() != want {
		t.Errorf("logged:\n%s\nwant:\n%s", log.String(), want)
	}
	for _, q := range []string{"ms=x", "ms=1&render=-1", "ms=1&full=NaN"} {
		if code, _ := do(t, "POST", hs.URL+"/api/timing?"+q+tok, nil); code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, code)
		}
	}
}

// A change whose full preview the page was served has its stage times
// logged with the page's next timings, once, in the order the stages end;
// a change served again (it was not run again) is not logged twice.
func TestServerLogsChangeStages(t *testing.T) {
	s, hs := newTestServer(t)
	s.Settings.Trials = 8000 // large enough for a quick pass
	var log strings.Builder
	s.Log = &log
	tok := "&token=" + s.Token
	for _, q := range []string{"&quick=1", "", ""} { // the full preview served twice
		if code, body := do(t, "GET", hs.URL+"/api/state?set=rate=0.2"+q+tok, nil); code != 200 {
			t.Fatalf("state %s: %d %s", q, code, body)
		}
	}
	if code, body := do(t, "POST", hs.URL+"/api/timing?ms=1"+tok, nil); code != 200 || body != `{"received":1}` {
		t.Fatalf("%d %s", code, body)
	}
	var names []string
	var at []float64
	for _, line := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		rest, ok := strings.CutPrefix(line, "server timing, ")
		if !ok {
			continue
		}
		name, vals, _ := strings.Cut(rest, " (ms from the change's first request): ")
		fields := strings.Fields(vals)
		if len(fields) != 1 {
			t.Fatalf("%q: want one change's time", line)
		}
		v, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			t.Fatal(err)
		}
		names, at = append(names, name), append(at, v)
	}
	want := []string{"compile done", "quick pass run done", "quick pass result done", "continuation run done", "full preview result done", "full preview asked", "full preview answered"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("stages logged %q, want %q", names, want)
	}
	for i := 1; i < 5; i++ {
		if at[i] < at[i-1] {
			t.Errorf("%s at %.1f ms, before %s at %.1f ms", names[i], at[i], names[i-1], at[i-1])
		}
	}
	if at[1] <= 0 || at[6] < at[4] || at[6] < at[5] {
		t.Errorf("stage times %v: the quick pass run in no time, or the answer before the preview was done or asked", at)
	}
	log.Reset()
	do(t, "POST", hs.URL+"/api/timing?ms=1"+tok, nil)
	if strings.Contains(log.String(), "server timing") {
		t.Errorf("logged again:\n%s", log.String())
	}
}
