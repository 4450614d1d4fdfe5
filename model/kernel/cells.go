package kernel

import "slices"

// CellKind says how the engine resolves a state at one step and
// combination of its keys.
type CellKind uint8

const (
	// CellNone: no guard holds, nothing can fire and no number is drawn.
	CellNone CellKind = iota
	// CellTable: every transition that can fire reads only time, constants
	// and the keys, so its row of cumulative probabilities was computed
	// before the run: see [StateTable.Row].
	CellTable
	// CellTrial: the transitions that can fire read only the keys,
	// constants and params drawn per trial (not time), so the row holds for
	// the whole trial, given the step's length: the engine fills per-trial
	// row Row (of [StateTable.TrialRows]) with [StateTable.Fill] the first
	// time a trial needs it. The transitions whose guards hold are the same
	// at every cell naming a row, and known: the row is filled without
	// evaluating guards.
	CellTrial
	// CellEval: some transition must be evaluated at run time; what is
	// known in advance of each transition is in [StateTable.Known].
	CellEval
)

// Cell is how to resolve one state at one step and key combination.
type Cell struct {
	Kind CellKind
	Row  int32 // which row: of Row (CellTable), Known (CellEval) or per-trial rows (CellTrial)
	// Total, for CellTable cells, is the chance that a transition is
	// taken: the row's last entry. For CellEval cells it is a static upper
	// bound of that chance (+Inf if none is known): a uniform number u
	// above it (by the engine's rounding margin) takes no transition, and
	// every value the cell would evaluate is valid, in any trial whose
	// sampled params lie in their dists' ranges (Dist.Lo to Dist.Hi, below
	// Hi); for competing rates it bounds the rates' chance bound, each rate
	// per day times the step's length in place of its chance.
	Total float64
}

// EntryKind says what is known in advance of one transition in a CellEval
// cell.
type EntryKind uint8

const (
	Off      EntryKind = iota // its guard does not hold: it cannot fire
	Evaluate                  // it must be evaluated at run time
	Prob                      // Entry.V is its probability for the step
	Rate                      // Entry.V is its rate per day (the state's rates compete)
)

// Entry is what is known in advance of one transition.
type Entry struct {
	Kind EntryKind
	V    float64 // Prob, Rate: the value
}

// StateTable resolves one state's transitions at each step k and
// combination c of its keys (the discrete inputs its guards and tabled
// transitions read). Made by [NewStateTable]; immutable.
type StateTable struct {
	keys      []Key
	combos    int
	steps     int
	n         int       // transitions out of the state
	cells     []Cell    // [c*steps+k]
	live      []int32   // [c*steps+k]: the first step from k on whose cell is not CellNone, or steps
	rows      []float64 // CellTable rows, n each, cumulative
	known     []Entry   // CellEval rows, n each
	trialMask []uint64  // per per-trial row: the transitions whose guards hold
	fill      FillFunc
	tracks    []int
	oneTrack  bool // a single key, a track's state: the combination is its local state
	// The step loop's view of the cells (see Path): per combination, its
	// cells and wakes, one of each when every step's cell is the same.
	path  []path
	class []int32 // per combination: see Class
}

type path struct {
	cells []Cell
	live  []int32
	mask  int
}

// FillFunc writes the cumulative probabilities of a state's transitions
// at step, evaluated in f, into row (one entry per transition), using
// scratch (as long as row); on says which transitions' guards hold (bit i:
// transition i), the others counting 0 without their guards evaluated. It
// reports false if any value is invalid (then row is to be ignored and
// the transitions evaluated, which reports the error).
type FillFunc func(f *Frame, step int, on uint64, row, scratch []float64) bool

// StateSpec is what the compiler found for one state (see [NewStateTable]).
type StateSpec struct {
	Keys  []Key
	Steps int       // steps of the plan
	Out   int       // transitions out of the state
	Cells []Cell    // [c*Steps+k] for each combination c of Keys
	Rows  []float64 // rows of CellTable cells, Out entries each
	Known []Entry   // rows of CellEval cells, Out entries each
	// TrialOn has one entry per distinct per-trial row of CellTrial
	// cells: the transitions whose guards hold at the cells that name it
	// (bit i: Out[i]).
	TrialOn []uint64
	Fill    FillFunc // fills per-trial rows
	// Tracks are the tracks whose moves can change the combination of
	// Keys: those whose state a key reads or who enter a state a key reads.
	Tracks []int
}

