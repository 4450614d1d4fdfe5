//go:build unix

package fsread

import "syscall"

// openFlags are added when opening a file to read: a named pipe that
// replaced the file between the Stat and the Open does not block the Open
// (and is then refused by its mode).
const openFlags = syscall.O_NONBLOCK
