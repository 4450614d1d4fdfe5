package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/encoding"
	"gonum.org/v1/gonum/graph/encoding/dot"
	"gonum.org/v1/gonum/graph/multi"

	"scensim/model"
	"scensim/scenarios"
)

// A run writes the charts beside the result files, and plot redraws the
// same charts, byte for byte, from the saved result.json.
func TestRunWritesChartsAndPlotRedraws(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// Two key states (not the default eight) keep the PNGs few: PNG
	// drawing is most of this test's cost.
	states := []string{"--states", "talks.ceasefire,talks.preliminary"}
	if _, err := run(t, append([]string{"run", "-q", "-n", "2000", "--seed", "3", "--out", dir, "-f", "none"}, states...)...); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "baseline")
	for _, name := range []string{"outcomes.png", "reached.png", "occupancy_talks.png", "params.png", "result.json"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("run wrote no %s", name)
		}
	}
	firsts, _ := filepath.Glob(filepath.Join(out, "first_entry_*.png"))
	if len(firsts) == 0 {
		t.Error("run wrote no first-entry chart")
	}
	img, err := os.ReadFile(filepath.Join(out, "outcomes.png"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(img)); err != nil || cfg.Width != 900 {
		t.Errorf("outcomes.png: %v, %d wide", err, cfg.Width)
	}

	redraw := filepath.Join(dir, "redraw")
	if _, err := run(t, append([]string{"plot", filepath.Join(out, "result.json"), "--out", redraw, "-q"}, states...)...); err != nil {
		t.Fatal(err)
	}
	pngs, _ := filepath.Glob(filepath.Join(out, "*.png"))
	for _, a := range pngs {
		da, _ := os.ReadFile(a)
		db, err := os.ReadFile(filepath.Join(redraw, filepath.Base(a)))
		if err != nil || !bytes.Equal(da, db) {
			t.Errorf("plot did not redraw %s identically (%v)", filepath.Base(a), err)
		}
	}

	// Chosen states and another format.
	svgDir := filepath.Join(dir, "svg")
	if _, err := run(t, "plot", filepath.Join(out, "result.json"), "-o", svgDir, "-q", "--chart-format", "svg",
		"--state", "talks.ceasefire", "--states", "talks.ceasefire,talks.preliminary"); err != nil {
		t.Fatal(err)
	}
	got, _ := filepath.Glob(filepath.Join(svgDir, "first_entry_*"))
	if want := []string{filepath.Join(svgDir, "first_entry_talks_ceasefire.svg")}; !slices.Equal(got, want) {
		t.Errorf("first-entry charts %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(svgDir, "reached.svg")); err != nil {
		t.Error("no reached.svg")
	}

	// --no-charts writes the result files only.
	plain := filepath.Join(dir, "plain")
	if _, err := run(t, "run", "-q", "-n", "500", "--out", plain, "-f", "none", "--no-charts"); err != nil {
		t.Fatal(err)
	}
	if pngs, _ := filepath.Glob(filepath.Join(plain, "baseline", "*.png")); len(pngs) != 0 {
		t.Errorf("--no-charts wrote %v", pngs)
	}
}

// plot refuses input that is not a scensim result with exit code 2 and a
// message saying what is wrong; bad chart flags are refused before a run.
func TestPlotAndChartFlagErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		args []string
		msg  string
	}{
		{[]string{"plot", write("malformed.json", `{"format": "scensim-result/1",`)}, "malformed JSON"},
		{[]string{"plot", write("empty.json", `{}`)}, `not a scensim result: no "format" field`},
		{[]string{"plot", write("foreign.json", `{"name": "package.json", "version": "1.0.0"}`)}, "not a scensim result"},
		{[]string{"plot", write("array.json", `[1, 2, 3]`)}, "not a scensim result: the JSON value is a array"},
		{[]string{"plot", write("future.json", `{"format": "scensim-result/9"}`)}, `unsupported format "scensim-result/9"`},
		{[]string{"plot", write("partial.json", `{"format": "scensim-result/1"}`)}, `no "manifest" section`},
		{[]string{"plot", write("text.txt", "trials 1000\n")}, "malformed JSON"},
		{[]string{"plot", filepath.Join(dir, "missing.json")}, "no such file"},
		{[]string{"plot"}, "name one result file"},
		{[]string{"plot", "--chart-format", "gif", write("x.json", "{}")}, `--chart-format "gif"`},
		{[]string{"run", "--chart-format", "bmp", "--no-files"}, `--chart-format "bmp"`},
		{[]string{"run", "--state", "talks.nosuch", "-n", "10", "-q"}, `track talks has no state "nosuch"`},
		{[]string{"run", "--states", "nosuch.x", "-n", "10", "-q"}, `no track "nosuch"`},
		{[]string{"graph", "no/such/file.yaml"}, "no scenario file"},
	}
	for _, c := range cases {
		_, err := run(t, c.args...)
		if got := exitCode(err); got != 2 || err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("scensim %s: exit %d, %v; want exit 2 and a message containing %q", strings.Join(c.args, " "), got, err, c.msg)
		}
	}
}

