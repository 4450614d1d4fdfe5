//go:build !unix

package fsread

// openFlags are added when opening a file to read (none here).
const openFlags = 0
