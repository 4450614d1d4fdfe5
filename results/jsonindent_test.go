package results

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// indentOracle is json.Indent with writeJSON's settings.
func indentOracle(t testing.TB, src []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := json.Indent(&b, src, "", "  "); err != nil {
		t.Fatalf("json.Indent(%q): %v", src, err)
	}
	return b.Bytes()
}

var indentCases = []string{
	`{}`, `[]`, `{"a":{}}`, `[[],{},[[]],{"":[]}]`, `0`, `-1.5e-300`, `"x"`, `true`, `null`,
	`{"a":1,"b":[1,2,3],"c":{"d":null,"e":false}}`,
	`["a\"b","c\\","\\\"","{[,:]}","\u2028\u00e9<>&","\\u0000"]`,
	`{"k\":":"v,","":""}`,
	strings.Repeat(`[`, 40) + `1` + strings.Repeat(`]`, 40),
	strings.Repeat(`{"a":`, 35) + `[]` + strings.Repeat(`}`, 35),
}

// appendIndented indents compact JSON exactly as json.Indent does: empty
// objects and arrays, strings holding quotes, backslashes and punctuation,
// numbers, literals, nesting deeper than its run of spaces, and random
// values as encoding/json marshals them.
func TestAppendIndentedMatchesIndent(t *testing.T) {
	srcs := make([][]byte, 0, len(indentCases)+200)
	for _, s := range indentCases {
		srcs = append(srcs, []byte(s))
	}
	rng := rand.New(rand.NewPCG(11, 12))
	for range 200 {
		b, err := json.Marshal(randomJSONValue(rng, 0))
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, b)
	}
	for _, src := range srcs {
		if got, want := appendIndented([]byte("prefix"), src), append([]byte("prefix"), indentOracle(t, src)...); !bytes.Equal(got, want) {
			t.Fatalf("%s:\ngot  %q\nwant %q", src, got, want)
		}
	}
}

// randomJSONValue returns a random value of maps, slices, strings (with
// quotes, backslashes, punctuation and non-ASCII), numbers and literals.
func randomJSONValue(rng *rand.Rand, depth int) any {
	k := rng.IntN(8)
	if depth > 5 {
		k = 3 + rng.IntN(5)
	}
	switch k {
	case 0, 1:
		m := map[string]any{}
		for range rng.IntN(4) {
			m[randomJSONString(rng)] = randomJSONValue(rng, depth+1)
		}
		return m
	case 2:
		s := make([]any, rng.IntN(4))
		for i := range s {
			s[i] = randomJSONValue(rng, depth+1)
		}
		return s
	case 3:
		return randomJSONString(rng)
	case 4:
		return rng.NormFloat64() * 1e6
	case 5:
		return rng.Int64N(1000) - 500
	case 6:
		return rng.IntN(2) == 0
	}
	return nil
}

func randomJSONString(rng *rand.Rand) string {
	const chars = `ab"\{}[],: é` + "\n\t\x01"
	var b strings.Builder
	for range rng.IntN(6) {
		b.WriteByte(chars[rng.IntN(len(chars))])
	}
	return b.String()
}

// FuzzAppendIndented: on any compact, valid JSON, appendIndented and
// json.Indent agree.
//
//	go test ./results -run '^$' -fuzz FuzzAppendIndented -fuzztime 60s
func FuzzAppendIndented(f *testing.F) {
	for _, s := range indentCases {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var compact bytes.Buffer
		if !json.Valid(src) || json.Compact(&compact, src) != nil || !bytes.Equal(compact.Bytes(), src) {
			return
		}
		if got, want := appendIndented(nil, src), indentOracle(t, src); !bytes.Equal(got, want) {
			t.Fatalf("%q:\ngot  %q\nwant %q", src, got, want)
		}
	})
}

// BenchmarkIndent indents a result-like document (arrays of counts, 1.4 MB
// indented) with json.Indent and with appendIndented:
//
//	go test ./results -run '^$' -bench Indent
func BenchmarkIndent(b *testing.B) {
	rng := rand.New(rand.NewPCG(13, 14))
	counts := func(n int) []int64 {
		s := make([]int64, n)
		for i := range s {
			s[i] = rng.Int64N(100000)
		}
		return s
	}
	doc := map[string]any{"format": "scensim-result/1", "counts": map[string]any{
		"hits": counts(60), "draw_hits": counts(200 * 60), "draw_given": counts(200 * 60),
		"draw_reached": counts(200 * 150), "occupancy": counts(60 * 58), "param_hist": counts(56 * 42),
	}}
	src, err := json.Marshal(doc)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("json.Indent", func(b *testing.B) {
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			if err := json.Indent(&buf, src, "", "  "); err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(buf.Len()))
	})
	b.Run("appendIndented", func(b *testing.B) {
		var out []byte
		for b.Loop() {
			out = appendIndented(out[:0], src)
		}
		b.SetBytes(int64(len(out)))
	})
}
