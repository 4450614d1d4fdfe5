package model

import (
	"math"
	"math/big"
	"strings"
	"testing"
)

func TestParseWhole(t *testing.T) {
	ok := map[string]uint64{
		"0": 0, "7": 7, "+7": 7, " 12 ": 12, "010": 10, "1_000_000": 1000000,
		"1e3": 1000, "1E3": 1000, "2.5e3": 2500, "1.0": 1, "1.": 1, ".5e1": 5, "0e5": 0, "1e+3": 1000,
		"1.25e2": 125, "125000e-3": 125, "1e0": 1, "0.0": 0,
		"18446744073709551615": math.MaxUint64, "1.8446744073709551615e19": math.MaxUint64,
		"9007199254740993": 9007199254740993, // not a float64: parsed exactly
		"1e19":             1e19,
	}
	for s, want := range ok {
		got, err := ParseWhole(s, 0, math.MaxUint64)
		if err != nil || got != want {
			t.Errorf("ParseWhole(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	bad := map[string]string{
		"":                     "not a whole number",
		"1.5":                  "not a whole number",
		"2.5e0":                "not a whole number",
		"1e-3":                 "not a whole number",
		"1.0000000000000001e3": "not a whole number", // 1000.0000000000001: a float would round it to 1000
		"-1":                   "out of range",
		"-1.5":                 "not a whole number",
		"--1":                  "not a whole number",
		"-+1":                  "not a whole number",
		"0x10":                 "not a whole number",
		"1__0":                 "not a whole number",
		"_1":                   "not a whole number",
		"1_":                   "not a whole number",
		"1_e3":                 "not a whole number",
		"1e":                   "not a whole number",
		"e3":                   "not a whole number",
		".":                    "not a whole number",
		"1e3.5":                "not a whole number",
		"NaN":                  "not a whole number",
		"Inf":                  "not a whole number",
		"1 000":                "not a whole number",
		"18446744073709551616": "too large",
		"1e20":                 "too large",
		"1e999999999":          "too large",
		"1e-999999999":         "not a whole number",
	}
	for s, want := range bad {
		if got, err := ParseWhole(s, 0, math.MaxUint64); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseWhole(%q) = %d, %v; want an error saying %q", s, got, err, want)
		}
	}
	if _, err := ParseWhole("0", 1, 10); err == nil || !strings.Contains(err.Error(), "out of range: want 1 to 10") {
		t.Errorf("below the range: %v", err)
	}
	if _, err := ParseWhole("1.1e1", 1, 10); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Errorf("above the range: %v", err)
	}
}

// FuzzParseWhole checks ParseWhole against exact rational arithmetic: an
// accepted string's value is exactly the number, and a string whose exact
// value is a whole number in range (written by the rule) is accepted.
func FuzzParseWhole(f *testing.F) {
	for _, s := range []string{"1e3", "2.5e3", "1.5", "1_000", "18446744073709551615", "1.0000000000000001e3", "0.0e9", "-1", "1e19", "12e-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseWhole(s, 0, math.MaxUint64)
		plain := strings.TrimPrefix(strings.TrimSpace(strings.ReplaceAll(s, "_", "")), "+")
		var r big.Rat
		exact := plain != "" && !strings.ContainsAny(plain, "xXoObBpP/ ") && len(plain) < 200 && strings.Count(strings.ToLower(plain), "e") <= 1
		if exact {
			if _, ok := r.SetString(plain); !ok {
				exact = false
			}
		}
		if err == nil {
			if !exact || !r.IsInt() || r.Num().Cmp(new(big.Int).SetUint64(n)) != 0 {
				t.Fatalf("ParseWhole(%q) = %d, but its exact value is %v", s, n, r.RatString())
			}
			return
		}
		if exact && r.IsInt() && r.Sign() >= 0 && r.Num().IsUint64() && !strings.Contains(s, "__") &&
			!strings.HasPrefix(strings.TrimSpace(s), "_") && !strings.Contains(s, "_.") && !strings.Contains(s, "._") &&
			!strings.HasSuffix(strings.TrimSpace(s), "_") && !strings.ContainsAny(s, "eE") && !strings.Contains(s, ".") {
			t.Fatalf("ParseWhole(%q) refused the whole number %v: %v", s, r.RatString(), err)
		}
	})
}
