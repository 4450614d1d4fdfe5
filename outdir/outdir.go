package outdir

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
)

// ErrBusy is returned (wrapped) by [Open] when another process holds the
// lock of the folder.
var ErrBusy = errors.New("another scensim process is writing it")

// File is one file of a folder: a plain name (no path separator, not
// starting with a dot) and its content.
type File struct {
	Name string
	Data []byte
}

// Target is a folder opened for replacement: its lock is held until Close.
type Target struct {
	dir, parent, base string
	lock              *os.File
	lockPath          string
	inPlace           bool // dir is a mount point: replaced file by file
	// made is the first of dir's parents that Open created ("" if none):
	// Close removes the parents it created, if still empty, when nothing
	// was written, so that a failed or interrupted command leaves no
	// empty output root behind.
	made    string
	written bool
}

// Dir returns the folder's path (cleaned, with a symbolic link to a folder
// resolved to the folder itself).
func (t *Target) Dir() string { return t.dir }

// sameDevice reports whether two existing paths are on one filesystem; a
// variable so that tests can simulate a mount point.
var sameDevice = func(a, b string) (bool, error) {
	da, err := device(a)
	if err != nil {
		return false, err
	}
	db, err := device(b)
	if err != nil {
		return false, err
	}
	return da == db, nil
}

func device(path string) (uint64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, fmt.Errorf("%s: no device number", path)
	}
	return uint64(st.Dev), nil
}

// Open prepares dir to be replaced: it creates dir's missing parents, takes
// the lock ".BASE.lock" beside dir (an error wrapping [ErrBusy] if another
// process holds it; for a mount point, the lock is ".scensim.lock" inside
// it, as its parent may be read-only), checks that the parent (or dir
// itself, if dir is a mount point) is writable by creating and removing a probe folder, checks
// that an existing dir may be replaced (see the package doc), and removes
// the temporary folders of killed writers, first restoring a folder that a
// killed writer had moved aside. It does not change dir otherwise. Call it
// before long work, so that an unwritable or busy output fails at once.
func Open(dir string) (*Target, error) {
	dir = filepath.Clean(dir)
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(dir)
		if err != nil {
			return nil, err
		}
		dir = real
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if filepath.Dir(abs) == abs {
		return nil, fmt.Errorf("%s: cannot replace a filesystem root", dir)
	}
	t := &Target{dir: dir, parent: filepath.Dir(dir), base: filepath.Base(dir)}
	exists := false
	switch fi, err := os.Stat(t.dir); {
	case err == nil && !fi.IsDir():
		return nil, fmt.Errorf("%s exists and is not a directory", t.dir)
	case err == nil:
		exists = true
		same, err := sameDevice(t.dir, t.parent)
		if err != nil {
			return nil, err
		}
		t.inPlace = !same
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	default:
		t.made = firstMissing(t.parent)
		if err := os.MkdirAll(t.parent, 0o755); err != nil {
			return nil, err
		}
	}
	lockPath := filepath.Join(t.parent, LockName(t.base))
	if t.inPlace { // the parent may be read-only; the mount point is not
		lockPath = filepath.Join(t.dir, inPlaceLockName)
	}
	if err := t.takeLock(lockPath); err != nil {
		return nil, err
	}
	if err := t.prepare(exists); err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

// inPlaceLockName is the lock file inside a mount point written in place.
const inPlaceLockName = ".scensim.lock"

// prepare runs under the lock: it removes what killed writers left, checks
// that an existing folder may be replaced and that the place the
// temporaries go is writable.
func (t *Target) prepare(exists bool) error {
	probeIn := t.parent
	if t.inPlace {
		probeIn = t.dir
		stale, _ := filepath.Glob(filepath.Join(t.dir, ".scensim-tmp-*"))
		for _, p := range stale {
			if err := os.RemoveAll(p); err != nil {
				return fmt.Errorf("removing a stale temporary folder: %w", err)
			}
		}
	} else {
		if err := t.recover(); err != nil {
			return err
		}
		if _, err := os.Lstat(t.dir); err == nil {
			exists = true // restored by recover
		}
		if exists {
			if err := checkReplaceable(t.dir); err != nil {
				return err
			}
		}
	}
	probe, err := os.MkdirTemp(probeIn, ".scensim-probe-")
	if err != nil {
		return fmt.Errorf("%s is not writable: %w", probeIn, err)
	}
	return os.Remove(probe)
}

// checkReplaceable refuses a folder scensim did not write.
func checkReplaceable(dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(ents) == 0 {
		return nil
	}
	for _, e := range ents {
		if e.IsDir() {
			return fmt.Errorf("%s holds a folder, %s, which scensim never writes; refusing to replace it: remove it or write elsewhere", dir, e.Name())
		}
	}
	for _, name := range []string{ManifestName, "result.json", "job.json", "compare.json"} {
		if fi, err := os.Lstat(filepath.Join(dir, name)); err == nil && fi.Mode().IsRegular() {
			return nil
		}
	}
	return fmt.Errorf("%s is a folder not written by scensim (it holds neither %s nor result.json); refusing to replace it: remove it or write elsewhere", dir, ManifestName)
}

// temporary names: ".BASE.tmp-HEX" (a new version being written, or an old
// one being removed), ".BASE.old-HEX" (an old version moved aside where the
// filesystem cannot exchange).
var tempSuffix = regexp.MustCompile(`^(tmp|old)-[0-9a-f]{16}$`)

func (t *Target) tempName(kind string) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return filepath.Join(t.parent, "."+t.base+"."+kind+"-"+hex.EncodeToString(b[:]))
}

