package outdir

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// WriteFile replaces the file path with data: written to a temporary
// ".BASE.tmp-<hex>" in the same directory (mode 0644 less umask), fsynced,
// renamed over path, and the directory fsynced. On any failure the previous
// file is untouched and the temporary removed. Temporaries of the same file
// older than an hour (left by killed writers) are removed first. A symbolic link is followed
// (the file it names is replaced). A path that exists and is neither a
// regular file nor a link to one (a device such as /dev/stdout, a pipe) is
// written directly, as it cannot be renamed over; a directory is an error.
func WriteFile(path string, data []byte) error {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	if fi, err := os.Stat(path); err == nil {
		switch {
		case fi.IsDir():
			return fmt.Errorf("%s is a directory", path)
		case !fi.Mode().IsRegular():
			return writeDirect(path, data)
		}
	}
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	removeStaleFileTemps(dir, filepath.Base(path))
	tmp := filepath.Join(dir, "."+filepath.Base(path)+".tmp-"+hex.EncodeToString(b[:]))
	if err := writeSynced(tmp, data); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(dir)
}

// staleAfter is the age after which a file's temporary is taken for the
// leftover of a killed writer: writing one file never takes that long.
const staleAfter = time.Hour

// removeStaleFileTemps removes the temporaries of base in dir that killed
// writers left (older than staleAfter; a younger one may be another
// process's write in progress).
func removeStaleFileTemps(dir, base string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := "." + base + "."
	for _, e := range ents {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !e.Type().IsRegular() || !tempSuffix.MatchString(rest) || !strings.HasPrefix(rest, "tmp-") {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > staleAfter {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

func writeDirect(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
