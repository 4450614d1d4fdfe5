package results

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// results and its chart packages work from pure data: no file of theirs
// (tests aside) imports the model, the simulator or the adapter that
// builds results from them.
func TestImportsNeitherModelNorSim(t *testing.T) {
	forbidden := map[string]bool{"scensim/model": true, "scensim/sim": true, "scensim/runresult": true}
	checked := 0
	for _, dir := range []string{".", "chart", "comparechart"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			ast, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range ast.Imports {
				if p, _ := strconv.Unquote(imp.Path.Value); forbidden[p] {
					t.Errorf("%s imports %s", f, p)
				}
			}
			checked++
		}
	}
	if checked < 10 {
		t.Fatalf("checked only %d files", checked)
	}
}
