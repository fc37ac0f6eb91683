package cad

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/dendritic/dendritic/internal/binfmt"
)

// ErrCorrupt is wrapped by the errors of Unmarshal for data that is not a
// valid encoding of a Detector.
var ErrCorrupt = errors.New("cad: corrupt encoded detector")

// Binary format of a Detector, version 1: the module's framing
// (internal/binfmt; magic "DCAD") with five sections:
//
//	"PARM"  Min, Max float64; ValueBits, MaxActiveNeurons, MaxLeftFacts
//	        uint32; Threshold float64; RestPeriod uint32; the
//	        insertion-order switch (bool)
//	"LSEM"  the left semi-contexts in creation order: count uint32, then
//	        each: fact count uint32 + facts (int64, strictly increasing),
//	        link count uint32 + links in insertion order (right
//	        semi-context uint32, context uint32)
//	"RSEM"  the right semi-contexts, the same layout (no links)
//	"CTXS"  the contexts in creation order: count uint32, then each: times
//	        fully matched uint64, zero-level bool, left and right
//	        semi-context uint32
//	"LEFT"  the left facts of the next row: count uint32 + facts (int64,
//	        strictly increasing); rows seen uint64; the RestPeriod raw
//	        scores of the rest ring (float64, each in [0, 1])
//
// That is the whole state between rows; everything else is rebuilt on
// decoding: the indexes by fact and by content, each semi-context's
// CPython 2 tuple hash, each link dictionary's slots (by inserting the
// links again in their order, which gives CPython's table again), and the
// left side's crossing with the left facts (which the next row reads).
// The rest is scratch. A decoded Detector scores every later value
// exactly as the original would have, and encodes to the same bytes.
const (
	cadMagic   = "DCAD"
	cadVersion = 1
)

// MarshalBinary encodes the whole state of d.
func (d *Detector) MarshalBinary() ([]byte, error) {
	if d == nil {
		return nil, errors.New("cad: nil Detector")
	}
	w := binfmt.NewWriter(nil, cadMagic, cadVersion, 0)
	w.Section("PARM")
	w.F64(d.p.Min)
	w.F64(d.p.Max)
	w.U32(uint32(d.p.ValueBits))
	w.U32(uint32(d.p.MaxActiveNeurons))
	w.U32(uint32(d.p.MaxLeftFacts))
	w.F64(d.p.Threshold)
	w.U32(uint32(d.p.RestPeriod))
	w.Bool(d.insertionOrder)
	for k, tag := range []string{"LSEM", "RSEM"} {
		w.Section(tag)
		s := &d.sides[k]
		w.U32(uint32(len(s.semis)))
		for _, sc := range s.semis {
			writeFacts(&w, sc.facts)
			w.U32(uint32(len(sc.links.keys)))
			for i, key := range sc.links.keys {
				w.U32(uint32(key))
				w.U32(uint32(sc.links.vals[i]))
			}
		}
	}
	w.Section("CTXS")
	w.U32(uint32(len(d.contexts)))
	for _, c := range d.contexts {
		w.U64(uint64(c.count))
		w.Bool(c.zero)
		w.U32(uint32(c.left))
		w.U32(uint32(c.right))
	}
	w.Section("LEFT")
	writeFacts(&w, d.left)
	w.U64(uint64(d.seen))
	for _, v := range d.history {
		w.F64(v)
	}
	return w.Finish(), nil
}

func writeFacts(w *binfmt.Writer, facts []int64) {
	w.U32(uint32(len(facts)))
	for _, f := range facts {
		w.U64(uint64(f))
	}
}

