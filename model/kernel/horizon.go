package kernel

import "slices"

// Horizon judges many truth-table conditions (see [Test]) at once at the
// horizon of a trial: condition i's verdict is bit i of a [Verdict],
// which [Horizon.Judge] fills with a few word operations per input rather
// than a table lookup per condition.
//
// Every condition is a function of a few inputs of the frame: the point
// at which a global state was first entered (Frame.Entry), or a track's
// state (Frame.State). Judge first reads each input once, as a row index.
// A condition of one input is folded into that input's masks: per word of
// the verdict and row, the bits of every such condition that holds there.
// A condition of two keys that is a product, x(key 0) and y(key 1), or
// the complement of one (see Test.factors), is folded likewise: x into
// those masks, y into a second layer of masks that is anded with them,
// and the bit flipped for a complement. Any other condition of several
// inputs is judged by its truth table at the combination of its keys, a
// sum of per-key contributions looked up by row; identical conditions
// share one judgement. Conditions of no input are constants.
//
// It is built once per plan and is immutable; [Tables.Horizon] returns
// the plan's.
type Horizon struct {
	words   int
	base    []uint64       // the bits of conditions that hold whatever the inputs
	inputs  []horizonInput // the inputs read: entries first, then states
	entries int            // how many inputs read Frame.Entry
	masks   []uint64       // rows of masks (see maskRows)
	terms   [][]maskRows   // per word of the verdict: the inputs with one-input conditions in it
	// The second layer, per word: and has the bits of products 0 (the
	// others 1), andTerms or in their second factor; flip has the bits of
	// complements of products.
	and, flip []uint64
	andTerms  [][]maskRows
	active    []int // the words with masks in either layer, ascending
	products  bool  // some condition is a product (the second layer is used)
	// direct lists the masks of a horizon of one-input conditions only
	// (no products, no general tables): Judge reads each input where its
	// masks are ored in, without the rows' scratch; nil otherwise.
	direct  []directMasks
	one     bool // see One
	oneWord int
	multi   []multiTest
	parts   []multiPart
	contrib []int32
	truth   []uint64
}

// horizonInput is one input of the frame.
type horizonInput struct {
	idx int32 // the global state (Frame.Entry) or the track (Frame.State) read
	// Entries: the row is min(Entry+1, last), since every entry point
	// past the last bound of the keys that read the state is judged alike.
	// States: the row is State − first.
	first, last int32
}

// maskRows are an input's masks for one word of the verdict: the word's
// bits that hold at row r are masks[off+r].
type maskRows struct {
	input int32
	off   int32
}

// directMasks are the masks of one input for one word of the verdict,
// with what Judge needs to read the input's row.
type directMasks struct {
	word        int32
	entry       bool // the input reads Frame.Entry (else Frame.State)
	idx         int32
	first, last int32 // see horizonInput
	off         int32 // the masks' rows start at masks[off]
}

// multiTest is a condition of several keys, and the bits of the
// conditions it judges.
type multiTest struct {
	parts, end int32 // its keys: parts[parts:end] of the Horizon
	truth      int32 // its truth table: bit c is bit c%64 of truth[truth+c/64]
	word       int32 // the word of the first condition it judges ...
	bits       uint64
	more       []wordBits // ... and of the others (identical conditions)
	test       *Test
}

type wordBits struct {
	word int
	bits uint64
}

// multiPart is one key of a multiTest: its input, and per row of the
// input its contribution to the combination (value × stride), at
// contrib[off+row] of the Horizon.
type multiPart struct {
	input, off int32
}

// Verdict is the outcome of [Horizon.Judge]: one bit per condition, and
// the scratch Judge reads the inputs into. Make it with
// [Horizon.NewVerdict]; it is not safe for concurrent use.
type Verdict struct {
	Bits []uint64
	rows []int32
}

// NewVerdict returns a verdict sized for h.
func (h *Horizon) NewVerdict() *Verdict {
	return &Verdict{Bits: make([]uint64, h.words), rows: make([]int32, len(h.inputs))}
}

// Holds reports whether condition i holds in v.
func (v *Verdict) Holds(i int) bool { return v.Bits[i/64]>>(i%64)&1 != 0 }

