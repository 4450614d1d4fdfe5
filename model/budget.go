package model

import (
	"fmt"
	"sort"
	"strings"
)

// DefaultTableBudget is the total size, in bytes, of the tables the
// compiler precomputes for one scenario: time tables (one value per step of
// a time-only expression), tables indexed by a track's state, and per-state
// tables of cells, rows and truth tables (see buildCells). Each table is
// counted before it is allocated; a table that would take the total over the
// budget is not made, and what it would have resolved is evaluated at each
// step instead, which gives the same results more slowly. So a scenario file
// of a few hundred kilobytes cannot make Compile allocate gigabytes, whatever
// its number of states and steps. [Plan.TableUse] says which tables did not
// fit; `validate` prints it.
const DefaultTableBudget = 128 << 20

// Kinds of precomputed tables, as [TableUse] names them.
const (
	TableTime  = "time tables"      // a time-only expression at every step
	TableState = "state tables"     // an expression of one track's state, per state
	TableCells = "per-state tables" // a state's transitions per step and key combination
	TableTruth = "truth tables"     // an outcome's or a check's condition per key combination
	TableBound = "chance bounds"    // a lone rate's static chance bound per step (see Tables.LoneBound)
)

// TableUse is how much of its budget for precomputed tables a compiled plan
// used, and how many tables of each kind did not fit and are evaluated at
// each step instead.
type TableUse struct {
	Budget int64          // bytes allowed (see DefaultTableBudget)
	Used   int64          // bytes of the tables made
	Over   map[string]int // kind → tables not made for want of budget; nil if none
	Wanted int64          // bytes the tables not made would have taken, at least
}

// FellBack reports whether any table was left out for want of budget.
func (u TableUse) FellBack() bool { return len(u.Over) > 0 }

// String describes the use in one line, e.g. "precomputed tables: 128.0 MiB
// of a 128.0 MiB budget; over it, 1650 per-state tables (at least 2.0 GiB
// more) are evaluated at each step instead (same results, slower runs)".
func (u TableUse) String() string {
	s := fmt.Sprintf("precomputed tables: %s of a %s budget", byteSize(u.Used), byteSize(u.Budget))
	if !u.FellBack() {
		return s
	}
	kinds := make([]string, 0, len(u.Over))
	for k := range u.Over {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%d %s", u.Over[k], k)
	}
	list := parts[len(parts)-1]
	if len(parts) > 1 {
		list = strings.Join(parts[:len(parts)-1], ", ") + " and " + list
	}
	return fmt.Sprintf("%s; over it, %s (at least %s more) are evaluated at each step instead (same results, slower runs)",
		s, list, byteSize(u.Wanted))
}

// byteSize writes n bytes in KiB, MiB or GiB with one decimal.
func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// take reserves n bytes for a table of kind, before it is allocated, and
// reports whether they fit in the budget; if not, the table is counted as
// left out and nothing is reserved.
func (u *TableUse) take(kind string, n int64) bool {
	if n <= u.Budget-u.Used {
		u.Used += n
		return true
	}
	if u.Over == nil {
		u.Over = map[string]int{}
	}
	u.Over[kind]++
	u.Wanted += n
	return false
}

// give returns n bytes reserved by take for a table that was abandoned
// while being built.
func (u *TableUse) give(n int64) { u.Used -= n }
