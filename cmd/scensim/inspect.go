package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"scensim/model"
	"scensim/scenarios"
	"scensim/sim"
)

func validateCommand() *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check scenario files: every error at once, with file:line:col and a caret; warnings for unreachable states, states that can never be left and dead transitions",
		ArgsUsage: "SCENARIO...",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "set", Usage: "check with an override: --set name=value (repeatable)"},
			evidenceFlag(),
		},
		Action: func(c *cli.Context) error {
			args := c.Args().Slice()
			if len(args) == 0 {
				return exitErrorf(ExitInput, "validate: name at least one scenario file")
			}
			bad := 0
			for _, a := range args {
				p, err := compile(c, a, c.StringSlice("set"), false)
				if err != nil {
					fmt.Fprintln(c.App.ErrWriter, err)
					bad++
					continue
				}
				fmt.Fprintf(c.App.Writer, "%s: ok: %d tracks, %d states, %d transitions, %d params, %d outcomes, %d steps; %d warning(s)\n",
					p.File, len(p.Tracks), len(p.States), len(p.Transitions), len(p.Params), len(p.Outcomes), p.Steps, len(p.Warnings))
				writeIrregularSteps(c.App.Writer, p)
				validateChecks(c.App.Writer, p)
				validateValues(c.App.Writer, p)
				validateEvidence(c.App.Writer, p)
			}
			if bad > 0 {
				return exitErrorf(ExitInput, "%d of %d file(s) have errors", bad, len(args))
			}
			return nil
		},
	}
}

func listCommand() *cli.Command {
	return &cli.Command{
		Name:  "list",
		Usage: "list the embedded scenarios",
		Action: func(c *cli.Context) error {
			w := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
			for _, name := range scenarios.Names() {
				data, _ := scenarios.Read(name)
				p, _ := model.CompileWith(scenarios.SourceName(name), data, model.Options{Resolve: resolveBase})
				title := "(does not compile)"
				if p != nil {
					title = p.Title
				}
				mark := ""
				if name == scenarios.Default {
					mark = " (default)"
				}
				fmt.Fprintf(w, "%s%s\t%s\n", name, mark, title)
			}
			return w.Flush()
		},
	}
}

func showCommand() *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "describe a scenario: time, dates, params with sources, tracks, transitions, outcomes, and which hypothesis is carried where",
		ArgsUsage: "[SCENARIO]",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "set", Usage: "show with an override: --set name=value (repeatable)"},
		},
		Action: func(c *cli.Context) error {
			p, err := compile(c, c.Args().First(), c.StringSlice("set"), false)
			if err != nil {
				return err
			}
			return show(c.App.Writer, p)
		},
	}
}

func sources(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return " [" + strings.Join(s, ", ") + "]"
}

// describeExpr says how an expression will be evaluated.
func describeExpr(e *model.Expr) string {
	if e == nil {
		return ""
	}
	switch e.Mode {
	case model.ModeConst:
		if e.Type == model.TypeBool {
			return fmt.Sprintf("%s  (always %v)", e.Src, e.Const != 0)
		}
		return fmt.Sprintf("%s  (= %.6g)", e.Src, e.Const)
	case model.ModeTable:
		return e.Src + "  (depends on time)"
	case model.ModeSlot:
		return e.Src + "  (fixed per trial)"
	}
	return fmt.Sprintf("%s  (depends on %s)", e.Src, e.Dep)
}

