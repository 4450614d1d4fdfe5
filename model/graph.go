package model

import (
	"strings"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/encoding"
	"gonum.org/v1/gonum/graph/encoding/dot"
	"gonum.org/v1/gonum/graph/multi"
	"gonum.org/v1/gonum/graph/traverse"
)

// Graph is the structure of a plan as a directed multigraph: one node per
// state (its global state index is the node ID) and one line per transition
// and state it leaves from (a transition from two states is two lines; a
// transition to its own state, an event, is a self-loop). Nodes and lines
// carry Graphviz DOT attributes, and each track is a DOT cluster, so
// [Graph.DOT] draws the model's state machines side by side.
type Graph struct {
	*multi.DirectedGraph
	Plan *Plan
	// Reachable[g] reports whether a path of transitions that can fire (see
	// Transition.Dead) leads to state g from its track's initial state.
	Reachable []bool
}

// StateNode is a node of a [Graph]: one state of one track.
type StateNode struct {
	G     int // global state index
	graph *Graph
}

// TransitionLine is a line of a [Graph]: transition X taken from one of
// its From states.
type TransitionLine struct {
	F, T  StateNode
	Index int // index of X in Plan.Transitions
	X     *Transition
}

// NewGraph builds the graph of p and computes which states are reachable.
func NewGraph(p *Plan) *Graph {
	g := &Graph{DirectedGraph: multi.NewDirectedGraph(), Plan: p, Reachable: make([]bool, len(p.States))}
	for i := range p.States {
		g.AddNode(StateNode{G: i, graph: g})
	}
	for i, x := range p.Transitions {
		for _, from := range x.From {
			g.SetLine(TransitionLine{F: StateNode{from, g}, T: StateNode{x.To, g}, Index: i, X: x})
		}
	}
	for _, tr := range p.Tracks {
		bf := traverse.BreadthFirst{
			Visit: func(n graph.Node) { g.Reachable[n.ID()] = true },
			Traverse: func(e graph.Edge) bool {
				lines := e.(multi.Edge).Lines
				for lines.Next() {
					if !lines.Line().(TransitionLine).X.Dead() {
						return true
					}
				}
				return false
			},
		}
		bf.Walk(g, g.Node(int64(tr.Initial)), nil)
	}
	return g
}

// Stuck reports whether state i can never be left although the model has
// transitions out of it: it has at least one transition to another state,
// and every such transition can never fire. (A state with no transition to
// another state is absorbing by design, e.g. a ceasefire, and is not stuck.)
func (g *Graph) Stuck(i int) bool {
	leaves := false
	for _, id := range g.Plan.States[i].Out {
		x := g.Plan.Transitions[id]
		if x.To == i {
			continue // an event stays in the state
		}
		if !x.Dead() {
			return false
		}
		leaves = true
	}
	return leaves
}

// Absorbing reports whether state i has no transition to another state.
func (g *Graph) Absorbing(i int) bool {
	for _, id := range g.Plan.States[i].Out {
		if g.Plan.Transitions[id].To != i {
			return false
		}
	}
	return true
}

