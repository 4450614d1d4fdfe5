package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// integerFlags lists every integer flag of every command with its range:
// the test below fails if a command has an integer flag not listed here.
var integerFlags = map[string]map[string][2]uint64{
	"run":        {"trials": {1, 2e9}, "seed": {0, math.MaxUint64}, "workers": {1, maxIntFlag}, "max-trials": {1, 2e9}},
	"compare":    {"trials": {1, 2e9}, "seed": {0, math.MaxUint64}, "workers": {1, maxIntFlag}},
	"hypotheses": {"trials": {1, 2e9}, "seed": {0, math.MaxUint64}, "workers": {1, maxIntFlag}, "top": {0, maxIntFlag}},
	"trace":      {"trial": {0, math.MaxInt64}, "seed": {0, math.MaxUint64}},
	"watch":      {"trials": {1, 2e9}, "seed": {0, math.MaxUint64}, "workers": {1, maxIntFlag}, "port": {0, 65535}},
	"serve":      {"trials": {1, 2e9}, "seed": {0, math.MaxUint64}, "workers": {1, maxIntFlag}, "port": {0, 65535}},
	"sweep":      {"trials": {1, 2e9}, "seed": {0, math.MaxUint64}, "workers": {1, maxIntFlag}},
	"tornado":    {"trials": {1, 2e9}, "seed": {0, math.MaxUint64}, "workers": {1, maxIntFlag}, "top": {0, maxIntFlag}},
	"psa":        {"seed": {0, math.MaxUint64}, "workers": {1, maxIntFlag}, "outer": {0, maxIntFlag}, "inner": {0, maxIntFlag}, "bootstrap": {0, maxIntFlag}},
	"sobol":      {"seed": {0, math.MaxUint64}, "workers": {1, maxIntFlag}, "samples": {0, maxIntFlag}, "inner": {0, maxIntFlag}, "bootstrap": {0, maxIntFlag}},
	"calibrate": {"trials": {1, 2e9}, "seed": {0, math.MaxUint64}, "workers": {1, maxIntFlag}, "max-evals": {0, maxIntFlag},
		"check-trials": {1, 2e9}, "check-seed": {0, math.MaxUint64}},
	"batch": {"workers": {0, maxIntFlag}, "parallel": {0, maxIntFlag}},
	"score": {"bins": {1, 1000}},
}

// Every integer flag of every command reads its value by one exact rule:
// 1e3 is 1000, 2.5e3 is 2500, 1_000 is 1000; 1.5, 2.5e0, 1e-3, 0x10 and
// values out of range are refused with a message naming the flag, exit 2
// (never rounded: 1.5 was read as 1, 2.5e3 as 2).
func TestIntegerFlagsExact(t *testing.T) {
	app := newApp()
	for _, cmd := range app.Commands {
		want := integerFlags[cmd.Name]
		seen := map[string]bool{}
		for _, f := range cmd.Flags {
			name := f.Names()[0]
			switch f := f.(type) {
			case *cli.IntFlag, *cli.Int64Flag, *cli.UintFlag, *cli.Uint64Flag:
				t.Errorf("%s --%s is a %T, read by another rule", cmd.Name, name, f)
			case *cli.GenericFlag:
				if _, ok := f.Value.(*wholeValue); ok {
					seen[name] = true
					if _, listed := want[name]; !listed {
						t.Errorf("%s --%s is an integer flag the test does not list", cmd.Name, name)
					}
				}
			}
		}
		for name := range want {
			if !seen[name] {
				t.Errorf("%s has no integer flag --%s", cmd.Name, name)
			}
		}
	}
	for cmdName, flags := range integerFlags {
		for name, r := range flags {
			lo, hi := r[0], r[1]
			accept := map[string]uint64{
				fmt.Sprint(lo): lo, fmt.Sprint(hi): hi,
				fmt.Sprintf("%de0", lo): lo,
			}
			if hi >= 2500 && lo <= 1000 {
				accept["1e3"], accept["2.5e3"], accept["1_000"], accept["2500.0"] = 1000, 2500, 1000, 2500
			}
			for v, want := range accept {
				got, err := parseFlagOf(app, cmdName, name, v)
				if err != nil || got != want {
					t.Errorf("%s --%s %s = %d, %v; want %d", cmdName, name, v, got, err, want)
				}
			}
			refuse := map[string]string{
				"1.5":                "is not a whole number",
				"2.5e0":              "is not a whole number",
				"1e-3":               "is not a whole number",
				"0x10":               "is not a whole number",
				"abc":                "is not a whole number",
				"-1":                 "is out of range",
				fmt.Sprint(hi) + "0": "",
			}
			if lo > 0 {
				refuse[fmt.Sprint(lo-1)] = "is out of range"
			}
			for v, msg := range refuse {
				if _, err := parseFlagOf(app, cmdName, name, v); err == nil || !strings.Contains(err.Error(), msg) {
					t.Errorf("%s --%s %s: %v, want an error saying %q", cmdName, name, v, err, msg)
				}
			}
		}
	}
}

