package outdir

import (
	"errors"

	"golang.org/x/sys/unix"
)

// errNoExchange is returned (wrapped) by exchange where the filesystem or
// kernel cannot exchange two paths atomically.
var errNoExchange = errors.New("atomic exchange not supported")

// exchange atomically swaps the entries a and b (both must exist).
var exchange = func(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EOPNOTSUPP) {
		return errors.Join(errNoExchange, err)
	}
	return err
}
