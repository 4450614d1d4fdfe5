package report

import (
	"bytes"

	"scensim/results"
)

// Write writes report.html and report.md into dir, each atomically (see
// [results.WriteExtra]), and returns their paths.
func Write(dir string, r *Report) ([]string, error) {
	var h, m bytes.Buffer
	if err := WriteHTML(&h, r); err != nil {
		return nil, err
	}
	if err := WriteMarkdown(&m, r); err != nil {
		return nil, err
	}
	return results.WriteExtra(dir, map[string][]byte{HTMLFileName: h.Bytes(), MDFileName: m.Bytes()})
}
