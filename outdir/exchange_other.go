//go:build !linux

package outdir

import "errors"

var errNoExchange = errors.New("atomic exchange not supported")

// exchange is not available on this system: the caller moves the old
// folder aside instead.
var exchange = func(a, b string) error { return errNoExchange }
