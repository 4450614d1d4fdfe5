package model

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"scensim/model/kernel"
)

// opConstants returns the names of the constants of type op declared in
// the package's source, in order (the op enum).
func opConstants(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			inEnum := false
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); ok {
					inEnum = id.Name == "op"
				} else if vs.Type != nil || len(vs.Values) > 0 {
					inEnum = false
				}
				if inEnum {
					for _, n := range vs.Names {
						names = append(names, n.Name)
					}
				}
			}
		}
	}
	return names
}

// TestOpTable requires an entry in opInfos for every op of the enum, so
// that an op added without declaring what it reads fails here rather than
// being taken for pure by the analyses.
func TestOpTable(t *testing.T) {
	names := opConstants(t)
	if len(names) < 30 {
		t.Fatalf("found %d ops in the source (%v); the enum was not found", len(names), names)
	}
	if len(opInfos) != len(names) {
		t.Errorf("opInfos has %d entries, the op enum %d: declare every op (%v)", len(opInfos), len(names), names)
	}
	for i, name := range names {
		if i >= len(opInfos) || opInfos[i].name == "" {
			t.Errorf("op %s (%d) has no entry in opInfos", name, i)
		}
	}
	// An op without an entry reads everything and is not a value.
	if r := op(len(opInfos)).info(); r.reads != readsAll || r.value {
		t.Errorf("an unknown op reads %b and is a value %v; want everything and not a value", r.reads, r.value)
	}
	// The leaves that read the trial say so.
	for o, want := range map[op]reads{
		opVar: readsVar, opDwell: readsDwell, opEntry: readsEntry, opReached: readsReached,
		opReachedBy: readsReached, opInState: readsState, opInStates: readsState, opSlot: readsSlot,
		opTable: readsTime, opStateTbl: readsState, opSlotStateTbl: readsState | readsSlot,
	} {
		if got := o.info().reads; got != want {
			t.Errorf("%s reads %b, want %b", o.info().name, got, want)
		}
	}
}

// TestUnknownOpFailsClosed checks that the analyses treat an op without an
// entry as reading everything: not of one track's state, not keyed, and
// not folded.
func TestUnknownOpFailsClosed(t *testing.T) {
	unknown := op(len(opInfos))
	in := &node{op: opInState, typ: TypeBool, dep: DepState, idx: 0, idx2: 0}
	x := &node{op: unknown, typ: TypeNum, kids: []*node{in}}
	c := &compiler{env: &env{}}
	if _, ok := c.oneTrack(x); ok {
		t.Error("oneTrack takes an unknown op for a function of one track's state")
	}
	p := &Plan{Tracks: []*Track{{NStates: 2}}, Steps: 4}
	e := &Expr{Mode: ModeFunc, tree: x}
	if ok, _ := e.keysAndTrial(p, new([]kernel.Key)); ok {
		t.Error("keysAndTrial keys an unknown op")
	}
	leaf := &node{op: unknown, typ: TypeNum}
	closeDeps(leaf, map[*node]bool{})
	if leaf.dep != DepState|DepTrial|DepTime {
		t.Errorf("an unknown leaf depends on %v, want everything", leaf.dep)
	}
	if got := fold(leaf); got != leaf {
		t.Error("fold evaluated an unknown op")
	}
}
