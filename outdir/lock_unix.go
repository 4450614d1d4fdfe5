//go:build unix

package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// LockName returns the name of the lock file of a folder named base, in the
// folder's parent.
func LockName(base string) string { return "." + base + ".lock" }

// takeLock takes the folder's lock without waiting.
func (t *Target) takeLock(path string) error {
	t.lockPath = path
	f, err := lockFile(t.lockPath, "") // callers name the folder
	t.lock = f
	return err
}

// lockFile creates (if needed) and locks the file path without waiting;
// what, if not empty, is the thing it guards, prefixed to messages. A holder removes the file
// before unlocking it ([unlockFile]); so that two processes never both
// believe they hold it, a lock taken on a file that is no longer the one
// at path is dropped and taken again.
func lockFile(path, what string) (*os.File, error) {
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("%s is not writable: %w", filepath.Dir(path), err)
		}
		for {
			err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
			if !errors.Is(err, syscall.EINTR) {
				break
			}
		}
		if err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				if what != "" {
					what += ": "
				}
				return nil, fmt.Errorf("%s%w (lock %s is held); wait for it to finish or write elsewhere", what, ErrBusy, path)
			}
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		held, herr := f.Stat()
		now, nerr := os.Stat(path)
		if herr == nil && nerr == nil && os.SameFile(held, now) {
			return f, nil
		}
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
		if herr != nil {
			return nil, herr
		}
	}
}

// unlockFile removes the lock file path (still locked, so no other process
// can hold it) and then releases and closes f.
func unlockFile(f *os.File, path string) error {
	rerr := os.Remove(path)
	if errors.Is(rerr, fs.ErrNotExist) {
		rerr = nil
	}
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = rerr
	}
	return err
}

// Lock is a lock taken with [LockIn].
type Lock struct {
	f    *os.File
	path string
}

// LockIn creates dir if needed and takes the lock file name inside it
// without waiting (an error wrapping [ErrBusy] if another process holds
// it), for a folder that is written into but never replaced as a whole,
// such as an output root. Taking it also shows that dir is writable.
func LockIn(dir, name string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, name)
	f, err := lockFile(path, dir)
	if err != nil {
		return nil, err
	}
	probe, err := os.MkdirTemp(dir, ".scensim-probe-")
	if err != nil {
		unlockFile(f, path)
		return nil, fmt.Errorf("%s is not writable: %w", dir, err)
	}
	os.Remove(probe)
	return &Lock{f: f, path: path}, nil
}

// Close releases the lock; safe to call more than once.
func (l *Lock) Close() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlockFile(l.f, l.path)
	l.f = nil
	return err
}
