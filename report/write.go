package report

import (
	"bytes"
	"path/filepath"

	"scensim/outdir"
)

// Write writes report.html and report.md into dir and returns their paths.
// Each file is replaced atomically on its own (see [outdir.WriteFile]):
// written to a temporary in dir, so on the same filesystem even when dir is
// a mount point, fsynced and renamed over the previous one. The folder's
// other files are not touched.
func Write(dir string, r *Report) ([]string, error) {
	var h, m bytes.Buffer
	if err := WriteHTML(&h, r); err != nil {
		return nil, err
	}
	if err := WriteMarkdown(&m, r); err != nil {
		return nil, err
	}
	paths := []string{filepath.Join(dir, HTMLFileName), filepath.Join(dir, MDFileName)}
	if err := outdir.WriteFile(paths[0], h.Bytes()); err != nil {
		return nil, err
	}
	if err := outdir.WriteFile(paths[1], m.Bytes()); err != nil {
		return nil, err
	}
	return paths, nil
}
