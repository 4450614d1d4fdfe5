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
// is the embedded baseline. "scensim help [COMMAND]" describes the commands
// and their flags.
//
// Exit codes (see exit.go): 0 success; 1 an output could not be written;
// 2 bad input (an unknown command or flag, a bad flag value, a scenario
// that does not read or compile); 3 a probability left [0, 1] during the
// trials; 130 interrupted by SIGINT or SIGTERM, with no partial output (a
// second Ctrl-C ends the process at once).
//
// This package is the only one that knows about flags, the process's
// streams, signals and exit codes: it maps flags to the option structs of
// the library packages and passes its output writers down to them.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"
)

// version is the tool version written into every result manifest.
var version = "0.1.0"

func main() {
	ctx, stop := signalContext()
	defer stop()
	code := runMain(ctx, os.Args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// signalContext returns a context that the first SIGINT or SIGTERM
// cancels; every command watches it, stops within one unit of work and
// writes nothing partial. After the first signal the default handling is
// restored, so a second Ctrl-C ends the process at once.
func signalContext() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}

// runMain runs the command line args (args[0] is the program name) with
// the given output streams and returns the process exit code; the error,
// if any, is printed on stderr.
func runMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	app := newApp()
	app.Writer, app.ErrWriter = stdout, stderr
	err := app.RunContext(ctx, interleave(app, args))
	if err != nil && err.Error() != "" {
		fmt.Fprintln(stderr, "scensim:", err)
	}
	return exitCodeOf(err)
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
			diffCommand(),
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
			scoreCommand(),
			watchCommand(),
			serveCommand(),
		},
		Action:         appAction,
		OnUsageError:   usageError,
		ExitErrHandler: func(*cli.Context, error) {},
	}
	for _, cmd := range app.Commands {
		cmd.OnUsageError = usageError
	}
	setupInput(app)
	return app
}

// appAction runs when no command matched: with no arguments it prints the
// help; an argument is an unknown command (bad input).
func appAction(c *cli.Context) error {
	if c.NArg() == 0 {
		return cli.ShowAppHelp(c)
	}
	return exitErrorf(ExitInput, "unknown command %q (scensim help lists the commands)", c.Args().First())
}

// usageError makes a flag that is unknown, lacks its value or has a value
// of the wrong type bad input, with a pointer to the command's help.
func usageError(c *cli.Context, err error, _ bool) error {
	msg := flagMessage(err) // "--flag: why" when the flag is known
	if c.Command != nil && c.Command.Name != "" && c.Command.Name != c.App.Name {
		if !strings.HasPrefix(msg, "-") {
			msg = c.Command.Name + ": " + msg
		}
		return exitWith(ExitInput, fmt.Errorf("%s (scensim help %s shows the flags)", msg, c.Command.Name))
	}
	return exitWith(ExitInput, fmt.Errorf("%s (scensim help shows the commands and flags)", msg))
}
