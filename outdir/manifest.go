package outdir

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ManifestName is the file, in every folder [Target.Replace] writes, that
// lists the folder's other files.
const ManifestName = ".scensim-files.json"

// ManifestFormat is the value of a manifest's "format" field.
const ManifestFormat = "scensim-files/1"

// maxManifestBytes bounds what [ReadManifestFile] reads.
const maxManifestBytes = 1 << 20

// Manifest lists the files of a folder, sorted by name.
type Manifest struct {
	Format string  `json:"format"`
	Files  []Entry `json:"files"`
}

// Entry is one file of a manifest: its name, size in bytes and SHA-256
// (64 lowercase hex digits).
type Entry struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// ManifestOf lists files, sorted by name.
func ManifestOf(files []File) *Manifest {
	m := &Manifest{Format: ManifestFormat, Files: make([]Entry, 0, len(files))}
	for _, f := range files {
		sum := sha256.Sum256(f.Data)
		m.Files = append(m.Files, Entry{Name: f.Name, Size: int64(len(f.Data)), SHA256: hex.EncodeToString(sum[:])})
	}
	slices.SortFunc(m.Files, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	return m
}

// Encode renders m as indented JSON with a final newline.
func (m *Manifest) Encode() ([]byte, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Has reports whether m lists a file of that name.
func (m *Manifest) Has(name string) bool {
	return slices.ContainsFunc(m.Files, func(e Entry) bool { return e.Name == name })
}

// ReadManifest parses a manifest. It refuses, naming the field: anything but
// one JSON object with exactly the fields "format" (= [ManifestFormat]) and
// "files"; an entry without exactly "name", "size" and "sha256", or with a
// null among them; a name that is not a plain file name or is listed twice;
// a negative or non-integer size; a SHA-256 that is not 64 lowercase hex
// digits. Files are returned sorted by name.
func ReadManifest(data []byte) (*Manifest, error) {
	var top struct {
		Format *string            `json:"format"`
		Files  *[]json.RawMessage `json:"files"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&top); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("manifest: data after the JSON object")
	}
	switch {
	case top.Format == nil:
		return nil, errors.New(`manifest: no "format"`)
	case *top.Format != ManifestFormat:
		return nil, fmt.Errorf("manifest: format %q, want %q", *top.Format, ManifestFormat)
	case top.Files == nil:
		return nil, errors.New(`manifest: no "files" (or null)`)
	}
	m := &Manifest{Format: ManifestFormat, Files: make([]Entry, 0, len(*top.Files))}
	seen := map[string]bool{}
	for i, raw := range *top.Files {
		var e struct {
			Name   *string `json:"name"`
			Size   *int64  `json:"size"`
			SHA256 *string `json:"sha256"`
		}
		d := json.NewDecoder(bytes.NewReader(raw))
		d.DisallowUnknownFields()
		if err := d.Decode(&e); err != nil {
			return nil, fmt.Errorf("manifest: files[%d]: %w", i, err)
		}
		switch {
		case e.Name == nil:
			return nil, fmt.Errorf("manifest: files[%d].name is missing or null", i)
		case checkName(*e.Name) != nil:
			return nil, fmt.Errorf("manifest: files[%d].name %q is not a plain file name", i, *e.Name)
		case seen[*e.Name]:
			return nil, fmt.Errorf("manifest: files[%d].name %q is listed twice", i, *e.Name)
		case e.Size == nil:
			return nil, fmt.Errorf("manifest: files[%d].size is missing or null", i)
		case *e.Size < 0:
			return nil, fmt.Errorf("manifest: files[%d].size = %d is negative", i, *e.Size)
		case e.SHA256 == nil:
			return nil, fmt.Errorf("manifest: files[%d].sha256 is missing or null", i)
		case !isHexSHA256(*e.SHA256):
			return nil, fmt.Errorf("manifest: files[%d].sha256 %q is not 64 lowercase hex digits", i, *e.SHA256)
		}
		seen[*e.Name] = true
		m.Files = append(m.Files, Entry{Name: *e.Name, Size: *e.Size, SHA256: *e.SHA256})
	}
	slices.SortFunc(m.Files, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	return m, nil
}

func isHexSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// ReadManifestFile reads the manifest of the folder dir.
func ReadManifestFile(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestName)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxManifestBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxManifestBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxManifestBytes)
	}
	m, err := ReadManifest(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Verify checks that every file m lists is in dir as a regular file of that
// size and SHA-256; the first difference is the error.
func (m *Manifest) Verify(dir string) error {
	for _, e := range m.Files {
		path := filepath.Join(dir, e.Name)
		fi, err := os.Lstat(path)
		if err != nil {
			return err
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file", path)
		}
		if fi.Size() != e.Size {
			return fmt.Errorf("%s has %d bytes, the manifest says %d", path, fi.Size(), e.Size)
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return err
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != e.SHA256 {
			return fmt.Errorf("%s has SHA-256 %s, the manifest says %s", path, got, e.SHA256)
		}
	}
	return nil
}
