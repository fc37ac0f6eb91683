package explore

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/dendritic/dendritic/internal/cliutil"
)

// Limits of a query string.
const (
	maxQueryLen   = 2048 // bytes of the raw query
	maxQueryKeys  = 24
	maxKeyLen     = 16
	maxValueLen   = 64
	maxFloatDigit = 32 // characters of a float value
)

// query is a parsed, bounded query string: each key at most once. The
// typed getters record which keys were read, and done reports the rest as
// unknown, so a misspelt parameter is an error, never silently ignored.
type query struct {
	vals map[string]string
	used map[string]bool
}

// parseQuery parses a raw query string with the limits above. Keys are
// lower-case ASCII letters, digits and '_'; a key given twice, an empty
// key or a malformed escape is an error.
func parseQuery(raw string) (*query, error) {
	if len(raw) > maxQueryLen {
		return nil, fmt.Errorf("query of %d bytes is longer than the limit %d", len(raw), maxQueryLen)
	}
	q := &query{vals: map[string]string{}, used: map[string]bool{}}
	if raw == "" {
		return q, nil
	}
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		if len(q.vals) == maxQueryKeys {
			return nil, fmt.Errorf("more than %d parameters", maxQueryKeys)
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, fmt.Errorf("malformed parameter name %.40q", k)
		}
		if !validKey(key) {
			return nil, fmt.Errorf("parameter name %.40q: want 1–%d characters of a–z, 0–9, _", key, maxKeyLen)
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("%s: malformed value %.40q", key, v)
		}
		if len(val) > maxValueLen {
			return nil, fmt.Errorf("%s: value of %d bytes is longer than the limit %d", key, len(val), maxValueLen)
		}
		if _, dup := q.vals[key]; dup {
			return nil, fmt.Errorf("%s is given twice", key)
		}
		q.vals[key] = val
	}
	return q, nil
}

func validKey(k string) bool {
	if k == "" || len(k) > maxKeyLen {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// has reports whether key is present (and marks it read).
func (q *query) has(key string) bool {
	_, ok := q.vals[key]
	q.used[key] = true
	return ok
}

// str returns the value of key, or def when it is absent.
func (q *query) str(key, def string) string {
	q.used[key] = true
	if v, ok := q.vals[key]; ok {
		return v
	}
	return def
}

// enum returns the value of key, which must be one of allowed; the first
// allowed value is the default.
func (q *query) enum(key string, allowed ...string) (string, error) {
	v := q.str(key, allowed[0])
	if !slices.Contains(allowed, v) {
		return "", fmt.Errorf("%s = %.40q: want one of %s", key, v, strings.Join(allowed, ", "))
	}
	return v, nil
}

// intIn returns the integer value of key (decimal or an integral
// scientific form such as 1e4) within [lo, hi]; def when absent.
func (q *query) intIn(key string, def, lo, hi int) (int, error) {
	q.used[key] = true
	s, ok := q.vals[key]
	if !ok {
		return def, nil
	}
	v, err := cliutil.ParseInt(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %v", key, err)
	}
	if v < lo || v > hi {
		return 0, fmt.Errorf("%s = %d must lie in [%d, %d]", key, v, lo, hi)
	}
	return v, nil
}

// floatIn returns the float value of key within [lo, hi]; def when absent.
func (q *query) floatIn(key string, def, lo, hi float64) (float64, error) {
	q.used[key] = true
	s, ok := q.vals[key]
	if !ok {
		return def, nil
	}
	if len(s) > maxFloatDigit {
		return 0, fmt.Errorf("%s: %.40q is not a number", key, s)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s: %.40q is not a number", key, s)
	}
	if v < lo || v > hi {
		return 0, fmt.Errorf("%s = %g must lie in [%g, %g]", key, v, lo, hi)
	}
	return v, nil
}

// boolean returns the value of key as true/false/1/0; false when absent.
func (q *query) boolean(key string) (bool, error) {
	v, err := q.enum(key, "false", "true", "0", "1")
	return v == "true" || v == "1", err
}

// model reads the model parameters named in names, each required, checked
// against the parameter table.
func (q *query) model(names []string) (map[string]int, error) {
	p := make(map[string]int, len(names))
	for _, name := range names {
		if !q.has(name) {
			return nil, fmt.Errorf("missing parameter %s", name)
		}
		tp, ok := lookupParam(name)
		if !ok {
			return nil, fmt.Errorf("unknown parameter %q", name)
		}
		v, err := q.intIn(name, 0, tp.Min, tp.Max)
		if err != nil {
			return nil, fmt.Errorf("%w (%s)", err, tp.Meaning)
		}
		p[name] = v
	}
	return p, nil
}

// done reports the first key that no getter read.
func (q *query) done() error {
	var extra []string
	for k := range q.vals {
		if !q.used[k] {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		slices.Sort(extra)
		return fmt.Errorf("unknown parameter %q for this endpoint", extra[0])
	}
	return nil
}
