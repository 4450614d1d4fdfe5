package main

import (
	"fmt"
	"strings"

	"scensim/results"
	"scensim/scenarios"
)

// commandLines gives a report's manifest the scensim command lines that
// reproduce its results and comparisons (it implements report.Reproducer).
type commandLines struct{}

// scenarioArg is how a manifest's file is named on a command line.
func scenarioArg(file string) string {
	if s, ok := scenarios.FromSource(file); ok {
		return s
	}
	return shellQuote(file)
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=+:,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// RunCommand is the command that reproduces a result: a fixed run of its
// trial count (a precision-targeted run equals the fixed run of its final
// count).
func (commandLines) RunCommand(r *results.Result) string {
	m := r.Manifest
	s := fmt.Sprintf("scensim run %s --seed %d --trials %d", scenarioArg(m.File), m.Seed, r.Counts.Ran())
	for _, o := range m.Overrides {
		s += " --set " + shellQuote(o)
	}
	for _, f := range m.EvidenceFiles {
		file, _, _ := strings.Cut(f, " ")
		s += " --evidence " + shellQuote(file)
	}
	return s
}

// CompareCommand reproduces a comparison with scensim compare, which
// applies one set of overrides to every scenario; "" if the scenarios
// have different overrides.
func (commandLines) CompareCommand(c *results.Comparison) string {
	s := "scensim compare"
	for _, sc := range c.Scenarios {
		if strings.Join(sc.Overrides, "\x00") != strings.Join(c.Scenarios[0].Overrides, "\x00") {
			return ""
		}
		s += " " + scenarioArg(sc.File)
	}
	s += fmt.Sprintf(" --seed %d --trials %d", c.Seed, c.Trials)
	for _, o := range c.Scenarios[0].Overrides {
		s += " --set " + shellQuote(o)
	}
	return s
}
