package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"scensim/results"
)

// liveChromium finds a headless Chromium on PATH; under CI=true a missing
// one fails the test instead of skipping it.
func liveChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no headless Chromium on PATH, and CI=true requires this test to run; .ci/run installs Debian's chromium")
	}
	t.Skip("no headless Chromium on PATH; .ci/run installs Debian's chromium")
	return ""
}

// startServe starts scensim serve and returns the page's address.
func startServe(t *testing.T, bin string, args ...string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGINT)
		cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	m := regexp.MustCompile(`^live page: (http://127\.0\.0\.1:\d+/\?token=[0-9a-f]{32})\n$`).FindStringSubmatch(line)
	if err != nil || m == nil {
		t.Fatalf("serve printed %q (%v); stderr:\n%s", line, err, stderr.String())
	}
	return m[1], cmd
}

// pageState is the part of the page's JSON (#state-json) the test reads.
type pageState struct {
	Trials int64  `json:"trials"`
	Seed   uint64 `json:"seed"`
	Set    []string
	Rows   []struct {
		Name     string   `json:"name"`
		P        *float64 `json:"p"`
		Lo       *float64 `json:"lo"`
		Hi       *float64 `json:"hi"`
		D        *float64 `json:"d"`
		Material bool     `json:"material"`
	} `json:"rows"`
}

// The live page in a real browser: it loads, a slider moved (through the
// page's own input handler) changes the table and the outcome chart, the
// overlay button writes a file, and scensim run of that file reproduces
// the page's numbers exactly. 8000 trials have a quick pass (10 of 16
// draws), so the full preview is the quick pass continued; sliders moved
// before the previous full preview is shown end on the last value's.
func TestServePageInBrowser(t *testing.T) {
	t.Parallel()
	browser := liveChromium(t)
	bin := needBinary(t)
	dir := t.TempDir()
	scenario := filepath.Join(dir, "toy.yaml")
	writeFileAtomic(t, scenario, liveToy)
	url, _ := startServe(t, bin, scenario, "--trials", "8000", "-j", "1")
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("serve listens on %s, want 127.0.0.1", url)
	}
	dump := func(fragment string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
		defer cancel()
		args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--user-data-dir=" + t.TempDir(), "--virtual-time-budget=15000", "--dump-dom", url + fragment}
		cmd := exec.CommandContext(ctx, browser, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v\n%s", browser, err, stderr.String())
		}
		dom := string(out)
		if !strings.Contains(dom, `data-done="1"`) {
			t.Fatalf("the page did not finish its script (no data-done on <body>):\n%s", dom)
		}
		return dom
	}
	stateOf := func(dom string) pageState {
		t.Helper()
		m := regexp.MustCompile(`(?s)<pre id="state-json" hidden="">(.*?)</pre>`).FindStringSubmatch(dom)
		if m == nil {
			t.Fatalf("no #state-json in the DOM:\n%s", dom)
		}
		var st pageState
		if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &st); err != nil {
			t.Fatal(err)
		}
		return st
	}
	cell := regexp.MustCompile(`<tr id="row-got_b"[^>]*><td>got_b</td><td class="p" data-v="([^"]+)">`)
	bar := regexp.MustCompile(`(?s)<figure id="chart-outcomes">.*?<svg[^>]*>.*?<rect [^>]*data-p="([^"]+)"`)

	before := dump("")
	after := dump("#set=rate:0.25&write=tuned.yaml")
	for name, dom := range map[string]string{"before": before, "after": after} {
		for _, id := range []string{"chart-outcomes", "chart-reached", "chart-distribution"} {
			if !regexp.MustCompile(`(?s)<figure id="` + id + `">.*?<svg`).MatchString(dom) {
				t.Errorf("%s: no <svg> in #%s", name, id)
			}
		}
		if !strings.Contains(dom, `id="slider-rate"`) || !strings.Contains(dom, `id="slider-p_c"`) {
			t.Errorf("%s: no slider for each param with a range", name)
		}
	}
	c0, c1 := cell.FindStringSubmatch(before), cell.FindStringSubmatch(after)
	b0, b1 := bar.FindStringSubmatch(before), bar.FindStringSubmatch(after)
	if c0 == nil || c1 == nil || c0[1] == c1[1] {
		t.Errorf("the table's got_b cell did not change with the slider: %v -> %v", c0, c1)
	}
	if b0 == nil || b1 == nil || b0[1] == b1[1] {
		t.Errorf("the outcome chart's got_b bar did not change with the slider: %v -> %v", b0, b1)
	}
	if !strings.Contains(after, `id="overlay-status">wrote tuned.yaml`) {
		t.Fatalf("the overlay was not written:\n%s", after)
	}
	// The slider snaps 0.25 to its step ((0.3 − 0.02)/200).
	st := stateOf(after)
	if len(st.Set) != 1 || !regexp.MustCompile(`^rate=0\.2[45]\d*$`).MatchString(st.Set[0]) || st.Rows[0].D == nil || !st.Rows[0].Material {
		t.Errorf("the page's state after the slider: %+v", st)
	}

	checkRunReproduces(t, bin, filepath.Join(dir, "tuned.yaml"), st)
	checkOverlayReadable(t, bin, dir)

	rushed := stateOf(dump("#rush=rate:0.1,p_c:0.3,rate:0.15,rate:0.2&write=rushed.yaml"))
	if len(rushed.Set) != 2 || !regexp.MustCompile(`^p_c=0\.3\d*$`).MatchString(rushed.Set[0]) || !regexp.MustCompile(`^rate=0\.(2|19)\d*$`).MatchString(rushed.Set[1]) {
		t.Errorf("after quick moves the page shows %v, want the last values", rushed.Set)
	}
	checkRunReproduces(t, bin, filepath.Join(dir, "rushed.yaml"), rushed)
}

