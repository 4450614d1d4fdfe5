package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"scensim/model"
	"scensim/outdir"
)

func graphCommand() *cli.Command {
	return &cli.Command{
		Name:      "graph",
		Usage:     "write a scenario's tracks and transitions as a Graphviz DOT graph (render it with: dot -Tsvg)",
		ArgsUsage: "[SCENARIO]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the DOT to this file instead of stdout"},
			&cli.StringSliceFlag{Name: "set", Usage: "override a param or a date: --set name=value (repeatable)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 1 {
				return exitErrorf(ExitInput, "graph: name at most one scenario")
			}
			p, err := compile(c, c.Args().First(), c.StringSlice("set"), true)
			if err != nil {
				return err
			}
			data, err := model.NewGraph(p).DOT()
			if err != nil {
				return fmt.Errorf("%s: encoding DOT: %w", p.Name, err)
			}
			if out := c.String("output"); out != "" {
				if err := outdir.WriteFile(out, data); err != nil {
					return exitErrorf(ExitWrite, "writing %s: %w", out, err)
				}
				return nil
			}
			_, err = c.App.Writer.Write(data)
			return err
		},
	}
}
