// Command scensim runs Monte Carlo scenario models written as YAML files and
// reports the distribution of their outcomes.
//
//	scensim run [SCENARIO...]    run trials, print tables, write result files
//	scensim validate FILE...     check scenario files, reporting every error
//	scensim show SCENARIO        describe a scenario's tracks, transitions, params
//	scensim trace SCENARIO       replay one trial and print its story
//	scensim plot RESULT.json     redraw the charts of a saved result
//	scensim graph SCENARIO       write the tracks and transitions as Graphviz DOT
//	scensim compare A B [C...]   paired comparison with common random numbers
//	scensim hypotheses SCENARIO  switch each hypothesis off alone; rank by effect
//	scensim list                 list the embedded scenarios
//
// SCENARIO is a file path or the name of an embedded scenario; the default
// is the embedded baseline.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/urfave/cli/v2"
)

// version is the tool version written into every result manifest.
var version = "0.1.0"

// exitError carries an exit code with a message already printed or to print.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func main() {
	app := newApp()
	if err := app.Run(interleave(app, os.Args)); err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			if ee.msg != "" {
				fmt.Fprintln(os.Stderr, "scensim:", ee.msg)
			}
			os.Exit(ee.code)
		}
		fmt.Fprintln(os.Stderr, "scensim:", err)
		os.Exit(1)
	}
}

func newApp() *cli.App {
	app := &cli.App{
		Name:    "scensim",
		Usage:   "Monte Carlo scenario simulator: hypotheses as transitions over calendar time",
		Version: version,
		Commands: []*cli.Command{
			runCommand(),
			validateCommand(),
			showCommand(),
			traceCommand(),
			plotCommand(),
			mergeCommand(),
			graphCommand(),
			compareCommand(),
			hypothesesCommand(),
			listCommand(),
			sweepCommand(),
			tornadoCommand(),
			psaCommand(),
			sobolCommand(),
			calibrateCommand(),
			batchCommand(),
			reportCommand(),
		},
		HideHelpCommand: true,
		ExitErrHandler:  func(*cli.Context, error) {},
	}
	setupInput(app)
	return app
}