// dotGraph is a multigraph that keeps the DOT IDs and attributes it reads.
type dotGraph struct{ *multi.DirectedGraph }

type dotNode struct {
	id    int64
	name  string
	attrs map[string]string
}

func (n *dotNode) ID() int64          { return n.id }
func (n *dotNode) SetDOTID(id string) { n.name = id }
func (n *dotNode) SetAttribute(a encoding.Attribute) error {
	n.attrs[a.Key] = a.Value
	return nil
}

type dotLine struct {
	f, t  graph.Node
	id    int64
	attrs map[string]string
}

func (l *dotLine) From() graph.Node { return l.f }
func (l *dotLine) To() graph.Node   { return l.t }
func (l *dotLine) ID() int64        { return l.id }
func (l *dotLine) ReversedLine() graph.Line {
	return &dotLine{f: l.t, t: l.f, id: l.id, attrs: l.attrs}
}
func (l *dotLine) SetAttribute(a encoding.Attribute) error {
	l.attrs[a.Key] = a.Value
	return nil
}

func (g dotGraph) NewNode() graph.Node {
	return &dotNode{id: g.DirectedGraph.NewNode().ID(), attrs: map[string]string{}}
}

func (g dotGraph) NewLine(f, t graph.Node) graph.Line {
	return &dotLine{f: f, t: t, id: g.DirectedGraph.NewLine(f, t).ID(), attrs: map[string]string{}}
}

// graph writes DOT that parses back into the plan's states and transitions,
// with the transitions' expressions and hypothesis IDs on the edges.
func TestGraphDOT(t *testing.T) {
	t.Parallel()
	out, err := run(t, "graph")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := scenarios.Read("baseline")
	p, errs := model.Compile("embedded:baseline", data, nil)
	if p == nil {
		t.Fatal(errs)
	}
	g := dotGraph{multi.NewDirectedGraph()}
	if err := dot.UnmarshalMulti([]byte(out), g); err != nil {
		t.Fatalf("graph output does not parse as DOT: %v\n%s", err, out)
	}
	names := map[string]*dotNode{}
	nodes := g.Nodes()
	for nodes.Next() {
		n := nodes.Node().(*dotNode)
		names[n.name] = n
	}
	if len(names) != len(p.States) {
		t.Errorf("%d nodes, want %d states", len(names), len(p.States))
	}
	for i := range p.States {
		if names[p.FullName(i)] == nil {
			t.Errorf("no node %s", p.FullName(i))
		}
	}
	if n := names[p.FullName(p.Tracks[0].Initial)]; n == nil || !strings.Contains(n.attrs["style"], "bold") {
		t.Errorf("the initial state is not drawn bold")
	}
	want := 0
	for _, x := range p.Transitions {
		want += len(x.From)
	}
	var labels []string
	edges := g.Edges()
	lines := 0
	for edges.Next() {
		ls := edges.Edge().(multi.Edge).Lines
		for ls.Next() {
			lines++
			labels = append(labels, ls.Line().(*dotLine).attrs["label"])
		}
	}
	if lines != want {
		t.Errorf("%d edges, want %d (one per transition and from-state)", lines, want)
	}
	all := strings.Join(labels, "\n")
	for _, s := range []string{"[H12", "rate snap_ceasefire_rate /week", "when talks.ceasefire", "p 1"} {
		if !strings.Contains(all, s) {
			t.Errorf("no edge label contains %q", s)
		}
	}

	// -o writes the same DOT to a file.
	file := filepath.Join(t.TempDir(), "baseline.dot")
	if _, err := run(t, "graph", "baseline", "-o", file); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != out {
		t.Errorf("graph -o wrote different DOT (%v)", err)
	}
}

// validate (and show) warn, from the graph, about unreachable states and
// states that can never be left although they have transitions out.
func TestGraphWarnings(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "warn.yaml")
	os.WriteFile(file, []byte(`scensim: 1
name: warn
time: {start: 2025-01-01, steps: 5}
tracks:
  t:
    initial: a
    states: [a, b, c, d, e]
    transitions:
      - {from: a, to: b, p: 0.5}
      - {from: b, to: c, p: 0}
      - {from: d, to: a, p: 0.1}
      - {from: a, to: e, p: 0.1}
      - {from: e, to: e, p: 0.2}
`), 0o644)
	out, err := run(t, "show", file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"state t.c is unreachable from the initial state t.a",
		"state t.d is unreachable from the initial state t.a",
		"state t.b can never be left: no transition out of it (b->c) can ever fire",
		"transition t: b->c can never fire",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks the warning %q:\n%s", want, out)
		}
	}
	// e has only an event (a self-loop): absorbing by design, no warning.
	if strings.Contains(out, "t.e can never be left") || strings.Contains(out, "t.a can never be left") {
		t.Errorf("a state with a way out, or with only events, was reported stuck:\n%s", out)
	}
}
