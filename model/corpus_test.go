package model

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
			start := time.Now()
			plan, errs := Compile(name, data, nil)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("Compile took %v", d)
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
