package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

// indentedByEncoder is how writeJSON indented before appendIndented: the
// encoder itself with SetIndent("", "  ") and HTML characters not escaped.
func indentedByEncoder(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(v)
	return buf.Bytes(), err
}

// spacedMarshaler returns valid JSON full of white space, as a hand-written
// MarshalJSON may.
type spacedMarshaler struct{}

func (spacedMarshaler) MarshalJSON() ([]byte, error) {
	return []byte(" {\n\t\"a\" : [ 1 ,\r\n 2 , { } , [ ] ] ,\"b\\\\\" :\"x \\\" y\" } \n"), nil
}

// failingMarshaler fails to encode.
type failingMarshaler struct{}

func (failingMarshaler) MarshalJSON() ([]byte, error) { return nil, errors.New("no") }

// invalidMarshaler returns bytes that are not JSON.
type invalidMarshaler struct{}

func (invalidMarshaler) MarshalJSON() ([]byte, error) { return []byte(`{"a":}`), nil }

// nestedSlices returns depth levels of []any around leaf.
func nestedSlices(depth int, leaf any) any {
	v := leaf
	for range depth {
		v = []any{v}
	}
	return v
}

// nestedMaps returns depth levels of {"k": ...} around leaf, each level
// with an empty object and array beside it.
func nestedMaps(depth int, leaf any) any {
	v := leaf
	for range depth {
		v = map[string]any{"k": v, "e": map[string]any{}, "z": []any{}}
	}
	return v
}

// writeJSON's bytes are those of the encoder's own indenting on values
// chosen to break a copy loop: backslashes and quotes at every position of
// a string, escapes, invalid UTF-8, HTML and line-separator characters,
// numbers of every form, raw and hand-marshalled JSON with white space,
// and nesting hundreds of levels deep.
func TestWriteJSONMatchesEncoderIndent(t *testing.T) {
	strs := []string{
		``, `\`, `\\`, `"`, `\"`, `\\"`, `"\`, `\\\"`, `a\`, `a\\`, `\a`, `"""`, `\\\\\\\`,
		"\x00\x01\x1f\x7f", "\xff\xfe", "a\xc3", "\xed\xa0\x80", "\u2028\u2029", "<>&", "\t\n\r\b\f",
		`{`, `}`, `[`, `]`, `,`, `:`, `{"a":[1,2]}`, `\u0041`, `\ud800`, "é😀", " ", "  :  ",
	}
	var vals []any
	for _, s := range strs {
		vals = append(vals, s, []string{s, s}, map[string]string{s: s}, map[string]any{s: []any{s, map[string]any{}}})
	}
	nums := []any{0, -0.0, math.Copysign(0, -1), 1e21, 1e20, 1e-7, 1e-6, 123456789e300, -5e-324,
		math.MaxFloat64, math.SmallestNonzeroFloat64, float32(1e21), float32(-0.1), int64(math.MinInt64),
		uint64(math.MaxUint64), json.Number("-1.5E+300"), json.Number("0"), 0.1, 1.0, -1.25e-10}
	vals = append(vals, nums, map[string]any{"n": nums})
	vals = append(vals,
		json.RawMessage(" [ 1 , { \"a\" : null } ,\n[ ] ] "),
		map[string]any{"raw": json.RawMessage("\t{ }\n"), "m": spacedMarshaler{}},
		[]any{spacedMarshaler{}, json.RawMessage(`"\\"`), json.RawMessage(" \"\\\\\\\"\" ")},
		struct {
			A []int        `json:"a"`
			B map[int]bool `json:"b"`
			C *int         `json:"c"`
			D [0]int       `json:"d"`
			E struct{}     `json:"e"`
			F []byte       `json:"f"`
		}{A: []int{}, B: map[int]bool{}, F: []byte("\x00\xff")},
		nestedSlices(300, "x"), nestedSlices(500, []any{}), nestedSlices(97, map[string]any{}),
		nestedMaps(300, 1.5), nestedMaps(40, spacedMarshaler{}),
		[]any{[]any{}, []any{[]any{}}, map[string]any{"": []any{map[string]any{}}}, []any{[]any{[]any{}}, map[string]any{}}},
		nil, true, false, "top", 7,
	)
	for i, v := range vals {
		want, wantErr := indentedByEncoder(v)
		var got bytes.Buffer
		gotErr := writeJSON(&got, v)
		if (wantErr != nil) != (gotErr != nil) {
			t.Fatalf("value %d: error %v, encoder's indent: %v", i, gotErr, wantErr)
		}
		if wantErr == nil && !bytes.Equal(got.Bytes(), want) {
			t.Fatalf("value %d:\ngot  %q\nwant %q", i, got.Bytes(), want)
		}
	}
}

// A value writeJSON cannot encode writes nothing and says why; the
// encoder's own indenting fails on the same values.
func TestWriteJSONErrorWritesNothing(t *testing.T) {
	for _, v := range []any{
		math.NaN(), []any{1, math.Inf(1)}, map[string]any{"a": failingMarshaler{}},
		[]any{invalidMarshaler{}}, make(chan int), func() {},
	} {
		var got bytes.Buffer
		err := writeJSON(&got, v)
		if err == nil || got.Len() != 0 || !strings.HasPrefix(err.Error(), "results: encoding JSON: ") {
			t.Errorf("%T: err %v, wrote %q", v, err, got.Bytes())
		}
		if _, encErr := indentedByEncoder(v); encErr == nil {
			t.Errorf("%T: the encoder's indent did not fail", v)
		}
	}
}
