package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"scensim/model"
	"scensim/results"
	"scensim/scenarios"
	"scensim/sim"
)

// readScenario resolves a scenario argument: an existing file path, or the
// name of an embedded scenario ("" means the default).
func readScenario(arg string) (name string, data []byte, err error) {
	if arg == "" {
		arg = scenarios.Default
	}
	if st, statErr := os.Stat(arg); statErr == nil {
		if st.IsDir() {
			return "", nil, fmt.Errorf("%s is a directory, not a scenario file", arg)
		}
		if st.Size() > model.MaxFileBytes {
			return "", nil, fmt.Errorf("%s: file is %d bytes; scenario files are limited to %d", arg, st.Size(), model.MaxFileBytes)
		}
		data, err = os.ReadFile(arg)
		return arg, data, err
	}
	if data, ok := scenarios.Read(strings.TrimSuffix(arg, ".yaml")); ok && !strings.ContainsRune(arg, filepath.Separator) {
		return "embedded:" + strings.TrimSuffix(arg, ".yaml"), data, nil
	}
	return "", nil, fmt.Errorf("no scenario file %q, and no embedded scenario of that name (embedded: %s)", arg, strings.Join(scenarios.Names(), ", "))
}

// compile reads and compiles a scenario; errors are printed with snippets
// and returned as one exit error. Warnings are printed unless quiet.
func compile(arg string, sets []string, quiet bool) (*model.Plan, error) {
	name, data, err := readScenario(arg)
	if err != nil {
		return nil, &exitError{code: 2, msg: err.Error()}
	}
	var ovs []model.Override
	for _, s := range sets {
		o, err := model.ParseOverride(s)
		if err != nil {
			return nil, &exitError{code: 2, msg: err.Error()}
		}
		ovs = append(ovs, o)
	}
	plan, errs := model.Compile(name, data, ovs)
	if plan == nil {
		fmt.Fprintln(os.Stderr, errs.Snippets())
		n := len(errs.Errors())
		return nil, &exitError{code: 2, msg: fmt.Sprintf("%s: %d error(s)", name, n)}
	}
	if !quiet && len(plan.Warnings) > 0 {
		fmt.Fprintln(os.Stderr, plan.Warnings.Snippets())
	}
	return plan, nil
}

// layoutOf describes what a run of plan counts, for the results package.
func layoutOf(p *model.Plan) results.Layout {
	l := results.Layout{Scenario: p.Name, Title: p.Title}
	for _, t := range p.Points {
		l.Points = append(l.Points, t.Format("2006-01-02"))
	}
	for _, d := range p.Dates {
		l.NamedDates = append(l.NamedDates, results.NamedDate{Name: d.Name, Date: d.Date.Format("2006-01-02"), Point: d.Point})
	}
	for _, tr := range p.Tracks {
		tl := results.TrackLayout{Name: tr.Name}
		for g := tr.First; g < tr.First+tr.NStates; g++ {
			tl.States = append(tl.States, p.States[g].Name)
		}
		l.Tracks = append(l.Tracks, tl)
	}
	for _, o := range p.Outcomes {
		ol := results.OutcomeLayout{Name: o.Name, Why: o.Why, Source: o.Source}
		if o.Given != nil {
			ol.Given = o.Given.Src
		}
		l.Outcomes = append(l.Outcomes, ol)
	}
	for _, par := range p.Params {
		if par.Dist != nil {
			l.Params = append(l.Params, results.ParamLayout{Name: par.Name, Dist: par.Dist.Src, Lo: par.Dist.Lo, Hi: par.Dist.Hi, Bins: sim.HistBins})
		}
	}
	return l
}

// countsOf converts an engine tally to the results package's counts.
func countsOf(t *sim.Tally) results.Counts {
	return results.Counts{
		Trials: t.Trials, Hits: t.Hits, Given: t.Given,
		Entry: t.Entry, Occupancy: t.Occupancy, ParamHist: t.ParamHist,
	}
}

// manifestOf records what is needed to reproduce a run.
func manifestOf(p *model.Plan, seed uint64, trials int64) results.Manifest {
	return results.Manifest{
		Scenario: p.Name, Title: p.Title, File: p.File, FileSHA256: p.SHA256,
		Seed: seed, Trials: trials, Step: p.StepUnit,
		Start: p.Points[0].Format("2006-01-02"), End: p.Points[p.Steps].Format("2006-01-02"),
		Steps: p.Steps, Overrides: p.Overrides, ToolVersion: version,
	}
}
