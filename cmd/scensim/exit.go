package main

import (
	"errors"
	"fmt"
)

// The process exit codes. main is the only place that calls os.Exit; every
// command returns an error that carries one of these codes.
const (
	// ExitOK: the command did what was asked.
	ExitOK = 0
	// ExitWrite: an output (file, folder or stdout) could not be written.
	ExitWrite = 1
	// ExitInput: bad input: an unknown command or flag, a bad flag value, a
	// scenario or file that does not read or compile.
	ExitInput = 2
	// ExitRuntime: a probability left [0, 1] while the trials ran.
	ExitRuntime = 3
	// ExitInterrupted: a signal (Ctrl-C, SIGTERM) stopped the command; it
	// wrote no partial output.
	ExitInterrupted = 130
)

// exitError carries an exit code and the error behind it; errors.Is and
// errors.As see through it to the cause. Its message is printed once, by
// main, unless err is nil (the details were already printed).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// exitWith wraps err with an exit code.
func exitWith(code int, err error) error { return &exitError{code: code, err: err} }

// exitErrorf wraps fmt.Errorf(format, args...) (so %w keeps a cause) with
// an exit code.
func exitErrorf(code int, format string, args ...any) error {
	return &exitError{code: code, err: fmt.Errorf(format, args...)}
}

// exitCodeOf returns the exit code for the error a command returned: the
// code it carries, ExitOK for nil, and for an error that carries none
// ExitWrite (the only failures left unclassified are outputs that could
// not be written).
func exitCodeOf(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return ExitWrite
}
