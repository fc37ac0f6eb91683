package cliutil

import (
	"fmt"
	"strconv"
	"strings"
)

// maxListLen bounds a list expanded from lo:hi:step.
const maxListLen = 100_000

// ParseIntList parses a list of integers (each as ParseInt): "1,2,3", or
// "lo:hi:step", the values lo, lo+step, … up to hi inclusive.
func ParseIntList(s string) ([]int, error) {
	if parts := strings.Split(s, ":"); len(parts) == 3 {
		var v [3]int
		for i, p := range parts {
			x, err := ParseInt(p)
			if err != nil {
				return nil, err
			}
			v[i] = x
		}
		lo, hi, step := v[0], v[1], v[2]
		if step <= 0 || hi < lo {
			return nil, fmt.Errorf("range %q needs lo ≤ hi and step > 0", s)
		}
		if (hi-lo)/step >= maxListLen {
			return nil, fmt.Errorf("range %q has more than %d values", s, maxListLen)
		}
		var out []int
		for x := lo; x <= hi; x += step {
			out = append(out, x)
		}
		return out, nil
	}
	var out []int
	for _, p := range strings.Split(s, ",") {
		x, err := ParseInt(p)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

// ParseFloatList parses a list of numbers: "0.01,0.02" or "lo:hi:step" (hi inclusive up to a
// rounding tolerance; values are lo + i·step, not accumulated).
func ParseFloatList(s string) ([]float64, error) {
	parse := func(p string) (float64, error) {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number", p)
		}
		return x, nil
	}
	if parts := strings.Split(s, ":"); len(parts) == 3 {
		var v [3]float64
		for i, p := range parts {
			x, err := parse(p)
			if err != nil {
				return nil, err
			}
			v[i] = x
		}
		lo, hi, step := v[0], v[1], v[2]
		if !(step > 0) || !(hi >= lo) || (hi-lo)/step >= maxListLen {
			return nil, fmt.Errorf("range %q needs lo ≤ hi, step > 0 and at most %d values", s, maxListLen)
		}
		var out []float64
		for i := 0; ; i++ {
			x := lo + float64(i)*step
			if x > hi+step*1e-9 {
				break
			}
			out = append(out, x)
		}
		return out, nil
	}
	var out []float64
	for _, p := range strings.Split(s, ",") {
		x, err := parse(p)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}
