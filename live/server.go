package live

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"scensim/internal/fsread"
	"scensim/model"
)

// Server serves the live page of one scenario. Every request must carry
// the session's token (?token=T, or the header X-Scensim-Token); the page
// passes it on to its API calls. It reads and writes only files in the
// scenario's folder.
type Server struct {
	Src      Source
	Settings Settings
	MinDiff  float64
	Token    string
	// Now gives the date written in overlays (time.Now if nil).
	Now func() time.Time
	// Log receives the page's own timings (POST /api/timing), one line
	// each; nil drops them.
	Log io.Writer

	mu      sync.Mutex        // guards the fields below; serialises the builds of base
	fp      map[string]string // fingerprint of the files the base was built from
	files   []string
	version int      // counts the versions of the files seen
	base    *Preview // the file's own values, nil when it does not compile
	quick   *Preview // the quick pass of base (see QuickSettings), nil if none
	// change is the latest set of param values asked for, its previews
	// run (or under way) outside mu; asking for other values cancels it.
	change *change
	recent []*change // finished changes of this version before it, oldest first
	plan   *model.Plan
	errs   string // the positioned errors of the current version
	// timings are the stage times of the changes whose full preview was
	// served since the page last posted its timings.
	timings []changeTiming
}

// changeTiming is where the wall time of one change went on the server:
// the end of each stage, the arrival of the page's request for the full
// preview and the end of its answer (JSON written), all measured from
// the page's first request for the change.
type changeTiming struct {
	marks           [numStages]time.Duration
	asked, answered time.Duration
}

// maxTimings bounds the timings a server keeps between two posts.
const maxTimings = 1000

// NewToken returns a random token of 128 bits, hex-encoded.
func NewToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// Handler returns the server's routes, each behind the token check.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.page)
	mux.HandleFunc("GET /api/state", s.state)
	mux.HandleFunc("GET /api/version", s.versionInfo)
	mux.HandleFunc("GET /api/source", s.source)
	mux.HandleFunc("POST /api/overlay", s.overlay)
	mux.HandleFunc("POST /api/timing", s.timing)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.URL.Query().Get("token")
		if h := r.Header.Get("X-Scensim-Token"); h != "" {
			got = h
		}
		if s.Token == "" || subtle.ConstantTimeCompare([]byte(got), []byte(s.Token)) != 1 {
			http.Error(w, "forbidden: this page needs the token printed by scensim", http.StatusForbidden)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:")
		mux.ServeHTTP(w, r)
	})
}

// Refresh rebuilds the base preview (the file's own values) if the files
// changed since the last build; it reports whether they did.
func (s *Server) Refresh(ctx context.Context) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshLocked(ctx)
}

func (s *Server) refreshLocked(ctx context.Context) (bool, error) {
	if s.files == nil {
		s.files = []string{s.Src.Path}
	}
	fp := Fingerprint(s.files)
	if s.version > 0 && maps.Equal(fp, s.fp) {
		return false, nil
	}
	s.version++
	s.fp = fp
	if s.change != nil { // its previews are of the files before
		s.change.cancel()
		s.change = nil
	}
	s.recent = nil
	plan, errs := s.Src.Compile(nil)
	if plan == nil {
		s.errs, s.base, s.plan = errs.Snippets(), nil, nil
		return true, nil
	}
	s.files = Files(plan)
	s.fp = PlanFingerprint(plan)
	quick, pv, err := runBoth(ctx, plan, s.Settings)
	if err != nil {
		if ctx.Err() != nil {
			// Stopped before the files' own values were run: forget the
			// fingerprint, so that the next request builds them again
			// rather than comparing with the files before the save.
			s.fp = nil
			return true, ctx.Err()
		}
		s.errs, s.base, s.plan, s.quick = err.Error(), nil, nil, nil
		return true, nil
	}
	s.errs, s.base, s.plan, s.quick = "", pv, plan, quick
	return true, nil
}

// runBoth runs the preview of p under st and, when it has one, its quick
// pass (nil otherwise), the full preview continued from the quick pass.
func runBoth(ctx context.Context, p *model.Plan, st Settings) (quick, full *Preview, err error) {
	qs, ok := QuickSettings(p, st)
	if !ok {
		full, err = Run(ctx, p, st)
		return nil, full, err
	}
	if quick, err = Run(ctx, p, qs); err != nil {
		return nil, nil, err
	}
	if full, err = Extend(ctx, quick, st); err != nil {
		return nil, nil, err
	}
	return quick, full, nil
}

// WatchFiles refreshes the base every poll until ctx ends, so that a save
// in an editor shows on the page (which polls /api/version).
func (s *Server) WatchFiles(ctx context.Context, poll time.Duration) {
	if poll <= 0 {
		poll = DefaultPoll
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.Refresh(ctx)
		}
	}
}