// recover runs under the lock: it restores a folder moved aside by a killed
// writer and removes temporary folders of killed writers.
func (t *Target) recover() error {
	ents, err := os.ReadDir(t.parent)
	if err != nil {
		return err
	}
	prefix := "." + t.base + "."
	var tmps, olds []string
	for _, e := range ents {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !e.IsDir() {
			continue
		}
		switch m := tempSuffix.FindStringSubmatch(rest); {
		case m != nil && m[1] == "old", rest == "old": // "old": an earlier version's name
			olds = append(olds, filepath.Join(t.parent, e.Name()))
		case m != nil, rest == "new":
			tmps = append(tmps, filepath.Join(t.parent, e.Name()))
		}
	}
	if _, err := os.Lstat(t.dir); errors.Is(err, fs.ErrNotExist) && len(olds) > 0 {
		// At most one folder is moved aside at a time under the lock.
		slices.Sort(olds)
		if err := os.Rename(olds[0], t.dir); err != nil {
			return fmt.Errorf("restoring %s: %w", t.dir, err)
		}
		olds = olds[1:]
	}
	for _, p := range slices.Concat(tmps, olds) {
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("removing a stale temporary folder: %w", err)
		}
	}
	return nil
}

// Replace makes dir hold exactly files plus a manifest of them, as the
// package doc describes. Names must be plain file names, distinct, not
// starting with a dot. On an error before the swap, dir is unchanged.
func (t *Target) Replace(files []File) error {
	if t.lock == nil {
		return errors.New("outdir: Replace after Close")
	}
	seen := map[string]bool{}
	for _, f := range files {
		if err := checkName(f.Name); err != nil {
			return err
		}
		if seen[f.Name] {
			return fmt.Errorf("outdir: %q named twice", f.Name)
		}
		seen[f.Name] = true
	}
	man, err := ManifestOf(files).Encode()
	if err != nil {
		return err
	}
	all := append(slices.Clone(files), File{Name: ManifestName, Data: man})
	if t.inPlace {
		return t.replaceInPlace(all)
	}
	tmp := t.tempName("tmp")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return err
	}
	if err := writeAll(tmp, all); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := t.swap(tmp); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	t.written = true
	if err := syncDir(t.parent); err != nil {
		return fmt.Errorf("written but not synced: %w", err)
	}
	return os.RemoveAll(tmp) // the previous version, if any
}

