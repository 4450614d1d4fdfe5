package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"scensim/internal/fsread"
)

// MaxFileBytes bounds the JSON files scensim writes and reads back
// (result.json, compare.json, job.json, index.json): a larger file, or
// anything but a regular file, is refused before it is read whole.
const MaxFileBytes = 1 << 30

// ReadFile reads a result file written by [WriteJSON], as [ReadJSON] does,
// refusing anything but a regular file of at most [MaxFileBytes]. Its
// errors name path (and do not start with "results: ").
func ReadFile(path string) (*Result, error) {
	data, err := fsread.ReadFile(path, MaxFileBytes, "result files")
	if err != nil {
		return nil, err
	}
	r, err := ReadJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %s", path, strings.TrimPrefix(err.Error(), "results: "))
	}
	return r, nil
}

// Format is the value of the "format" field of a result file. A reader
// accepts exactly this value; an incompatible change of the file layout
// changes the number.
const Format = "scensim-result/1"

// resultDoc is the on-disk form: the format tag first, then the fields of
// Result.
type resultDoc struct {
	Format string `json:"format"`
	*Result
}

// WriteJSON writes r as indented JSON (two spaces, a final newline) with a
// "format": "scensim-result/1" field first, then manifest, run, layout,
// counts and the derived rows. HTML characters are not escaped, so
// expressions stay readable. Floats use encoding/json's shortest exact
// representation; an undefined probability is null. The output is a pure
// function of r and is written with a single Write call; nothing is written
// if r.Validate fails.
func WriteJSON(w io.Writer, r *Result) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return writeJSON(w, resultDoc{Format: Format, Result: r})
}

// writeJSON writes v as indented JSON (two spaces, a final newline, HTML
// characters not escaped) with a single Write, or nothing if encoding fails.
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // compact, and a newline
		return fmt.Errorf("results: encoding JSON: %w", err)
	}
	compact := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	out := appendIndented(make([]byte, 0, 2*len(compact)), compact)
	_, err := w.Write(append(out, '\n'))
	return err
}

// IndentedJSON is json.MarshalIndent(v, "", "  ") with a final newline,
// and with <, > and & written as they are rather than as \u003c, \u003e and
// \u0026: the JSON documents scensim writes are read by people and by
// programs, not embedded in HTML, and expressions such as "a <= b" should
// read as written.
func IndentedJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ReadJSON reads a result written by [WriteJSON]. It rejects, with an error
// saying which:
//
//   - input that is not exactly one well-formed JSON value;
//   - a value that is not an object, or lacks the "format" field, or whose
//     format is not [Format] (foreign or future files);
//   - unknown fields, values of the wrong type, or missing "manifest",
//     "layout" or "counts" sections;
//   - a "counts" section that is not an object with exactly the fields
//     trials, hits, given, entry, occupancy and param_hist, or in which the
//     trial count or an array element is not a non-negative whole number
//     (null, negative, fractional, exponent notation), or an array is null;
//     the error names the field, e.g. "counts.hits[2] is null";
//   - a layout that fails [Layout.Validate] or counts that fail
//     [Layout.CheckCounts] (arrays of the wrong length for the layout,
//     totals that do not add up).
//
// The derived rows stored in the file are ignored and recomputed from the
// layout and counts with [Compute], so for any valid r, ReadJSON of
// WriteJSON(r) yields a result whose WriteJSON output is byte-identical.
func ReadJSON(r io.Reader) (*Result, error) {
	data, err := fsread.ReadAll(r, MaxFileBytes, "result files")
	if err != nil {
		return nil, fmt.Errorf("results: reading JSON: %w", err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("results: not a scensim result: the JSON value is a %s, not an object", te.Value)
		}
		return nil, fmt.Errorf("results: malformed JSON: %w", err)
	}
	if top == nil {
		return nil, fmt.Errorf("results: not a scensim result: the JSON value is null, not an object")
	}
	raw, ok := top["format"]
	if !ok {
		return nil, fmt.Errorf("results: not a scensim result: no \"format\" field (want %q)", Format)
	}
	var format string
	if err := json.Unmarshal(raw, &format); err != nil {
		return nil, fmt.Errorf("results: not a scensim result: \"format\" is %s, not a string", raw)
	}
	if format != Format {
		return nil, fmt.Errorf("results: unsupported format %q (this version reads %q)", format, Format)
	}
	for _, key := range []string{"manifest", "layout", "counts"} {
		if _, ok := top[key]; !ok {
			return nil, fmt.Errorf("results: invalid %s file: no %q section", Format, key)
		}
	}
	if err := checkCountsJSON(top["counts"]); err != nil {
		return nil, fmt.Errorf("results: invalid %s file: %w", Format, err)
	}
	doc := resultDoc{Result: new(Result)}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("results: invalid %s file: %w", Format, err)
	}
	res, err := NewResult(doc.Layout, doc.Counts, doc.Manifest, doc.Run)
	if err != nil {
		return nil, fmt.Errorf("results: invalid %s file: %w", Format, err)
	}
	if err := checkDrawParams(&res.Layout, &res.Counts, doc.DrawParams); err != nil {
		return nil, fmt.Errorf("results: invalid %s file: %w", Format, err)
	}
	if err := res.SetDrawParams(doc.DrawParams); err != nil {
		return nil, err
	}
	return res, nil
}

// countsFields are the fields of the "counts" section, in written order.
var countsFields = []string{"trials", "hits", "given", "entry", "occupancy", "param_hist"}

// checkCountsJSON checks the raw "counts" section before decoding, so that
// a null (which encoding/json reads as 0) or another non-count is refused
// with the field's name instead of being read as a count.
func checkCountsJSON(raw json.RawMessage) error {
	var sec map[string]json.RawMessage
	if err := json.Unmarshal(raw, &sec); err != nil || sec == nil {
		return fmt.Errorf("counts is %s, not an object", abbrev(raw))
	}
	for _, name := range countsFields {
		v, ok := sec[name]
		if !ok {
			return fmt.Errorf("counts.%s is missing", name)
		}
		if name == "trials" {
			if err := checkCount("counts.trials", v); err != nil {
				return err
			}
			continue
		}
		var arr []json.RawMessage
		if err := json.Unmarshal(v, &arr); err != nil || arr == nil {
			return fmt.Errorf("counts.%s is %s, not an array of counts", name, abbrev(v))
		}
		for i, e := range arr {
			if err := checkCount(fmt.Sprintf("counts.%s[%d]", name, i), e); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkCount checks that v is a JSON non-negative whole number in int64
// range written in plain digits.
func checkCount(field string, v json.RawMessage) error {
	v = bytes.TrimSpace(v)
	if string(v) == "null" {
		return fmt.Errorf("%s is null, want a non-negative whole number", field)
	}
	if len(v) == 0 || len(v) > 19 || strings.Trim(string(v), "0123456789") != "" {
		return fmt.Errorf("%s is %s, want a non-negative whole number", field, abbrev(v))
	}
	if _, err := strconv.ParseInt(string(v), 10, 64); err != nil {
		return fmt.Errorf("%s is %s, want a non-negative whole number", field, abbrev(v))
	}
	return nil
}

// abbrev shortens a raw JSON value for a message.
func abbrev(v []byte) string {
	v = bytes.TrimSpace(v)
	if len(v) > 40 {
		return string(v[:37]) + "..."
	}
	return string(v)
}
