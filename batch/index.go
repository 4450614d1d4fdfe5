package batch

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"scensim/internal/fsread"
	"scensim/outdir"
	"scensim/results"
)

// Names of the index files in the output root.
const (
	IndexJSON = "index.json"
	IndexMD   = "index.md"
)

// writeIndex writes index.json and index.md into out, each atomically.
func writeIndex(out string, idx *Index) error {
	data, err := results.IndentedJSON(idx)
	if err != nil {
		return err
	}
	if err := outdir.WriteFile(filepath.Join(out, IndexJSON), data); err != nil {
		return err
	}
	return outdir.WriteFile(filepath.Join(out, IndexMD), []byte(indexMarkdown(idx)))
}

// ReadIndex reads an index.json.
func ReadIndex(path string) (*Index, error) {
	data, err := fsread.ReadFile(path, results.MaxFileBytes, "index files")
	if err != nil {
		return nil, err
	}
	var idx Index
	if err := json.Unmarshal(data, &idx); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if idx.Format != IndexFormat {
		return nil, fmt.Errorf("%s: format %q, want %q", path, idx.Format, IndexFormat)
	}
	return &idx, nil
}

func mdCell(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "|", `\|`).Replace(s)
	if s == "" {
		return "-"
	}
	return s
}

// indexMarkdown renders the index as a Markdown table, with links to
// each job's folder.
func indexMarkdown(idx *Index) string {
	var b strings.Builder
	title := idx.Batch
	if idx.Title != "" {
		title += " — " + idx.Title
	}
	fmt.Fprintf(&b, "# Batch %s\n\n", mdCell(title))
	fmt.Fprintf(&b, "Batch file `%s` (sha256 `%s`), scensim %s; started %s, %.1fs, %d worker(s) per job, %d job(s) at once.\n",
		idx.File, shortHash(idx.FileSHA256), idx.ToolVersion, idx.Started, idx.Elapsed, idx.Workers, idx.Parallel)
	if idx.Interrupted {
		b.WriteString("\n**Interrupted:** the jobs marked *interrupted* or *not run* have no folder.\n")
	}
	b.WriteString("\n| job | scenario | overrides | seed | trials | status | error |\n|:--|:--|:--|--:|--:|:--|:--|\n")
	for _, s := range idx.Jobs {
		name := mdCell(s.Name)
		if s.OK() {
			name = "[" + name + "](" + linkPath(s.Dir) + "/)"
		}
		trials := "-"
		if s.Trials > 0 {
			trials = strconv.FormatInt(s.Trials, 10)
		}
		if s.Precision > 0 {
			trials += fmt.Sprintf(" (±%g)", s.Precision)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %d | %s | %s | %s |\n", name, mdCell(s.Scenario), mdCell(strings.Join(s.Overrides, ", ")),
			s.Seed, trials, s.Status, mdCell(s.Error))
	}
	if len(idx.Comparisons) > 0 {
		b.WriteString("\n| comparison | jobs | seed | paired trials | status | error |\n|:--|:--|--:|--:|:--|:--|\n")
		for _, s := range idx.Comparisons {
			name := mdCell(s.Name)
			if s.OK() {
				name = "[" + name + "](" + linkPath(s.Dir) + "/)"
			}
			fmt.Fprintf(&b, "| %s | %s | %d | %d | %s | %s |\n", name, mdCell(strings.Join(s.Jobs, " vs ")), s.Seed, s.Trials, s.Status, mdCell(s.Error))
		}
	}
	return b.String()
}

// linkPath escapes a relative path for a Markdown link.
func linkPath(p string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29").Replace(filepath.ToSlash(p))
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
