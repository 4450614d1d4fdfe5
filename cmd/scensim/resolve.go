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

// resolveBase finds the scenario that from extends (extends: name):
//
//   - from an embedded scenario, the embedded scenario name;
//   - from a file, the file name (or name.yaml) beside it if there is one,
//     else the embedded scenario name.
//
// So scenarios/no_linkage.yaml extends scenarios/baseline.yaml when run
// from the repository, and the embedded baseline when copied elsewhere.
//
// A base file must lie inside the folder of the file that extends it, or
// in a folder below it, once symbolic links are resolved (so a chain of
// bases stays inside the first file's folder), unless --allow-outside is
// given (see resolverFor); it is read like any scenario file (a regular file, at most
// model.MaxFileBytes).
func resolveBase(name, from string) (string, []byte, error) {
	return resolveBaseIn(name, from, false)
}

// resolverFor is resolveBase for the command c runs: with --allow-outside,
// a base may lie anywhere.
func resolverFor(c *cli.Context) func(name, from string) (string, []byte, error) {
	if c != nil && c.Bool("allow-outside") {
		return resolveBaseAnywhere
	}
	return resolveBase
}

// resolveBaseAnywhere is resolveBase as with --allow-outside: for the
// scenarios scensim writes itself (calibrate's overlay names its base by a
// path relative to the output folder).
func resolveBaseAnywhere(name, from string) (string, []byte, error) {
	return resolveBaseIn(name, from, true)
}

func resolveBaseIn(name, from string, anywhere bool) (string, []byte, error) {
	name = strings.TrimSpace(name)
	short := strings.TrimSuffix(name, ".yaml")
	embedded := func() (string, []byte, error) {
		if data, ok := scenarios.Read(short); ok && !strings.ContainsAny(short, `/\`) {
			return scenarios.SourceName(short), data, nil
		}
		return "", nil, nil
	}
	if !isEmbedded(from) {
		dir := filepath.Dir(from)
		cands := []string{filepath.Join(dir, name)}
		if !strings.HasSuffix(name, ".yaml") {
			cands = append(cands, filepath.Join(dir, name+".yaml"))
		}
		for _, c := range cands {
			st, err := os.Stat(c)
			if err != nil || st.IsDir() {
				continue
			}
			if !anywhere {
				if err := checkInside(dir, c, from); err != nil {
					return "", nil, err
				}
			}
			data, err := fsread.ReadFile(c, model.MaxFileBytes, "scenario files")
			if err != nil {
				return "", nil, err
			}
			return c, data, nil
		}
	}
	if file, data, _ := embedded(); file != "" {
		return file, data, nil
	}
	where := "no embedded scenario"
	if !isEmbedded(from) {
		where = fmt.Sprintf("no file %s beside %s and no embedded scenario", name, from)
	}
	return "", nil, fmt.Errorf("%s of that name (embedded: %s)", where, strings.Join(scenarios.Names(), ", "))
}

// checkInside refuses path unless, with symbolic links resolved, it lies
// in dir or below it.
func checkInside(dir, path, from string) error {
	refuse := fmt.Errorf("%s is outside the folder of %s; a base must be in that folder or below it (--allow-outside allows it)", path, from)
	rdir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return refuse
	}
	rpath, err := filepath.EvalSymlinks(path)
	if err != nil {
		return refuse
	}
	if rdir, err = filepath.Abs(rdir); err != nil {
		return refuse
	}
	if rpath, err = filepath.Abs(rpath); err != nil {
		return refuse
	}
	rel, err := filepath.Rel(rdir, rpath)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return refuse
	}
	return nil
}

// compileScenario reads and compiles a scenario with overrides (--set) and
// hypotheses switched off (--disable); errors are printed with snippets
// on stderr and returned as one exit error (ExitInput). Warnings are
// printed unless quiet.
func compileScenario(c *cli.Context, arg string, sets, disable []string, quiet bool) (*model.Plan, error) {
	stderr := c.App.ErrWriter
	name, data, err := readScenario(arg)
	if err != nil {
		return nil, exitWith(ExitInput, err)
	}
	var ovs []model.Override
	for _, s := range sets {
		o, err := model.ParseOverride(s)
		if err != nil {
			return nil, exitWith(ExitInput, err)
		}
		ovs = append(ovs, o)
	}
	evidence, err := evidenceFiles(c)
	if err != nil {
		return nil, err
	}
	plan, errs := model.CompileWith(name, data, model.Options{Overrides: ovs, Disable: disable, Resolve: resolverFor(c), Evidence: evidence})
	if plan == nil {
		fmt.Fprintln(stderr, errs.Snippets())
		return nil, exitErrorf(ExitInput, "%s: %d error(s)", name, len(errs.Errors()))
	}
	if !quiet && len(plan.Warnings) > 0 {
		fmt.Fprintln(stderr, plan.Warnings.Snippets())
	}
	if !quiet && plan.TableUse.FellBack() {
		fmt.Fprintf(stderr, "%s: %s\n", name, plan.TableUse)
	}
	return plan, nil
}

// showDisabled prints, for show, the hypotheses switched off and what that
// did to each element that cites them.
func showDisabled(pf func(string, ...any), p *model.Plan) {
	if len(p.Disabled) == 0 {
		return
	}
	pf("\nSWITCHED OFF: %s\n", strings.Join(p.Disabled, ", "))
	pf("  (a param with an off value takes it; a transition that carries only hypotheses that are off\n")
	pf("  is removed unless it says off: keep or uses a param that was switched; the rest is left as is)\n")
	for _, n := range p.DisabledNotes {
		pf("  %s\n", n)
	}
}

// offValues describes a param's off values for show: "  off: 0" when one
// value serves every hypothesis it cites, else "  off: H2=0, H10=1".
func offValues(par *model.Param) string {
	if len(par.Off) == 0 {
		return ""
	}
	var parts []string
	same := len(par.Off) == len(par.Source)
	for _, h := range par.Source {
		v, ok := par.Off[h]
		if !ok {
			continue
		}
		same = same && v == par.Off[par.Source[0]]
		parts = append(parts, fmt.Sprintf("%s=%g", h, v))
	}
	if same {
		return fmt.Sprintf("  off: %g", par.Off[par.Source[0]])
	}
	return "  off: " + strings.Join(parts, ", ")
}

// isEmbedded reports whether source names an embedded scenario.
func isEmbedded(source string) bool {
	_, ok := scenarios.FromSource(source)
	return ok
}