// State is what the page shows: the scenario's params, the outcome table
// with each row's change from the file's own values, and the data of the
// charts.
type State struct {
	Scenario string `json:"scenario"`
	// Quick marks the quick pass: the first trials of the preview only
	// (Trials of FullTrials), shown while the full preview runs.
	Quick      bool        `json:"quick"`
	FullTrials int64       `json:"full_trials"`
	Title      string      `json:"title"`
	File       string      `json:"file"`
	Version    int         `json:"version"`
	Errors     string      `json:"errors,omitempty"`
	Run        string      `json:"run"` // trials, seed and draws in words
	Trials     int64       `json:"trials"`
	Seed       uint64      `json:"seed"`
	Draws      int         `json:"draws"`
	Params     []ParamInfo `json:"params"`
	Set        []string    `json:"set"` // the params the request set, as name=value
	Rows       []Change    `json:"rows"`
	Reached    []Series    `json:"reached"`
	// DrawP holds, per outcome (in Rows order), P(outcome | params) in
	// each draw of a nested run (empty for a flat run).
	DrawP     [][]float64 `json:"draw_p"`
	ElapsedMS float64     `json:"elapsed_ms"` // the server's time for this state
}

// ParamInfo is one param of the scenario as the file sets it.
type ParamInfo struct {
	Name     string  `json:"name"`
	Value    float64 `json:"value"`
	Dist     string  `json:"dist,omitempty"`
	HasRange bool    `json:"has_range"`
	Lo       float64 `json:"lo"`
	Hi       float64 `json:"hi"`
}

// Series is the share of trials that reached a state by each date.
type Series struct {
	State string    `json:"state"`
	Dates []string  `json:"dates"`
	P     []float64 `json:"p"`
}

// ParseSet reads name=value pairs (the page's set= parameters) against
// plan: every name must be a param and every value a finite number.
func ParseSet(plan *model.Plan, pairs []string) (map[string]float64, error) {
	set := map[string]float64{}
	for _, kv := range pairs {
		name, val, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("set %q: want name=value", kv)
		}
		known := false
		for _, par := range plan.Params {
			known = known || par.Name == name
		}
		if !known {
			return nil, fmt.Errorf("set %q: the scenario has no param %q", kv, name)
		}
		v, err := strconv.ParseFloat(val, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("set %q: a param's value must be a finite number", kv)
		}
		set[name] = v
	}
	return set, nil
}

// Compute returns the page's state for the params of set: of the full
// preview, or with quick of its quick pass (QuickSettings) when there is
// one. It returns ErrSuperseded if other values were asked for before
// this preview was done (its run was stopped).
func (s *Server) Compute(ctx context.Context, pairs []string, quick bool) (*State, *Preview, map[string]float64, error) {
	c, err := s.compute(ctx, pairs, quick)
	return c.state, c.pv, c.set, err
}

// computed is a state with what it was made from.
type computed struct {
	state *State
	pv    *Preview // nil when the scenario does not compile or run
	set   map[string]float64
	file  *model.Plan // the file's own plan of the version shown
	files []string    // and its files
	ch    *change     // the change shown, nil for the file's own values
	asked time.Time   // when the request arrived
}

// compute is Compute; it also returns the file's plan and files of the
// version the state is of. The lock is held only to read the current
// version and to start or find the change's runs, not while they run.
func (s *Server) compute(ctx context.Context, pairs []string, quick bool) (computed, error) {
	started := time.Now()
	s.mu.Lock()
	if _, err := s.refreshLocked(ctx); err != nil {
		s.mu.Unlock()
		return computed{}, err
	}
	st := &State{File: s.Src.Path, Version: s.version, Errors: s.errs}
	out := computed{state: st, file: s.plan, files: s.files, asked: started}
	if s.base == nil {
		s.mu.Unlock()
		return out, nil
	}
	set, err := ParseSet(s.plan, pairs)
	if err != nil {
		s.mu.Unlock()
		return computed{}, err
	}
	out.set = set
	base := s.base
	st.FullTrials = s.base.Tally.Trials
	if quick && s.quick != nil {
		base, st.Quick = s.quick, true
	}
	var ch *change
	if len(set) > 0 {
		key := fmt.Sprint(s.version, sortedPairs(set))
		if s.change == nil || s.change.key != key {
			s.change = s.changeFor(key, set)
		}
		ch = s.change
	} else {
		s.retireChange() // the file's own values: the latest change is not wanted now
	}
	s.mu.Unlock()
	cur := base
	if ch != nil {
		pv, err := ch.wait(ctx, st.Quick)
		switch {
		case errors.Is(err, ErrSuperseded) || ctx.Err() != nil:
			if err == nil {
				err = ctx.Err()
			}
			return computed{}, err
		case ch.errs != "":
			st.Errors = ch.errs
			return out, nil
		case err != nil:
			st.Errors = err.Error()
			return out, nil
		}
		cur = pv
	}
	out.ch = ch
	fillState(st, out.file, cur, Diff(base, cur, s.MinDiff))
	st.Set = sortedPairs(set)
	st.ElapsedMS = float64(time.Since(started).Microseconds()) / 1000
	out.pv = cur
	return out, nil
}

