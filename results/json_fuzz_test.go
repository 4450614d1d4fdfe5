package results

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// FuzzReadJSON: no input makes ReadJSON (the reader of plot, report, merge
// and batch resume) panic, and every accepted file is internally
// consistent: counts non-negative and adding up (Layout.CheckCounts), and it
// writes back and reads again to the same bytes. Merge of an accepted
// result does not panic either.
func FuzzReadJSON(f *testing.F) {
	golden, err := os.ReadFile("testdata/json.golden")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	f.Add(bytes.Replace(golden, []byte(`"trials": 1000`), []byte(`"trials": null`), 1))
	f.Add(bytes.Replace(golden, []byte("351"), []byte("null"), 1))
	f.Add(bytes.Replace(golden, []byte("351"), []byte("-351"), 1))
	f.Add([]byte(`{"format":"scensim-result/1","manifest":{},"layout":{},"counts":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ReadJSON(bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "results: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		if err := r.Layout.CheckCounts(&r.Counts); err != nil {
			t.Fatalf("accepted inconsistent counts: %v", err)
		}
		for _, s := range [][]int64{{r.Counts.Trials}, r.Counts.Hits, r.Counts.Given, r.Counts.Entry, r.Counts.Occupancy, r.Counts.ParamHist} {
			for _, v := range s {
				if v < 0 {
					t.Fatalf("accepted a negative count %d", v)
				}
			}
		}
		var a bytes.Buffer
		if err := WriteJSON(&a, r); err != nil {
			t.Fatalf("an accepted result does not write: %v", err)
		}
		back, err := ReadJSON(bytes.NewReader(a.Bytes()))
		if err != nil {
			t.Fatalf("a written result does not read back: %v", err)
		}
		var b bytes.Buffer
		if err := WriteJSON(&b, back); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatalf("write, read, write is not stable (%v)", err)
		}
		_, _ = Merge([]*Result{r, back}, []string{"a", "b"})
	})
}