// NewStateTable makes a state's table from what the compiler found.
func NewStateTable(s StateSpec) *StateTable {
	t := &StateTable{
		keys: s.Keys, combos: Combos(s.Keys), steps: s.Steps, n: s.Out, cells: s.Cells,
		rows: s.Rows, known: s.Known, trialMask: s.TrialOn, fill: s.Fill, tracks: s.Tracks,
		oneTrack: len(s.Keys) == 1 && s.Keys[0].Track >= 0,
	}
	t.live = make([]int32, len(t.cells))
	for c := range t.combos {
		next := int32(t.steps)
		for step := t.steps - 1; step >= 0; step-- {
			if t.cells[c*t.steps+step].Kind != CellNone {
				next = int32(step)
			}
			t.live[c*t.steps+step] = next
		}
	}
	t.path = make([]path, t.combos)
	for c := range t.combos {
		cells, live := t.Cells(c), t.Live(c)
		same := len(cells) > 0
		for _, cell := range cells {
			same = same && cell == cells[0]
		}
		if !same {
			t.path[c] = path{cells: cells, live: live, mask: -1}
			continue
		}
		w := int32(0) // something can fire at every step ...
		if cells[0].Kind == CellNone {
			w = int32(t.steps) // ... or at none
		}
		t.path[c] = path{cells: cells[:1:1], live: []int32{w}, mask: 0}
	}
	t.class = pathClasses(t.path)
	return t
}

// Class returns combination c's class: two combinations of the same class
// have the same cells and wakes at every step (their paths, see Path, are
// equal entry for entry), so that a track whose combination changes within
// a class resolves every step as before.
func (t *StateTable) Class(c int) int32 { return t.class[c] }

// pathClasses numbers paths by content: entry c is the smallest
// combination whose path equals path c.
func pathClasses(paths []path) []int32 {
	class := make([]int32, len(paths))
	for c := range paths {
		class[c] = int32(c)
		for d := range c {
			if class[d] == int32(d) && paths[c].equal(&paths[d]) {
				class[c] = int32(d)
				break
			}
		}
	}
	return class
}

// equal reports whether p and q have the same cells and wakes, entry for
// entry.
func (p *path) equal(q *path) bool {
	return p.mask == q.mask && slices.Equal(p.cells, q.cells) && slices.Equal(p.live, q.live)
}

// Path returns combination c's cells and wakes as the step loop reads
// them: the cell at step k is cells[k&mask] and the first step from k on
// at which something can fire is max(k, live[k&mask]). When every step's
// cell is the same, they hold one entry each (mask 0), so that a large
// model's tables stay in the processor's caches; else they are
// [StateTable.Cells] and [StateTable.Live] (mask -1).
func (t *StateTable) Path(c int) (cells []Cell, live []int32, mask int) {
	p := &t.path[c]
	return p.cells, p.live, p.mask
}

// Keys are the discrete inputs the table is indexed by, the first varying
// slowest.
func (t *StateTable) Keys() []Key { return t.keys }

// Combo returns the combination of the keys that holds in f.
func (t *StateTable) Combo(f *Frame) int {
	if t.oneTrack {
		return int(f.State[t.keys[0].Track]) - t.keys[0].First
	}
	return Combo(t.keys, f)
}

// Combos is the number of combinations of the keys.
func (t *StateTable) Combos() int { return t.combos }

// Cells returns the cells of combination c, by step.
func (t *StateTable) Cells(c int) []Cell { return t.cells[c*t.steps : (c+1)*t.steps] }

// Wake returns the first step from step on at which something can fire at
// combination c (the plan's steps if none): the steps before it can be
// skipped while the combination holds.
func (t *StateTable) Wake(c, step int) int32 { return t.live[c*t.steps+step] }

// Live returns, by step, the first step from that step on at which
// something can fire at combination c (the plan's steps if none): the
// values of [StateTable.Wake] for c.
func (t *StateTable) Live(c int) []int32 { return t.live[c*t.steps : (c+1)*t.steps] }

// Tracks are the tracks whose moves can change the combination.
func (t *StateTable) Tracks() []int { return t.tracks }

// Row returns the cumulative probabilities of a CellTable cell: entry i is
// the chance that one of the first i+1 transitions is taken.
func (t *StateTable) Row(c *Cell) []float64 {
	return t.rows[int(c.Row)*t.n : int(c.Row+1)*t.n]
}

// Known returns what is known in advance of each transition at a CellEval
// cell.
func (t *StateTable) Known(c *Cell) []Entry {
	return t.known[int(c.Row)*t.n : int(c.Row+1)*t.n]
}

// TrialRows is the number of distinct per-trial rows CellTrial cells name.
func (t *StateTable) TrialRows() int { return len(t.trialMask) }

// Fill fills per-trial row v (see FillFunc) at step in f.
func (t *StateTable) Fill(f *Frame, step int, v int32, row, scratch []float64) bool {
	return t.fill(f, step, t.trialMask[v], row, scratch)
}

