package live

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"scensim/model"
)

// OverlayYAML returns an overlay of the scenario file src.Path that sets
// the params of set (as the page moved them) and nothing else: it extends
// the scenario by its file name (the overlay is written beside it), names
// itself name, and records in run: the trials and seed of preview pv, so
// that `scensim run` of the overlay reproduces the preview's numbers
// exactly (its draws are the ones `run` chooses for that many trials, as
// the preview's are unless the session set the draws or fixed the params;
// the comment then says so). file is the plan compiled without
// set (the file's own values); a leading comment gives the date and what
// moved.
func OverlayYAML(src Source, file *model.Plan, pv *Preview, set map[string]float64, name string, now time.Time) string {
	q := func(s string) string { j, _ := json.Marshal(s); return string(j) }
	base := filepath.Base(src.Path)
	var b strings.Builder
	fmt.Fprintf(&b, "%s on %s from %s; what moved:\n", overlayMark, now.UTC().Format("2006-01-02 15:04 UTC"), base)
	for _, n := range sortedKeys(set) {
		was := "?"
		for _, par := range file.Params {
			if par.Name == n {
				was = FormatValue(par.Value)
				if par.Dist != nil {
					was += " (drawn from " + par.Dist.Src + ")"
				}
			}
		}
		fmt.Fprintf(&b, "#   %s: %s -> %s\n", n, was, FormatValue(set[n]))
	}
	fmt.Fprintf(&b, "# scensim run of this file reproduces the page: %s.\n", describe(pv))
	switch {
	case pv.Params.Fixed:
		b.WriteString("# (the page ran every param at its value, drawing none: run this file so to reproduce it)\n")
	case pv.Tally.Nested() && pv.Tally.PerDraw != ParamsFor(pv.Plan, pv.Tally.Trials, Settings{}).PerDraw:
		fmt.Fprintf(&b, "# (the page ran %d parameter draws: run this file with as many to reproduce it)\n", pv.Tally.Draws())
	}
	fmt.Fprintf(&b, "scensim: 1\nname: %s\n", name)
	if file.Title != "" {
		fmt.Fprintf(&b, "title: %s\n", q(file.Title+" (tuned)"))
	}
	fmt.Fprintf(&b, "extends: %s\n", q(base))
	fmt.Fprintf(&b, "run:\n  trials: %d\n  seed: %d\n", pv.Tally.Trials, pv.Seed)
	if len(set) > 0 {
		b.WriteString("params:\n")
		for _, n := range sortedKeys(set) {
			fmt.Fprintf(&b, "  %s:\n    value: %s\n", n, FormatValue(set[n]))
		}
	}
	return b.String()
}

// overlayMark opens every overlay the page writes; the page overwrites
// only files that start with it.
const overlayMark = "# Written by scensim serve"

var nonIdent = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// OverlayScenarioName makes a scenario name from an overlay's file name:
// its stem with every run of other characters replaced by _, prefixed
// with s_ if it does not start with a letter.
func OverlayScenarioName(file string) string {
	stem := nonIdent.ReplaceAllString(strings.TrimSuffix(filepath.Base(file), ".yaml"), "_")
	if stem == "" || !(stem[0] >= 'A' && stem[0] <= 'Z' || stem[0] >= 'a' && stem[0] <= 'z') {
		stem = "s_" + stem
	}
	return stem
}