// parseFlagOf parses "--name value" with command cmd's flags and reads the
// flag back as the command does (c.Uint64; c.Int and c.String read the
// same decimal text).
func parseFlagOf(app *cli.App, cmd, name, value string) (uint64, error) {
	c := app.Command(cmd)
	set := flag.NewFlagSet(cmd, flag.ContinueOnError)
	set.SetOutput(new(strings.Builder))
	for _, f := range c.Flags {
		if err := f.Apply(set); err != nil {
			return 0, err
		}
	}
	if err := set.Parse([]string{"--" + name, value}); err != nil {
		return 0, err
	}
	ctx := cli.NewContext(app, set, nil)
	if fmt.Sprint(ctx.Uint64(name)) != ctx.String(name) {
		return 0, fmt.Errorf("c.Uint64 = %d but c.String = %q", ctx.Uint64(name), ctx.String(name))
	}
	return ctx.Uint64(name), nil
}

// End to end: the seed and trial count a run records are the exact values
// given, and a refused value exits 2 naming the flag, for each command
// that runs trials.
func TestIntegerFlagsEndToEnd(t *testing.T) {
	out, err := run(t, "run", "--seed", "2.5e3", "-n", "1e2", "--no-files", "-q", "-f", "json")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Manifest struct {
			Seed   uint64
			Trials int64
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Manifest.Seed != 2500 || res.Manifest.Trials != 100 {
		t.Errorf("run --seed 2.5e3 -n 1e2 recorded seed %d, %d trials; want 2500, 100", res.Manifest.Seed, res.Manifest.Trials)
	}
	for _, args := range [][]string{
		{"run", "--seed", "1.5"},
		{"run", "baseline", "--seed", "2.5e0"},
		{"run", "--trials", "1e-3"},
		{"run", "--workers", "1.5"},
		{"run", "--precision", "0.01", "--max-trials", "1.5"},
		{"run", "--shard", "1.5/4"},
		{"compare", "baseline", "no_linkage", "--seed", "1.5"},
		{"hypotheses", "--top", "1.5"},
		{"trace", "--trial", "1.5"},
		{"trace", "--seed", "1e-3"},
		{"sweep", "--param", "x", "--seed", "1.5"},
		{"tornado", "--top", "2.5"},
		{"psa", "--outer", "1.5"},
		{"sobol", "-N", "1.5"},
		{"calibrate", "--check-seed", "1.5"},
		{"batch", "--parallel", "1.5", "x.yaml"},
	} {
		_, err := run(t, args...)
		flagName := ""
		for _, a := range args {
			if strings.HasPrefix(a, "-") {
				flagName = a
			}
		}
		if exitCode(err) != 2 || !strings.Contains(err.Error(), "is not a whole number") {
			t.Errorf("%s: %v (exit %d), want exit 2 saying it is not a whole number", strings.Join(args, " "), err, exitCode(err))
		}
		if err != nil && !strings.HasPrefix(err.Error(), flagName+": ") {
			t.Errorf("%s: %q does not start with %s", strings.Join(args, " "), err, flagName)
		}
	}
	// --shard reads k and n by the same rule.
	if _, err := run(t, "run", "-n", "100", "--shard", "1e0/4", "-q", "-f", "none", "--out", t.TempDir()); err != nil {
		t.Errorf("--shard 1e0/4: %v", err)
	}
}
