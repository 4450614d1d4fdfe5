package main

import (
	"fmt"
	"math"
	"regexp"
	"runtime"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"scensim/model"
)

// interleave moves a command's flags before its positional arguments, so
// that "scensim run baseline --trials 1e5" works as well as
// "scensim run --trials 1e5 baseline" (urfave/cli v2 stops reading flags
// at the first positional argument). Arguments after "--" stay positional.
func interleave(app *cli.App, args []string) []string {
	if len(args) < 3 {
		return args
	}
	var cmd *cli.Command
	for _, c := range app.Commands {
		if c.HasName(args[1]) {
			cmd = c
		}
	}
	if cmd == nil {
		return args
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	var flags, pos []string
	rest := args[2:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			pos = append(pos, rest[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if takesValue[name] && i+1 < len(rest) {
			flags = append(flags, rest[i+1])
			i++
		}
	}
	out := append([]string{args[0], args[1]}, flags...)
	if len(pos) > 0 {
		out = append(append(out, "--"), pos...)
	}
	return out
}

// Integer flags. Every count, index and seed on the command line is read by
// one rule, model.ParseWhole: digits (1_000_000 allowed), or a decimal with
// an exponent whose value is exactly whole (1e6, 2.5e3); 1.5 or 1e-3 are
// refused, nothing is rounded. A refused value is a usage error (exit 2).

// wholeValue is the value of an integer flag: parsed by model.ParseWhole
// within [lo, hi], it reads back (String, and so c.Int, c.Int64, c.Uint64
// and c.String) as the exact number in plain decimal, or "" if unset and
// without a default.
type wholeValue struct {
	n      uint64
	has    bool
	lo, hi uint64
}

func (v *wholeValue) Set(s string) error {
	n, err := model.ParseWhole(s, v.lo, v.hi)
	if err != nil {
		return err
	}
	v.n, v.has = n, true
	return nil
}

func (v *wholeValue) String() string {
	if v == nil || !v.has {
		return ""
	}
	return strconv.FormatUint(v.n, 10)
}

// maxIntFlag is the largest value of an int flag (an int on every platform).
const maxIntFlag = math.MaxInt32

// wholeFlag is an integer flag with values in [lo, hi] and a default ("":
// none; the command then sees "" from c.String and 0 from c.Int).
func wholeFlag(name string, aliases []string, def string, lo, hi uint64, usage string) *cli.GenericFlag {
	v := &wholeValue{lo: lo, hi: hi}
	if def != "" {
		if err := v.Set(def); err != nil {
			panic(fmt.Sprintf("flag --%s: default %q: %v", name, def, err))
		}
	}
	return &cli.GenericFlag{Name: name, Aliases: aliases, Value: v, Usage: usage}
}

// seedFlag is a --seed-like flag: 0 to 2^64-1, no default.
func seedFlag(name, usage string) *cli.GenericFlag {
	return wholeFlag(name, nil, "", 0, math.MaxUint64, usage)
}

// trialsFlag is a --trials-like flag: 1 to model.MaxTrials.
func trialsFlag(name string, aliases []string, def, usage string) *cli.GenericFlag {
	return wholeFlag(name, aliases, def, 1, model.MaxTrials, usage)
}

// workersFlag is --workers (-j): 1 or more, default GOMAXPROCS.
func workersFlag() *cli.GenericFlag {
	return wholeFlag("workers", []string{"j"}, strconv.Itoa(runtime.GOMAXPROCS(0)), 1, maxIntFlag, "parallel workers; results do not depend on it")
}

// shardValue is the value of --shard k/n: k and n each read by
// model.ParseWhole; it reads back as "k/n" in plain decimal, which
// results.ParseShard then checks (0 ≤ k < n).
type shardValue struct{ s string }

func (v *shardValue) Set(s string) error {
	ks, ns, ok := strings.Cut(s, "/")
	if !ok {
		return fmt.Errorf("%q: want k/n, e.g. 0/4 for the first of four shards", s)
	}
	k, err := model.ParseWhole(ks, 0, maxIntFlag)
	if err != nil {
		return fmt.Errorf("%q: shard index: %v", s, err)
	}
	n, err := model.ParseWhole(ns, 0, maxIntFlag)
	if err != nil {
		return fmt.Errorf("%q: shard count: %v", s, err)
	}
	v.s = fmt.Sprintf("%d/%d", k, n)
	return nil
}

func (v *shardValue) String() string {
	if v == nil {
		return ""
	}
	return v.s
}

// flagValueRE matches the flag package's message for a value Set refused.
var flagValueRE = regexp.MustCompile(`^invalid value "(?s:.*)" for flag -([^:]+): `)

// flagMessage words the error of a flag the command cannot read
// (unknown, missing its value, or a value refused) with the flag first.
func flagMessage(err error) string {
	msg := err.Error()
	if m := flagValueRE.FindStringSubmatch(msg); m != nil {
		dash := "--"
		if len(m[1]) == 1 {
			dash = "-"
		}
		msg = dash + m[1] + ": " + msg[len(m[0]):]
	}
	return msg
}

// compilesScenarios names the commands that read scenario files (and so
// resolve extends:).
var compilesScenarios = map[string]bool{
	"run": true, "validate": true, "show": true, "trace": true, "graph": true, "compare": true,
	"hypotheses": true, "sweep": true, "tornado": true, "psa": true, "sobol": true, "calibrate": true,
	"batch": true, "report": true,
}

// setupInput gives every command the input rules: flag errors exit 2, and
// commands that compile scenarios take --allow-outside (see resolverFor).
func setupInput(app *cli.App) {
	for _, cmd := range app.Commands {
		if !compilesScenarios[cmd.Name] {
			continue
		}
		cmd.Flags = append(cmd.Flags, &cli.BoolFlag{Name: "allow-outside",
			Usage: "let extends: name a base outside the folder of the scenario that extends it"})
	}
}
