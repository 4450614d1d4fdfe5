package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"scensim/live"
	"scensim/model"
)

func watchCommand() *cli.Command {
	return &cli.Command{
		Name:      "watch",
		Usage:     "re-run a quick preview of a scenario file each time it (or a file it extends) is saved, and print each outcome's change",
		ArgsUsage: "SCENARIO (a file)",
		Flags: append(liveFlags(),
			&cli.BoolFlag{Name: "web", Usage: "also serve the live page (as scensim serve does)"},
			wholeFlag("port", nil, "0", 0, 65535, "with --web: the port on 127.0.0.1 (0: any free port, printed)"),
		),
		Action: watchAction,
	}
}

// liveFlags are the flags of watch and serve: how the previews run.
func liveFlags() []cli.Flag {
	return append([]cli.Flag{
		trialsFlag("trials", []string{"n"}, "2e4", "trials per preview"),
		seedFlag("seed", "the seed of every preview (default: the scenario's run.seed)"),
		workersFlag(),
		&cli.Float64Flag{Name: "min-diff", Value: live.DefaultMinDiff, Usage: "a change is material when its 95% interval lies beyond ±this (0.01 = 1 point)"},
		&cli.DurationFlag{Name: "poll", Value: live.DefaultPoll, Usage: "how often the files are checked for changes"},
	}, paramFlags()...)
}

// liveSetup reads the flags and the scenario argument of watch and serve.
func liveSetup(c *cli.Context) (live.Source, live.Settings, float64, error) {
	var src live.Source
	var st live.Settings
	if c.NArg() != 1 {
		return src, st, 0, exitErrorf(ExitInput, "%s takes one scenario file, got %d arguments", c.Command.Name, c.NArg())
	}
	path := c.Args().First()
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() {
		return src, st, 0, exitErrorf(ExitInput, "%s: want a scenario file (an embedded scenario cannot change, so there is nothing to watch)", path)
	}
	src = live.Source{Path: path, Resolve: resolveBase}
	n, err := model.ParseTrials(c.String("trials"))
	if err != nil {
		return src, st, 0, exitErrorf(ExitInput, "--trials: %w", err)
	}
	st = live.Settings{Trials: n, Workers: c.Int("workers"), Version: version, Fixed: c.Bool("fixed-params")}
	if s := c.String("seed"); s != "" {
		if _, err := fmt.Sscan(s, &st.Seed); err != nil {
			return src, st, 0, exitErrorf(ExitInput, "--seed %q: want a whole number from 0 to 2^64-1", s)
		}
		st.SeedSet = true
	}
	if s := c.String("draws"); s != "" {
		d, err := model.ParseTrials(s)
		if err != nil {
			return src, st, 0, exitErrorf(ExitInput, "--draws: %w", err)
		}
		st.Draws = d
	}
	if err := live.CheckSettings(st); err != nil {
		return src, st, 0, exitWith(ExitInput, err)
	}
	if st.Workers < 1 {
		return src, st, 0, exitErrorf(ExitInput, "--workers must be at least 1")
	}
	md := c.Float64("min-diff")
	if !(md >= 0 && md < 1) {
		return src, st, 0, exitErrorf(ExitInput, "--min-diff %g: want a difference from 0 to 1, e.g. 0.01 for one point", md)
	}
	if c.Duration("poll") < 10*time.Millisecond {
		return src, st, 0, exitErrorf(ExitInput, "--poll %v: want at least 10ms", c.Duration("poll"))
	}
	return src, st, md, nil
}

func watchAction(c *cli.Context) error {
	src, st, md, err := liveSetup(c)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(c.Context) // cancelled by the first signal (see main)
	defer cancel()
	served := make(chan error, 1)
	if c.Bool("web") {
		srv, err := startServer(c, src, st, md)
		if err != nil {
			return err
		}
		go func() { served <- srv.serve(ctx) }()
	}
	fmt.Fprintf(c.App.ErrWriter, "watching %s and the files it extends (every %v); Ctrl-C stops\n", src.Path, c.Duration("poll"))
	w := &live.Watcher{Src: src, Settings: st, MinDiff: md, Poll: c.Duration("poll"), Out: c.App.Writer}
	werr := make(chan error, 1)
	go func() { werr <- w.Watch(ctx) }()
	select {
	case err = <-werr:
	case err = <-served:
	}
	cancel()
	if err == nil || errors.Is(err, context.Canceled) {
		if c.Context.Err() != nil {
			return exitErrorf(ExitInterrupted, "interrupted")
		}
	}
	return err
}
