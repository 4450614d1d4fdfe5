package kernel

import (
	"cmp"
	"slices"
)

// The flat judgement. In every word of the verdict and layer of masks,
// a condition's bit is set by the masks of one input only (a one-input
// condition's by its input's; a product's by its first key's input in
// the first layer and its second's in the second), so the masks of all
// inputs can be summed rather than ored. A condition of several keys is
// judged at the sum of its keys' contributions, less than MaxTestCombos:
// the contributions of four such conditions fit in a word, one 16-bit
// lane each, and are summed the same way. A horizon whose masks and
// lanes fit in flatSlots words lays out, per input and row of the input,
// one block of flatSlots words: Judge reads each input once, adds its
// block at that row into flatSlots accumulators, then combines them per
// word of the verdict and looks up each several-key condition's truth
// table at its lane.

// flatSlots is the width of a block: the words of masks (a word of the
// verdict in one layer) and of lanes a flat horizon may have.
const flatSlots = 8

// flatGroupRows is the most combined rows of a group of inputs read
// together.
const flatGroupRows = 64

// flatHorizon is the flat form of a horizon (see setFlat).
type flatHorizon struct {
	entries []flatInput // the inputs that read Frame.Entry
	states  []flatInput // the inputs that read Frame.State
	blocks  []uint64    // the inputs' blocks, flatSlots words per row
	words   []flatWord  // per word of the verdict
	multi   []flatMulti // per condition of several keys
	truth   []uint64    // the horizon's truth tables (Horizon.truth)
}

// flatInput is one input of a flat horizon, in a group of inputs read
// together: the group's block is at blocks[at], where at is the sum over
// its inputs of their at plus, for an entry, min(Entry, lim) × stride,
// for a state, State × stride. The last input of a group has last set.
type flatInput struct {
	idx    int32 // the global state (Frame.Entry) or the track (Frame.State) read
	lim    int32
	stride int32
	at     int32
	last   bool
}

// flatWord is how a word of the verdict is made from the accumulators:
// (base | acc[or]) & (and | acc[andSlot]) ^ flip. A word without masks in
// a layer names slot flatSlots, always 0.
type flatWord struct {
	or, andSlot     int32
	base, and, flip uint64
}

// flatMulti is a condition of several keys: its combination is the
// 16-bit lane at shift of acc[slot]; it holds iff bit c of its truth
// table (truth[truth+c/64], bit c%64) is set, and then bits of word are
// set.
type flatMulti struct {
	slot  int32
	shift uint32
	truth int32
	word  int32
	bits  uint64
}