// Key is a discrete input of an expression: the current state of a track,
// or when a state was first entered, as far as the expression can tell.
type Key struct {
	Track int // ≥ 0: the key is the local index of this track's state
	First int // the track's first global state
	Size  int // number of values: the track's states, or len(Bounds)+2
	// Reached ≥ 0 (when Track < 0): the key says when this global state
	// was first entered: 0 never; 1 at a point ≤ Bounds[0]; i at a point in
	// (Bounds[i-2], Bounds[i-1]]; len(Bounds)+1 after the last bound. With
	// no bounds it is whether the state was reached (reached), with bounds
	// also whether by given points (reached_by with a fixed date).
	Reached int
	Bounds  []int32 // ascending point indices, ≥ 0 and < the last point
}

// Value returns the key's value in f.
func (k *Key) Value(f *Frame) int {
	if k.Track >= 0 {
		return int(f.State[k.Track]) - k.First
	}
	return k.entryValue(f.Entry[k.Reached])
}

// entryValue is the value of a key of Reached when that state was first
// entered at point e (never if e < 0).
func (k *Key) entryValue(e int32) int {
	if e < 0 {
		return 0
	}
	v := 1
	for _, b := range k.Bounds {
		if e <= b {
			break
		}
		v++
	}
	return v
}

// Set sets f so that the key has value v.
func (k *Key) Set(f *Frame, v int) {
	switch {
	case k.Track >= 0:
		f.State[k.Track] = int32(k.First + v)
	case v == 0:
		f.Entry[k.Reached] = -1
	case v == 1:
		f.Entry[k.Reached] = 0
	default:
		f.Entry[k.Reached] = k.Bounds[v-2] + 1
	}
}

// MaxCombos bounds the combinations of keys of a table.
const MaxCombos = 64

// Combos returns the number of combinations of keys, or a number above
// MaxCombos if there are more.
func Combos(keys []Key) int {
	combos := 1
	for _, k := range keys {
		combos *= k.Size
		if combos > MaxCombos {
			return combos
		}
	}
	return combos
}

// CombosUpTo returns the number of combinations of keys, or a number
// above limit if there are more.
func CombosUpTo(keys []Key, limit int) int {
	combos := 1
	for _, k := range keys {
		combos *= k.Size
		if combos > limit {
			return combos
		}
	}
	return combos
}

// SetCombo sets the frame's states and entries to key combination c (the
// first key varies slowest).
func SetCombo(f *Frame, keys []Key, c int) {
	rest := c
	for i := len(keys) - 1; i >= 0; i-- {
		k := &keys[i]
		k.Set(f, rest%k.Size)
		rest /= k.Size
	}
}

// Combo returns the combination of keys that holds in f.
func Combo(keys []Key, f *Frame) int {
	c := 0
	for i := range keys {
		c = c*keys[i].Size + keys[i].Value(f)
	}
	return c
}

// Test is a bool condition at the horizon that reads nothing but
// constants, the horizon's date and a few discrete keys: its value at key
// combination c is bit c of its truth table.
type Test struct {
	keys  []Key
	truth uint64   // the truth table of at most 64 combinations ...
	big   []uint64 // ... or of more: bit c is big[c/64]>>(c%64)&1
	// The commonest tests read a single key; they skip the general
	// combination: reached ≥ 0 is the global state of a single key that
	// says whether it was reached (no bounds); else track ≥ 0 is the track
	// of a single key that reads its state, whose first global state is
	// first.
	reached, track, first int
}

// MaxTestCombos bounds the combinations of keys of a test: a truth table
// of MaxTestCombos bits.
const MaxTestCombos = 4096

// NewTest returns the test of keys (at most MaxCombos combinations) with
// the given truth table.
func NewTest(keys []Key, truth uint64) *Test {
	t := &Test{keys: keys, truth: truth, reached: -1, track: -1}
	if len(keys) == 1 {
		switch k := keys[0]; {
		case k.Track >= 0:
			t.track, t.first = k.Track, k.First
		case len(k.Bounds) == 0:
			t.reached = k.Reached
		}
	}
	return t
}

// NewBigTest returns the test of keys (at most MaxTestCombos
// combinations) whose value at combination c is bit c%64 of truth[c/64].
func NewBigTest(keys []Key, truth []uint64) *Test {
	t := NewTest(keys, 0)
	t.big = truth
	return t
}

// at is the test's value at key combination c.
func (t *Test) at(c int) bool {
	if t.big != nil {
		return t.big[c/64]>>(c%64)&1 != 0
	}
	return t.truth>>c&1 != 0
}

// Holds evaluates the test in f.
func (t *Test) Holds(f *Frame) bool {
	var c int
	switch {
	case t.reached >= 0:
		if f.Entry[t.reached] >= 0 {
			c = 1
		}
	case t.track >= 0:
		c = int(f.State[t.track]) - t.first
	default:
		c = Combo(t.keys, f)
	}
	return t.at(c)
}
