package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"scensim/internal/fsread"
	"scensim/model"
	"scensim/scenarios"
)

// readScenario resolves a scenario argument: an existing file path, or the
// name of an embedded scenario ("" means the default).
func readScenario(arg string) (name string, data []byte, err error) {
	if arg == "" {
		arg = scenarios.Default
	}
	if _, statErr := os.Stat(arg); statErr == nil {
		data, err = fsread.ReadFile(arg, model.MaxFileBytes, "scenario files")
		return arg, data, err
	}
	if data, ok := scenarios.Read(strings.TrimSuffix(arg, ".yaml")); ok && !strings.ContainsRune(arg, filepath.Separator) {
		return scenarios.SourceName(strings.TrimSuffix(arg, ".yaml")), data, nil
	}
	return "", nil, fmt.Errorf("no scenario file %q, and no embedded scenario of that name (embedded: %s)", arg, strings.Join(scenarios.Names(), ", "))
}

// compile reads and compiles a scenario; errors are printed with snippets
// on stderr and returned as one exit error. Warnings are printed unless quiet.
// A scenario may extend another (see resolveBase).
func compile(c *cli.Context, arg string, sets []string, quiet bool) (*model.Plan, error) {
	return compileScenario(c, arg, sets, nil, quiet)
}
