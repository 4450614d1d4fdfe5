package results

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestJSONRoundTrip(t *testing.T) {
	r := fixtureResult(t)
	var first bytes.Buffer
	if err := WriteJSON(&first, r); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var second bytes.Buffer
	if err := WriteJSON(&second, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Errorf("JSON round trip not byte-identical:\n%s", lineDiff(first.String(), second.String()))
	}
	if !reflect.DeepEqual(back.Layout, r.Layout) || !reflect.DeepEqual(back.Counts, r.Counts) ||
		!reflect.DeepEqual(back.Manifest, r.Manifest) || back.Run != r.Run {
		t.Errorf("round trip changed the inputs")
	}
	if !reflect.DeepEqual(back.Reached, r.Reached) || !reflect.DeepEqual(back.FirstEntry, r.FirstEntry) || !reflect.DeepEqual(back.Outcomes, r.Outcomes) {
		t.Errorf("round trip changed the derived rows")
	}
	// Every other rendering of the re-read result is identical too.
	for _, c := range renderers {
		if !bytes.Equal(render(t, c.write, r), render(t, c.write, back)) {
			t.Errorf("%s differs after JSON round trip", c.golden)
		}
	}
	if !strings.HasPrefix(first.String(), "{\n  \"format\": \"scensim-result/1\",\n") {
		t.Errorf("JSON does not start with the format tag:\n%.80s", first.String())
	}
}

// An undefined proportion (N = 0) is written as null and survives the trip.
func TestJSONRoundTripUndefined(t *testing.T) {
	l := smallLayout()
	r := Compute(l, *NewCounts(&l), Manifest{Scenario: "small"}, RunInfo{})
	var a, b bytes.Buffer
	if err := WriteJSON(&a, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.String(), `"p": null`) {
		t.Errorf("undefined P not written as null:\n%s", a.String())
	}
	back, err := ReadJSON(&a)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&b, back); err != nil {
		t.Fatal(err)
	}
	var c bytes.Buffer
	WriteJSON(&c, r)
	if !bytes.Equal(b.Bytes(), c.Bytes()) {
		t.Errorf("round trip with undefined values differs:\n%s", lineDiff(c.String(), b.String()))
	}
}

// Derived rows in the file are ignored: ReadJSON recomputes them.
func TestReadJSONRecomputes(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, fixtureResult(t)); err != nil {
		t.Fatal(err)
	}
	doc := map[string]any{}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	doc["outcomes"] = []any{}
	doc["reached"] = nil
	b, _ := json.Marshal(doc)
	r, err := ReadJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Outcomes) != 3 || len(r.Reached) != 6 || r.Outcomes[0].Estimate.K != 351 {
		t.Errorf("derived rows not recomputed: %d outcomes, %d reached", len(r.Outcomes), len(r.Reached))
	}
}

func TestReadJSONErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, fixtureResult(t)); err != nil {
		t.Fatal(err)
	}
	good := buf.String()
	edit := func(f func(doc map[string]any)) string {
		doc := map[string]any{}
		if err := json.Unmarshal([]byte(good), &doc); err != nil {
			t.Fatal(err)
		}
		f(doc)
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	counts := func(doc map[string]any) map[string]any { return doc["counts"].(map[string]any) }
	layout := func(doc map[string]any) map[string]any { return doc["layout"].(map[string]any) }
	for _, c := range []struct {
		name, in, want string
	}{
		{"empty", "", "malformed JSON"},
		{"truncated", good[:len(good)/2], "malformed JSON"},
		{"trailing", good + "{}", "malformed JSON"},
		{"not json", "scenario: x\n", "malformed JSON"},
		{"array", "[1, 2]", "not a scensim result: the JSON value is a array, not an object"},
		{"null", "null", "not a scensim result"},
		{"foreign", `{"a":1}`, `not a scensim result: no "format" field`},
		{"format number", `{"format": 1}`, `"format" is 1, not a string`},
		{"future format", `{"format": "scensim-result/2"}`, `unsupported format "scensim-result/2"`},
		{"other format", `{"format": "geojson"}`, `unsupported format "geojson"`},
		{"no sections", `{"format": "scensim-result/1"}`, `no "manifest" section`},
		{"no counts", edit(func(d map[string]any) { delete(d, "counts") }), `no "counts" section`},
		{"unknown field", edit(func(d map[string]any) { d["extra"] = 1 }), `unknown field "extra"`},
		{"wrong type", edit(func(d map[string]any) { counts(d)["trials"] = "many" }), `counts.trials is "many", want a non-negative whole number`},
		{"fractional count", edit(func(d map[string]any) { counts(d)["trials"] = 1.5 }), "counts.trials is 1.5, want a non-negative whole number"},
		{"short entry", edit(func(d map[string]any) {
			e := counts(d)["entry"].([]any)
			counts(d)["entry"] = e[:len(e)-1]
		}), "counts: entry has 35 values, layout implies 36"},
		{"long hits", edit(func(d map[string]any) {
			counts(d)["hits"] = append(counts(d)["hits"].([]any), 0)
		}), "counts: hits has 4 values, layout implies 3"},
		{"extra state", edit(func(d map[string]any) {
			tr := layout(d)["tracks"].([]any)[0].(map[string]any)
			tr["states"] = append(tr["states"].([]any), "extra")
		}), "layout implies"},
		{"bad sum", edit(func(d map[string]any) { counts(d)["trials"] = 999 }), "given = 1000 != trials = 999"},
		{"bad layout", edit(func(d map[string]any) { layout(d)["points"] = []any{} }), "layout: no points"},
		{"null count", edit(func(d map[string]any) { counts(d)["hits"].([]any)[1] = nil }), "counts.hits[1] is null, want a non-negative whole number"},
		{"null trials", edit(func(d map[string]any) { counts(d)["trials"] = nil }), "counts.trials is null"},
		{"null array", edit(func(d map[string]any) { counts(d)["occupancy"] = nil }), "counts.occupancy is null, not an array of counts"},
		{"missing array", edit(func(d map[string]any) { delete(counts(d), "given") }), "counts.given is missing"},
		{"counts null", edit(func(d map[string]any) { d["counts"] = nil }), "counts is null, not an object"},
		{"negative count", edit(func(d map[string]any) { counts(d)["entry"].([]any)[0] = -3 }), "counts.entry[0] is -3, want a non-negative whole number"},
		{"fractional element", edit(func(d map[string]any) { counts(d)["given"].([]any)[2] = 587.5 }), "counts.given[2] is 587.5"},
		{"exponent", edit(func(d map[string]any) { counts(d)["trials"] = json.Number("1e3") }), "counts.trials is 1e3"},
		{"too large", edit(func(d map[string]any) { counts(d)["trials"] = json.Number("9223372036854775808") }), "counts.trials is 9223372036854775808"},
		{"string element", edit(func(d map[string]any) { counts(d)["param_hist"] = []any{"1"} }), `counts.param_hist[0] is "1"`},
		{"NaN", strings.Replace(good, `"trials": 1000`, `"trials": NaN`, 1), "malformed JSON"},
	} {
		_, err := ReadJSON(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: ReadJSON error = %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// TestIndentedJSONWritesHTMLCharacters: IndentedJSON is MarshalIndent with
// a final newline, except that <, > and & stay as written.
func TestIndentedJSONWritesHTMLCharacters(t *testing.T) {
	v := map[string]any{"when": "entry(a) <= entry(b) && c > 0", "n": []int{1, 2}}
	got, err := IndentedJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), `"entry(a) <= entry(b) && c > 0"`) {
		t.Errorf("escaped:\n%s", got)
	}
	want, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	unescaped := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(want)) + "\n"
	if string(got) != unescaped {
		t.Errorf("got\n%s\nwant\n%s", got, unescaped)
	}
}