// NewHorizon compiles conds: condition i is judged into bit i of a
// verdict; a nil condition's bit is always 0 (the caller judges it
// otherwise).
func NewHorizon(conds []*Test) *Horizon {
	words := (len(conds) + 63) / 64
	h := &Horizon{words: words, base: make([]uint64, words), terms: make([][]maskRows, words)}
	// The inputs: entries, each with its last row past the last bound of
	// any key that reads the state (1 for whether it was reached); then
	// tracks.
	type inputKey struct{ track, reached int }
	keyOf := func(k *Key) inputKey {
		if k.Track >= 0 {
			return inputKey{k.Track, -1}
		}
		return inputKey{-1, k.Reached}
	}
	in := map[inputKey]int32{} // the index of each input
	var tracks []*Key
	for _, t := range conds {
		for i := range t.keysOrNil() {
			k := &t.keys[i]
			x, seen := in[keyOf(k)]
			switch {
			case k.Track >= 0:
				if !seen {
					in[keyOf(k)] = -1 // placed after the entries
					tracks = append(tracks, k)
				}
			case !seen:
				in[keyOf(k)] = int32(len(h.inputs))
				h.inputs = append(h.inputs, horizonInput{idx: int32(k.Reached), last: entryRows(k) - 1})
			default:
				h.inputs[x].last = max(h.inputs[x].last, entryRows(k)-1)
			}
		}
	}
	h.entries = len(h.inputs)
	for _, k := range tracks {
		in[keyOf(k)] = int32(len(h.inputs))
		h.inputs = append(h.inputs, horizonInput{idx: int32(k.Track), first: int32(k.First), last: int32(k.Size - 1)})
	}
	inputOf := func(k *Key) int32 { return in[keyOf(k)] }
	h.and, h.flip = make([]uint64, words), make([]uint64, words)
	h.andTerms = make([][]maskRows, words)
	for w := range h.and {
		h.and[w] = ^uint64(0)
	}
	rowsOf := map[[3]int32]int32{} // (layer, word, input) → offset of its mask rows
	// mark sets bit i in the rows of layer (0: or, 1: and) of k's input
	// where holds says so.
	mark := func(layer int, i int, k *Key, holds func(v int) bool) {
		x := inputOf(k)
		key := [3]int32{int32(layer), int32(i / 64), x}
		off, ok := rowsOf[key]
		if !ok {
			off = int32(len(h.masks))
			rowsOf[key] = off
			h.masks = append(h.masks, make([]uint64, h.inputs[x].last+1)...)
			terms := &h.terms[i/64]
			if layer == 1 {
				terms = &h.andTerms[i/64]
			}
			*terms = append(*terms, maskRows{input: x, off: off})
		}
		for r := range h.inputs[x].last + 1 {
			if holds(rowValue(k, r)) {
				h.masks[off+r] |= 1 << (i % 64)
			}
		}
	}
	for i, t := range conds {
		switch {
		case t == nil:
		case len(t.keys) == 0:
			if t.at(0) {
				h.base[i/64] |= 1 << (i % 64)
			}
		case len(t.keys) == 1:
			mark(0, i, &t.keys[0], t.at)
		default:
			x, y, flip, ok := t.factors()
			if !ok {
				h.addMulti(t, i, inputOf)
				continue
			}
			// Bit i is x(key 0) in layer 0 and y(key 1) in layer 1: the
			// two are anded, then flipped if the test is the complement.
			mark(0, i, &t.keys[0], func(v int) bool { return x[v] })
			mark(1, i, &t.keys[1], func(v int) bool { return y[v] })
			h.and[i/64] &^= 1 << (i % 64)
			if flip {
				h.flip[i/64] |= 1 << (i % 64)
			}
			h.products = true
		}
	}
	for w := range words {
		if len(h.terms[w]) != 0 || len(h.andTerms[w]) != 0 {
			h.active = append(h.active, w)
		}
	}
	if !h.products && len(h.multi) == 0 {
		for _, w := range h.active {
			for _, t := range h.terms[w] {
				in := &h.inputs[t.input]
				h.direct = append(h.direct, directMasks{word: int32(w), entry: int(t.input) < h.entries,
					idx: in.idx, first: in.first, last: in.last, off: t.off})
			}
		}
	}
	h.setOne()
	return h
}

// factors reports whether t, a test of two keys, is a product: it holds
// at values (a, b) iff x[a] and y[b]; or, if flip, it does not hold iff
// they do.
func (t *Test) factors() (x, y []bool, flip, ok bool) {
	if len(t.keys) != 2 {
		return nil, nil, false, false
	}
	na, nb := t.keys[0].Size, t.keys[1].Size
	for _, flip := range []bool{false, true} {
		x, y = make([]bool, na), make([]bool, nb)
		n := 0
		for a := range na {
			for b := range nb {
				if t.at(a*nb+b) != flip {
					x[a], y[b] = true, true
					n++
				}
			}
		}
		nx, ny := 0, 0
		for _, v := range x {
			if v {
				nx++
			}
		}
		for _, v := range y {
			if v {
				ny++
			}
		}
		if n == nx*ny {
			return x, y, flip, true
		}
	}
	return nil, nil, false, false
}

// keysOrNil returns t's keys, none if t is nil.
func (t *Test) keysOrNil() []Key {
	if t == nil {
		return nil
	}
	return t.keys
}

