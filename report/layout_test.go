package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"scensim/report"
)

// A scenario with headline outcomes (one conditional) and an as_of date,
// and a batch of ten scenarios compared with the first: the summary and
// the comparison charts at the largest size the report has to hold.
const layoutToy = `scensim: 1
name: toy
title: A toy with headline outcomes
as_of: 2025-01-01
time: {start: 2025-01-01, step: week, steps: 20}
dates: {mid: 2025-03-01}
params:
  rate: {value: 0.1, range: [0.05, 0.2], source: [H1]}
tracks:
  t:
    initial: a
    states: [a, b, c]
    transitions:
      - {from: a, to: b, rate: rate, source: [H1]}
      - {from: b, to: c, p: 0.05, source: [H2]}
outcomes:
  got_b: {when: reached(t.b), headline: true, source: [H1]}
  c_given_b: {when: reached(t.c), given: reached(t.b), headline: true, source: [H2]}
  got_c_by_mid: {when: 'reached_by(t.c, mid)', source: [H2]}
run: {trials: 1000, seed: 7}
`

const layoutBatch = `name: layout
title: Ten scenarios
trials: 2000
seed: 5
jobs:
  - scenario: toy.yaml
  - scenario: toy.yaml
    name: r
    grid: {rate: [0.02, 0.04, 0.06, 0.08, 0.12, 0.14, 0.16, 0.18, 0.3]}
compare:
  - name: all
    jobs: [toy, r+rate=0.02, r+rate=0.04, r+rate=0.06, r+rate=0.08, r+rate=0.12, r+rate=0.14, r+rate=0.16, r+rate=0.18, r+rate=0.3]
`

// layoutProbe measures the laid-out page in the browser and writes what
// it found into the body's data-layout attribute, which --dump-dom shows.
// Every <details> is opened first, so that collapsed tables are measured
// too. A table overflows when its box (its scrolling wrapper, if any)
// reaches past the viewport; a chart text is clipped when its box leaves
// its <svg>'s box.
const layoutProbe = `<script>
(function () {
  document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  var W = document.documentElement.clientWidth;
  var out = {width: W, scrollWidth: document.documentElement.scrollWidth, first: "", over: [], clipped: [], texts: 0, tables: 0};
  var s = document.querySelector("main > section");
  out.first = s ? s.id : "";
  document.querySelectorAll("table").forEach(function (t) {
    out.tables++;
    var box = t.closest(".scroll") || t;
    var r = box.getBoundingClientRect();
    if (r.right > W + 0.5 || r.left < -0.5) { out.over.push(t.id + " right=" + r.right); }
  });
  document.querySelectorAll("figure svg").forEach(function (svg) {
    var sr = svg.getBoundingClientRect();
    svg.querySelectorAll("text").forEach(function (t) {
      if (!t.textContent.trim()) { return; }
      out.texts++;
      var r = t.getBoundingClientRect();
      if (r.left < sr.left - 1 || r.right > sr.right + 1 || r.top < sr.top - 1 || r.bottom > sr.bottom + 1) {
        out.clipped.push(svg.closest("figure").id + ": " + t.textContent.trim());
      }
    });
  });
  var box = document.querySelector("input.hide-unchanged");
  if (box) {
    var sec = box.closest("section");
    var visible = function () {
      var n = 0;
      sec.querySelectorAll("table[id^='paired-'] tbody tr").forEach(function (tr) { if (tr.offsetParent !== null) { n++; } });
      return n;
    };
    out.rowsBefore = visible();
    box.checked = true;
    box.dispatchEvent(new Event("change"));
    out.rowsAfter = visible();
    out.rowsSig = sec.querySelectorAll("table[id^='paired-'] tbody tr.sig").length;
  }
  document.body.setAttribute("data-layout", JSON.stringify(out));
})();
</script>
`

// The report in a 1400 px wide headless Chromium: the summary is the first
// section, no table reaches past the viewport (a wide table scrolls in its
// own box), and no chart text, titles included, is clipped; with ten
// scenarios compared. Hiding a comparison's unchanged rows leaves exactly
// its significant ones.
func TestReportLayoutInBrowser(t *testing.T) {
	browser := chromium()
	if browser == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no headless Chromium on PATH, and CI=true requires this test to run; .ci/run installs Debian's chromium")
		}
		t.Skip("no headless Chromium on PATH; .ci/run installs Debian's chromium")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "toy.yaml"), []byte(layoutToy), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "layout.yaml")
	if err := os.WriteFile(path, []byte(layoutBatch), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	r := runTestBatch(t, path, out)
	if len(r.Jobs) != 10 {
		t.Fatalf("%d jobs, want 10", len(r.Jobs))
	}
	r.Generated = "now"
	if _, err := report.Write(out, r); err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(filepath.Join(out, report.HTMLFileName))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(html, []byte("Information as of <strong>2025-01-01</strong>")) {
		t.Error("report.html does not show the as_of date")
	}
	probe := filepath.Join(out, "probe.html")
	if err := os.WriteFile(probe, bytes.Replace(html, []byte("</body>"), []byte(layoutProbe+"</body>"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir="+t.TempDir(), "--window-size=1400,1000", "--dump-dom", "file://"+filepath.ToSlash(probe))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", browser, err, stderr.String())
	}
	m := regexp.MustCompile(`data-layout="([^"]*)"`).FindSubmatch(dom)
	if m == nil {
		t.Fatal("the probe did not run: no data-layout in the DOM")
	}
	var got struct {
		Width, ScrollWidth int
		First              string
		Over, Clipped      []string
		Texts, Tables      int
		RowsBefore         int `json:"rowsBefore"`
		RowsAfter          int `json:"rowsAfter"`
		RowsSig            int `json:"rowsSig"`
	}
	js := strings.NewReplacer("&#34;", `"`, "&quot;", `"`, "&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(string(m[1]))
	if err := json.Unmarshal([]byte(js), &got); err != nil {
		t.Fatalf("probe output %q: %v", js, err)
	}
	t.Logf("viewport %d px, page %d px wide, %d tables, %d chart texts; paired rows %d, %d once unchanged ones are hidden", got.Width, got.ScrollWidth, got.Tables, got.Texts, got.RowsBefore, got.RowsAfter)
	if got.Width < 1350 || got.Width > 1400 {
		t.Errorf("viewport %d px wide, want about 1400", got.Width)
	}
	if got.First != "summary" {
		t.Errorf("first section is %q, want the summary", got.First)
	}
	if got.ScrollWidth > got.Width {
		t.Errorf("the page scrolls sideways: %d px wide in a %d px viewport", got.ScrollWidth, got.Width)
	}
	if len(got.Over) > 0 {
		t.Errorf("tables past the viewport: %v", got.Over)
	}
	if got.Tables < 30 || got.Texts < 100 {
		t.Errorf("measured only %d tables and %d chart texts", got.Tables, got.Texts)
	}
	// Hiding the unchanged rows of the comparison leaves the significant ones.
	if got.RowsAfter != got.RowsSig || got.RowsAfter >= got.RowsBefore {
		t.Errorf("hide unchanged rows: %d rows shown before, %d after, %d significant", got.RowsBefore, got.RowsAfter, got.RowsSig)
	}
	if len(got.Clipped) > 0 {
		t.Errorf("%d clipped chart texts: %v", len(got.Clipped), got.Clipped)
	}
}