// changeFor returns the change of key, which replaces the latest: a
// recent one if it is kept, else a new one, started. The latest is stopped
// unless it finished, in which case it is kept among the recent ones.
// s.mu must be held.
func (s *Server) changeFor(key string, set map[string]float64) *change {
	s.retireChange()
	for i, c := range s.recent {
		if c.key == key {
			s.recent = slices.Delete(s.recent, i, i+1)
			return c
		}
	}
	return startChange(context.Background(), s.Src, key, set, s.plan, s.Settings)
}

// retireChange stops the latest change, or keeps it among the recent ones
// if it finished; there is then no latest change. s.mu must be held.
func (s *Server) retireChange() {
	old := s.change
	if old == nil {
		return
	}
	s.change = nil
	old.cancel() // nothing to stop if it finished
	if !old.finished() {
		return
	}
	s.recent = append(s.recent, old)
	var tables int64
	for _, c := range s.recent {
		tables += c.tables
	}
	for len(s.recent) > recentChanges || (len(s.recent) > 0 && tables > recentTables) {
		tables -= s.recent[0].tables
		s.recent = slices.Delete(s.recent, 0, 1)
	}
}

// sortedPairs writes set as name=value pairs in name order.
func sortedPairs(set map[string]float64) []string {
	var out []string
	for _, n := range sortedKeys(set) {
		out = append(out, n+"="+FormatValue(set[n]))
	}
	return out
}

func fillState(st *State, file *model.Plan, pv *Preview, rows []Change) {
	st.Scenario, st.Title = file.Name, file.Title
	st.Run, st.Trials, st.Seed, st.Draws = describe(pv), pv.Tally.Trials, pv.Seed, pv.Tally.Draws()
	for _, par := range file.Params {
		pi := ParamInfo{Name: par.Name, Value: par.Value, HasRange: par.HasRange, Lo: par.Lo, Hi: par.Hi}
		if par.Dist != nil {
			pi.Dist = par.Dist.Src
		}
		st.Params = append(st.Params, pi)
	}
	st.Rows = rows
	for _, r := range pv.Result.Reached {
		se := Series{State: r.Track + "." + r.State}
		for _, at := range append(r.By, r.Horizon) {
			se.Dates = append(se.Dates, at.Name)
			se.P = append(se.P, at.Reached.P)
		}
		st.Reached = append(st.Reached, se)
	}
	t := pv.Tally
	no := len(t.Hits)
	for o := range no {
		var ps []float64
		for k := range t.DrawTrials {
			if g := t.DrawGiven[k*no+o]; g > 0 {
				ps = append(ps, float64(t.DrawHits[k*no+o])/float64(g))
			}
		}
		st.DrawP = append(st.DrawP, ps)
	}
}

func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(pageHTML)
}

func (s *Server) state(w http.ResponseWriter, r *http.Request) {
	c, err := s.compute(r.Context(), r.URL.Query()["set"], r.URL.Query().Get("quick") == "1")
	if errors.Is(err, ErrSuperseded) {
		writeJSONError(w, http.StatusConflict, err)
		return
	}
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, c.state)
	if ch := c.ch; ch != nil && !c.state.Quick && c.pv != nil {
		s.recordTiming(ch, c.asked)
	}
}

// recordTiming keeps the stage times of ch, whose full preview was just
// served at the request that arrived at asked; only the first serving of
// a change counts (a change shown again was not run again).
func (s *Server) recordTiming(ch *change, asked time.Time) {
	answered := time.Since(ch.started)
	s.mu.Lock()
	defer s.mu.Unlock()
	if ch.timed || len(s.timings) >= maxTimings {
		return
	}
	ch.timed = true
	s.timings = append(s.timings, changeTiming{marks: ch.marks, asked: asked.Sub(ch.started), answered: answered})
}

func (s *Server) versionInfo(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	v := s.version
	s.mu.Unlock()
	writeJSON(w, map[string]int{"version": v})
}