// DOT returns the graph in Graphviz DOT, indented by two spaces: one cluster
// per track, states as rounded boxes (the initial state filled and bold, an
// absorbing state with a double border, an unreachable state dashed and
// grey), and transitions as edges labelled with their name, their
// probability or rate expression, their guard and their hypothesis IDs (a
// transition that can never fire dotted and grey). Long expressions are
// wrapped and shortened in the label and given whole in the tooltip.
func (g *Graph) DOT() ([]byte, error) {
	b, err := dot.MarshalMulti(g, "", "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// DOTID implements dot.Multigraph: the scenario name.
func (g *Graph) DOTID() string { return g.Plan.Name }

// DOTAttributers implements dot.Attributers: left-to-right layout, the
// scenario title as the graph label, and fonts.
func (g *Graph) DOTAttributers() (gr, node, edge encoding.Attributer) {
	title := g.Plan.Name
	if g.Plan.Title != "" {
		title += ": " + g.Plan.Title
	}
	gr = kv("rankdir", "LR", "label", title, "labelloc", "t", "fontname", "Helvetica", "fontsize", "16", "nodesep", "0.4")
	node = kv("shape", "box", "style", "rounded", "fontname", "Helvetica", "fontsize", "12")
	edge = kv("fontname", "Helvetica", "fontsize", "9")
	return gr, node, edge
}

// Structure implements dot.MultiStructurer: one cluster per track, holding
// the track's states (and no edges: those are drawn by the whole graph). The
// clusters are listed from the last track to the first, which Graphviz's
// left-to-right layout stacks with the first track on top.
func (g *Graph) Structure() []dot.Multigraph {
	var out []dot.Multigraph
	for i := len(g.Plan.Tracks) - 1; i >= 0; i-- {
		tr := g.Plan.Tracks[i]
		c := &cluster{DirectedGraph: multi.NewDirectedGraph(), id: "cluster_" + tr.Name, label: tr.Name}
		if tr.Why != "" {
			c.tooltip = tr.Why
		}
		for i := tr.First; i < tr.First+tr.NStates; i++ {
			c.AddNode(StateNode{G: i, graph: g})
		}
		out = append(out, c)
	}
	return out
}

// cluster is the DOT subgraph of one track.
type cluster struct {
	*multi.DirectedGraph
	id, label, tooltip string
}

func (c *cluster) DOTID() string { return c.id }

func (c *cluster) DOTAttributers() (gr, node, edge encoding.Attributer) {
	a := kv("label", c.label, "style", "rounded", "color", "grey60", "fontsize", "14")
	if c.tooltip != "" {
		a = append(a, encoding.Attribute{Key: "tooltip", Value: c.tooltip})
	}
	return a, nil, nil
}

// attrs is a list of DOT attributes.
type attrs []encoding.Attribute

// kv returns the attributes of key, value pairs.
func kv(pairs ...string) attrs {
	a := make(attrs, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		a = append(a, encoding.Attribute{Key: pairs[i], Value: pairs[i+1]})
	}
	return a
}

func (a attrs) Attributes() []encoding.Attribute { return a }

// ID implements graph.Node.
func (n StateNode) ID() int64 { return int64(n.G) }

// DOTID implements dot.Node: "track.state".
func (n StateNode) DOTID() string { return n.graph.Plan.FullName(n.G) }

// Attributes implements encoding.Attributer.
func (n StateNode) Attributes() []encoding.Attribute {
	g, p := n.graph, n.graph.Plan
	st := p.States[n.G]
	a := kv("label", st.Name)
	if st.Desc != "" {
		a = append(a, encoding.Attribute{Key: "tooltip", Value: st.Desc})
	}
	switch {
	case p.Tracks[st.Track].Initial == n.G:
		a = append(a, kv("style", "rounded,filled,bold", "fillcolor", "#DCEBF7")...)
	case !g.Reachable[n.G]:
		a = append(a, kv("style", "rounded,dashed", "color", "grey50", "fontcolor", "grey50")...)
	}
	if g.Absorbing(n.G) {
		a = append(a, encoding.Attribute{Key: "peripheries", Value: "2"})
	}
	return a
}

// From, To, ReversedLine and ID implement graph.Line.
func (l TransitionLine) From() graph.Node { return l.F }
func (l TransitionLine) To() graph.Node   { return l.T }
func (l TransitionLine) ReversedLine() graph.Line {
	l.F, l.T = l.T, l.F
	return l
}
func (l TransitionLine) ID() int64 { return int64(l.Index) }

// labelWidth and labelMax bound the expression text in an edge label.
const (
	labelWidth = 44
	labelMax   = 180
)

// Attributes implements encoding.Attributer: the edge label and style.
func (l TransitionLine) Attributes() []encoding.Attribute {
	x := l.X
	var lines, tips []string
	lines = append(lines, x.Name)
	add := func(what, src, suffix string) {
		lines = append(lines, wrap(what+" "+shorten(src, labelMax)+suffix, labelWidth)...)
		tips = append(tips, what+" "+src+suffix)
	}
	switch {
	case x.Rate != nil:
		add("rate", x.Rate.Src, " /"+x.Per)
	case x.Prob != nil:
		add("p", x.Prob.Src, "")
	}
	if x.Guard != nil {
		add("when", x.Guard.Src, "")
	}
	if len(x.Source) > 0 {
		lines = append(lines, "["+strings.Join(x.Source, ", ")+"]")
	}
	a := kv("label", strings.Join(lines, "\n"), "tooltip", strings.Join(tips, "\n"))
	if x.Dead() {
		a[0].Value = "never fires: " + a[0].Value
		a = append(a, kv("style", "dotted", "color", "grey50", "fontcolor", "grey50")...)
	}
	return a
}

// shorten cuts s to at most n runes, ending in "…" if cut.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// wrap breaks s at spaces into lines of at most width runes where it can.
func wrap(s string, width int) []string {
	var out []string
	var cur strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		wl := len([]rune(w))
		if n > 0 && n+1+wl > width {
			out = append(out, cur.String())
			cur.Reset()
			n = 0
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(w)
		n += wl
	}
	if n > 0 {
		out = append(out, cur.String())
	}
	return out
}

// Dead reports whether the transition can never fire, whatever the trial:
// it has no probability, or its probability or its guard is 0 at every step
// (known before the run: a constant or a table over time).
func (x *Transition) Dead() bool { return dead(x) }
