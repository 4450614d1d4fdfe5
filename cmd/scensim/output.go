package main

import (
	"github.com/urfave/cli/v2"

	"scensim/outdir"
)

// openOutput opens (locks and checks) the output folder dir before a
// command's work, so that an unwritable or busy folder fails at once with
// exit 1. With --no-files it returns nil (Close on nil does nothing).
func openOutput(c *cli.Context, dir string) (*outdir.Target, error) {
	if c.Bool("no-files") {
		return nil, nil
	}
	t, err := outdir.Open(dir)
	if err != nil {
		return nil, exitErrorf(ExitWrite, "writing %s: %w", dir, err)
	}
	return t, nil
}
