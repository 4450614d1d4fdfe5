package kernel_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"scensim/model"
)

// TestFlatJudgesPlansLikeLists requires the flat judgement of the shipped
// scenarios and the models of sim/testdata (the reference model among
// them) to give the verdict of the per-word lists of terms on random
// frames, and the reference model to be judged flat.
func TestFlatJudgesPlansLikeLists(t *testing.T) {
	files, err := filepath.Glob("../../scenarios/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob("../../sim/testdata/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, more...)
	flatRef, compiled := false, 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "\nextends:") {
			continue // a variant: compiled with its base by the commands
		}
		p, errs := model.Compile(file, data, nil)
		if p == nil {
			t.Fatalf("%s: %v", file, errs.Snippets())
		}
		compiled++
		h := p.Kernel.Horizon()
		if strings.HasSuffix(file, "reference_model.yaml") {
			flatRef = h.Flat()
		}
		rng := rand.New(rand.NewPCG(7, uint64(len(file))))
		f := &model.Frame{State: make([]int32, len(p.Tracks)), Entry: make([]int32, len(p.States))}
		got, want := h.NewVerdict(), h.NewVerdict()
		for range 5000 {
			for k, tr := range p.Tracks {
				f.State[k] = int32(tr.First + rng.IntN(tr.NStates))
			}
			for g := range f.Entry {
				f.Entry[g] = int32(rng.IntN(p.Steps+2)) - 1 // −1 (never) .. the horizon
			}
			h.Judge(f, got)
			h.JudgeLists(f, want)
			if !slices.Equal(got.Bits, want.Bits) {
				t.Fatalf("%s (flat %v): verdict %x, lists %x (entry %v, state %v)", file, h.Flat(), got.Bits, want.Bits, f.Entry, f.State)
			}
		}
	}
	if compiled < 5 || !flatRef {
		t.Errorf("%d plans compiled; the reference model judged flat: %v", compiled, flatRef)
	}
}
