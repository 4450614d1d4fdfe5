package model

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Pos is a position in a scenario file. Line and Col are 1-based; Col counts
// runes. A zero Line means the position is unknown.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the position as file:line:col.
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Error is one problem found in a scenario file, with the source line it
// points at (if known) so that it can be shown with a caret.
type Error struct {
	Pos     Pos
	Msg     string
	Warning bool   // true for warnings, which do not stop a run
	Line    string // the source line, for the caret snippet; may be empty
}

// Error formats the error as "file:line:col: msg".
func (e *Error) Error() string {
	kind := ""
	if e.Warning {
		kind = "warning: "
	}
	return fmt.Sprintf("%s: %s%s", e.Pos, kind, e.Msg)
}

// Snippet returns the error followed by the source line and a caret under
// the column, as expr-lang and the Go compiler show them.
func (e *Error) Snippet() string {
	s := e.Error()
	if e.Line == "" {
		return s
	}
	line := []rune(strings.ReplaceAll(e.Line, "\t", " "))
	col := min(max(e.Pos.Col-1, 0), len(line))
	// Show at most snippetWidth runes of a long line, around the column.
	if len(line) > snippetWidth {
		from := max(0, min(col-snippetWidth/2, len(line)-snippetWidth))
		clip := string(line[from : from+snippetWidth])
		if from > 0 {
			clip, col = "..."+clip, col-from+3
		}
		if from+snippetWidth < len(line) {
			clip += "..."
		}
		line = []rune(clip)
	}
	if e.Pos.Col == 0 { // the line is known but not the column
		return s + "\n    " + string(line)
	}
	return s + "\n    " + string(line) + "\n    " + strings.Repeat(" ", col) + "^"
}

// snippetWidth is the most of a source line that a snippet shows.
const snippetWidth = 120

// ErrorList is a list of errors, sorted by position, as go/scanner's.
// A nil or empty ErrorList is not an error; use Err to get an error value.
type ErrorList []*Error

// Add appends an error at pos.
func (l *ErrorList) Add(pos Pos, line, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// Warn appends a warning at pos.
func (l *ErrorList) Warn(pos Pos, line, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Line: line, Msg: fmt.Sprintf(format, args...), Warning: true})
}

// Sort orders the list by file, line and column, keeping insertion order
// for errors at the same position.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Errors returns the entries that are not warnings.
func (l ErrorList) Errors() ErrorList {
	var out ErrorList
	for _, e := range l {
		if !e.Warning {
			out = append(out, e)
		}
	}
	return out
}

// Warnings returns the entries that are warnings.
func (l ErrorList) Warnings() ErrorList {
	var out ErrorList
	for _, e := range l {
		if e.Warning {
			out = append(out, e)
		}
	}
	return out
}

// Error joins all entries, one per line.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Snippets joins all entries with their caret snippets.
func (l ErrorList) Snippets() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Snippet())
	}
	return b.String()
}

// Err returns the list's errors (not its warnings) as an error, sorted, or
// nil if there are none.
func (l ErrorList) Err() error {
	errs := l.Errors()
	if len(errs) == 0 {
		return nil
	}
	errs.Sort()
	return errs
}

// MaxErrors is the most errors Compile reports; a file with more (say, an
// alias repeated a hundred thousand times) gets a note instead of the rest.
const MaxErrors = 100

// truncate keeps the entries of a sorted list up to its MaxErrors-th error
// and replaces the rest by one error that counts them.
// It also drops repeats (same position, same message), as an alias used
// many times gives.
func (l ErrorList) truncate() ErrorList {
	l = slices.CompactFunc(l, func(a, b *Error) bool { return *a == *b })
	n := 0
	for i, e := range l {
		if e.Warning {
			continue
		}
		if n++; n > MaxErrors {
			more := len(l[i:].Errors())
			out := append(l[:i:i], &Error{Pos: Pos{File: e.Pos.File}, Msg: fmt.Sprintf("too many errors: %d more not shown", more)})
			return out
		}
	}
	return l
}

// dedupe drops repeated entries (same position and message), which arise
// when a let with an error is expanded in several places.
func (l ErrorList) dedupe() ErrorList {
	seen := map[string]bool{}
	var out ErrorList
	for _, e := range l {
		k := e.Error()
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}