// swap puts the folder tmp in dir's place; afterwards tmp holds the
// previous version (or nothing).
func (t *Target) swap(tmp string) error {
	if _, err := os.Lstat(t.dir); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, t.dir)
	}
	err := exchange(tmp, t.dir)
	if err == nil || !errors.Is(err, errNoExchange) {
		return err
	}
	old := t.tempName("old")
	if err := os.Rename(t.dir, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, t.dir); err != nil {
		if rerr := os.Rename(old, t.dir); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	return os.Rename(old, tmp)
}

// replaceInPlace replaces a mount point's files one by one.
func (t *Target) replaceInPlace(all []File) error {
	prev, _ := ReadManifestFile(t.dir) // nil if none: then no file is removed
	tmp, err := os.MkdirTemp(t.dir, ".scensim-tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := writeAll(tmp, all); err != nil {
		return err
	}
	for _, f := range all { // the manifest is last
		if fi, err := os.Lstat(filepath.Join(t.dir, f.Name)); err == nil && fi.IsDir() {
			return fmt.Errorf("%s is a directory", filepath.Join(t.dir, f.Name))
		}
		if err := os.Rename(filepath.Join(tmp, f.Name), filepath.Join(t.dir, f.Name)); err != nil {
			return err
		}
	}
	if prev != nil {
		for _, e := range prev.Files {
			if !slices.ContainsFunc(all, func(f File) bool { return f.Name == e.Name }) && checkName(e.Name) == nil {
				if err := os.Remove(filepath.Join(t.dir, e.Name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return err
				}
			}
		}
	}
	return syncDir(t.dir)
}

// Close releases the lock. It is safe to call more than once, and on nil.
func (t *Target) Close() error {
	if t == nil || t.lock == nil {
		return nil
	}
	err := unlockFile(t.lock, t.lockPath)
	t.lock = nil
	if !t.written && t.made != "" {
		removeEmptyUpTo(t.parent, t.made)
	}
	return err
}

// firstMissing returns the outermost folder of dir and its parents that
// does not exist ("" if dir exists).
func firstMissing(dir string) string {
	missing := ""
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil {
			return missing
		}
		missing = d
		if filepath.Dir(d) == d {
			return missing
		}
	}
}

// removeEmptyUpTo removes dir and its parents up to and including top,
// each only if it is empty, stopping at the first it cannot remove.
func removeEmptyUpTo(dir, top string) {
	for d := dir; ; d = filepath.Dir(d) {
		if os.Remove(d) != nil || d == top || filepath.Dir(d) == d {
			return
		}
	}
}

// ReplaceDir is Open, Replace and Close in one call.
func ReplaceDir(dir string, files []File) error {
	t, err := Open(dir)
	if err != nil {
		return err
	}
	defer t.Close()
	if err := t.Replace(files); err != nil {
		return err
	}
	return t.Close()
}

func checkName(name string) error {
	if name == "" || strings.HasPrefix(name, ".") || strings.ContainsAny(name, `/\`) || filepath.Base(name) != name {
		return fmt.Errorf("outdir: %q is not a plain file name", name)
	}
	return nil
}

// writeAll writes files into dir, each fsynced, some at once, then fsyncs
// dir. It returns once every write has ended, with the first failure in
// the files' order.
func writeAll(dir string, files []File) error {
	errs := make([]error, len(files))
	slots := make(chan struct{}, maxParallelWrites)
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			errs[i] = writeSynced(filepath.Join(dir, f.Name), f.Data)
			<-slots
		}()
	}
	wg.Wait()
	for _, err := range errs { // the first failure in the files' order
		if err != nil {
			return err
		}
	}
	return syncDir(dir)
}

// maxParallelWrites bounds the files writeAll writes and fsyncs at once:
// fsyncs in flight together share the filesystem's journal commits, where
// one after another each waits for its own (29 files of 100 kB: 35–95 ms
// one after another, 10–18 ms eight at a time, on this project's machine).
const maxParallelWrites = 8

// writeSynced creates path (which must not exist), writes data and fsyncs.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir fsyncs a directory so that renames in it are durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
