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

// sourcePrefix begins the source name of an embedded scenario.
const sourcePrefix = "embedded:"

// SourceName returns the source name an embedded scenario is compiled
// under and recorded as in result manifests: "embedded:NAME". It is the
// only spelling of that convention; [FromSource] reads it back.
func SourceName(name string) string { return sourcePrefix + name }

// FromSource reports whether source is the source name of an embedded
// scenario ([SourceName]) and, if so, returns the scenario's name. It does
// not check that the scenario exists; [ReadSource] does.
func FromSource(source string) (name string, ok bool) {
	return strings.CutPrefix(source, sourcePrefix)
}

// ReadSource returns the bytes of the embedded scenario that source names
// ("embedded:NAME"); ok is false if source is not such a name or names no
// embedded scenario.
func ReadSource(source string) (data []byte, ok bool) {
	name, ok := FromSource(source)
	if !ok {
		return nil, false
	}
	return Read(name)
}
