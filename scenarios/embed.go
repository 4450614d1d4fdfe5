// Package scenarios holds the scenario files shipped inside the scensim
// binary. The default scenario is baseline.yaml, which encodes the
// hypotheses H1–H19 of the March 2025 ceasefire-talks briefing.
package scenarios

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

//go:embed *.yaml
var files embed.FS

// Default is the name of the scenario run when none is given.
const Default = "baseline"

// Names lists the embedded scenarios, sorted, without the .yaml suffix.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Read returns the embedded scenario file with the given name (without
// .yaml) and whether it exists.
func Read(name string) ([]byte, bool) {
	data, err := files.ReadFile(name + ".yaml")
	return data, err == nil
}