// Unmarshal decodes a Detector from the bytes MarshalBinary returned. It
// validates every field and every link between the structures, and
// allocates in proportion to len(data).
func Unmarshal(data []byte) (*Detector, error) {
	d, err := unmarshal(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return d, nil
}

func unmarshal(data []byte) (*Detector, error) {
	f, err := binfmt.ParseWhole(data, cadMagic, cadVersion)
	if err != nil {
		return nil, err
	}
	var sec [5]binfmt.Reader
	for i, tag := range []string{"PARM", "LSEM", "RSEM", "CTXS", "LEFT"} {
		if sec[i], err = f.Section(tag); err != nil {
			return nil, err
		}
	}
	if err := f.Close(); err != nil {
		return nil, err
	}

	r := &sec[0]
	var p Params
	p.Min, p.Max = r.F64("min"), r.F64("max")
	p.ValueBits = r.Int("value bits", 16)
	p.MaxActiveNeurons = r.Int("max active neurons", math.MaxInt32)
	p.MaxLeftFacts = r.Int("max left facts", math.MaxInt32)
	p.Threshold = r.F64("threshold")
	p.RestPeriod = r.Int("rest period", math.MaxInt32)
	insertionOrder := r.Bool("insertion order")
	if err := r.Close(); err != nil {
		return nil, err
	}
	// The rest ring is stored whole: refuse a period its bytes cannot hold
	// before New allocates it.
	if !binfmt.Fits(uint64(p.RestPeriod), 8, sec[4].Len()) {
		return nil, fmt.Errorf("rest period %d: its scores cannot fit in the %d bytes of LEFT", p.RestPeriod, sec[4].Len())
	}
	d, err := New(p)
	if err != nil {
		return nil, err
	}
	d.insertionOrder = insertionOrder

	type link struct{ key, val int32 }
	var links [][]link // per left semi-context
	for k := range d.sides {
		r := &sec[1+k]
		n := r.Count("semi-contexts", 8, math.MaxInt32)
		s := &d.sides[k]
		for i := 0; i < n && r.Err() == nil; i++ {
			facts := readFacts(r, "facts")
			m := r.Count("links", 8, math.MaxInt32)
			if k == 1 && m != 0 {
				return nil, fmt.Errorf("right semi-context %d has %d links", i, m)
			}
			ls := make([]link, m)
			for j := range ls {
				ls[j] = link{int32(r.Int("link semi-context", math.MaxInt32)), int32(r.Int("link context", math.MaxInt32))}
			}
			if r.Err() != nil {
				break
			}
			if len(facts) == 0 {
				return nil, fmt.Errorf("semi-context %d of side %d has no facts", i, k)
			}
			if s.find(facts, s.contentHash(facts)) >= 0 {
				return nil, fmt.Errorf("semi-context %d of side %d repeats an earlier one", i, k)
			}
			s.lookupOrAdd(facts)
			if k == 0 {
				links = append(links, ls)
			}
		}
		if err := r.Close(); err != nil {
			return nil, err
		}
	}

	r = &sec[3]
	n := r.Count("contexts", 17, math.MaxInt32)
	d.contexts = make([]contextRec, 0, n)
	for i := 0; i < n && r.Err() == nil; i++ {
		c := contextRec{count: int64(r.Int64("count", math.MaxInt64)), zero: r.Bool("zero-level")}
		c.left = int32(r.Int("left", len(d.sides[0].semis)-1))
		c.right = int32(r.Int("right", len(d.sides[1].semis)-1))
		d.contexts = append(d.contexts, c)
	}
	if err := r.Close(); err != nil {
		return nil, err
	}
	if len(d.contexts) > 0 && (len(d.sides[0].semis) == 0 || len(d.sides[1].semis) == 0) {
		return nil, errors.New("contexts without semi-contexts")
	}
	// Every context is the one link of its (left, right) pair.
	linked := make([]bool, len(d.contexts))
	for li, ls := range links {
		dict := &d.sides[0].semis[li].links
		for _, l := range ls {
			if int(l.key) >= len(d.sides[1].semis) || int(l.val) >= len(d.contexts) {
				return nil, fmt.Errorf("left semi-context %d links %d to context %d: out of range", li, l.key, l.val)
			}
			c := d.contexts[l.val]
			if int(c.left) != li || c.right != l.key || linked[l.val] {
				return nil, fmt.Errorf("left semi-context %d: link %d → context %d does not match the context (%d, %d) or repeats it", li, l.key, l.val, c.left, c.right)
			}
			if _, dup := dict.get(l.key); dup {
				return nil, fmt.Errorf("left semi-context %d links %d twice", li, l.key)
			}
			dict.insert(l.key, l.val)
			linked[l.val] = true
		}
	}
	if i := slices.Index(linked, false); i >= 0 {
		return nil, fmt.Errorf("context %d has no link", i)
	}

	r = &sec[4]
	d.left = readFacts(r, "left facts")
	seen := r.Int64("rows seen", math.MaxInt)
	for i := range d.history {
		v := r.F64("rest score")
		if !(v >= 0 && v <= 1) {
			return nil, fmt.Errorf("rest score %d is %v, outside [0, 1]", i, v)
		}
		d.history[i] = v
	}
	if err := r.Close(); err != nil {
		return nil, err
	}
	d.seen = seen
	d.cross(&d.sides[0], d.left)
	return d, nil
}

// readFacts reads a fact list written by writeFacts and checks that it is
// strictly increasing and non-negative.
func readFacts(r *binfmt.Reader, field string) []int64 {
	n := r.Count(field, 8, math.MaxInt32)
	if r.Err() != nil {
		return nil
	}
	facts := make([]int64, n)
	for i := range facts {
		facts[i] = int64(r.Int64(field, math.MaxInt64))
		if i > 0 && facts[i] <= facts[i-1] && r.Err() == nil {
			r.Fail(field, "fact %d (%d) not above the one before (%d)", i, facts[i], facts[i-1])
		}
	}
	return facts
}