// source returns the text of a file in the scenario's folder (?path=).
func (s *Server) source(w http.ResponseWriter, r *http.Request) {
	path, err := InsideDir(s.Src.Dir(), r.URL.Query().Get("path"))
	if err != nil {
		writeJSONError(w, http.StatusForbidden, err)
		return
	}
	data, err := fsread.ReadFile(path, model.MaxFileBytes, "scenario files")
	if err != nil {
		writeJSONError(w, http.StatusNotFound, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(data)
}

// timing logs the page's measured latencies: ?ms=a,b,c are the
// milliseconds from a slider's change to the page first showing its result
// (the quick pass), ?full= those to the full preview shown, ?render= the
// milliseconds of those the page spent rendering the full preview. It
// then logs the server's own stage times of the changes it served since
// the last post (see changeTiming), one "server timing" line per stage.
func (s *Server) timing(w http.ResponseWriter, r *http.Request) {
	lines := []struct{ key, what string }{
		{"ms", "first display (ms from a slider's change)"},
		{"full", "full preview (ms from a slider's change)"},
		{"render", "rendering of the full preview (ms)"},
	}
	var out []string
	for _, l := range lines {
		raw := r.URL.Query().Get(l.key)
		if raw == "" && l.key != "ms" {
			continue
		}
		var parts []string
		for _, f := range strings.Split(raw, ",") {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				writeJSONError(w, http.StatusBadRequest, fmt.Errorf("%s: want milliseconds separated by commas", l.key))
				return
			}
			parts = append(parts, strconv.FormatFloat(v, 'f', 1, 64))
		}
		out = append(out, fmt.Sprintf("page timing, %s: %s\n", l.what, strings.Join(parts, " ")))
	}
	received := len(out)
	s.mu.Lock()
	timings := s.timings
	s.timings = nil
	s.mu.Unlock()
	out = append(out, serverTimingLines(timings)...)
	if s.Log != nil {
		for _, line := range out {
			io.WriteString(s.Log, line)
		}
	}
	writeJSON(w, map[string]int{"received": received})
}

// serverTimingLines writes, per stage, the milliseconds from each
// change's first request to the stage's end, one line per stage, in the
// form of the page's timing lines.
func serverTimingLines(ts []changeTiming) []string {
	if len(ts) == 0 {
		return nil
	}
	var out []string
	line := func(what string, at func(changeTiming) time.Duration) {
		var parts []string
		for _, t := range ts {
			parts = append(parts, strconv.FormatFloat(float64(at(t).Microseconds())/1000, 'f', 1, 64))
		}
		out = append(out, fmt.Sprintf("server timing, %s (ms from the change's first request): %s\n", what, strings.Join(parts, " ")))
	}
	for i, name := range stageNames {
		line(name+" done", func(t changeTiming) time.Duration { return t.marks[i] })
	}
	line("full preview asked", func(t changeTiming) time.Duration { return t.asked })
	line("full preview answered", func(t changeTiming) time.Duration { return t.answered })
	return out
}

// OverlayReply is the answer to a write of the overlay.
type OverlayReply struct {
	File    string `json:"file"` // the name written, in the scenario's folder
	Content string `json:"content"`
	State   *State `json:"state"` // the numbers the overlay reproduces
}

// overlay writes the params of set= as an overlay (?file=NAME.yaml).
func (s *Server) overlay(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	name := q.Get("file")
	if err := CheckOverlayName(name); err != nil {
		writeJSONError(w, http.StatusForbidden, err)
		return
	}
	path, err := InsideDir(s.Src.Dir(), name)
	if err != nil {
		writeJSONError(w, http.StatusForbidden, err)
		return
	}
	// The file's plan and files are those of the version the preview is
	// of, so that a save meanwhile cannot mix two versions.
	c, err := s.compute(r.Context(), q["set"], false)
	st, pv, set, file, files := c.state, c.pv, c.set, c.file, c.files
	if err != nil || pv == nil {
		if err == nil {
			err = errors.New("the scenario does not compile or run; nothing written")
		}
		writeJSONError(w, http.StatusBadRequest, err)
		return
	}
	for _, f := range files {
		if same, _ := sameFile(f, path); same {
			writeJSONError(w, http.StatusForbidden, fmt.Errorf("%s is a file of the scenario itself; choose another name", name))
			return
		}
	}
	if data, err := os.ReadFile(path); err == nil && !strings.HasPrefix(string(data), overlayMark) {
		writeJSONError(w, http.StatusForbidden, fmt.Errorf("%s exists and was not written by this page; choose another name", name))
		return
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	text := OverlayYAML(s.Src, file, pv, set, OverlayScenarioName(name), now())
	if err := writeAtomic(path, []byte(text)); err != nil {
		writeJSONError(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, OverlayReply{File: name, Content: text, State: st})
}

// sameFile reports whether a and b are the same existing file.
func sameFile(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	data, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Write(data)
}

func writeJSONError(w http.ResponseWriter, code int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	data, _ := json.Marshal(map[string]string{"error": err.Error()})
	w.Write(data)
}
