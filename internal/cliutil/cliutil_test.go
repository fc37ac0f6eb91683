package cliutil

import (
	"errors"
	"flag"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestParseInt(t *testing.T) {
	ok := []struct {
		in   string
		want int
	}{
		{"0", 0}, {"10000", 10000}, {"-3", -3}, {"+7", 7}, {" 64 ", 64},
		{"1e4", 10000}, {"1E4", 10000}, {"1e+06", 1000000}, {"2.5e3", 2500},
		{"64.0", 64}, {"64.", 64}, {".5e1", 5}, {"-2e2", -200}, {"0e99999999999", 0},
		{"0.000", 0}, {"1200e-2", 12}, {"00012", 12}, {"2e5", 200000},
		{"9223372036854775807", math.MaxInt64}, {"-9223372036854775808", math.MinInt64},
		{"9.223372036854775807e18", math.MaxInt64}, {"-9.223372036854775808e18", math.MinInt64},
		{"1e18", 1e18}, {"12345678901234567890e-1", 1234567890123456789},
	}
	for _, c := range ok {
		got, err := ParseInt(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseInt(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	bad := []struct{ in, msg string }{
		{"", "empty"}, {"  ", "empty"}, {"2.5", "not an integer"}, {"1e-3", "not an integer"},
		{"abc", "not an integer"}, {"1e", "not an integer"}, {"e5", "not an integer"},
		{".", "not an integer"}, {"0x10", "not an integer"}, {"1_000", "not an integer"},
		{"NaN", "not an integer"}, {"Inf", "not an integer"}, {"--1", "not an integer"},
		{"1e1e1", "not an integer"}, {"1.2.3", "not an integer"},
		{"1e19", "out of range"}, {"9223372036854775808", "out of range"},
		{"9.223372036854775808e18", "out of range"}, {"-9.223372036854775809e18", "out of range"},
		{"1e999999999999999999999", "out of range"}, {"1e-99999999999999999", "not an integer"},
		{"12345678901234567891e-1", "not an integer"},
	}
	for _, c := range bad {
		got, err := ParseInt(c.in)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("ParseInt(%q) = %d, %v; want error containing %q", c.in, got, err, c.msg)
		}
	}
}

// FuzzParseInt checks that ParseInt never panics and agrees with
// strconv.ParseInt on every input strconv accepts.
func FuzzParseInt(f *testing.F) {
	for _, s := range []string{"0", "1e4", "2.5", "-9.223372036854775808e18", "1e999", ".e", "+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseInt(s)
		if w, werr := strconv.ParseInt(strings.TrimSpace(s), 10, strconv.IntSize); werr == nil {
			if err != nil || int64(v) != w {
				t.Fatalf("ParseInt(%q) = %d, %v; strconv says %d", s, v, err, w)
			}
		}
		if err == nil {
			// The value must print back to an integer that parses the same.
			if v2, err2 := ParseInt(strconv.Itoa(v)); err2 != nil || v2 != v {
				t.Fatalf("round trip of %d failed: %d, %v", v, v2, err2)
			}
		}
	})
}

func TestIntFlag(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var n, a IntFlag
	fs.Var(&n, "n", "")
	fs.Var(&a, "a", "")
	if err := fs.Parse([]string{"--n", "1e4"}); err != nil {
		t.Fatal(err)
	}
	if !n.IsSet || n.V != 10000 || a.IsSet || a.String() != "" || n.String() != "10000" {
		t.Fatalf("n=%+v a=%+v", n, a)
	}
	err := fs.Parse([]string{"--a", "2.5"})
	if err == nil || !strings.Contains(err.Error(), `invalid value "2.5" for flag -a: not an integer`) {
		t.Fatalf("err = %v", err)
	}
}

// TestIntError: ParseInt's error is typed, so that a caller can word it
// without cutting up the message.
func TestIntError(t *testing.T) {
	_, err := ParseInt("1e30")
	var ie *IntError
	if !errors.As(err, &ie) || ie.Text != "1e30" || !errors.Is(err, ErrOutOfRange) || err.Error() != `"1e30" is out of range` {
		t.Errorf("1e30: %#v", err)
	}
	_, err = ParseInt("2.5")
	if !errors.As(err, &ie) || errors.Is(err, ErrOutOfRange) || ie.Reason.Error() != "not an integer (want e.g. 2000 or 2e3)" {
		t.Errorf("2.5: %#v", err)
	}
}
