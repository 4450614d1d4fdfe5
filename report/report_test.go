package report_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"scensim/batch"
	"scensim/model"
	"scensim/report"
	"scensim/results"
	"scensim/sim"
)

var screenshot = flag.String("screenshot", "", "where TestReportInBrowser saves its screenshot (default: a temporary folder)")

const batchText = `name: test
title: A test batch
trials: 2000
seed: 5
jobs:
  - scenario: toy.yaml
  - scenario: toy.yaml
    name: grid
    grid: {rate: [0.05, 0.3]}
compare:
  - [toy, grid+rate=0.05, grid+rate=0.3]
`

func compile(source string, sets []string) (*model.Plan, error) {
	data, err := os.ReadFile(source)
	if err != nil {
		return nil, err
	}
	var ovs []model.Override
	for _, s := range sets {
		o, err := model.ParseOverride(s)
		if err != nil {
			return nil, err
		}
		ovs = append(ovs, o)
	}
	p, errs := model.CompileWith(source, data, model.Options{Overrides: ovs})
	if p == nil {
		return nil, errs
	}
	return p, nil
}

// writeTestBatch writes batchText with the toy scenario beside it and
// returns the batch file's path.
func writeTestBatch(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	toy, err := os.ReadFile(filepath.Join("..", "batch", "testdata", "toy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "toy.yaml"), toy, 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "test.yaml")
	if err := os.WriteFile(path, []byte(batchText), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runTestBatch runs a batch file into out and returns the loaded report.
func runTestBatch(t *testing.T, path, out string) *report.Report {
	t.Helper()
	spec, errs := batch.Load(path)
	if errs != nil {
		t.Fatal(errs.Snippets())
	}
	idx, err := batch.Run(context.Background(), spec, batch.Options{Out: out, ToolVersion: "test", Compile: compile,
		NextTotal: func(t *sim.Tally, target float64, max int64) int64 { return t.Trials }})
	if err != nil {
		t.Fatalf("batch: %v", err)
	}
	if idx.Failed() > 0 {
		t.Fatalf("batch: %d failed", idx.Failed())
	}
	r, err := report.Load(out, report.LoadOptions{Reproduce: fakeCommands{}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// fakeCommands stands in for the command line's Reproducer: the manifest
// tables must show what it returns.
type fakeCommands struct{}

func (fakeCommands) RunCommand(r *results.Result) string {
	return fmt.Sprintf("rerun %s seed=%d trials=%d set=%s", r.Manifest.Scenario, r.Manifest.Seed, r.Counts.Trials, strings.Join(r.Manifest.Overrides, ","))
}

func (fakeCommands) CompareCommand(c *results.Comparison) string {
	return fmt.Sprintf("recompare seed=%d trials=%d", c.Seed, c.Trials)
}

var generatedLine = regexp.MustCompile(`(?m)^.*(class="generated"|^_Generated ).*\n`)

// The same batch gives byte-identical reports, apart from the line that
// says when it was generated.
func TestReportDeterministic(t *testing.T) {
	var htmls, mds [][]byte
	path := writeTestBatch(t)
	for i, out := range []string{filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")} {
		r := runTestBatch(t, path, out)
		r.Generated = time.Date(2025, 1, 1+i, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
		if _, err := report.Write(out, r); err != nil {
			t.Fatal(err)
		}
		h, _ := os.ReadFile(filepath.Join(out, report.HTMLFileName))
		m, _ := os.ReadFile(filepath.Join(out, report.MDFileName))
		if bytes.Equal(h, generatedLine.ReplaceAll(h, nil)) || bytes.Equal(m, generatedLine.ReplaceAll(m, nil)) {
			t.Fatal("no generated line found")
		}
		htmls, mds = append(htmls, generatedLine.ReplaceAll(h, nil)), append(mds, generatedLine.ReplaceAll(m, nil))
	}
	if !bytes.Equal(htmls[0], htmls[1]) {
		t.Error("report.html differs between two runs of the same batch")
	}
	if !bytes.Equal(mds[0], mds[1]) {
		t.Error("report.md differs between two runs of the same batch")
	}
}

// The report holds, per job, the description, the hypotheses, the outcome
// table with intervals and trial counts, the charts inline; the paired
// tables of the comparison; the manifest last; and nothing external.
func TestReportContent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	r := runTestBatch(t, writeTestBatch(t), out)
	r.Generated = "now"
	if _, err := report.Write(out, r); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(out, report.HTMLFileName))
	h := string(data)
	if len(r.Jobs) != 3 || len(r.Comparisons) != 1 {
		t.Fatalf("%d jobs, %d comparisons", len(r.Jobs), len(r.Comparisons))
	}
	for _, want := range []string{
		`<title>Batch test: A test batch</title>`,
		`id="outcomes-toy"`, `id="outcomes-grid-rate-0-05"`, `id="outcomes-grid-rate-0-3"`,
		`id="reached-toy"`, `id="first-entry-toy"`, `id="hyp-toy"`,
		`id="chart-toy-outcomes"`, `id="chart-toy-reached"`, `id="chart-toy-occupancy_t"`,
		`<p class="description">Two steps to a terminal state.</p>`, `<p class="description">A second paragraph.</p>`,
		`Hypotheses cited: H1, H2`, `param rate; transition t: a-&gt;b; outcome got_b`,
		`data-v="0.`, `n=2000</td>`, // every estimate: P [CI] n
		`<tr class="cond">`, `<code>reached(t.b)</code>`, // the conditional outcome and its given
		`id="paired-compare-toy-vs-grid-rate-0-05-vs-grid-rate-0-3-1"`, `id="assumptions-`, ` pp [`,
		`id="manifest-jobs"`, `id="manifest-comparisons"`, `rerun toy seed=5 trials=2000 set=`, `rerun toy seed=5 trials=2000 set=rate=0.05`, `recompare seed=`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("report.html lacks %s", want)
		}
	}
	if strings.Count(h, "<svg") != strings.Count(h, "<figure") || strings.Count(h, "<figure") < 3*5+2 {
		t.Errorf("%d <svg, %d figures", strings.Count(h, "<svg"), strings.Count(h, "<figure"))
	}
	if strings.Count(h, "@font-face") != 1 {
		t.Errorf("%d @font-face rules, want the chart font once", strings.Count(h, "@font-face"))
	}
	if i, j := strings.LastIndex(h, `<section class="job"`), strings.Index(h, `<section id="manifest">`); j < i {
		t.Error("the manifest is not at the bottom")
	}
	for _, bad := range []string{"http://", "https://", "<link", "<script src", "@import", "<img", "<iframe"} {
		if bad == "http://" {
			h = strings.ReplaceAll(h, `xmlns="http://www.w3.org/2000/svg"`, "")
			h = strings.ReplaceAll(h, `xmlns:xlink="http://www.w3.org/1999/xlink"`, "")
		}
		if strings.Contains(h, bad) {
			t.Errorf("report.html refers to something outside itself: %s", bad)
		}
	}
	if strings.Count(h, "<script>") != 1 {
		t.Error("want exactly one inline script")
	}
	for _, n := range []string{"</html>", "</body>"} {
		if strings.Count(h, n) != 1 {
			t.Errorf("%s appears %d times", n, strings.Count(h, n))
		}
	}

	md, _ := os.ReadFile(filepath.Join(out, report.MDFileName))
	m := string(md)
	for _, want := range []string{"# Batch test: A test batch", "## toy", "| `got_b` | ", " n=2000 |", "![Outcome probabilities](toy/outcomes.png)",
		"## comparison compare-toy-vs-grid+rate=0.05-vs-grid+rate=0.3", "## Manifest", "*(conditional)*"} {
		if !strings.Contains(m, want) {
			t.Errorf("report.md lacks %s", want)
		}
	}
	for _, link := range regexp.MustCompile(`!\[[^]]*\]\(([^)]*)\)`).FindAllStringSubmatch(m, -1) {
		if _, err := os.Stat(filepath.Join(out, link[1])); err != nil {
			t.Errorf("report.md links a missing image: %v", err)
		}
	}
}

// Load reads a folder of run results (no index), one result folder, and
// refuses a folder without results.
func TestLoadFolders(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	runTestBatch(t, writeTestBatch(t), out)
	os.Remove(filepath.Join(out, "index.json"))
	os.Remove(filepath.Join(out, "toy", report.JobFileName))
	described := 0
	r, err := report.Load(out, report.LoadOptions{Describe: func(m results.Manifest) (*report.Info, error) {
		described++
		return &report.Info{Description: "From the describer."}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, j := range r.Jobs {
		names = append(names, j.Name)
	}
	if fmt.Sprint(names) != "[grid+rate=0.05 grid+rate=0.3 toy]" || len(r.Comparisons) != 1 || described != 1 {
		t.Errorf("jobs %v, %d comparisons, %d described", names, len(r.Comparisons), described)
	}
	if r.Jobs[2].Info == nil || r.Jobs[2].Info.Description != "From the describer." {
		t.Error("a folder without job.json was not described")
	}
	one, err := report.Load(filepath.Join(out, "toy"), report.LoadOptions{})
	if err != nil || len(one.Jobs) != 1 || one.Jobs[0].Dir != "." {
		t.Errorf("one folder: %v", err)
	}
	if _, err := report.Load(t.TempDir(), report.LoadOptions{}); err == nil || !strings.Contains(err.Error(), "no results") {
		t.Errorf("empty folder: %v", err)
	}
}

// chromium finds a headless Chromium on PATH.
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// The report in a real browser: headless Chromium loads it from disk, runs
// its script, and its DOM has every job's tables and an <svg> per chart;
// a screenshot is saved (-screenshot PATH to keep it).
func TestReportInBrowser(t *testing.T) {
	browser := chromium()
	if browser == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no headless Chromium on PATH, and CI=true requires this test to run; .ci/run installs Debian's chromium")
		}
		t.Skip("no headless Chromium on PATH; .ci/run installs Debian's chromium")
	}
	out := filepath.Join(t.TempDir(), "out")
	r := runTestBatch(t, writeTestBatch(t), out)
	r.Generated = "now"
	if _, err := report.Write(out, r); err != nil {
		t.Fatal(err)
	}
	page, err := filepath.Abs(filepath.Join(out, report.HTMLFileName))
	if err != nil {
		t.Fatal(err)
	}
	url := "file://" + filepath.ToSlash(page)
	chrome := func(args ...string) []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--user-data-dir=" + t.TempDir()}
		cmd := exec.CommandContext(ctx, browser, append(append(base, args...), url)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", browser, args, err, stderr.String())
		}
		return stdout
	}
	dom := string(chrome("--dump-dom"))
	for _, j := range r.Jobs {
		for _, id := range []string{"outcomes-", "reached-", "first-entry-"} {
			if !strings.Contains(dom, `id="`+id+j.ID+`"`) {
				t.Errorf("the DOM has no table %s%s", id, j.ID)
			}
		}
		for _, c := range j.Charts {
			fig := fmt.Sprintf(`<figure id="chart-%s-%s">`, j.ID, c.Name)
			i := strings.Index(dom, fig)
			if i < 0 || !strings.HasPrefix(strings.TrimSpace(dom[i+len(fig):]), "<svg") {
				t.Errorf("the DOM has no <svg> for chart %s of %s", c.Name, j.Name)
			}
		}
	}
	for _, c := range r.Comparisons {
		if !strings.Contains(dom, `id="paired-`+c.ID+`-1"`) || !strings.Contains(dom, `id="chart-`+c.ID+`-compare_diff"`) {
			t.Errorf("the DOM lacks the paired table or chart of %s", c.Name)
		}
	}
	// The sorting script ran: it makes every header of a sortable table focusable.
	ths := regexp.MustCompile(`<th[\s>][^>]*>`).FindAllString(dom, -1)
	sortable := 0
	for _, th := range ths {
		if strings.Contains(th, `tabindex="0"`) {
			sortable++
		}
	}
	if len(ths) == 0 || sortable != len(ths) {
		t.Errorf("%d of %d headers made sortable: the script did not run", sortable, len(ths))
	}

	shot := *screenshot
	if shot == "" {
		shot = filepath.Join(t.TempDir(), "report.png")
	} else if shot, err = filepath.Abs(shot); err != nil {
		t.Fatal(err)
	}
	chrome("--screenshot="+shot, "--window-size=1280,2000", "--hide-scrollbars")
	png, err := os.ReadFile(shot)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) || len(png) < 10000 {
		t.Fatalf("no screenshot in %s (%d bytes, %v)", shot, len(png), err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))
}
