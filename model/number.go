package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseWhole parses a whole number written exactly, the one rule for every
// count, index and seed given on the command line or in a batch file:
//
//   - decimal digits, with single underscores allowed between digits
//     (1000000, 1_000_000); a leading "+" is allowed, no sign otherwise;
//   - or a decimal number with a fraction and/or a decimal exponent, when
//     its value is exactly a whole number: 1e6, 2.5e3 (2500), 1.0;
//     but not 1.5, 1e-3 or 2.5e0.
//
// Nothing is rounded: a number that is not exactly whole, or that lies
// outside [lo, hi], is refused with an error saying which. No base
// prefixes (0x, 0o), and leading zeros do not mean octal (010 is ten).
func ParseWhole(s string, lo, hi uint64) (uint64, error) {
	n, err := parseWhole(s)
	if neg, ok := strings.CutPrefix(strings.TrimSpace(s), "-"); ok && err != nil {
		if m, err := parseWhole(neg); err == nil && !strings.HasPrefix(neg, "+") && (m > 0 || lo > 0) {
			return 0, fmt.Errorf("%q is out of range: want %d to %d", s, lo, hi)
		}
	}
	if err != nil {
		return 0, err
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%q is out of range: want %d to %d", s, lo, hi)
	}
	return n, nil
}

// parseWhole parses s by the rule of ParseWhole, without a range (beyond
// what a uint64 holds).
func parseWhole(s string) (uint64, error) {
	t := strings.TrimSpace(s)
	notWhole := fmt.Errorf("%q is not a whole number (write digits, 1_000_000 or 1e6)", s)
	t = strings.TrimPrefix(t, "+")
	mant, exp, hasExp := strings.Cut(strings.ToLower(t), "e")
	intPart, frac, hasFrac := strings.Cut(mant, ".")
	intDigits, ok := digitsOf(intPart, true)
	if !ok || (intDigits == "" && (!hasFrac || frac == "")) {
		return 0, notWhole
	}
	fracDigits := ""
	if hasFrac {
		if fracDigits, ok = digitsOf(frac, false); !ok {
			return 0, notWhole
		}
	}
	e := 0
	if hasExp {
		es := strings.TrimPrefix(exp, "+")
		neg := strings.HasPrefix(es, "-")
		es = strings.TrimPrefix(es, "-")
		d, ok := digitsOf(es, false)
		if !ok || d == "" || len(d) > 6 { // the value check below bounds it further
			if ok && d != "" && !neg {
				return 0, fmt.Errorf("%q is too large", s)
			}
			return 0, notWhole
		}
		e, _ = strconv.Atoi(d)
		if neg {
			e = -e
		}
	}
	// The value is digits × 10^e with the fraction's digits moved into the
	// integer part.
	digits := strings.TrimLeft(intDigits+fracDigits, "0")
	e -= len(fracDigits)
	trimmed := strings.TrimRight(digits, "0")
	e += len(digits) - len(trimmed)
	digits = trimmed
	if digits == "" {
		return 0, nil
	}
	if e < 0 {
		return 0, notWhole
	}
	if len(digits)+e > 20 {
		return 0, fmt.Errorf("%q is too large (more than %d)", s, uint64(math.MaxUint64))
	}
	n, err := strconv.ParseUint(digits+strings.Repeat("0", e), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is too large (more than %d)", s, uint64(math.MaxUint64))
	}
	return n, nil
}

// digitsOf returns s without its underscores if s is decimal digits with
// single underscores between digits (only if underscores is true).
func digitsOf(s string, underscores bool) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == '_' && underscores && i > 0 && i+1 < len(s) && isDigit(s[i-1]) && isDigit(s[i+1]):
		default:
			return "", false
		}
	}
	return b.String(), true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