// addMulti adds condition i, a test of several keys, sharing the
// judgement of an identical test already added.
func (h *Horizon) addMulti(t *Test, i int, input func(*Key) int32) {
	bit := wordBits{i / 64, 1 << (i % 64)}
	for j := range h.multi {
		if m := &h.multi[j]; m.test.same(t) {
			m.more = append(m.more, bit)
			return
		}
	}
	m := multiTest{test: t, word: int32(bit.word), bits: bit.bits, parts: int32(len(h.parts)), truth: int32(len(h.truth))}
	stride := int32(1)
	for j := len(t.keys) - 1; j >= 0; j-- { // the first key varies slowest
		k := &t.keys[j]
		p := multiPart{input: input(k), off: int32(len(h.contrib))}
		for r := range h.inputs[p.input].last + 1 {
			h.contrib = append(h.contrib, int32(rowValue(k, r))*stride)
		}
		stride *= int32(k.Size)
		h.parts = append(h.parts, p)
	}
	m.end = int32(len(h.parts))
	if t.big != nil {
		h.truth = append(h.truth, t.big...)
	} else {
		h.truth = append(h.truth, t.truth)
	}
	h.multi = append(h.multi, m)
}

// entryRows is the number of rows an entry key needs: never, then one per
// bound, then past the last bound.
func entryRows(k *Key) int32 {
	if len(k.Bounds) == 0 {
		return 2
	}
	return k.Bounds[len(k.Bounds)-1] + 3
}

// rowValue is key k's value at row r of its input: the state's local
// index for a track's key; for an entry key, its value when the state was
// first entered at point r−1 (never for r = 0).
func rowValue(k *Key, r int32) int {
	if k.Track >= 0 {
		return int(r)
	}
	return k.entryValue(r - 1)
}

// Words is the number of words of a verdict: one bit per condition.
func (h *Horizon) Words() int { return h.words }

// Judge writes into v the verdict of every condition in f: bit i is set
// iff condition i has a test and it holds.
func (h *Horizon) Judge(f *Frame, v *Verdict) {
	if h.direct != nil {
		bits := v.Bits[:h.words]
		for w, b := range h.base {
			bits[w] = b
		}
		for i := range h.direct {
			d := &h.direct[i]
			var r int32
			if d.entry {
				r = min(f.Entry[d.idx]+1, d.last)
			} else {
				r = f.State[d.idx] - d.first
			}
			bits[d.word] |= h.masks[d.off+r]
		}
		return
	}
	rows := v.rows[:len(h.inputs)]
	for i := range h.inputs[:h.entries] {
		in := &h.inputs[i]
		rows[i] = min(f.Entry[in.idx]+1, in.last)
	}
	for i := h.entries; i < len(h.inputs); i++ {
		in := &h.inputs[i]
		rows[i] = f.State[in.idx] - in.first
	}
	bits := v.Bits[:h.words]
	for w, b := range h.base { // a loop: a verdict has a few words
		bits[w] = b
	}
	for i := range h.multi {
		m := &h.multi[i]
		c := int32(0)
		for _, p := range h.parts[m.parts:m.end] {
			c += h.contrib[p.off+rows[p.input]]
		}
		u := uint32(c)
		holds := -(h.truth[uint32(m.truth)+u/64] >> (u % 64) & 1) // all ones if the test holds, else 0
		bits[m.word] |= m.bits & holds
		for _, s := range m.more {
			bits[s.word] |= s.bits & holds
		}
	}
	for _, w := range h.active {
		acc := bits[w]
		for _, t := range h.terms[w] {
			acc |= h.masks[t.off+rows[t.input]]
		}
		if h.products {
			and := h.and[w]
			for _, t := range h.andTerms[w] {
				and |= h.masks[t.off+rows[t.input]]
			}
			acc = acc&and ^ h.flip[w]
		}
		bits[w] = acc
	}
}

// One reports whether h judges every condition from a single input into
// a single word w of the verdict, with no constant bits: then
// [Horizon.JudgeOne] gives word w of the verdict, and every other word is
// 0 whatever the frame.
func (h *Horizon) One() (w int, ok bool) { return h.oneWord, h.one }

// setOne sets what One reports.
func (h *Horizon) setOne() {
	if len(h.direct) != 1 {
		return
	}
	for _, b := range h.base {
		if b != 0 {
			return
		}
	}
	h.oneWord, h.one = int(h.direct[0].word), true
}

// JudgeOne returns the word of the verdict of every condition in f, for a
// horizon of a single input (see [Horizon.One]); it must not be called
// otherwise.
func (h *Horizon) JudgeOne(f *Frame) uint64 {
	d := &h.direct[0]
	if d.entry {
		return h.masks[d.off+min(f.Entry[d.idx]+1, d.last)]
	}
	return h.masks[d.off+f.State[d.idx]-d.first]
}

// same reports whether t and u are the same condition: the same keys and
// truth table.
func (t *Test) same(u *Test) bool {
	if t.truth != u.truth || !slices.Equal(t.big, u.big) || len(t.keys) != len(u.keys) {
		return false
	}
	for i := range t.keys {
		a, b := &t.keys[i], &u.keys[i]
		if a.Track != b.Track || a.First != b.First || a.Size != b.Size || a.Reached != b.Reached || !slices.Equal(a.Bounds, b.Bounds) {
			return false
		}
	}
	return true
}