// checkRunReproduces checks that scensim run of an overlay written by the
// page gives the numbers of the page's state st exactly.
func checkRunReproduces(t *testing.T, bin, overlay string, st pageState) {
	t.Helper()
	run := exec.Command(bin, "run", overlay, "--format", "json", "--no-files", "-q")
	out, err := run.Output()
	if err != nil {
		t.Fatalf("scensim run tuned.yaml: %v", err)
	}
	var res results.Result
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	if res.Manifest.Trials != st.Trials || res.Manifest.Seed != st.Seed || len(res.Outcomes) != len(st.Rows) {
		t.Fatalf("run: %d trials, seed %d, %d outcomes; page: %d, %d, %d", res.Manifest.Trials, res.Manifest.Seed, len(res.Outcomes), st.Trials, st.Seed, len(st.Rows))
	}
	for i, o := range res.Outcomes {
		r := st.Rows[i]
		if o.Name != r.Name || r.P == nil || o.Estimate.P != *r.P || o.Estimate.Lo != *r.Lo || o.Estimate.Hi != *r.Hi {
			t.Errorf("%s: run gives %v [%v, %v], the page showed %+v", o.Name, o.Estimate.P, o.Estimate.Lo, o.Estimate.Hi, r)
		}
	}
}

// compare and batch read the overlay as is.
func checkOverlayReadable(t *testing.T, bin, dir string) {
	t.Helper()
	batch := filepath.Join(dir, "b.yaml")
	if err := os.WriteFile(batch, []byte("trials: 1000\nout: "+filepath.Join(dir, "bout")+"\njobs:\n  - scenario: tuned.yaml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"compare", filepath.Join(dir, "toy.yaml"), filepath.Join(dir, "tuned.yaml"), "-n", "1000", "--no-files", "-q"},
		{"batch", batch, "-q", "--no-report"},
	} {
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Errorf("scensim %s of the overlay: %v\n%s", args[0], err, out)
		}
	}
}

// serve exits 130 at once on SIGINT.
func TestServeInterrupt(t *testing.T) {
	t.Parallel()
	bin := needBinary(t)
	dir := t.TempDir()
	scenario := filepath.Join(dir, "toy.yaml")
	writeFileAtomic(t, scenario, liveToy)
	_, cmd := startServe(t, bin, scenario, "--trials", "2000", "-j", "1")
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not end within 30 s of SIGINT")
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != ExitInterrupted {
		t.Fatalf("serve after SIGINT: %v, want exit %d", err, ExitInterrupted)
	}
}
