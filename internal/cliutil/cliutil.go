// Package cliutil holds small helpers shared by the command-line tools and
// the batch reader: parsing of integer parameters written either as plain
// integers or in integral scientific notation, and a flag.Value for them.
package cliutil

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// ParseInt parses an integer parameter. Besides plain decimal integers
// ("10000", "-3", "+7") it accepts decimal and scientific forms whose value
// is an integer, such as "1e4", "2.5e3", "1E+06" or "64.0". A value that is
// not an integer ("2.5", "1e-3") or does not fit in an int is rejected with
// an error that says so. Leading and trailing spaces are ignored.
//
// The parser works on the digit string and never builds a number larger
// than an int, so an input such as "1e999999999" costs nothing.
func ParseInt(s string) (int, error) {
	v, reason := parseInt(s)
	switch reason {
	case "":
		return v, nil
	case outOfRange:
		return 0, &IntError{s, ErrOutOfRange}
	}
	return 0, &IntError{s, errors.New(reason)}
}

// ErrOutOfRange is the Reason of an IntError for an integer that does not
// fit in an int (test with errors.Is); any other Reason means the text is
// not an integer.
var ErrOutOfRange = errors.New(outOfRange)

// IntError is the error of ParseInt: Text is the input, Reason why it is
// not an int ("not an integer (want e.g. 2000 or 2e3)", ErrOutOfRange).
type IntError struct {
	Text   string
	Reason error
}

func (e *IntError) Error() string { return strconv.Quote(e.Text) + " is " + e.Reason.Error() }

// Unwrap returns e.Reason.
func (e *IntError) Unwrap() error { return e.Reason }

const (
	notInteger = "not an integer (want e.g. 2000 or 2e3)"
	outOfRange = "out of range"
)

// parseInt does the work of ParseInt; reason is empty on success.
func parseInt(s string) (int, string) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, "empty (want an integer)"
	}
	if v, err := strconv.ParseInt(t, 10, strconv.IntSize); err == nil {
		return int(v), ""
	} else if errors.Is(err, strconv.ErrRange) {
		return 0, outOfRange
	}

	neg := false
	rest := t
	if rest[0] == '+' || rest[0] == '-' {
		neg = rest[0] == '-'
		rest = rest[1:]
	}
	// Split mantissa and exponent.
	mant, expStr := rest, ""
	if i := strings.IndexAny(rest, "eE"); i >= 0 {
		mant, expStr = rest[:i], rest[i+1:]
	}
	intPart, fracPart := mant, ""
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		intPart, fracPart = mant[:i], mant[i+1:]
	}
	if intPart == "" && fracPart == "" || !allDigits(intPart) || !allDigits(fracPart) {
		return 0, notInteger
	}
	exp := 0
	if i := strings.IndexAny(rest, "eE"); i >= 0 {
		e, ok := parseExp(expStr)
		if !ok {
			return 0, notInteger
		}
		exp = e
	}
	// value = digits · 10^(exp − len(fracPart)), digits without leading
	// or trailing zeros.
	digits := strings.TrimLeft(intPart+fracPart, "0")
	exp10 := exp - len(fracPart)
	if digits == "" {
		return 0, ""
	}
	trimmed := strings.TrimRight(digits, "0")
	exp10 += len(digits) - len(trimmed)
	digits = trimmed
	if exp10 < 0 {
		return 0, notInteger
	}
	if len(digits)+exp10 > 19 { // ≥ 1e19 > MaxInt64
		return 0, outOfRange
	}
	var u uint64
	for i := 0; i < len(digits); i++ {
		u = u*10 + uint64(digits[i]-'0')
	}
	for range exp10 {
		if u > math.MaxUint64/10 {
			return 0, outOfRange
		}
		u *= 10
	}
	if neg {
		if u > uint64(math.MaxInt)+1 {
			return 0, outOfRange
		}
		return int(-u), "" // -u wraps correctly for MinInt
	}
	if u > math.MaxInt {
		return 0, outOfRange
	}
	return int(u), ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseExp parses a decimal exponent with optional sign, saturating far
// beyond any useful magnitude so that huge exponents cannot overflow.
func parseExp(s string) (int, bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || !allDigits(s) {
		return 0, false
	}
	e := 0
	for i := 0; i < len(s); i++ {
		if e < 1<<30 {
			e = e*10 + int(s[i]-'0')
		}
	}
	if neg {
		e = -e
	}
	return e, true
}

// IntFlag is a flag.Value holding an optional integer parsed by ParseInt.
// Set records that the flag was given.
type IntFlag struct {
	V     int
	IsSet bool
}

// String implements flag.Value.
func (f *IntFlag) String() string {
	if f == nil || !f.IsSet {
		return ""
	}
	return strconv.Itoa(f.V)
}

// Set implements flag.Value.
func (f *IntFlag) Set(s string) error {
	v, reason := parseInt(s)
	if reason != "" {
		return errors.New(reason)
	}
	f.V, f.IsSet = v, true
	return nil
}
