package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"scensim/model"
	"scensim/sim"
)

// checksNote says where checks are judged: compiling a scenario runs no
// trial, so no check has passed yet.
const checksNote = "not judged yet: every run judges each check at the horizon of every trial and stops at the first trial that breaks one"

// validateChecks lists the checks of p under validate's summary line.
func validateChecks(w io.Writer, p *model.Plan) {
	if len(p.Checks) == 0 {
		return
	}
	var names []string
	for _, c := range p.Checks {
		names = append(names, c.Name)
	}
	fmt.Fprintf(w, "  %d check(s), %s: %s\n", len(p.Checks), checksNote, strings.Join(names, ", "))
}

// showChecks writes the CHECKS section of show and records what each
// check cites.
func showChecks(pf func(string, ...any), p *model.Plan, cite func(what string, src []string)) {
	if len(p.Checks) == 0 {
		return
	}
	pf("\nCHECKS (%s)\n", checksNote)
	for _, c := range p.Checks {
		pf("  %-26s %s%s\n", c.Name, c.Src, sources(c.Source))
		if c.Why != "" {
			pf("      %s\n", c.Why)
		}
		cite("check "+c.Name, c.Source)
	}
}

// showOutcomes writes the OUTCOMES section of show: grouped as the result
// tables group them, with each outcome's headline mark and question.
func showOutcomes(pf func(string, ...any), p *model.Plan, cite func(what string, src []string)) {
	if len(p.Outcomes) == 0 {
		return
	}
	pf("\nOUTCOMES\n")
	var groups []string
	byGroup := map[string][]*model.Outcome{}
	for _, o := range p.Outcomes {
		if _, seen := byGroup[o.Group]; !seen {
			groups = append(groups, o.Group)
		}
		byGroup[o.Group] = append(byGroup[o.Group], o)
	}
	for _, g := range groups {
		switch {
		case g != "":
			pf("  [%s]\n", g)
		case len(groups) > 1:
			pf("  [other]\n")
		}
		for _, o := range byGroup[g] {
			mark := ""
			if o.Headline {
				mark = " (headline)"
			}
			pf("  %-26s %s%s%s\n", o.Name, o.When.Src, sources(o.Source), mark)
			if o.Given != nil {
				pf("      given %s\n", o.Given.Src)
			}
			if o.Question != "" {
				pf("      question: %s\n", o.Question)
			}
			if o.Why != "" {
				pf("      %s\n", o.Why)
			}
			cite("outcome "+o.Name, o.Source)
		}
	}
}

// traceChecks writes whether the traced trial keeps each check.
func traceChecks(pf func(string, ...any), p *model.Plan, path *sim.Path) {
	for i, c := range p.Checks {
		mark := "holds"
		if !path.Checks[i] {
			mark = "BROKEN: " + c.Src + " is false"
		}
		pf("  check %-34s %s\n", c.Name, mark)
	}
}

// runtimeError is the exit error of a run of p (seed) that failed while
// its trials ran. A broken check's message ends with the trace command
// that replays the trial; the seed, overrides and file complete it.
func runtimeError(p *model.Plan, seed uint64, err error) error {
	var re *sim.RuntimeError
	if errors.As(err, &re) && re.IsCheck() {
		args := fmt.Sprintf("; see the trial's path with scensim trace --trial %d --seed %d", re.Trial, seed)
		for _, o := range p.Overrides {
			args += " --set " + o
		}
		return exitErrorf(ExitRuntime, "%s: %w%s %s", p.File, err, args, strings.TrimPrefix(p.File, "embedded:"))
	}
	return exitErrorf(ExitRuntime, "%s: %w", p.File, err)
}
