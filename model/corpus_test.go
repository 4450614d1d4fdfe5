package model

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the expected .err files of TestErrorCorpus")

// TestErrorCorpus compiles every broken scenario in testdata/errors and
// compares the errors, with their snippets, with the .err file beside it.
// Run with -update to rewrite the .err files, and read them before keeping them.
func TestErrorCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "errors", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no corpus files")
	}
	goldens, _ := filepath.Glob(filepath.Join("testdata", "errors", "*.err"))
	for _, g := range goldens {
		if _, err := os.Stat(strings.TrimSuffix(g, ".err") + ".yaml"); err != nil {
			t.Errorf("%s has no scenario file", g)
		}
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			// The work of filling time tables is counted, not timed: it
			// must stay within the budget whatever the file asks for.
			work := -1
			tableWorkHook = func(w int) { work = w }
			plan, errs := Compile(name, data, nil)
			tableWorkHook = nil
			if work > MaxTableWork {
				t.Errorf("Compile evaluated %d table nodes, over the budget of %d", work, MaxTableWork)
			}
			if plan != nil {
				t.Fatalf("Compile succeeded; want errors")
			}
			if len(errs.Errors()) == 0 {
				t.Fatalf("Compile failed without an error")
			}
			got := errs.Snippets() + "\n"
			golden := strings.TrimSuffix(path, ".yaml") + ".err"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("errors differ from %s\n--- got:\n%s--- want:\n%s", golden, got, want)
			}
		})
	}
}