func show(w io.Writer, p *model.Plan) error {
	b := &strings.Builder{}
	pf := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	pf("%s — %s\n", p.Name, p.Title)
	if p.Description != "" {
		pf("\n%s\n", p.Description)
	}
	pf("\nfile %s (sha256 %s)\n", p.File, p.SHA256[:12])
	pf("time: %d %s steps from %s to %s; rates per %s; default %d trials, seed %d\n",
		p.Steps, p.StepUnit, p.Points[0].Format("2006-01-02"), p.Points[p.Steps].Format("2006-01-02"), p.RateUnit, p.Trials, p.Seed)
	if lines := irregularSteps(p); len(lines) > 0 {
		pf("irregular steps (%s):\n  %s\n", shortStepNote, strings.Join(lines, "\n  "))
	}
	for _, b := range p.Bases {
		pf("extends %s (sha256 %s)\n", b.File, b.SHA256[:12])
	}
	if len(p.Overrides) > 0 {
		pf("overrides: %s\n", strings.Join(p.Overrides, ", "))
	}
	showDisabled(pf, p)
	cites := map[string][]string{}
	cite := func(what string, src []string) {
		for _, h := range src {
			cites[h] = append(cites[h], what)
		}
	}
	if len(p.Dates) > 0 {
		pf("\nDATES\n")
		for _, d := range p.Dates {
			internal := ""
			if d.Internal {
				internal = ", internal: not drawn in charts"
			}
			pf("  %-20s %s  (point %d%s)\n", d.Name, d.Date.Format("2006-01-02"), d.Point, internal)
		}
	}
	if len(p.Params) > 0 {
		pf("\nPARAMS\n")
		for _, par := range p.Params {
			v := fmt.Sprintf("%.6g", par.Value)
			if par.Dist != nil {
				v = fmt.Sprintf("~ %s (mean %.4g)", par.Dist.Src, par.Value)
			}
			rng := ""
			if par.HasRange {
				rng = fmt.Sprintf("  range [%g, %g]", par.Lo, par.Hi)
			}
			pf("  %-26s %s%s%s%s\n", par.Name, v, rng, sources(par.Source), offValues(par))
			if par.Why != "" {
				pf("      %s\n", par.Why)
			}
			cite("param "+par.Name, par.Source)
		}
	}
	if len(p.Vars) > 0 {
		pf("\nVARS\n")
		for _, v := range p.Vars {
			pf("  %-26s %s, initially %s%s\n", v.Name, v.Type, v.Init.Src, sources(v.Source))
			if v.Why != "" {
				pf("      %s\n", v.Why)
			}
			cite("var "+v.Name, v.Source)
		}
	}
	pf("\nTRACKS\n")
	for ti, tr := range p.Tracks {
		pf("  %s (initial %s)\n", tr.Name, p.States[tr.Initial].Name)
		if tr.Why != "" {
			pf("      %s\n", tr.Why)
		}
		for g := tr.First; g < tr.First+tr.NStates; g++ {
			st := p.States[g]
			pf("    state %-22s %s\n", st.Name, st.Desc)
		}
		for _, x := range p.Transitions {
			if x.Track != ti {
				continue
			}
			var from []string
			for _, g := range x.From {
				from = append(from, p.States[g].Name)
			}
			keep := ""
			if x.OffKeep {
				keep = "  off: keep"
			}
			pf("    %s: %s -> %s%s%s\n", x.Name, strings.Join(from, ","), p.States[x.To].Name, sources(x.Source), keep)
			if x.Rate != nil {
				pf("        rate  %s per %s\n", describeExpr(x.Rate), x.Per)
			} else {
				pf("        p     %s\n", describeExpr(x.Prob))
			}
			if x.Guard != nil {
				pf("        when  %s\n", describeExpr(x.Guard))
			}
			for _, e := range x.Effects {
				pf("        set   %s = %s\n", p.Vars[e.Var].Name, e.Value.Src)
			}
			if x.Why != "" {
				pf("        why   %s\n", x.Why)
			}
			cite("transition "+tr.Name+": "+x.Name, x.Source)
		}
	}
	showOutcomes(pf, p, cite)
	showValues(pf, p, cite)
	showChecks(pf, p, cite)
	if len(cites) > 0 {
		pf("\nHYPOTHESES (where each is carried)\n")
		var ids []string
		for h := range cites {
			ids = append(ids, h)
		}
		sort.Slice(ids, func(i, j int) bool { return hypLess(ids[i], ids[j]) })
		for _, h := range ids {
			pf("  %-5s %s\n", h, strings.Join(cites[h], "; "))
		}
	}
	if len(p.Warnings) > 0 {
		pf("\nWARNINGS\n")
		for _, e := range p.Warnings {
			pf("  %s\n", e.Error())
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// hypLess orders hypothesis IDs naturally: H2 before H10.
func hypLess(a, b string) bool {
	var na, nb int
	_, ea := fmt.Sscanf(a, "H%d", &na)
	_, eb := fmt.Sscanf(b, "H%d", &nb)
	if ea == nil && eb == nil && na != nb {
		return na < nb
	}
	return a < b
}

func traceCommand() *cli.Command {
	return &cli.Command{
		Name:      "trace",
		Usage:     "replay one trial alone and print its story: which transitions fired, when, with what probability",
		ArgsUsage: "[SCENARIO]",
		Flags: append([]cli.Flag{
			wholeFlag("trial", []string{"t"}, "0", 0, math.MaxInt64, "trial index (as in a run with the same seed)"),
			seedFlag("seed", "random seed (default: the scenario's run.seed)"),
			&cli.StringSliceFlag{Name: "set", Usage: "override a param or a date: --set name=value (repeatable)"},
			&cli.StringFlag{Name: "trials", Aliases: []string{"n"}, Usage: "trials of the run the trial belongs to, which sets its draw in a nested run (default: the scenario's run.trials)"},
			evidenceFlag(),
		}, paramFlags()...),
		Action: func(c *cli.Context) error {
			p, err := compile(c, c.Args().First(), c.StringSlice("set"), true)
			if err != nil {
				return err
			}
			seed := p.Seed
			if s := c.String("seed"); s != "" {
				if _, err := fmt.Sscan(s, &seed); err != nil {
					return exitErrorf(ExitInput, "--seed %q: want a whole number", s)
				}
			}
			trial := c.Int64("trial")
			if trial < 0 || trial >= model.MaxTrials {
				return exitErrorf(ExitInput, "--trial %d: want 0 to %d", trial, int64(model.MaxTrials)-1)
			}
			trials := p.Trials
			if s := c.String("trials"); s != "" {
				if trials, err = model.ParseTrials(s); err != nil {
					return exitErrorf(ExitInput, "--trials: %w", err)
				}
			}
			if trial >= trials {
				return exitErrorf(ExitInput, "--trial %d: a run of %d trials has trials 0 to %d (set --trials)", trial, trials, trials-1)
			}
			params, err := paramsOf(c, p, trials, false)
			if err != nil {
				return err
			}
			path, err := sim.ReplayParams(p, seed, trial, params)
			if err != nil {
				return exitWith(ExitRuntime, err)
			}
			if params.PerDraw > 0 {
				fmt.Fprintf(c.App.Writer, "nested run of %d trials: trial %d is in parameter draw %d (%d trials per draw)\n", trials, trial, trial/params.PerDraw, params.PerDraw)
			}
			return writeTrace(c.App.Writer, p, seed, path)
		},
	}
}

func writeTrace(w io.Writer, p *model.Plan, seed uint64, path *sim.Path) error {
	b := &strings.Builder{}
	pf := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	pf("%s: trial %d, seed %d\n", p.Name, path.Trial, seed)
	for i, par := range p.Params {
		if par.Dist != nil {
			pf("  param %-24s = %.4g  (drawn from %s)\n", par.Name, path.Params[i], par.Dist.Src)
		}
	}
	pf("  start %s:", p.Points[0].Format("2006-01-02"))
	for _, tr := range p.Tracks {
		pf(" %s=%s", tr.Name, p.States[tr.Initial].Name)
	}
	pf("\n")
	for _, e := range path.Events {
		move := e.From + " -> " + e.To
		if e.From == e.To {
			move = e.From + " (event)"
		}
		pf("  %s  %s %-3d %-12s %-40s p=%.4f (all %.4f, u=%.4f)", p.Points[e.Step+1].Format("2006-01-02"), stepLabel(p), e.Step+1, e.Track, move, e.P, e.Total, e.U)
		if len(e.Sets) > 0 {
			pf("  set %s", strings.Join(e.Sets, ", "))
		}
		pf("\n")
	}
	pf("  horizon %s:", p.Points[p.Steps].Format("2006-01-02"))
	for k, tr := range p.Tracks {
		pf(" %s=%s", tr.Name, path.Final[k])
	}
	pf("\n")
	for i, v := range p.Vars {
		val := fmt.Sprintf("%.4g", path.Vars[i])
		if v.Type == model.TypeBool {
			val = fmt.Sprint(path.Vars[i] != 0)
		}
		pf("  var %s = %s\n", v.Name, val)
	}
	for i, o := range p.Outcomes {
		mark := map[int8]string{1: "yes", 0: "no", -1: "n/a (given false)"}[path.Outcomes[i]]
		pf("  outcome %-32s %s\n", o.Name, mark)
	}
	traceValues(pf, p, path)
	traceChecks(pf, p, path)
	traceEvidence(pf, p, path)
	_, err := io.WriteString(w, b.String())
	return err
}