// setFlat lays out h in flat form if its masks and lanes fit in
// flatSlots words.
func (h *Horizon) setFlat() {
	if h.direct != nil {
		return
	}
	fh := &flatHorizon{words: make([]flatWord, h.words), truth: h.truth}
	slots := int32(0)
	for w := range h.words {
		fw := &fh.words[w]
		fw.or, fw.andSlot = flatSlots, flatSlots
		fw.base, fw.and, fw.flip = h.base[w], h.and[w], h.flip[w]
		if len(h.terms[w]) != 0 {
			fw.or = slots
			slots++
		}
		if len(h.andTerms[w]) != 0 {
			fw.andSlot = slots
			slots++
		}
	}
	lanes := slots
	if slots += int32(len(h.multi)+3) / 4; slots > flatSlots {
		return
	}
	// First each input's rows alone: input x's row r at
	// one[offs[x]+r*flatSlots].
	var one []uint64
	offs := make([]int32, len(h.inputs))
	for x, in := range h.inputs {
		offs[x] = int32(len(one))
		one = append(one, make([]uint64, (in.last+1)*flatSlots)...)
	}
	add := func(slot int32, x int32, r int32, v uint64) {
		one[offs[x]+r*flatSlots+slot] += v
	}
	for w := range h.words {
		for layer, terms := range [][]maskRows{h.terms[w], h.andTerms[w]} {
			slot := fh.words[w].or
			if layer == 1 {
				slot = fh.words[w].andSlot
			}
			for _, t := range terms {
				for r := range h.inputs[t.input].last + 1 {
					add(slot, t.input, r, h.masks[t.off+r])
				}
			}
		}
	}
	for j, m := range h.multi {
		slot, shift := lanes+int32(j/4), uint32(16*(j%4))
		for _, p := range h.parts[m.parts:m.end] {
			for r := range h.inputs[p.input].last + 1 {
				add(slot, p.input, r, uint64(h.contrib[p.off+r])<<shift)
			}
		}
		fh.multi = append(fh.multi, flatMulti{slot: slot, shift: shift, truth: m.truth, word: m.word, bits: m.bits})
		for _, s := range m.more {
			fh.multi = append(fh.multi, flatMulti{slot: slot, shift: shift, truth: m.truth, word: int32(s.word), bits: s.bits})
		}
	}
	// Then the groups: entries and states apart, the inputs of fewer rows
	// first, as many together as fit in flatGroupRows combined rows.
	group := func(xs []int) {
		slices.SortStableFunc(xs, func(a, b int) int { return cmp.Compare(h.inputs[a].last, h.inputs[b].last) })
		for len(xs) > 0 {
			n, rows := 1, h.inputs[xs[0]].last+1
			for n < len(xs) && rows*(h.inputs[xs[n]].last+1) <= flatGroupRows {
				rows *= h.inputs[xs[n]].last + 1
				n++
			}
			g := xs[:n]
			xs = xs[n:]
			base := int32(len(fh.blocks))
			fh.blocks = append(fh.blocks, make([]uint64, rows*flatSlots)...)
			stride := rows * flatSlots
			for j, x := range g {
				in := &h.inputs[x]
				stride /= in.last + 1
				fi := flatInput{idx: in.idx, stride: stride, last: j == n-1}
				if j == 0 {
					fi.at = base
				}
				if x < h.entries {
					fi.lim = in.last - 1 // the row is min(Entry+1, last)
					fi.at += stride
				} else {
					fi.at -= in.first * stride
				}
				for c := range rows { // the group's combined row c: input x at row c/(stride/flatSlots) % its rows
					r := c / (stride / flatSlots) % (in.last + 1)
					for s := range int32(flatSlots) {
						fh.blocks[base+c*flatSlots+s] += one[offs[x]+r*flatSlots+s]
					}
				}
				if x < h.entries {
					fh.entries = append(fh.entries, fi)
				} else {
					fh.states = append(fh.states, fi)
				}
			}
		}
	}
	var entries, states []int
	for x := range h.inputs {
		if x < h.entries {
			entries = append(entries, x)
		} else {
			states = append(states, x)
		}
	}
	group(entries)
	group(states)
	h.flat = fh
}

// judgeFlat is Judge for a horizon with a flat form.
func (h *Horizon) judgeFlat(f *Frame, v *Verdict) {
	fh := h.flat
	var acc [flatSlots + 1]uint64 // acc[flatSlots] stays 0
	blocks := fh.blocks
	entry, state := f.Entry, f.State
	at := 0
	for _, in := range fh.entries {
		at += int(in.at) + int(min(entry[in.idx], in.lim))*int(in.stride)
		if in.last {
			b := (*[flatSlots]uint64)(blocks[at:])
			acc[0] += b[0]
			acc[1] += b[1]
			acc[2] += b[2]
			acc[3] += b[3]
			acc[4] += b[4]
			acc[5] += b[5]
			acc[6] += b[6]
			acc[7] += b[7]
			at = 0
		}
	}
	for _, in := range fh.states {
		at += int(in.at) + int(state[in.idx])*int(in.stride)
		if in.last {
			b := (*[flatSlots]uint64)(blocks[at:])
			acc[0] += b[0]
			acc[1] += b[1]
			acc[2] += b[2]
			acc[3] += b[3]
			acc[4] += b[4]
			acc[5] += b[5]
			acc[6] += b[6]
			acc[7] += b[7]
			at = 0
		}
	}
	bits := v.Bits[:len(fh.words)]
	for w, fw := range fh.words {
		bits[w] = (fw.base|acc[fw.or])&(fw.and|acc[fw.andSlot]) ^ fw.flip
	}
	truth := fh.truth
	for _, m := range fh.multi {
		c := uint32(acc[m.slot]>>m.shift) & 0xffff
		holds := -(truth[uint32(m.truth)+c/64] >> (c % 64) & 1) // all ones if the condition holds, else 0
		bits[m.word] |= m.bits & holds
	}
}
